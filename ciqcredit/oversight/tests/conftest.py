"""A constructed quarter (2017 Q4, across National Day) whose supervision figures are known by hand.

Bureau A (深圳局 470000) and its branch 皇岗 (475200), bureau B (北京局 110000) beside it:
- collection at the branch: one record verified Mon 2017-09-25, due Sat 09-30 (a make-up workday), entered
  Mon 10-09 after the holiday: late by one working day; one verified 09-29, due 10-12, entered 10-09: on time;
  one record at bureau B, on time;
- review: the late record returned on 10-10 (in time), the other confirmed on 10-17 (due 10-16: one day late);
- periodic evaluation rated 10-09 (confirm until 10-14, adjust until 10-19): at the branch one result confirmed
  on 10-10, one adjusted with a reason on 10-16 (after the confirmation window), one left to close unconfirmed;
  one result at bureau B;
- dynamic: a downgrade case opened 10-20 whose notice had to be delivered by 10-27 and was delivered 10-31;
- staffing: two people at the branch and one at the bureau, two trained in the quarter (one outside it).
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from ciqcredit.actors import Actor
from ciqcredit.catalogue.models import CatalogueItem
from ciqcredit.catalogue.reference import reference_checklist_load
from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.catalogue.tests.fixtures import fixture_ruleset
from ciqcredit.collection.review import record_confirm, record_return
from ciqcredit.collection.services import record_create
from ciqcredit.collection.tests.conftest import publish_catalogue, supervision_args
from ciqcredit.conftest import PASSWORD, Cast
from ciqcredit.dynamic.models import DynamicCase
from ciqcredit.dynamic.notices import notice_deliver
from ciqcredit.dynamic.services import dynamic_recheck
from ciqcredit.dynamic.tests.fixtures import fixture_grade, fixture_record
from ciqcredit.dynamic.workflow import step_open
from ciqcredit.organizations.models import Department, StaffingRecord, TrainingRecord, User
from ciqcredit.organizations.services import user_create
from ciqcredit.oversight.figures import STEP_DELIVERY
from ciqcredit.rating.models import EvaluationRun
from ciqcredit.rating.services.confirmation import evaluations_close, result_adjust, results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import activity
from ciqcredit.testing import make_enterprise
from ciqcredit.workdays.services import calendar_seed

SETUP = Actor(system="test")
D = dt.date
Q_START, Q_END = D(2017, 10, 1), D(2017, 12, 31)


@dataclass
class Quarter:
    cast: Cast
    settings: object
    supervisor_a: User  # 督查人员 at bureau A
    branch_credit: User  # credit officer at the branch (answers rectification)
    bureau_b_collector: User
    late_record: object
    timely_record: object
    run: EvaluationRun
    case: DynamicCase

    def on(self, day: dt.date) -> None:
        self.settings.CIQCREDIT_TODAY = day

    def __getattr__(self, name):
        return getattr(self.cast, name)


def person(username: str, org, dept: str, roles: list[str]) -> User:
    user, _ = user_create(
        username=username,
        organization=org,
        department_kind=dept,
        roles=roles,
        password=PASSWORD,
        actor=SETUP,
        full_name=username,
    )
    return user


def _staffing(cast: Cast) -> None:
    branch_dept = Department.objects.get(organization=cast.branch_a, kind="declaration")
    bureau_dept = Department.objects.get(organization=cast.bureau_a, kind="credit")
    one = StaffingRecord.objects.create(department=branch_dept, person_name="李采集", full_time=True)
    two = StaffingRecord.objects.create(department=branch_dept, person_name="王审核", since=D(2016, 1, 1))
    three = StaffingRecord.objects.create(department=bureau_dept, person_name="张信用", full_time=True)
    StaffingRecord.objects.create(department=bureau_dept, person_name="已离岗", until=D(2017, 6, 30))
    TrainingRecord.objects.create(staffing=one, title="信用管理业务培训", held_on=D(2017, 11, 2), hours=8)
    TrainingRecord.objects.create(staffing=three, title="信用管理业务培训", held_on=D(2017, 11, 2), hours=8)
    TrainingRecord.objects.create(staffing=two, title="上年培训", held_on=D(2017, 3, 1), hours=4)


def build_quarter(cast: Cast, settings) -> Quarter:
    settings.CIQCREDIT_TODAY = D(2017, 10, 9)
    cache_clear()
    calendar_seed(actor=SETUP)
    publish_catalogue()
    fixture_ruleset()
    reference_checklist_load(actor=SETUP)
    supervisor_a = person("a_supervisor", cast.bureau_a, "oversight", ["supervisor"])
    branch_credit = person("a_branch_credit", cast.branch_a, "credit", ["bureau_credit"])
    collector_b = person("b_collector", cast.bureau_b, "declaration", ["collector"])
    reviewer_b = person("b_reviewer", cast.bureau_b, "inspection", ["reviewer"])
    _staffing(cast)

    # Collection and review.
    ent_b = make_enterprise(50, cast.bureau_b, name="北京市进出口有限公司")
    late = record_create(
        actor=Actor.of(cast.branch_a_user),
        submit=True,
        **supervision_args(
            _w(cast), verified_on=D(2017, 9, 25), occurred_on=D(2017, 9, 20), discovered_on=D(2017, 9, 22)
        ),
    )
    timely = record_create(
        actor=Actor.of(cast.branch_a_user),
        submit=True,
        **supervision_args(
            _w(cast),
            association_no="470100217000123001",
            occurred_on=D(2017, 9, 27),
            discovered_on=D(2017, 9, 29),
            verified_on=D(2017, 9, 29),
        ),
    )
    record_b = record_create(
        actor=Actor.of(collector_b),
        submit=True,
        **supervision_args(
            _w(cast),
            credit_code=ent_b.credit_code,
            association_no="110000217000123001",
            occurred_on=D(2017, 9, 27),
            discovered_on=D(2017, 9, 29),
            verified_on=D(2017, 9, 29),
        ),
    )
    # Periodic evaluation of 2016-10-01 – 2017-09-30, rated 10-09.
    ents = [cast.enterprise, make_enterprise(2, cast.branch_a), make_enterprise(3, cast.branch_a), ent_b]
    for ent in ents:
        activity(ent, D(2017, 3, 1))
    run = evaluation_run(period_end=D(2017, 9, 30), actor=SETUP)
    settings.CIQCREDIT_TODAY = D(2017, 10, 10)
    record_return(record=late, reason="业务关联号有误，请更正", actor=Actor.of(cast.branch_a_reviewer))
    results_confirm(run=run, actor=Actor.of(cast.bureau_a_user), credit_codes=[cast.enterprise.credit_code])
    settings.CIQCREDIT_TODAY = D(2017, 10, 16)
    result_adjust(
        run=run,
        credit_code=ents[1].credit_code,
        grade="B",
        reason="现场检查发现管理薄弱",
        actor=Actor.of(cast.bureau_a_user),
    )
    settings.CIQCREDIT_TODAY = D(2017, 10, 17)
    record_confirm(record=timely, actor=Actor.of(cast.branch_a_reviewer))
    record_confirm(record=record_b, actor=Actor.of(reviewer_b))
    evaluations_close(actor=SETUP, today=D(2017, 10, 17))

    # Dynamic management: 24 points in the new period, a downgrade case and its notice delivered late.
    settings.CIQCREDIT_TODAY = D(2017, 10, 20)
    ent_d = make_enterprise(4, cast.branch_a, name="深圳市动态管理测试有限公司")
    fixture_grade(ent_d, "A", on=D(2017, 10, 9))
    item = CatalogueItem.objects.get(code="P01")
    fixture_record(ent_d, item, D(2017, 10, 11), user=cast.branch_a_user, penalised=True)
    fixture_record(ent_d, item, D(2017, 10, 12), user=cast.branch_a_user, penalised=True)
    [case] = dynamic_recheck(enterprise=ent_d, trigger_record=None, actor=SETUP)
    if not case.step_deadlines.filter(step=STEP_DELIVERY).exists():
        # The rule set's delivery period (reference: 5 working days from drafting), as a tracked step.
        step_open(case, STEP_DELIVERY, start=D(2017, 10, 20), days=5, unit="working", actor=SETUP)
    settings.CIQCREDIT_TODAY = D(2017, 10, 31)
    notice_deliver(
        notice=case.notice,
        method="direct",
        delivered_on=D(2017, 10, 31),
        recipient="王经理",
        proof_file=ContentFile(b"%PDF-1.4 receipt", name="receipt.pdf"),
        actor=Actor.of(cast.bureau_a_user),
    )
    case.refresh_from_db()
    settings.CIQCREDIT_TODAY = D(2018, 1, 8)
    return Quarter(
        cast=cast,
        settings=settings,
        supervisor_a=supervisor_a,
        branch_credit=branch_credit,
        bureau_b_collector=collector_b,
        late_record=late,
        timely_record=timely,
        run=run,
        case=case,
    )


def _w(cast: Cast):
    """supervision_args reads the enterprise through a world; the cast has it."""
    return cast


@pytest.fixture
def quarter(cast, settings, tmp_path) -> Quarter:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_quarter(cast, settings)
