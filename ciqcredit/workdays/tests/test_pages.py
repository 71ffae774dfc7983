"""The calendar page: staff may view and calculate; HQ administrators may load a schedule."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ciqcredit.workdays.models import ScheduleYear

HOME = reverse("workdays:home")
CALCULATE = reverse("workdays:calculate")
UPLOAD = reverse("workdays:upload")
CSV_2027 = "date,kind,name\n2027-01-01,holiday,元旦\n".encode()


def test_staff_see_the_year_with_holidays_and_makeup_days_marked(seeded, cast):
    for user in (cast.hq_admin, cast.bureau_a_user, cast.branch_a_user, cast.bureau_b_user, cast.hq_rules):
        response = cast.client_for(user).get(HOME, {"year": 2017})
        assert response.status_code == 200
    html = response.content.decode()
    assert 'class="day-holiday" title="2017-10-01 放假（国庆节）"' in html
    assert 'class="day-makeup" title="2017-09-30 调休上班（国庆节）"' in html
    assert "装载官方节假日安排" not in html  # hq_rules may not load


def test_outsiders_are_refused(seeded, cast):
    assert cast.client_for(cast.enterprise_user).get(HOME).status_code == 403
    anonymous = cast.client_for(None).get(HOME)
    assert anonymous.status_code == 302 and reverse("web:login") in anonymous["Location"]
    assert cast.client_for(cast.enterprise_user).get(CALCULATE, {"start": "2017-09-29", "days": 5}).status_code == 403


def test_uncovered_year_is_shown_as_provisional(seeded, cast):
    html = cast.client_for(cast.bureau_a_user).get(HOME, {"year": 2090}).content.decode()
    assert "尚未装载节假日安排" in html


def test_calculator_answers_an_htmx_fragment(seeded, cast):
    client = cast.client_for(cast.branch_a_user)
    fragment = client.get(
        CALCULATE, {"start": "2017-09-29", "days": 5, "unit": "working"}, headers={"HX-Request": "true"}
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert 'data-date="2017-10-12"' in html and "国庆节调休" in html
    bad = client.get(CALCULATE, {"start": "2017-09-29", "days": -2}, headers={"HX-Request": "true"}).content.decode()
    assert 'class="error"' in bad
    full = client.get(CALCULATE, {"start": "2017-09-29", "days": 5})
    assert "<html" in full.content.decode()


def test_hq_admin_uploads_a_schedule_others_get_403(seeded, cast):
    data = {"year": 2027, "file": SimpleUploadedFile("2027.csv", CSV_2027)}
    assert cast.client_for(cast.bureau_a_user).post(UPLOAD, data).status_code == 403
    assert not ScheduleYear.objects.filter(year=2027).exists()
    admin = cast.client_for(cast.hq_admin)
    assert "装载官方节假日安排" in admin.get(HOME).content.decode()
    data = {"year": 2027, "file": SimpleUploadedFile("2027.csv", CSV_2027)}
    response = admin.post(UPLOAD, data, follow=True)
    assert response.status_code == 200 and "已装载 2027 年官方节假日安排" in response.content.decode()
    assert ScheduleYear.objects.get(year=2027).source == "official"
    bad = {"year": 2028, "file": SimpleUploadedFile("2028.csv", b"date,kind,name\n2027-01-01,holiday,\n")}
    html = admin.post(UPLOAD, bad, follow=True).content.decode()
    assert "1 处错误" in html and "不在 2028 年内" in html


def test_the_seeded_years_read_in_chinese_not_as_the_package_s_name(seeded, cast):
    import re

    html = cast.client_for(cast.bureau_a_user).get(HOME, {"year": 2017}).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)  # what a person reads, not class names
    assert "chinese-calendar" not in text and "软件包" not in text
    assert "平台内置" in text
    assert ScheduleYear.objects.filter(year=2017).get().get_source_display() == "平台内置节假日安排"
