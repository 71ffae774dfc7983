"""Nothing waits where nobody can act (issue 15, item 7): the demo staffs every department that routing needs;
a page tells a user who cannot act why; HQ and bureaus see the offices where a routed department has no
reviewer."""

from ciqcredit.actors import Actor
from ciqcredit.administration.demo.people import demo_staff
from ciqcredit.administration.demo.places import ALL_ORGS
from ciqcredit.collection.intake import STAGE_DEPARTMENT, eciq_intake
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.tests.conftest import SETUP, eciq_entry
from ciqcredit.organizations.roles import Role
from ciqcredit.organizations.services import user_create


def test_demo_staffs_every_department_routing_needs():
    reviewers: dict[str, set[str]] = {}
    for person in demo_staff():
        if Role.REVIEWER in person.roles or Role.BUREAU_CREDIT in person.roles:
            reviewers.setdefault(person.org_code, set()).add(person.department)
    needed = set(STAGE_DEPARTMENT.values())
    for org in ALL_ORGS:
        assert needed <= reviewers.get(org.code, set()), org.code


def _waiting_at_inspection(world) -> CreditRecord:
    # E03 needs a judgment at the inspection stage: routed to the bureau's 施检部门, which has no reviewer here.
    entry = eciq_entry(world, 1, item_code="E03", stage="inspection", org_code=world.bureau_a.code)
    result = eciq_intake(entries=[entry], actor=Actor.of(world.api_client))
    assert not result.rejected
    return CreditRecord.objects.get(eciq_id="ECIQ-000001")


def test_record_page_says_why_the_user_cannot_act(world):
    record = _waiting_at_inspection(world)
    page = world.client_for(world.bureau_a_user).get(f"/records/{record.pk}/").content.decode()
    assert f"/records/{record.pk}/confirm/" not in page
    assert "您不能审核确认此信息" in page and "施检部门的审核人员确认" in page
    assert "该部门目前没有审核人员" in page


def test_hq_and_bureau_see_offices_where_a_routed_department_has_no_reviewer(world):
    record = _waiting_at_inspection(world)
    bureau = world.client_for(world.bureau_a_user).get("/records/queue/").content.decode()
    assert "无审核人员的部门" in bureau and record.review_department.name in bureau
    assert world.bureau_a.name in bureau.split("无审核人员的部门")[1]
    hq = world.client_for(world.hq_admin).get("/records/queue/").content.decode()
    assert "无审核人员的部门" in hq
    other_bureau = world.client_for(world.bureau_b_user).get("/records/queue/").content.decode()
    assert "无审核人员的部门" not in other_bureau
    user_create(
        username="a_insp_rev",
        organization=world.bureau_a,
        department_kind="inspection",
        roles=["reviewer"],
        password="x-demo-2017",
        actor=SETUP,
        full_name="施检审核员",
    )
    assert "无审核人员的部门" not in world.client_for(world.bureau_a_user).get("/records/queue/").content.decode()
