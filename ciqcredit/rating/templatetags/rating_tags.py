"""Which rating pages a user may open, for the links the rating pages show."""

from django import template

from ciqcredit.rating.whatif import may_use_whatif

register = template.Library()

register.filter("uses_whatif", may_use_whatif)
