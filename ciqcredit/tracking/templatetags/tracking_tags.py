"""Whether a user may open the tracking pages, for the links other pages show."""

from django import template

from ciqcredit.tracking.selectors import may_read_tracking

register = template.Library()

register.filter("reads_tracking", may_read_tracking)
