"""The binomial tolerance of a monthly cell (§五(二)): pure, no database.

Each decision in a cell was drawn with its own prescribed rate p_i, so the number inspected is a sum of
independent Bernoulli draws (a Poisson-binomial): expected Σp_i, variance Σp_i(1−p_i). A cell is flagged
when the number actually inspected lies further from the expected number than z·√variance + ½ (normal
approximation with continuity correction), z the two-sided quantile of the rule set's confidence level,
and only once it holds at least the rule set's minimum of reported decisions.
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist


@dataclass(frozen=True)
class CellJudgement:
    decisions: int
    inspected: int
    expected: float
    tolerance: float

    @property
    def outside(self) -> bool:
        return abs(self.inspected - self.expected) > self.tolerance


def z_two_sided(confidence: Decimal | float) -> float:
    return NormalDist().inv_cdf(0.5 + float(confidence) / 2)


def judge_cell(
    *, decisions: int, inspected: int, rate_sum: float, variance: float, confidence: Decimal | float
) -> CellJudgement:
    tolerance = z_two_sided(confidence) * math.sqrt(max(variance, 0.0)) + 0.5
    return CellJudgement(decisions=decisions, inspected=inspected, expected=rate_sum, tolerance=tolerance)
