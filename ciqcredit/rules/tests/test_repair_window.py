"""The credit-repair window: pure date rules over the rule set's `repair` parameters."""

import datetime as dt

from ciqcredit.rules.params import RuleSetParams
from ciqcredit.rules.repair import repair_window

PARAMS = RuleSetParams()


def test_clean_months_after_the_listing():
    window = repair_window(PARAMS, listed_on=dt.date(2026, 8, 31), last_record_on=None, last_refusal_on=None)
    assert window.earliest == dt.date(2027, 2, 28)  # clamped to the month's last day
    assert not window.open_on(dt.date(2027, 2, 27)) and window.open_on(dt.date(2027, 2, 28))


def test_a_later_record_or_refusal_moves_the_day_and_is_named_first():
    window = repair_window(
        PARAMS, listed_on=dt.date(2026, 1, 10), last_record_on=dt.date(2026, 3, 1), last_refusal_on=None
    )
    assert window.earliest == dt.date(2026, 9, 1) and "最近一条失信记录" in window.reasons[0]
    refused = repair_window(
        PARAMS, listed_on=dt.date(2026, 1, 10), last_record_on=None, last_refusal_on=dt.date(2026, 12, 20)
    )
    assert refused.earliest == dt.date(2027, 3, 20) and "未获通过" in refused.reasons[0]


def test_a_record_before_the_listing_does_not_count_and_periods_are_parameters():
    params = RuleSetParams.model_validate({"repair": {"clean_months": 12, "reapply_months": 0}})
    window = repair_window(
        params, listed_on=dt.date(2026, 1, 10), last_record_on=dt.date(2025, 12, 1), last_refusal_on=dt.date(2026, 2, 1)
    )
    assert window.earliest == dt.date(2027, 1, 10) and len(window.reasons) == 2
