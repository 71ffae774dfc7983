"""Making release decisions (放行决定): the one state change of result application.

`decisions_make` answers any number of declarations (the single endpoint passes one, the batch endpoint up to
a thousand) so both answer alike by construction. Per call: one statement per business date for the parties'
standing, the measure list from the catalogue's version selector, then one INSERT of the decisions and one
of their parties, in one transaction committed before the answer leaves: an answer a client has received is
always kept. A crash before the commit loses the decision and the client gets no answer; it resends, and the
deterministic draw gives the same answer again.
"""

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection, transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.application.combine import PartyState, combine, draw, inspect, lowest_grade
from ciqcredit.application.models import Decision, DecisionJointMeasure, DecisionParty
from ciqcredit.application.selectors import JointIndex, MeasureIndex, joint_in_force, measures_in_force, party_states
from ciqcredit.errors import Forbidden, NotFound
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Scope
from ciqcredit.partners.selectors import partner_lists_on


@dataclass(frozen=True)
class DecisionRequest:
    declaration_no: str
    area: str
    parties: tuple[tuple[str, str], ...]  # (credit code, role)
    on: dt.date
    org_code: str = ""


@dataclass(frozen=True)
class Made:
    decision: Decision
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


def with_partner_lists(states: list[PartyState], on: dt.date) -> list[PartyState]:
    """The states with the partner lists each party is on that day (one indexed statement for all of them)."""
    lists = partner_lists_on([s.credit_code for s in states], on)
    return [replace(s, partner_lists=lists[s.credit_code]) if s.credit_code in lists else s for s in states]


def _decide(
    request: DecisionRequest,
    states: list[PartyState],
    index: MeasureIndex,
    actor: User,
    org_id: int,
    now,
    joint: JointIndex,
) -> Decision:
    version = index.version
    outcome = combine(states, index.by_class_area, request.area, version.precedence, joint.by_list_area)
    governing = lowest_grade(s.effective_grade for s in states)
    value = draw(request.declaration_no, request.area, version.number)
    ruleset = next((s.ruleset_version for s in states if s.effective_grade == governing and governing), None)
    return Decision(
        declaration_no=request.declaration_no,
        area=request.area,
        on=request.on,
        organization_id=org_id,
        client=actor,
        decided_at=now,
        governing_grade=governing or "",
        controlled=any(s.controlled for s in states),
        serious_listed=any(s.serious_listed for s in states),
        unregistered=any(s.effective_grade is None for s in states),
        sampling_rate=outcome.sampling_rate,
        draw=value,
        inspect=inspect(value, outcome.sampling_rate),
        document_review=outcome.document_review,
        priority=outcome.priority,
        green_channel=outcome.green_channel,
        paperless=outcome.paperless,
        measures=[{"code": m.code, "title": m.title} for m in outcome.measures],
        joint_measures=[
            {
                "code": a.rule.code,
                "title": a.rule.title,
                "list_code": a.rule.applies_to,
                "credit_code": a.credit_code,
                "reason": a.reason,
            }
            for a in outcome.joint
        ],
        measure_list_version=version.number,
        ruleset_version=ruleset,
        request={
            "declaration_no": request.declaration_no,
            "area": request.area,
            "parties": [{"credit_code": c, "role": r} for c, r in request.parties],
            "on": request.on.isoformat(),
            **({"org_code": request.org_code} if request.org_code else {}),
        },
    )


def decisions_make(
    *, requests: list[DecisionRequest], actor: Actor | User, decided_at: dt.datetime | None = None
) -> list[Made]:
    """Decide and keep every request (all or nothing: one transaction). Requests were validated by the caller.

    `decided_at` is for loading decisions made earlier (the demo); the API always decides now.
    """
    client = require_decision_client(actor)
    now = decided_at or clock.now()
    offices = offices_for(client, {r.org_code for r in requests})
    missing = sorted({r.org_code for r in requests} - set(offices))
    if missing:
        raise NotFound("机构", {"field": "org_code", "org_codes": missing})
    org_ids = [offices[r.org_code] for r in requests]
    by_date: dict[dt.date, list[tuple[str, str]]] = {}
    for r in requests:
        by_date.setdefault(r.on, []).extend(r.parties)
    looked_up = {on: with_partner_lists(party_states(pairs, on), on) for on, pairs in by_date.items()}
    indexes = {on: measures_in_force(on) for on in by_date}  # one version look-up per business date
    joints = {on: joint_in_force(on) for on in by_date}
    made: list[Made] = []
    offsets = dict.fromkeys(by_date, 0)
    for r, org_id in zip(requests, org_ids, strict=True):
        start = offsets[r.on]
        states = looked_up[r.on][start : start + len(r.parties)]
        offsets[r.on] = start + len(r.parties)
        made.append(Made(_decide(r, states, indexes[r.on], client, org_id, now, joints[r.on]), states))
    with transaction.atomic():
        ids = insert_rows(Decision, [m.decision for m in made])
        for m, pk in zip(made, ids, strict=True):
            m.decision.pk = pk
        insert_rows(
            DecisionParty,
            [
                DecisionParty(
                    decision=m.decision,
                    credit_code=s.credit_code,
                    role=s.role,
                    enterprise_id=s.enterprise_id,
                    grade=s.effective_grade or "",
                    controlled=s.controlled,
                    serious_listed=s.serious_listed,
                )
                for m in made
                for s in m.parties
            ],
        )
        insert_rows(DecisionJointMeasure, [row for m in made for row in joint_rows(m.decision)])
    return made


def joint_rows(d: Decision) -> list[DecisionJointMeasure]:
    """One row per (party, partner list) whose joint measures applied to the decision: what feedback counts."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for applied in d.joint_measures:
        grouped.setdefault((applied["list_code"], applied["credit_code"]), []).append(applied["code"])
    return [
        DecisionJointMeasure(
            decision=d,
            list_code=list_code,
            credit_code=code,
            measure_codes=codes,
            area=d.area,
            on=d.on,
            inspect=d.inspect,
        )
        for (list_code, code), codes in grouped.items()
    ]


def insert_rows(model, objects: list) -> list[int]:
    """One INSERT … RETURNING id for new rows of `model` (both databases): the hot path's lean bulk_create.

    Values are prepared by each field as the ORM would (`get_db_prep_save`); the statement is cached per model.
    Ids come back in the order of the rows, as bulk_create relies on too.
    """
    if not objects:
        return []
    fields, row_sql = _insert_shape(model)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    per_statement = max(1, MAX_PARAMETERS // len(fields))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(objects), per_statement):
            chunk = objects[start : start + per_statement]
            values = [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in chunk for f in fields]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(chunk))} RETURNING id", values
            )
            ids += [row[0] for row in cursor.fetchall()]
    return ids


MAX_PARAMETERS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535 bind parameters per statement
_shapes: dict[type, tuple[list, str]] = {}


def _insert_shape(model) -> tuple[list, str]:
    shape = _shapes.get(model)
    if shape is None:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        shape = _shapes[model] = (fields, "(" + ", ".join(["%s"] * len(fields)) + ")")
    return shape


def decision_make(*, request: DecisionRequest, actor: Actor | User) -> Made:
    return decisions_make(requests=[request], actor=actor)[0]


def decision_answer(d: Decision, parties: list[PartyState]) -> dict[str, Any]:
    """The answer e-CIQ receives (the API's DecisionOut), from a decision and its parties' states."""
    return {
        "decision_id": d.pk,
        "declaration_no": d.declaration_no,
        "area": d.area,
        "on": d.on,
        "governing_grade": d.governing_grade or None,
        "controlled": d.controlled,
        "sampling_rate": d.sampling_rate,
        "inspect": d.inspect,
        "document_review": d.document_review or None,
        "priority": d.priority,
        "green_channel": d.green_channel,
        "paperless": d.paperless,
        "measures": d.measures,
        "joint_measures": d.joint_measures,
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
        "measure_list_version": d.measure_list_version,
        "ruleset_version": d.ruleset_version,
    }
