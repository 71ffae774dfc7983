"""Which sharing pages a user may open, for the links other pages show (a link that answers 403 is not shown)."""

from django import template

from ciqcredit.sharing.selectors import may_read_hq_sharing, may_read_partner_lists

register = template.Library()

register.filter("reads_partner_lists", may_read_partner_lists)
register.filter("reads_hq_sharing", may_read_hq_sharing)
