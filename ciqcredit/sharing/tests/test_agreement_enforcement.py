"""Every sharing read is within an approved agreement in force: each list, each field, an expired agreement, a
partner without agreement, a client that is no partner, and the file exports alike."""

import datetime as dt

import pytest

from ciqcredit.sharing.models import AccessLogEntry, SharingAgreement
from ciqcredit.sharing.services import agreement_request, agreement_revoke
from ciqcredit.sharing.tests.conftest import SYSTEM, TODAY

LISTS = ["serious", "aa", "grades"]
ENDPOINTS = ["/api/v1/sharing/lists/{list}", "/api/v1/sharing/lists/{list}/export"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("list_code", LISTS)
def test_a_partner_without_agreement_is_refused(shared, list_code, endpoint):
    response = shared.read(shared.partners.court_token, endpoint.format(list=list_code))
    assert response.status_code == 403
    assert response.json()["code"] == "no_agreement"
    logged = AccessLogEntry.objects.get()
    assert (logged.allowed, logged.refusal, logged.list_code, logged.partner_id) == (
        False,
        "no_agreement",
        list_code,
        shared.partners.court.pk,
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("granted", LISTS)
def test_each_list_only_when_the_agreement_names_it(shared, granted, endpoint):
    shared.grant(shared.partners.court, [granted])
    for list_code in LISTS:
        response = shared.read(shared.partners.court_token, endpoint.format(list=list_code))
        if list_code == granted:
            assert response.status_code == 200, response.content
        else:
            assert response.status_code == 403
            assert response.json()["code"] == "list_not_agreed"


def test_the_lists_carry_their_own_events(shared):
    shared.grant(shared.partners.court, LISTS)
    kinds = {}
    for list_code in LISTS:
        body = shared.read(shared.partners.court_token, f"/api/v1/sharing/lists/{list_code}").json()
        kinds[list_code] = {(i["kind"], i["credit_code"]) for i in body["items"]}
        cursors = [i["cursor"] for i in body["items"]]
        assert cursors == sorted(cursors) and body["next_cursor"] == cursors[-1]
    aa, listed, plain = (e.credit_code for e in shared.enterprises)
    assert kinds["aa"] == {("aa_granted", aa)}
    assert kinds["serious"] == {("serious_listed", listed)}
    assert {("grade_changed", plain), ("control_set", listed)} <= kinds["grades"]
    assert not any(kind.startswith(("aa_", "serious_")) for kind, _ in kinds["grades"])


def test_after_and_limit_page_through_in_commit_order(shared):
    shared.grant(shared.partners.court, ["grades"])
    token, path = shared.partners.court_token, "/api/v1/sharing/lists/grades"
    everything = [i["cursor"] for i in shared.read(token, path).json()["items"]]
    first = shared.read(token, path, limit=2).json()
    rest = shared.read(token, path, after=first["next_cursor"]).json()
    assert [i["cursor"] for i in first["items"] + rest["items"]] == everything
    empty = shared.read(token, path, after=everything[-1]).json()
    assert empty["items"] == [] and empty["next_cursor"] == everything[-1]


def test_only_the_granted_fields_are_shown_and_others_refused(shared):
    shared.grant(shared.partners.court, ["serious"], fields=["grade", "name"])
    token, path = shared.partners.court_token, "/api/v1/sharing/lists/serious"
    body = shared.read(token, path).json()
    item = body["items"][0]
    assert body["fields"] == ["grade", "name"]
    assert item["grade"] == "D" and item["name"] == shared.enterprises[1].name
    assert not {"controlled", "cause", "previous_grade", "records", "points"} & item.keys()
    narrowed = shared.read(token, path, fields="grade").json()
    assert "name" not in narrowed["items"][0] and narrowed["fields"] == ["grade"]
    for field in ("controlled", "cause", "previous_grade", "records"):
        refused = shared.read(token, path, fields=f"grade,{field}")
        assert refused.status_code == 403, field
        assert refused.json()["code"] == "field_not_agreed"
        assert refused.json()["details"]["fields"] == [field]
    unknown = shared.read(token, path, fields="password")
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_field"


def test_record_summaries_when_granted(shared):
    shared.grant(shared.partners.court, ["serious"], fields=["records"])
    item = shared.read(shared.partners.court_token, "/api/v1/sharing/lists/serious").json()["items"][0]
    assert (item["records"], item["points"], item["serious_records"]) == (0, 0, 0)


def test_an_agreement_stops_the_day_after_it_ends(shared, settings):
    shared.grant(shared.partners.court, ["aa"], valid_to=TODAY)
    token, path = shared.partners.court_token, "/api/v1/sharing/lists/aa"
    assert shared.read(token, path).status_code == 200  # its last day
    settings.CIQCREDIT_TODAY = TODAY + dt.timedelta(days=1)
    expired = shared.read(token, path)
    assert expired.status_code == 403 and expired.json()["code"] == "no_agreement"


def test_an_agreement_not_yet_begun_pending_or_revoked_grants_nothing(shared):
    court, token, path = shared.partners.court, shared.partners.court_token, "/api/v1/sharing/lists/aa"
    shared.grant(court, ["aa"], valid_from=TODAY + dt.timedelta(days=1))
    agreement_request(
        partner=court, lists=["aa"], fields=[], purpose="联合惩戒", valid_from=TODAY, valid_to=None, actor=SYSTEM
    )
    assert shared.read(token, path).json()["code"] == "no_agreement"
    current = shared.grant(court, ["aa"])
    assert shared.read(token, path).status_code == 200
    agreement_revoke(agreement=current, reason="协议终止", actor=SYSTEM)
    assert shared.read(token, path).json()["code"] == "no_agreement"
    assert SharingAgreement.objects.filter(partner=court).count() == 3


def test_one_partner_s_agreement_is_not_another_s(shared):
    shared.grant(shared.partners.tax, ["aa"])
    assert shared.read(shared.partners.court_token, "/api/v1/sharing/lists/aa").json()["code"] == "no_agreement"
    assert shared.read(shared.partners.tax_token, "/api/v1/sharing/lists/aa").status_code == 200


@pytest.mark.parametrize("who", ["bureau_client", "staff_token", "anonymous", "intake_only"])
def test_outsiders_are_refused(shared, who):
    from ciqcredit.organizations.services import api_client_create

    if who == "intake_only":
        _, token = api_client_create(
            name="court-intake",
            organization=shared.partners.court.organization,
            scopes=["external_intake"],
            actor=SYSTEM,
        )
    else:
        token = {"bureau_client": shared.cast.api_token, "staff_token": shared.cast.staff_token_a, "anonymous": None}[
            who
        ]
    shared.grant(shared.partners.court, LISTS)
    response = shared.read(token, "/api/v1/sharing/lists/aa")
    assert response.status_code == {"bureau_client": 403, "staff_token": 403, "anonymous": 401, "intake_only": 403}[who]
    if who == "bureau_client":
        assert response.json()["code"] == "not_a_partner"
    if who in ("staff_token", "intake_only"):
        assert response.json()["code"] == "missing_scope"
