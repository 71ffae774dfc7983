"""The one look-up a release decision makes: which partner lists a set of codes are on, on a day."""

import datetime as dt

from ciqcredit.partners.models import PartnerListEntry
from ciqcredit.partners.selectors import lists_of_enterprise, partner_lists_on
from ciqcredit.partners.tests.fixtures import put_list
from ciqcredit.testing import credit_code_for

A, B, C = credit_code_for(701), credit_code_for(702), credit_code_for(703)


def test_memberships_by_day_in_one_statement(cast, partners, settings, django_assert_num_queries):
    settings.CIQCREDIT_TODAY = dt.date(2026, 5, 1)
    put_list(cast, partners.court_token, "court_dishonest_debtors", [A, B])
    put_list(cast, partners.tax_token, "tax_a_grade", [B])
    settings.CIQCREDIT_TODAY = dt.date(2026, 5, 10)
    put_list(cast, partners.court_token, "court_dishonest_debtors", [B])  # A leaves on 10 May
    with django_assert_num_queries(1):
        found = partner_lists_on([A, B, C, A], dt.date(2026, 5, 9))
    assert found == {A: ("court_dishonest_debtors",), B: ("court_dishonest_debtors", "tax_a_grade")}
    assert partner_lists_on([A, B, C], dt.date(2026, 5, 10)) == {B: ("court_dishonest_debtors", "tax_a_grade")}
    assert partner_lists_on([A], dt.date(2026, 4, 30)) == {}  # before it entered
    assert partner_lists_on([], dt.date(2026, 5, 9)) == {}
    assert [e.partner_list.code for e in lists_of_enterprise(B, dt.date(2026, 5, 10))] == [
        "court_dishonest_debtors",
        "tax_a_grade",
    ]
    assert PartnerListEntry.objects.get(credit_code=A).until == dt.date(2026, 5, 10)
