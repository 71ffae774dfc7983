"""What-if of a measure list (before publishing it): recent decisions answered again under its measures.

The latest decisions in the caller's scope (at most `limit`) are replayed with the parties as they stood
(kept with each decision) under the other list's measures and precedence; nothing is written. Per governing
grade it compares what was prescribed with what the list would prescribe: the mean sampling rate, the
inspections the draw would give, and the facilitations granted.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ciqcredit.application.combine import PartyState, combine, draw, inspect
from ciqcredit.application.models import DecisionParty
from ciqcredit.application.selectors import decisions_visible_to, measure_index
from ciqcredit.catalogue.choices import GRADE_ORDER
from ciqcredit.catalogue.models import MeasureListVersion
from ciqcredit.organizations.models import User

FACILITATIONS = ("priority", "green_channel", "paperless")


@dataclass
class WhatIfRow:
    grade: str
    decisions: int = 0
    rate_now: float = 0.0  # sums while counting, means once done
    rate_then: float = 0.0
    inspected_now: int = 0
    inspected_then: int = 0
    facilitated_now: int = 0  # decisions with any facilitation
    facilitated_then: int = 0


@dataclass(frozen=True)
class MeasuresWhatIf:
    version: MeasureListVersion
    date_from: dt.date
    date_to: dt.date
    rows: list[WhatIfRow]
    replayed: int
    limited: bool


def measures_whatif(
    *, version: MeasureListVersion, user: User, date_from: dt.date, date_to: dt.date, limit: int = 20_000
) -> MeasuresWhatIf:
    index = measure_index(version)
    decisions = list(
        decisions_visible_to(user)
        .filter(on__gte=date_from, on__lte=date_to)
        .order_by("-id")
        .values("id", "declaration_no", "area", "governing_grade", "sampling_rate", "inspect", *FACILITATIONS)[
            : limit + 1
        ]
    )
    limited = len(decisions) > limit
    decisions = decisions[:limit]
    parties: dict[int, list[PartyState]] = defaultdict(list)
    ids = [d["id"] for d in decisions]
    for start in range(0, len(ids), 5_000):
        for p in DecisionParty.objects.filter(decision_id__in=ids[start : start + 5_000]).order_by("id"):
            parties[p.decision_id].append(
                PartyState(p.credit_code, p.role, p.enterprise_id is not None, p.grade or None, p.controlled, False)
            )
    rows: dict[str, WhatIfRow] = {}
    for d in decisions:
        row = rows.setdefault(d["governing_grade"], WhatIfRow(d["governing_grade"]))
        outcome = combine(parties[d["id"]], index.by_class_area, d["area"], version.precedence)
        row.decisions += 1
        row.rate_now += float(d["sampling_rate"] or 0)
        row.rate_then += float(outcome.sampling_rate or 0)
        row.inspected_now += d["inspect"]
        row.inspected_then += inspect(draw(d["declaration_no"], d["area"], version.number), outcome.sampling_rate)
        row.facilitated_now += any(d[f] for f in FACILITATIONS)
        row.facilitated_then += any(getattr(outcome, f) for f in FACILITATIONS)
    ordered = [rows[g] for g in (*GRADE_ORDER, "") if g in rows]
    for row in ordered:
        row.rate_now /= row.decisions
        row.rate_then /= row.decisions
    return MeasuresWhatIf(version, date_from, date_to, ordered, len(decisions), limited)
