import datetime as dt
from decimal import Decimal

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.organizations.services import staffing_record_create, training_record_create


def test_staffing_and_training_are_recorded_and_audited(cast):
    department = cast.branch_a_user.department
    staffing = staffing_record_create(
        department=department,
        person_name="陈审核",
        position="科员",
        credit_duties="信用信息审核",
        full_time=True,
        since=dt.date(2017, 3, 1),
        actor=Actor.of(cast.bureau_a_user),
    )
    training = training_record_create(
        staffing=staffing,
        title="信用信息采集培训",
        held_on=dt.date(2017, 8, 15),
        hours=Decimal("4.0"),
        organizer="深圳局",
        actor=Actor.of(cast.bureau_a_user),
    )
    assert list(department.staffing.all()) == [staffing]
    assert list(staffing.trainings.all()) == [training]
    actions = set(AuditEntry.objects.filter(organization=cast.branch_a).values_list("action", flat=True))
    assert {"organizations.staffing.created", "organizations.training.created"} <= actions
