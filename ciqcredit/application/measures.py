"""Measures in force for one enterprise (the API and the enterprise page), and a decision's parties as kept."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ciqcredit.application.combine import MeasureRule, PartyState, combine
from ciqcredit.application.models import Decision, DecisionParty
from ciqcredit.application.selectors import enterprise_state, measures_in_force
from ciqcredit.catalogue.choices import DocumentReview, MeasureArea
from ciqcredit.enterprises.models import Enterprise


@dataclass(frozen=True)
class AreaMeasures:
    area: str
    label: str
    measures: list[MeasureRule]
    sampling_rate: Decimal | None
    document_review: str
    priority: bool
    green_channel: bool
    paperless: bool
    onsite_checks_per_year: int | None

    @property
    def sampling_percent(self) -> str:
        return "" if self.sampling_rate is None else f"{(self.sampling_rate * 100).normalize():f}%"

    @property
    def document_review_label(self) -> str:
        return DocumentReview(self.document_review).label if self.document_review else ""


@dataclass(frozen=True)
class EnterpriseMeasures:
    enterprise: Enterprise
    on: dt.date
    state: PartyState
    measure_list_version: int
    areas: list[AreaMeasures]

    def as_dict(self) -> dict[str, Any]:
        return {
            "credit_code": self.enterprise.credit_code,
            "on": self.on,
            "grade": self.state.grade,
            "controlled": self.state.controlled,
            "serious_listed": self.state.serious_listed,
            "measure_list_version": self.measure_list_version,
            "ruleset_version": self.state.ruleset_version,
            "areas": [
                {
                    "area": a.area,
                    "label": a.label,
                    "measures": [
                        {"code": m.code, "title": m.title, "description": m.description, "applies_to": m.applies_to}
                        for m in a.measures
                    ],
                    "sampling_rate": a.sampling_rate,
                    "document_review": a.document_review or None,
                    "priority": a.priority,
                    "green_channel": a.green_channel,
                    "paperless": a.paperless,
                    "onsite_checks_per_year": a.onsite_checks_per_year,
                }
                for a in self.areas
            ],
        }


def enterprise_measures(enterprise: Enterprise, on: dt.date, *, area: str = "") -> EnterpriseMeasures:
    """The grade, 布控 and list standing on a date, and the measures by area (the published precedence applied)."""
    index = measures_in_force(on)
    state = enterprise_state(enterprise, on)
    areas = []
    for slug, label in MeasureArea.choices:
        if area and slug != area:
            continue
        outcome = combine([state], index.by_class_area, slug, index.version.precedence)
        checks = [m.onsite_checks_per_year for m in outcome.measures if m.onsite_checks_per_year is not None]
        areas.append(
            AreaMeasures(
                area=slug,
                label=label,
                measures=list(outcome.measures),
                sampling_rate=outcome.sampling_rate,
                document_review=outcome.document_review,
                priority=outcome.priority,
                green_channel=outcome.green_channel,
                paperless=outcome.paperless,
                onsite_checks_per_year=max(checks) if checks else None,
            )
        )
    return EnterpriseMeasures(enterprise, on, state, index.version.number, areas)


def decision_parties(decision: Decision) -> list[PartyState]:
    """The parties of a kept decision as they stood when it was made (their partner lists: those whose joint
    measures applied)."""
    lists: dict[str, set[str]] = {}
    for applied in decision.joint_measures or []:
        lists.setdefault(applied["credit_code"], set()).add(applied["list_code"])
    return [
        PartyState(
            credit_code=p.credit_code,
            role=p.role,
            registered=p.enterprise_id is not None,
            grade=p.grade or None,
            controlled=p.controlled,
            serious_listed=p.serious_listed,
            partner_lists=tuple(sorted(lists.get(p.credit_code, ()))),
        )
        for p in DecisionParty.objects.filter(decision=decision).order_by("id")
    ]
