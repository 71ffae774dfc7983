"""Audit rows written by different apps (the ORM and the bulk SQL of confirmation) interleave in true time order."""

import datetime as dt

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.audit.services import audit_log
from ciqcredit.rating.models import GradeChange
from ciqcredit.rating.services.confirmation import results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity


def test_bulk_grade_changes_sort_between_the_rows_written_before_and_after(world):
    enterprise = world.cast.enterprise
    activity(enterprise, dt.date(2017, 6, 1))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    before = audit_log(actor=SETUP, action="enterprises.enterprise.updated", target=enterprise, new={"name": "甲"})
    assert results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), organization=world.cast.bureau_a) == 1
    after = audit_log(actor=SETUP, action="enterprises.enterprise.updated", target=enterprise, new={"name": "乙"})

    ordered = list(AuditEntry.objects.filter(pk__gte=before.pk).order_by("at", "id").values_list("pk", "action"))
    assert ordered[0] == (before.pk, "enterprises.enterprise.updated")
    assert ordered[-1] == (after.pk, "enterprises.enterprise.updated")
    assert "rating.grade.changed" in {action for _, action in ordered[1:-1]}
    # The bulk rows read back as the same instant the ORM would store.
    change = GradeChange.objects.get()
    assert before.at <= change.recorded_at <= after.at
    assert AuditEntry.objects.filter(at__gte=before.at, at__lte=after.at).count() == len(ordered)
