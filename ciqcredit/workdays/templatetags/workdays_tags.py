"""Chinese weekday names whatever language the browser asks for (Django's `date:"l"` follows the locale)."""

import datetime as dt

from django import template

from ciqcredit.workdays.arith import WEEKDAY_NAMES

register = template.Library()


@register.filter
def weekday_zh(day: dt.date | None) -> str:
    return WEEKDAY_NAMES[day.weekday()] if day else ""
