from io import StringIO

from django.core.management import call_command

from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.selectors import item_in_force, ruleset_on
from ciqcredit.organizations.models import Organization
from ciqcredit.workdays.calendar import add_working_days


def _setup() -> str:
    out = StringIO()
    call_command("setup", stdout=out)
    return out.getvalue()


def test_setup_makes_a_working_platform_without_demo_data_and_is_idempotent(db):
    import datetime as dt

    _setup()
    counts = (Organization.objects.count(), AuditEntry.objects.count())
    assert counts[0] == 36
    # The calendar and the reference rules are in force.
    assert add_working_days(dt.date(2017, 9, 29), 5).date == dt.date(2017, 10, 12)
    assert ruleset_on(dt.date(2017, 1, 1)).number == 1
    assert item_in_force("X", dt.date(2013, 12, 31)) is None
    second = _setup()
    assert "未改动" in second
    assert (Organization.objects.count(), AuditEntry.objects.count()) == counts
