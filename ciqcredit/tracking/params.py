"""The tracking parameters of the rule set in force (reference values when none is published)."""

import datetime as dt

from ciqcredit.catalogue.selectors import ruleset_on
from ciqcredit.rules.params import REFERENCE_PARAMS, DayPeriod, Tracking
from ciqcredit.workdays.calendar import add_days


def tracking_params(on: dt.date) -> Tracking:
    version = ruleset_on(on)
    return (version.rule_params if version is not None else REFERENCE_PARAMS).tracking


def due(start: dt.date, period: DayPeriod) -> dt.date:
    return add_days(start, period.days, period.unit).date
