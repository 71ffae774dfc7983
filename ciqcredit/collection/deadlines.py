"""§三(六) deadlines of a record, kept as rows of the working-day calendar (ciqcredit.workdays).

- `collection.entry`: from the later of discovery and verification, N working days (rule set in force);
  closed when the record leaves draft (or arrives, for intake). Its lateness is stored on the record.
- `collection.review`: from submission, the rule set's `review_deadline`; closed when a reviewer confirms,
  returns or revokes.

The due date is read from the Deadline row (`record.deadline.due_on`), which the calendar recomputes when
an official schedule is loaded; `record.due_on` is a copy for filtering and the bulk loader.
"""

import datetime as dt
from typing import Any

from ciqcredit.actors import Actor
from ciqcredit.collection.choices import DEADLINE_ENTRY, DEADLINE_REVIEW
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.rules import late_days
from ciqcredit.errors import DomainError
from ciqcredit.rules.params import DayPeriod, RuleSetParams


def _params_on(on: dt.date) -> RuleSetParams:
    from ciqcredit.catalogue.selectors import ruleset_on

    return params_of(ruleset_on(on), on)


def params_of(ruleset: Any, on: dt.date) -> RuleSetParams:
    """The parameters of `ruleset`, the rule set in force on `on` (None: there is none, a domain error)."""
    if ruleset is None:
        raise DomainError("no_ruleset", f"{on:%Y-%m-%d} 没有生效的信用等级评定规则，无法计算采集期限", status=409)
    return ruleset.rule_params


def collection_period(on: dt.date) -> DayPeriod:
    """The §三(六) period of the rule set in force on `on`."""
    return _params_on(on).collection_deadline


def review_period(on: dt.date) -> DayPeriod:
    """Review delays are measured like collection delays (issue 4, item 1), by the rule set's own period."""
    return _params_on(on).review_deadline


def entry_deadline_open(*, record: CreditRecord, start: dt.date, actor: Actor):
    from ciqcredit.workdays.services import deadline_open

    period = collection_period(start)
    return deadline_open(
        kind=DEADLINE_ENTRY,
        target=record,
        organization=record.organization,
        start=start,
        days=period.days,
        unit=period.unit,
        actor=actor,
    )


def review_deadline_open(*, record: CreditRecord, start: dt.date, actor: Actor):
    from ciqcredit.workdays.services import deadline_open

    period = review_period(start)
    return deadline_open(
        kind=DEADLINE_REVIEW,
        target=record,
        organization=record.organization,
        start=start,
        days=period.days,
        unit=period.unit,
        actor=actor,
    )


def deadline_finish(*, deadline, done_on: dt.date, actor: Actor) -> int:
    """Close an open deadline on `done_on`; returns the working days late (0 when on time)."""
    from ciqcredit.workdays.calendar import working_days_between
    from ciqcredit.workdays.services import deadline_close

    if deadline.closed_at is None:
        deadline_close(deadline=deadline, actor=actor, closed_on=done_on)
    return late_days(deadline.due_on, done_on, working_days_between)
