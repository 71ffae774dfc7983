"""The demo reports how its decisions were carried out, with deviations at one branch only."""

from io import StringIO

from django.core.management import call_command

from ciqcredit.application.models import Decision
from ciqcredit.tracking.models import Deviation, Execution, TrackingItem


def test_demo_reports_executions_with_a_few_deviations_at_one_branch(db):
    out = StringIO()
    call_command("demo", "--enterprises", "150", stdout=out)
    assert "执行情况与跟踪落实" in out.getvalue()
    assert Execution.objects.count() > Decision.objects.count() * 0.9
    slipping = set(Deviation.objects.exclude(kind="not_reported").values_list("organization__code", flat=True))
    assert len(slipping) == 1
    kinds = set(Deviation.objects.values_list("kind", flat=True))
    assert {"released_not_inspected", "not_reported"} <= kinds
    assert TrackingItem.objects.exists()
    assert Deviation.objects.filter(kind__in=["released_not_inspected"]).count() < Execution.objects.count() * 0.05
