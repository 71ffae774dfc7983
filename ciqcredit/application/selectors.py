"""Reads of result application: the parties' standing, the published measures, decisions and their figures.

Hot path (a release decision): one statement reads the parties' standing, their partner lists and the stamps of
the measure list and of the joint measures (`parties_gather`); the lists in force come from the catalogue's
version selector, cached per process and checked against those stamps (a publication in any process is seen at
the next call), and their measures are indexed once per process per published version (published versions never
change). No grade is cached: a confirmed change is seen by the next decision in every process.
"""

import datetime as dt
import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from ciqcredit.application.combine import JointRule, MeasureRule, Outcome, PartyState, combine, combine_key
from ciqcredit.application.models import Decision, DecisionParty
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.models import JointMeasure, JointMeasureVersion, Measure, MeasureListVersion
from ciqcredit.catalogue.selectors import joint_measures_on, measure_list_on, stamp_sql
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import User
from ciqcredit.partners.selectors import membership_sql
from ciqcredit.rating.models import GradeCause, GradeChange
from ciqcredit.sql import fetch_prepared


@dataclass(frozen=True)
class MeasureIndex:
    version: MeasureListVersion
    by_class_area: dict[tuple[str, str], list[MeasureRule]]
    rules: tuple[MeasureRule, ...]
    outcomes: dict[tuple, tuple[Outcome, list[dict[str, str]]]] = field(default_factory=dict, compare=False)

    def combined(
        self, parties: Sequence[PartyState], area: str, joint: dict[tuple[str, str], list[JointRule]]
    ) -> tuple[Outcome, list[dict[str, str]]]:
        """`combine` for these parties in an area, with the measures applied as kept ([{"code", "title"}]),
        remembered for this (published, never changing) version by `combine_key` when it allows (a few dozen
        outcomes serve every decision whose parties are on no partner list)."""
        key = combine_key(parties)
        found = self.outcomes.get((area, key)) if key is not None else None
        if found is None:
            outcome = combine(parties, self.by_class_area, area, self.version.precedence, joint)
            found = (outcome, [{"code": m.code, "title": m.title} for m in outcome.measures])
            if key is not None and len(self.outcomes) < 10_000:  # classes are few; a bound all the same
                self.outcomes[(area, key)] = found
        return found


_lock = threading.Lock()
_indexes: dict[int, tuple[Any, MeasureIndex]] = {}


def measure_rule(m: Measure) -> MeasureRule:
    return MeasureRule(
        code=m.code,
        title=m.title,
        applies_to=m.grade,
        area=m.area,
        description=m.description,
        sampling_rate=m.sampling_ratio,
        document_review=m.document_review,
        priority=m.priority,
        green_channel=m.green_channel,
        paperless=m.paperless,
        onsite_checks_per_year=m.visit_frequency,
    )


def measure_index(version: MeasureListVersion) -> MeasureIndex:
    """The measures of a version by (class, area); built once per process for a published version."""
    stamp = (version.pk, version.status, version.published_at)
    cached = _indexes.get(version.pk)
    if cached is not None and cached[0] == stamp and version.is_published:
        return cached[1]
    rules = tuple(measure_rule(m) for m in Measure.objects.filter(version=version).order_by("position", "code"))
    by: dict[tuple[str, str], list[MeasureRule]] = {}
    for rule in rules:
        by.setdefault((rule.applies_to, rule.area), []).append(rule)
    index = MeasureIndex(version=version, by_class_area=by, rules=rules)
    if version.is_published:
        with _lock:
            if len(_indexes) >= 64:
                _indexes.clear()
            _indexes[version.pk] = (stamp, index)
    return index


def measures_in_force(on: dt.date, *, stamp: Any = ...) -> MeasureIndex:
    """The measure list in force on a date, indexed. `stamp`: the list's stamp when the caller read it already
    (`parties_gather` does, in the statement of the parties' standing)."""
    version = measure_list_on(on, stamp=stamp)
    if version is None:
        raise DomainError(
            "no_measure_list", f"{on:%Y-%m-%d}没有生效的差异化措施，请先由总局发布", {"on": on.isoformat()}, status=409
        )
    return measure_index(version)


@dataclass(frozen=True)
class JointIndex:
    version: JointMeasureVersion | None
    by_list_area: dict[tuple[str, str], list[JointRule]]


NO_JOINT = JointIndex(None, {})
_joint_indexes: dict[int, tuple[Any, JointIndex]] = {}


def joint_rule(m: JointMeasure) -> JointRule:
    return JointRule(
        code=m.code,
        title=m.title,
        applies_to=m.list_code,
        area=m.area,
        description=m.description,
        sampling_rate=m.sampling_ratio,
        document_review=m.document_review,
        priority=m.priority,
        green_channel=m.green_channel,
        paperless=m.paperless,
        list_title=m.list_title,
        for_classes=tuple(m.for_classes or ()),
    )


def joint_in_force(on: dt.date, *, stamp: Any = ...) -> JointIndex:
    """The joint measures (联合奖惩) in force by (list code, area); built once per process per published version.
    No version published: no joint measure applies. `stamp`: the joint list's stamp when the caller read it
    already (`parties_gather` does)."""
    version = joint_measures_on(on, stamp=stamp)
    if version is None:
        return NO_JOINT
    stamp = (version.pk, version.published_at)
    cached = _joint_indexes.get(version.pk)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    by: dict[tuple[str, str], list[JointRule]] = {}
    for row in JointMeasure.objects.filter(version=version).order_by("position", "code"):
        by.setdefault((row.list_code, row.area), []).append(joint_rule(row))
    index = JointIndex(version, by)
    with _lock:
        if len(_joint_indexes) >= 64:
            _joint_indexes.clear()
        _joint_indexes[version.pk] = (stamp, index)
    return index


@functools.cache
def _standing_sql(count: int, vendor: str) -> str:
    """Rows of four kinds, told apart by the first column: `m` and `j`, the stamps of the measure list and of the
    joint measures (absent before any publication); `p`, one per registered code: the grade change in force (the
    grade-history index, one probe) and the latest listing or removal (the serious list); `l`, one per partner
    list a code is on that day (`partners.selectors.membership_sql`).
    PostgreSQL takes the codes as one array parameter (one statement text for any count: prepared once), SQLite
    as a list of `count` parameters. PostgreSQL types a UNION pair by pair, from the left: every column is typed
    in one of the first two parts (a column of NULLs in both would be taken for text)."""
    gc = GradeChange._meta.db_table
    ent = Enterprise._meta.db_table
    listing = f"l.cause IN ('{GradeCause.LISTING}', '{GradeCause.REMOVAL}')"
    codes = "= ANY(%s)" if vendor == "postgresql" else "IN (" + ", ".join(["%s"] * count) + ")"
    return (
        f"SELECT 'm', st.id, st.published_at, NULL, NULL, NULL, NULL, NULL, NULL FROM ({stamp_sql(Kind.MEASURES)}) st "
        f"UNION ALL SELECT 'p', NULL, NULL, e.id, e.credit_code, g.grade, g.controlled, g.ruleset_version, "
        f"(SELECT l.cause FROM {gc} l WHERE l.enterprise_id = e.id AND l.effective_from <= %s AND {listing} "
        f"ORDER BY l.effective_from DESC, l.id DESC LIMIT 1) FROM {ent} e "
        f"LEFT JOIN {gc} g ON g.id = (SELECT c.id FROM {gc} c WHERE c.enterprise_id = e.id AND c.effective_from <= %s "
        f"ORDER BY c.effective_from DESC, c.id DESC LIMIT 1) WHERE e.credit_code {codes} "
        f"UNION ALL SELECT 'j', sj.id, sj.published_at, NULL, NULL, NULL, NULL, NULL, NULL "
        f"FROM ({stamp_sql(Kind.JOINT)}) sj "
        f"UNION ALL SELECT 'l', NULL, NULL, NULL, m.credit_code, m.code, NULL, NULL, NULL "
        f"FROM ({membership_sql(codes)}) m"
    )


Standing = dict[str, tuple[int, str | None, bool, int | None, bool]]


@dataclass(frozen=True)
class Gathered:
    """What the parties of a business date stand on, read in one statement (`parties_standing`)."""

    standing: Standing
    partner_lists: dict[str, tuple[str, ...]]  # credit code → its partner lists that day (codes on none: absent)
    measures_stamp: Any
    joint_stamp: Any


def parties_standing(codes: list[str], on: dt.date) -> Gathered:
    """credit code → (enterprise id, grade, 布控, rule-set version, on the serious list) on a date, for the codes
    the registry knows; the partner lists each code is on that day; and the stamps of the measure list and of the
    joint measures (`catalogue.selectors.stamp_sql`): one statement for all."""
    unique = sorted(set(codes)) or [""]
    if connection.vendor == "postgresql":
        rows = fetch_prepared(_standing_sql(0, "postgresql"), [on, on, unique, unique, on, on])
    else:
        params = [on, on, *unique, *unique, on, on]
        rows = fetch_prepared(_standing_sql(len(unique), "sqlite"), params, prepare=False)
    stamps: dict[str, Any] = {}
    standing: Standing = {}
    lists: dict[str, list[str]] = {}
    for kind, stamp_id, published_at, pk, code, grade, controlled, ruleset, listing in rows:
        if kind == "p":
            standing[code] = (pk, grade, bool(controlled), ruleset, listing == GradeCause.LISTING)
        elif kind == "l":
            lists.setdefault(code, []).append(grade)  # the list's code, in the grade's column
        else:
            stamps[kind] = (stamp_id, published_at)
    return Gathered(
        standing, {code: tuple(sorted(found)) for code, found in lists.items()}, stamps.get("m"), stamps.get("j")
    )


def parties_gather(parties: list[tuple[str, str]], on: dt.date) -> tuple[list[PartyState], MeasureIndex, JointIndex]:
    """(credit code, role) pairs → their states on a date (partner lists included), in the same order, the measure
    list in force and the joint measures in force: what a decision is made from, read fresh (one statement; the
    measures come from the per-version indexes, checked against the stamps read with the parties)."""
    gathered = parties_standing([code for code, _ in parties], on)
    states = []
    for code, role in parties:
        found = gathered.standing.get(code)
        lists = gathered.partner_lists.get(code, ())
        if found is None:
            states.append(PartyState(code, role, False, None, False, False, partner_lists=lists))
        else:
            pk, grade, controlled, ruleset, listed = found
            states.append(PartyState(code, role, True, grade, controlled, listed, ruleset, pk, lists))
    return states, measures_in_force(on, stamp=gathered.measures_stamp), joint_in_force(on, stamp=gathered.joint_stamp)


def party_states(parties: list[tuple[str, str]], on: dt.date) -> list[PartyState]:
    """(credit code, role) pairs → their states on a date, in the same order."""
    return parties_gather(parties, on)[0]


def enterprise_state(enterprise: Enterprise, on: dt.date) -> PartyState:
    return party_states([(enterprise.credit_code, "")], on)[0]


# ---- decisions, for pages and the API (scoped) ----

DECISION_READ_ROLES = ("hq_admin", "bureau_credit", "supervisor", "viewer")


def decisions_visible_to(user: User) -> QuerySet[Decision]:
    """Staff and systems: the decisions of their organization's subtree (HQ: all)."""
    if user.is_enterprise_user:
        return Decision.objects.none()
    return Decision.objects.filter(org_scope_q(user, "organization"))


def decision_get_for_user(user: User, pk: int) -> Decision:
    decision = decisions_visible_to(user).select_related("organization", "client").filter(pk=pk).first()
    if decision is None:
        raise NotFound("放行决定")
    return decision


def decision_search(
    user: User,
    *,
    declaration_no: str = "",
    credit_code: str = "",
    org_code: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    grade: str = "",
    inspect: bool | None = None,
) -> QuerySet[Decision]:
    qs = decisions_visible_to(user).select_related("organization")
    if declaration_no.strip():
        qs = qs.filter(declaration_no=declaration_no.strip())
    if credit_code.strip():
        code = credit_code.strip().upper()
        qs = qs.filter(Exists(DecisionParty.objects.filter(decision=OuterRef("pk"), credit_code=code)))
    if org_code:
        qs = qs.filter(organization__path__contains=f"{org_code}/")
    if date_from:
        qs = qs.filter(on__gte=date_from)
    if date_to:
        qs = qs.filter(on__lte=date_to)
    if grade:
        qs = qs.filter(governing_grade="" if grade == "none" else grade)
    if inspect is not None:
        qs = qs.filter(inspect=inspect)
    return qs.order_by("-decided_at", "-id")


@dataclass(frozen=True)
class DailyRow:
    on: dt.date
    organization_id: int
    grade: str  # "" for decisions where no party had a grade
    decisions: int
    inspected: int
    prescribed: float  # the mean sampling rate prescribed for these decisions (0–1)

    @property
    def share(self) -> float:
        return self.inspected / self.decisions if self.decisions else 0.0


def daily_statistics(
    user: User, *, date_from: dt.date, date_to: dt.date, area: str = "", org_code: str = ""
) -> list[DailyRow]:
    """Per day, organization and governing grade: decisions, inspected, the prescribed rate (mean)."""
    qs = decisions_visible_to(user).filter(on__gte=date_from, on__lte=date_to)
    if area:
        qs = qs.filter(area=area)
    if org_code:
        qs = qs.filter(organization__path__contains=f"{org_code}/")
    rows = (
        qs.values("on", "organization_id", "governing_grade")
        .annotate(n=Count("id"), inspected=Count("id", filter=Q(inspect=True)), rate=Sum("sampling_rate"))
        .order_by("on", "organization_id", "governing_grade")
    )
    return [
        DailyRow(
            on=r["on"],
            organization_id=r["organization_id"],
            grade=r["governing_grade"],
            decisions=r["n"],
            inspected=r["inspected"],
            prescribed=float(r["rate"] or 0) / r["n"] if r["n"] else 0.0,
        )
        for r in rows
    ]
