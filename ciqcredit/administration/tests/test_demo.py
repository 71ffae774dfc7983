"""`ciqcredit demo`: deterministic rows, valid identifiers, idempotent load, --if-empty, usable logins."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ciqcredit.administration.demo.enterprises import demo_enterprise_rows
from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.codes import credit_code_error, org_code_error
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.organizations.models import ApiToken, Department, Organization, StaffingRecord, TrainingRecord, User
from ciqcredit.organizations.roles import DepartmentKind, Role

SMALL = 150


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, ...]:
    models = (Organization, Department, User, ApiToken, StaffingRecord, TrainingRecord, Enterprise, AuditEntry)
    return tuple(m.objects.count() for m in models)


def test_rows_are_a_function_of_count_and_seed():
    rows = demo_enterprise_rows(400, 2017)
    assert rows == demo_enterprise_rows(400, 2017)
    assert rows[:50] == demo_enterprise_rows(50, 2017)  # a bigger demo extends a smaller one
    assert rows != demo_enterprise_rows(400, 2018)


def test_rows_carry_valid_unique_identifiers_and_a_mix_of_subjects():
    rows = demo_enterprise_rows(400, 2017)
    assert all(credit_code_error(r["credit_code"]) is None for r in rows)
    assert all(org_code_error(r["org_code"]) is None for r in rows if r["org_code"])
    assert len({r["credit_code"] for r in rows}) == len({r["name"] for r in rows}) == 400
    kinds = {t for r in rows for t in r["types"]}
    assert {"vessel", "conveyance", "natural_person", "importer", "exporter", "declaration_agent"} <= kinds
    assert any(r["status"] == "cancelled" for r in rows)
    assert {r["registering_org"][:2] for r in rows} == {"47", "31", "38"}


def test_demo_loads_every_part(db):
    output = _demo("--enterprises", str(SMALL))
    assert Enterprise.objects.count() == SMALL
    assert Organization.objects.filter(parent__code="470000").count() == 3
    assert set(Department.objects.filter(organization__code="475300").values_list("kind", flat=True)) == set(
        DepartmentKind.values
    )
    roles = {r for roles in User.objects.filter(is_system=False).values_list("roles", flat=True) for r in roles}
    assert roles == set(Role.values)
    assert User.objects.filter(is_system=True).exclude(organization__level="partner").count() == 3
    assert StaffingRecord.objects.exists() and TrainingRecord.objects.exists()
    # Enterprises came through the import service: one audit row each, by the enterprise management system.
    created = AuditEntry.objects.filter(action="enterprises.enterprise.created")
    assert created.count() == SMALL and set(created.values_list("actor_label", flat=True)) == {"qygl-system"}
    assert "sz_hg_collector" in output and "demo-2017" in output and "ciq_" in output
    # Records, e-CIQ activity and two periodic evaluations: the earlier one confirmed everywhere, the last one
    # rated on its ninth day and confirmed by every office but 镇海局, whose results the daily job closed when the
    # window ended, so the platform looks in use: grades on most enterprises.
    from ciqcredit.collection.models import CreditRecord
    from ciqcredit.dynamic.models import DynamicCase
    from ciqcredit.rating.models import CurrentGrade, EvaluationResult, EvaluationRun, MonthlyActivity

    assert CreditRecord.objects.filter(status="effective").exists()
    assert MonthlyActivity.objects.exists()
    earlier, last = EvaluationRun.objects.order_by("period_end")
    active = Enterprise.objects.filter(status="active").count()
    assert EvaluationResult.objects.filter(run=earlier, status="confirmed").count() == active
    results = EvaluationResult.objects.filter(run=last).select_related("organization")
    assert results.count() == active
    assert last.rated_on == last.period_end + dt.timedelta(days=9)
    late = {r.organization.code for r in results if r.status == "closed"}
    assert late == {"381300"} and not results.filter(status="pending").exists()
    assert results.filter(status="confirmed").count() > results.filter(status="closed").count()
    # No periodic result lifted a listing or downgrade made since its period ended.
    from ciqcredit.rating.models import GradeChange

    since = DynamicCase.objects.filter(grade_change__effective_from__gt=last.period_end)
    for case in since.select_related("grade_change"):
        later = GradeChange.objects.filter(
            enterprise_id=case.enterprise_id, effective_from__gt=case.grade_change.effective_from, cause="periodic"
        )
        assert not later.exists(), case.pk
    assert CurrentGrade.objects.count() == active  # every active enterprise carries a grade
    # Dynamic cases move real grades (the enterprise had one when the case was opened).
    assert DynamicCase.objects.exists() and not DynamicCase.objects.filter(from_grade="").exists()
    # Offices deliver their notices on paper within the delivery period, so downgrades are carried out; only
    # the last days' notices (and at most two left on purpose) wait.
    from ciqcredit.clock import today
    from ciqcredit.dynamic.demo import OVERDUE_NOTICES
    from ciqcredit.dynamic.models import Notice
    from ciqcredit.dynamic.workflow import STEP_DELIVERY, step_get

    current = Notice.objects.filter(voided_at__isnull=True).select_related("case")
    delivered = [n for n in current if n.delivered_on]
    assert len(delivered) > len(current) * 0.7
    for notice in delivered:
        assert notice.delivery_method in ("direct", "post") and notice.recipient and notice.proof_file
        assert notice.delivered_on <= step_get(notice.case, STEP_DELIVERY).deadline.due_on
    overdue = [n for n in current if not n.delivered_on and step_get(n.case, STEP_DELIVERY).deadline.due_on < today()]
    assert len(overdue) <= OVERDUE_NOTICES
    assert DynamicCase.objects.filter(status="carried_out").exists()
    # Supervision at 上海局: a closed quarterly inspection of its branches with findings and its circular, and an
    # open self-inspection.
    from ciqcredit.oversight.models import Circular, InspectionPlan, RectificationTask

    closed = InspectionPlan.objects.get(organization__code="310000", status="closed")
    assert set(closed.offices.values_list("code", flat=True)) == {"310300", "312200"}
    assert RectificationTask.objects.filter(plan=closed).exists()
    assert Circular.objects.get(plan=closed).number.startswith("310000-TB-")
    assert InspectionPlan.objects.filter(organization__code="310000", status="open", mode="self").count() == 1
    # Sharing (§五(三)): a court and a tax authority with their lists (some codes not registered yet), agreements
    # (one waiting for HQ), reads in the access log, and release decisions that applied the joint measures.
    from ciqcredit.application.models import DecisionJointMeasure
    from ciqcredit.partners.models import PartnerList, PartnerListEntry
    from ciqcredit.sharing.models import AccessLogEntry, SharingAgreement

    assert set(PartnerList.objects.values_list("code", "version")) == {
        ("court_dishonest_debtors", 2),
        ("tax_a_grade", 1),
    }
    assert PartnerListEntry.objects.filter(enterprise__isnull=True).exists()
    assert sorted(SharingAgreement.objects.values_list("status", flat=True)) == ["approved", "approved", "pending"]
    assert AccessLogEntry.objects.filter(allowed=True).exists()
    assert set(DecisionJointMeasure.objects.values_list("list_code", flat=True)) == {
        "court_dishonest_debtors",
        "tax_a_grade",
    }


def test_demo_is_idempotent(db):
    _demo("--enterprises", str(SMALL))
    before = _counts()
    _demo("--enterprises", str(SMALL))
    assert _counts() == before


def test_if_empty_changes_nothing_but_still_prints_the_logins(db):
    _demo("--enterprises", str(SMALL))
    before = _counts()
    output = _demo("--if-empty", "--enterprises", str(SMALL))
    assert _counts() == before
    assert "演示数据已存在" in output
    assert "hq_admin" in output and "ent_sz" in output and "create_token qygl-system" in output


def _log_in(client: Client, username: str) -> bool:
    """Through the login page, as a person does (the login throttle needs the request)."""
    response = client.post(reverse("web:login"), {"username": username, "password": "demo-2017"})
    return response.status_code == 302


@pytest.mark.parametrize("username", ["sz_hg_collector", "sh_credit", "hq_admin"])
def test_printed_logins_work(db, username):
    _demo("--enterprises", str(SMALL))
    client = Client()
    assert _log_in(client, username)
    assert client.get(reverse("enterprises:list")).status_code == 200


def test_enterprise_user_opens_their_enterprise(db):
    _demo("--enterprises", str(SMALL))
    user = User.objects.get(username="ent_sz")
    client = Client()
    assert _log_in(client, "ent_sz")
    response = client.get(reverse("enterprises:detail", args=[user.enterprise.credit_code]))
    assert response.status_code == 200 and user.enterprise.name in response.content.decode()
    assert user.enterprise.registering_org.parent.code == "470000"


def test_readme_cites_the_guide_and_the_docs_describe_the_domain():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "质检办通〔2017〕264号《出入境检验检疫企业信用管理 2017 年工作指南》" in readme
    assert "../" not in readme and "shared/" not in readme  # nothing outside the repository
    domain = (root / "docs" / "domain.md").read_text(encoding="utf-8")
    for section in ("§三(四)", "§三(五)", "§三(六)", "§四(二)", "§五(一)", "§六"):
        assert section in domain
