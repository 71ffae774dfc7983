"""Forms that help: codes typed wrong say what is wrong (once), organization codes are found, the enterprise is
named as it is typed (and a cancelled one warned of), required fields are marked, dates come prefilled in a form
a date input accepts, items show by title, and 「采集」 is on the records list."""

import re

from django.urls import reverse

from ciqcredit.actors import Actor
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.services import record_create
from ciqcredit.collection.tests.conftest import supervision_args
from ciqcredit.collection.tests.test_pages import form_data
from ciqcredit.enterprises.models import Enterprise


def _wrong_check(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


def test_a_wrong_check_character_says_so_once(world):
    client = world.client_for(world.branch_a_user)
    html = client.post("/records/new/", form_data(world, credit_code=_wrong_check(world.enterprise.credit_code)))
    text = html.content.decode()
    assert text.count("校验位错误") == 1 and "尚未纳入企业名录" not in text
    assert not CreditRecord.objects.exists()


def test_an_organization_code_finds_its_enterprise(world):
    client = world.client_for(world.branch_a_user)
    org_code = world.enterprise.org_code
    response = client.post("/records/new/", form_data(world, credit_code=f"{org_code[:8]}-{org_code[8]}"))
    assert response.status_code == 302
    assert CreditRecord.objects.get().enterprise == world.enterprise


def test_the_form_marks_required_fields_and_limits_text(world):
    html = world.client_for(world.branch_a_user).get("/records/new/").content.decode()
    assert html.count('class="required-mark"') >= 5 and "为必填项" in html
    assert re.search(r'<textarea name="description"[^>]*maxlength="2000"', html)
    assert 'list="enterprise-choices"' in html


def test_lookup_names_the_enterprise_and_warns_when_cancelled(world):
    client = world.client_for(world.branch_a_user)
    lookup = reverse("enterprises:lookup")
    by_code = client.get(lookup, {"credit_code": world.enterprise.credit_code}).content.decode()
    assert world.enterprise.name in by_code and "已注销" not in by_code
    by_name = client.get(lookup, {"credit_code": "皇岗进出口"}).content.decode()
    assert f'<option value="{world.enterprise.credit_code}">' in by_name
    wrong = client.get(lookup, {"credit_code": _wrong_check(world.enterprise.credit_code)}).content.decode()
    assert "校验位错误" in wrong
    Enterprise.objects.filter(pk=world.enterprise.pk).update(status="cancelled")
    assert "该企业已注销" in client.get(lookup, {"credit_code": world.enterprise.credit_code}).content.decode()
    # Saving a record against it says so too.
    response = client.post("/records/new/", form_data(world), follow=True)
    assert "已注销" in response.content.decode()


def test_records_list_offers_collection_and_shows_item_titles(world):
    record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    collector = world.client_for(world.branch_a_user).get("/records/").content.decode()
    assert f'href="{reverse("collection:new")}"' in collector
    assert CreditRecord.objects.get().item.name in collector
    reviewer = world.client_for(world.branch_a_reviewer).get("/records/").content.decode()
    assert f'href="{reverse("collection:new")}"' not in reviewer


def test_enterprise_search_says_a_code_is_invalid_and_finds_an_org_code(world):
    client = world.client_for(world.bureau_a_user)
    bad = client.get(reverse("enterprises:list"), {"q": _wrong_check(world.enterprise.credit_code)})
    assert "校验位错误" in bad.content.decode()
    org_code = world.enterprise.org_code
    found = client.get(reverse("enterprises:list"), {"q": f"{org_code[:8]}-{org_code[8]}"})
    assert [e.pk for e in found.context["page_obj"].object_list] == [world.enterprise.pk]


def test_date_inputs_are_prefilled_in_a_form_they_accept():
    import datetime as dt

    from ciqcredit.dynamic.forms import DeliveryForm

    html = str(DeliveryForm(initial={"delivered_on": dt.date(2017, 10, 20)})["delivered_on"])
    assert 'value="2017-10-20"' in html
