"""How published measures become one answer: pure functions over plain values (no database).

A party belongs to measure classes: its grade (a serious-list party counts as D), or `unregistered` when it
has no grade (unknown to the registry, or registered but not rated yet); plus `controlled` when under 布控.
Each party's measures in the area are combined first, then the parties' values, both by the measure list's
published precedence (reference: the highest sampling rate, the strictest review, a facilitation only when
every party qualifies). Within one party a facilitation holds only when every measure that speaks of it
grants it, so a 布控 overlay withdraws what the grade gave.

Joint measures (联合奖惩, §五(三)): a party on a partner list also takes the published joint measures of that list
in the area that reach its classes (`JointRule.for_classes`; empty: every party on the list). They join the
party's own measures under the same precedence: the sampling rate and document review compete with the grade's;
a joint measure that refuses a facilitation withdraws it (like 布控), one that grants it grants it (the data
names the classes a reward reaches, so a D or controlled party never gains one). The parties' values then
combine as before, and the answer names every joint measure that applied, with the party and list behind it.

The draw: a hash of (declaration number, area, measure-list version) read as a number in [0, 1); inspect
when it is below the sampling rate. The same declaration under the same list always draws the same number,
and over many declarations the share below a rate is that rate.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ciqcredit.catalogue.choices import (
    GRADE_ORDER,
    REFERENCE_PRECEDENCE,
    REVIEW_ORDER,
    FacilitationRule,
    MeasureGrade,
    RateRule,
    ReviewRule,
)

FACILITATIONS = ("priority", "green_channel", "paperless")
UNREGISTERED = MeasureGrade.UNREGISTERED.value
CONTROLLED = MeasureGrade.CONTROLLED.value


@dataclass(frozen=True)
class MeasureRule:
    """One published measure, as plain values."""

    code: str
    title: str
    applies_to: str  # a grade, "controlled" or "unregistered"
    area: str
    description: str = ""
    sampling_rate: Decimal | None = None
    document_review: str = ""
    priority: bool | None = None
    green_channel: bool | None = None
    paperless: bool | None = None
    onsite_checks_per_year: int | None = None


@dataclass(frozen=True)
class JointRule(MeasureRule):
    """A published joint measure: `applies_to` is the partner list's code."""

    list_title: str = ""
    for_classes: tuple[str, ...] = ()

    def reaches(self, classes: tuple[str, ...]) -> bool:
        return not self.for_classes or set(classes) <= set(self.for_classes)


@dataclass(frozen=True)
class JointApplied:
    """A joint measure that applied to one party of a decision, and why."""

    rule: JointRule
    credit_code: str

    @property
    def reason(self) -> str:
        return f"企业{self.credit_code}在{self.rule.list_title or self.rule.applies_to}中"


@dataclass(frozen=True)
class PartyState:
    credit_code: str
    role: str
    registered: bool
    grade: str | None
    controlled: bool
    serious_listed: bool
    ruleset_version: int | None = None
    enterprise_id: int | None = None  # the registry row, when registered
    partner_lists: tuple[str, ...] = ()  # the partner lists it is on that day (codes)

    @property
    def effective_grade(self) -> str | None:
        return "D" if self.serious_listed else self.grade

    @property
    def classes(self) -> tuple[str, ...]:
        base = self.effective_grade or UNREGISTERED
        return (base, CONTROLLED) if self.controlled else (base,)


@dataclass(frozen=True)
class Outcome:
    sampling_rate: Decimal | None
    document_review: str
    priority: bool
    green_channel: bool
    paperless: bool
    measures: tuple[MeasureRule, ...] = field(default_factory=tuple)
    joint: tuple[JointApplied, ...] = field(default_factory=tuple)


def lowest_grade(grades: Iterable[str | None]) -> str | None:
    known = [g for g in grades if g]
    return max(known, key=GRADE_ORDER.index) if known else None


def _rate(values: list[Decimal], rule: str) -> Decimal | None:
    if not values:
        return None
    return min(values) if rule == RateRule.LOWEST else max(values)


def _review(values: list[str], rule: str) -> str:
    if not values:
        return ""
    pick = min if rule == ReviewRule.LOOSEST else max
    return pick(values, key=REVIEW_ORDER.index)


def _party_outcome(
    measures: Sequence[MeasureRule], precedence: dict[str, str], joint: Sequence[JointRule] = ()
) -> Outcome:
    rates = [m.sampling_rate for m in (*measures, *joint) if m.sampling_rate is not None]
    reviews = [m.document_review for m in (*measures, *joint) if m.document_review]
    flags = {}
    for name in FACILITATIONS:
        said = [getattr(m, name) for m in measures if getattr(m, name) is not None]
        joint_said = [getattr(j, name) for j in joint if getattr(j, name) is not None]
        flags[name] = ((bool(said) and all(said)) or any(joint_said)) and all(joint_said)
    return Outcome(
        sampling_rate=_rate(rates, precedence["sampling_rate"]),
        document_review=_review(reviews, precedence["document_review"]),
        priority=flags["priority"],
        green_channel=flags["green_channel"],
        paperless=flags["paperless"],
        measures=tuple(measures),
    )


def joint_for(party: PartyState, joint: dict[tuple[str, str], list[JointRule]], area: str) -> list[JointRule]:
    """The joint measures that reach one party in an area: those of its lists that name its classes."""
    classes = party.classes
    return [j for code in party.partner_lists for j in joint.get((code, area), []) if j.reaches(classes)]


def combine(
    parties: Sequence[PartyState],
    measures: dict[tuple[str, str], list[MeasureRule]],
    area: str,
    precedence: dict[str, str] | None = None,
    joint: dict[tuple[str, str], list[JointRule]] | None = None,
) -> Outcome:
    """The answer for one area: each party's measures (with its joint measures), then the parties' values, by
    the precedence."""
    rules = {**REFERENCE_PRECEDENCE, **(precedence or {})}
    reached = [joint_for(party, joint, area) if joint else [] for party in parties]
    outcomes = [
        _party_outcome([m for cls in party.classes for m in measures.get((cls, area), [])], rules, mine)
        for party, mine in zip(parties, reached, strict=True)
    ]
    applied: dict[str, MeasureRule] = {}
    for outcome in outcomes:
        for measure in outcome.measures:
            applied.setdefault(measure.code, measure)
    every = rules["facilitation"] == FacilitationRule.ALL_PARTIES
    flags = {
        name: bool(outcomes) and (all if every else any)(getattr(o, name) for o in outcomes) for name in FACILITATIONS
    }
    return Outcome(
        sampling_rate=_rate([o.sampling_rate for o in outcomes if o.sampling_rate is not None], rules["sampling_rate"]),
        document_review=_review([o.document_review for o in outcomes if o.document_review], rules["document_review"]),
        priority=flags["priority"],
        green_channel=flags["green_channel"],
        paperless=flags["paperless"],
        measures=tuple(applied.values()),
        joint=tuple(JointApplied(j, p.credit_code) for p, mine in zip(parties, reached, strict=True) for j in mine),
    )


def draw(declaration_no: str, area: str, measure_list_version: int) -> float:
    """A number in [0, 1) fixed by the declaration, the area and the measure-list version."""
    digest = hashlib.blake2b(f"{declaration_no}\x1f{area}\x1f{measure_list_version}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def inspect(draw_value: float, sampling_rate: Decimal | None) -> bool:
    return sampling_rate is not None and draw_value < float(sampling_rate)
