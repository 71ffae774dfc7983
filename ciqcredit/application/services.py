"""Making release decisions (放行决定): the one state change of result application.

`decisions_make` answers any number of declarations (the single endpoint passes one, the batch endpoint up to
a thousand) so both answer alike by construction. Per call: one statement per business date for the parties'
standing, their partner lists and the stamps of the measure list and the joint measures, the decisions made
around the pure `combine`, then the writes (`decisions_keep`), committed before the answer leaves: an answer a
client has received is always kept. A crash before the commit loses the decision and the client gets no
answer; it resends, and the deterministic draw gives the same answer again.
"""

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.application.combine import PartyState, draw, inspect, lowest_grade
from ciqcredit.application.models import Decision, DecisionJointMeasure, DecisionParty
from ciqcredit.application.selectors import JointIndex, MeasureIndex, parties_gather
from ciqcredit.errors import Forbidden, NotFound
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Scope
from ciqcredit.sql import fetch_prepared, insert_rows, reserve_ids


@dataclass(frozen=True)
class DecisionRequest:
    declaration_no: str
    area: str
    parties: tuple[tuple[str, str], ...]  # (credit code, role)
    on: dt.date
    org_code: str = ""


@dataclass(frozen=True)
class Made:
    decision: dict[str, Any]  # the Decision row: field attnames → values, "id" once kept
    parties: list[PartyState]


def offices_for(actor: User, org_codes: set[str]) -> dict[str, int]:
    """The deciding offices named (one query): the client's own organization, or ones in its subtree. A code
    outside the subtree, or unknown, is missing from the answer."""
    found = {actor.organization.code: actor.organization_id, "": actor.organization_id}
    wanted = org_codes - set(found)
    if wanted:
        rows = Organization.objects.filter(code__in=wanted, path__startswith=actor.organization.path)
        found.update(rows.values_list("code", "pk"))
    return found


def require_decision_client(actor: Actor | User) -> User:
    """The API client behind the actor, if it may ask for decisions (scope eciq_decision)."""
    user = actor.user if isinstance(actor, Actor) else actor
    if user is None or not (user.is_system and user.has_scope(Scope.ECIQ_DECISION)):
        raise Forbidden(
            f"放行决定仅供持有权限范围“{Scope.ECIQ_DECISION}”的 e-CIQ 接口令牌调用",
            {"scope": Scope.ECIQ_DECISION},
            code="missing_scope",
        )
    return user


def _decide(
    request: DecisionRequest,
    states: list[PartyState],
    index: MeasureIndex,
    actor: User,
    org_id: int,
    now,
    joint: JointIndex,
) -> dict[str, Any]:
    """The Decision row (no model instance: the batch path makes a thousand)."""
    version = index.version
    outcome, measures = index.combined(states, request.area, joint.by_list_area)
    governing = lowest_grade(s.effective_grade for s in states)
    value = draw(request.declaration_no, request.area, version.number)
    ruleset = next((s.ruleset_version for s in states if s.effective_grade == governing and governing), None)
    return {
        "declaration_no": request.declaration_no,
        "area": request.area,
        "on": request.on,
        "organization_id": org_id,
        "client_id": actor.pk,
        "decided_at": now,
        "governing_grade": governing or "",
        "controlled": any(s.controlled for s in states),
        "serious_listed": any(s.serious_listed for s in states),
        "unregistered": any(s.effective_grade is None for s in states),
        "sampling_rate": outcome.sampling_rate,
        "draw": value,
        "inspect": inspect(value, outcome.sampling_rate),
        "document_review": outcome.document_review,
        "priority": outcome.priority,
        "green_channel": outcome.green_channel,
        "paperless": outcome.paperless,
        "measures": measures,  # shared by the decisions of the same outcome: never changed
        "joint_measures": [
            {
                "code": a.rule.code,
                "title": a.rule.title,
                "list_code": a.rule.applies_to,
                "credit_code": a.credit_code,
                "reason": a.reason,
            }
            for a in outcome.joint
        ],
        "measure_list_version": version.number,
        "ruleset_version": ruleset,
        "request": {
            "declaration_no": request.declaration_no,
            "area": request.area,
            "parties": [{"credit_code": c, "role": r} for c, r in request.parties],
            "on": request.on.isoformat(),
            **({"org_code": request.org_code} if request.org_code else {}),
        },
    }


def decisions_make(
    *, requests: list[DecisionRequest], actor: Actor | User, decided_at: dt.datetime | None = None
) -> list[Made]:
    """Decide and keep every request (all or nothing: one transaction). Requests were validated by the caller.

    Three steps: gather what the parties stand on (`parties_gather`: one statement per business date), decide
    each request (`_decide`, around the pure `combine`), keep them all (`decisions_keep`). `decided_at` is for
    loading decisions made earlier (the demo); the API always decides now.
    """
    client = require_decision_client(actor)
    now = decided_at or clock.now()
    offices = offices_for(client, {r.org_code for r in requests})
    missing = sorted({r.org_code for r in requests} - set(offices))
    if missing:
        raise NotFound("机构", {"field": "org_code", "org_codes": missing})
    by_date: dict[dt.date, list[tuple[str, str]]] = {}
    for r in requests:
        by_date.setdefault(r.on, []).extend(r.parties)
    gathered = {}
    for on, pairs in by_date.items():
        gathered[on] = parties_gather(pairs, on)
    made: list[Made] = []
    offsets = dict.fromkeys(by_date, 0)
    for r in requests:
        states, index, joint = gathered[r.on]
        start = offsets[r.on]
        mine = states[start : start + len(r.parties)]
        offsets[r.on] = start + len(r.parties)
        made.append(Made(_decide(r, mine, index, client, offices[r.org_code], now, joint), mine))
    decisions_keep(made)
    return made


def _party_rows(made: list[Made]) -> list[dict[str, Any]]:
    return [
        {
            "decision_id": m.decision["id"],
            "credit_code": s.credit_code,
            "role": s.role,
            "enterprise_id": s.enterprise_id,
            "grade": s.effective_grade or "",
            "controlled": s.controlled,
            "serious_listed": s.serious_listed,
        }
        for m in made
        for s in m.parties
    ]


def decisions_keep(made: list[Made]) -> None:
    """Write the decisions and their parties, committed before this returns (or with the caller's transaction);
    sets each decision's "id".

    On PostgreSQL a single decision without joint measures (the common case) is one prepared statement writing
    both tables (a data-modifying WITH, the
    rows passed as two JSON parameters): no BEGIN and COMMIT of its own, one round trip. Otherwise, in one
    transaction: ids drawn ahead (`reserve_ids`), then both tables written by `insert_rows` (COPY on
    PostgreSQL, executemany on SQLite).
    """
    if not made:
        return
    if len(made) == 1 and connection.vendor == "postgresql" and not made[0].decision["joint_measures"]:
        _keep_one(made[0])
        return
    with transaction.atomic():
        for m, pk in zip(made, reserve_ids(Decision, len(made)), strict=True):
            m.decision["id"] = pk
        insert_rows(Decision, [m.decision for m in made])
        insert_rows(DecisionParty, _party_rows(made))
        insert_rows(DecisionJointMeasure, [row for m in made for row in joint_rows(m.decision)])


def joint_rows(d: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per (party, partner list) whose joint measures applied to the decision: what feedback counts."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for applied in d["joint_measures"]:
        grouped.setdefault((applied["list_code"], applied["credit_code"]), []).append(applied["code"])
    return [
        {
            "decision_id": d["id"],
            "list_code": list_code,
            "credit_code": code,
            "measure_codes": codes,
            "area": d["area"],
            "on": d["on"],
            "inspect": d["inspect"],
        }
        for (list_code, code), codes in grouped.items()
    ]


@functools.cache
def _keep_one_sql() -> str:
    """Both rows of one decision from two JSON parameters (PostgreSQL fills the columns from their keys):
    two parameters to send instead of one per column."""
    decision, party = Decision._meta, DecisionParty._meta
    qn = connection.ops.quote_name
    columns = ", ".join(qn(str(f.column)) for f in decision.concrete_fields if not f.primary_key)
    party_columns = [qn(str(f.column)) for f in party.concrete_fields if not f.primary_key]
    return (
        f"WITH d AS (INSERT INTO {qn(decision.db_table)} ({columns}) SELECT {columns} "
        f"FROM jsonb_populate_record(NULL::{qn(decision.db_table)}, %s::jsonb) RETURNING id), "
        f"p AS (INSERT INTO {qn(party.db_table)} ({', '.join(party_columns)}) "
        f"SELECT d.id, {', '.join('v.' + c for c in party_columns[1:])} "
        f"FROM d, jsonb_populate_recordset(NULL::{qn(party.db_table)}, %s::jsonb) AS v) "
        "SELECT id FROM d"
    )


def _keep_one(m: Made) -> None:
    parties = [
        {
            "credit_code": s.credit_code,
            "role": s.role,
            "enterprise_id": s.enterprise_id,
            "grade": s.effective_grade or "",
            "controlled": s.controlled,
            "serious_listed": s.serious_listed,
        }
        for s in m.parties
    ]
    ((pk,),) = fetch_prepared(_keep_one_sql(), [json.dumps(m.decision, default=_json_value), json.dumps(parties)])
    m.decision["id"] = pk


def _json_value(value: Any) -> str:
    """Dates, instants and decimals as PostgreSQL reads them back into their columns (ISO 8601, exact digits)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not a column value: {value!r}")


def decision_make(*, request: DecisionRequest, actor: Actor | User) -> Made:
    return decisions_make(requests=[request], actor=actor)[0]


def decision_answer(d: Mapping[str, Any], parties: list[PartyState]) -> dict[str, Any]:
    """The answer e-CIQ receives (the API's DecisionOut), from a decision's row and its parties' states."""
    return {
        "decision_id": d["id"],
        "declaration_no": d["declaration_no"],
        "area": d["area"],
        "on": d["on"],
        "governing_grade": d["governing_grade"] or None,
        "controlled": d["controlled"],
        "sampling_rate": d["sampling_rate"],
        "inspect": d["inspect"],
        "document_review": d["document_review"] or None,
        "priority": d["priority"],
        "green_channel": d["green_channel"],
        "paperless": d["paperless"],
        "measures": d["measures"],
        "joint_measures": d["joint_measures"],
        "parties": [
            {
                "credit_code": s.credit_code,
                "role": s.role,
                "registered": s.registered,
                "grade": s.effective_grade,
                "controlled": s.controlled,
                "serious_listed": s.serious_listed,
                "partner_lists": list(s.partner_lists),
            }
            for s in parties
        ],
        "measure_list_version": d["measure_list_version"],
        "ruleset_version": d["ruleset_version"],
    }


def decision_row(decision: Decision) -> dict[str, Any]:
    """A kept decision as the row `decision_answer` reads."""
    return {f.attname: getattr(decision, f.attname) for f in Decision._meta.concrete_fields}
