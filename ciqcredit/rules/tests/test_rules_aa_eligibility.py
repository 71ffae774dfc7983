"""AA eligibility: each condition of the rule set, shown with whether it holds."""

from decimal import Decimal

import pytest

from ciqcredit.rules.aa import AA_CONDITION_CODES, aa_eligibility, aa_eligible
from ciqcredit.rules.params import AAEligibility, RuleSetParams

REF = RuleSetParams()
GOOD = {
    "months_at_a": 12,
    "clean_years_ok": True,
    "declaration_error_rate": Decimal("0.0099"),
    "other_regulators_clean_months": 12,
    "current_grade": "A",
    "serious_listed": False,
}


def conditions(params=REF, **changes):
    return aa_eligibility(params, **(GOOD | changes))


def test_an_enterprise_meeting_every_condition_is_eligible():
    result = conditions()
    assert [c.code for c in result] == list(AA_CONDITION_CODES)
    assert all(c.holds for c in result) and aa_eligible(result)
    assert all(c.label and c.detail for c in result)


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        ({"months_at_a": 11}, "months_at_a"),
        ({"clean_years_ok": False}, "clean_years"),
        ({"declaration_error_rate": Decimal("0.01")}, "declaration_error_rate"),  # strictly below 1 %
        ({"declaration_error_rate": None}, "declaration_error_rate"),  # no declarations: nothing to measure
        ({"other_regulators_clean_months": 11}, "other_regulators_clean"),
        ({"current_grade": "B"}, "current_grade_a"),
        ({"current_grade": None}, "current_grade_a"),
        ({"serious_listed": True}, "not_serious_listed"),
    ],
)
def test_each_condition_can_fail_alone(change, failing):
    result = conditions(**change)
    assert [c.code for c in result if not c.holds] == [failing]
    assert not aa_eligible(result)


def test_labels_and_limits_come_from_the_params():
    params = RuleSetParams(aa=AAEligibility(months_at_a=24, clean_years=5, max_declaration_error_rate=Decimal("0.005")))
    result = {c.code: c for c in conditions(params)}
    assert not result["months_at_a"].holds and "24个月" in result["months_at_a"].label
    assert "近5年" in result["clean_years"].label
    assert not result["declaration_error_rate"].holds and "0.5%" in result["declaration_error_rate"].label
    assert "0.99%" in result["declaration_error_rate"].detail


def test_no_conditions_is_not_eligible():
    assert aa_eligible([]) is False


def test_a_float_rate_is_refused():
    with pytest.raises(TypeError):
        conditions(declaration_error_rate=0.005)
