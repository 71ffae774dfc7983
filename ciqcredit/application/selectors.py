"""Reads of result application: the parties' standing, the published measures, decisions and their figures.

Hot path (a release decision): the measure list in force comes from the catalogue's version selector (one tiny
stamp query; a publication in any process is seen at the next call) and its measures are indexed once per
process per published version (published versions never change). The parties' grades are read fresh on every
call, in one statement for all parties: no grade is cached, so a confirmed change is seen by the next decision
in every process.
"""

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from ciqcredit.application.combine import JointRule, MeasureRule, PartyState
from ciqcredit.application.models import Decision, DecisionParty
from ciqcredit.catalogue.models import JointMeasure, JointMeasureVersion, Measure, MeasureListVersion
from ciqcredit.catalogue.selectors import joint_measures_on, measure_list_on
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import User
from ciqcredit.rating.models import GradeCause, GradeChange


@dataclass(frozen=True)
class MeasureIndex:
    version: MeasureListVersion
    by_class_area: dict[tuple[str, str], list[MeasureRule]]
    rules: tuple[MeasureRule, ...]


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


def measures_in_force(on: dt.date) -> MeasureIndex:
    version = measure_list_on(on)
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


def joint_in_force(on: dt.date) -> JointIndex:
    """The joint measures (联合奖惩) in force by (list code, area); built once per process per published version.
    No version published: no joint measure applies."""
    version = joint_measures_on(on)
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


def _party_sql(count: int) -> str:
    gc = GradeChange._meta.db_table
    ent = Enterprise._meta.db_table
    latest = f"FROM {gc} g WHERE g.enterprise_id = e.id AND g.effective_from <= %s"
    order = "ORDER BY g.effective_from DESC, g.id DESC LIMIT 1"
    listing = f"g.cause IN ('{GradeCause.LISTING}', '{GradeCause.REMOVAL}')"
    marks = ", ".join(["%s"] * count)
    return (
        f"SELECT e.id, e.credit_code, (SELECT g.grade {latest} {order}), (SELECT g.controlled {latest} {order}), "
        f"(SELECT g.ruleset_version {latest} {order}), (SELECT g.cause {latest} AND {listing} {order}) "
        f"FROM {ent} e WHERE e.credit_code IN ({marks})"
    )


def parties_standing(codes: list[str], on: dt.date) -> dict[str, tuple[int, str | None, bool, int | None, bool]]:
    """credit code → (enterprise id, grade, 布控, rule-set version, on the serious list) on a date, for the codes
    the registry knows; one statement for all of them (each subquery walks the grade-history index)."""
    if not codes:
        return {}
    unique = sorted(set(codes))
    with connection.cursor() as cursor:
        cursor.execute(_party_sql(len(unique)), [on, on, on, on, *unique])
        rows = cursor.fetchall()
    return {
        code: (pk, grade, bool(controlled), ruleset, listing == GradeCause.LISTING)
        for pk, code, grade, controlled, ruleset, listing in rows
    }


def party_states(parties: list[tuple[str, str]], on: dt.date) -> list[PartyState]:
    """(credit code, role) pairs → their states on a date, in the same order."""
    standing = parties_standing([code for code, _ in parties], on)
    states = []
    for code, role in parties:
        found = standing.get(code)
        if found is None:
            states.append(PartyState(code, role, False, None, False, False))
        else:
            pk, grade, controlled, ruleset, listed = found
            states.append(PartyState(code, role, True, grade, controlled, listed, ruleset, pk))
    return states


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
