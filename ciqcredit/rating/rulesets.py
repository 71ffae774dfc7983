"""The rule sets rating reads, from the catalogue: the one in force on a date, or a draft for the what-if."""

import datetime as dt

from ciqcredit.errors import DomainError, NotFound


def ruleset_in_force(on: dt.date):
    """The published RuleSetVersion in force on `on`; `no_ruleset` when none is published for that date."""
    from ciqcredit.catalogue.selectors import ruleset_on

    version = ruleset_on(on)
    if version is None:
        raise DomainError(
            "no_ruleset", f"{on.isoformat()} 没有生效的信用等级评定规则，请先发布评定规则", {"on": on.isoformat()}
        )
    return version


def ruleset_by_number(number: int):
    from ciqcredit.catalogue.models import RuleSetVersion

    version = RuleSetVersion.objects.filter(number=number).first()
    if version is None:
        raise NotFound("评定规则版本")
    return version
