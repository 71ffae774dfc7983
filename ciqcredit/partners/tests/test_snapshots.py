"""Inbound partner lists: full snapshots (versioned, idempotent, entered/left), additions and removals entry by
entry, and who may send them."""

import pytest

from ciqcredit.audit.models import AuditEntry
from ciqcredit.partners.models import PartnerListEntry, PartnerListVersion
from ciqcredit.partners.selectors import members_at, version_diff
from ciqcredit.partners.tests.fixtures import put_list
from ciqcredit.testing import credit_code_for

A, B, C, D = (credit_code_for(n) for n in (501, 502, 503, 504))


def test_the_same_snapshot_twice_changes_nothing(cast, partners):
    first = put_list(
        cast,
        partners.court_token,
        "court_dishonest_debtors",
        [A, B, {"credit_code": C, "reference": "(2026)京01执1号"}],
    )
    assert (first["version"], first["changed"], first["size"]) == (1, True, 3)
    assert sorted(first["entered"]) == [A, B, C] and first["left"] == []
    again = put_list(  # order does not matter
        cast,
        partners.court_token,
        "court_dishonest_debtors",
        [{"credit_code": C, "reference": "(2026)京01执1号"}, B, A],
    )
    assert (again["version"], again["changed"], again["entered"], again["left"]) == (1, False, [], [])
    assert PartnerListVersion.objects.filter(partner_list=partners.court_list).count() == 1
    assert PartnerListEntry.objects.filter(partner_list=partners.court_list).count() == 3
    assert AuditEntry.objects.filter(action="partners.partner_list.received").count() == 1


def test_a_new_snapshot_records_who_entered_and_who_left(cast, partners):
    put_list(cast, partners.court_token, "court_dishonest_debtors", [A, B, C])
    second = put_list(cast, partners.court_token, "court_dishonest_debtors", [B, C, D])
    assert (second["version"], second["entered"], second["left"], second["size"]) == (2, [D], [A], 3)
    partners.court_list.refresh_from_db()
    assert {e.credit_code for e in members_at(partners.court_list, 1)} == {A, B, C}
    assert {e.credit_code for e in members_at(partners.court_list, 2)} == {B, C, D}
    diff = version_diff(partners.court_list, 1, 2)
    assert [e.credit_code for e in diff.entered] == [D] and [e.credit_code for e in diff.left] == [A]
    version = PartnerListVersion.objects.get(partner_list=partners.court_list, number=2)
    assert (version.entered, version.left, version.size, version.source) == (1, 1, 3, "snapshot")
    # A code that left and comes back is a new stay, from the version it re-entered.
    third = put_list(cast, partners.court_token, "court_dishonest_debtors", [A, B, C, D])
    assert third["entered"] == [A]
    assert PartnerListEntry.objects.filter(partner_list=partners.court_list, credit_code=A).count() == 2


def test_a_snapshot_with_bad_entries_is_refused_whole_naming_each(cast, partners):
    put_list(cast, partners.court_token, "court_dishonest_debtors", [A])
    body = put_list(cast, partners.court_token, "court_dishonest_debtors", [B, "91440300X", "", B], expect=422)
    assert body["code"] == "invalid_entries"
    errors = body["details"]["errors"]
    assert [(e["index"], e["code"]) for e in errors] == [
        (1, "bad_length"),
        (2, "missing_credit_code"),
        (3, "duplicate_entry"),
    ]
    assert all(e["message"] for e in errors)
    assert {e.credit_code for e in members_at(partners.court_list, 1)} == {A}  # nothing stored was lost
    assert PartnerListVersion.objects.filter(partner_list=partners.court_list).count() == 1


def test_additions_and_removals_are_taken_entry_by_entry(cast, partners):
    put_list(cast, partners.court_token, "court_dishonest_debtors", [A, B])
    response = cast.api(partners.court_token).post(
        "/api/v1/sharing/partner-lists/court_dishonest_debtors/entries",
        {"add": [{"credit_code": C}, {"credit_code": "BAD"}, {"credit_code": A}], "remove": [B, D]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["changed"], body["entered"], body["left"], body["size"]) == (2, True, [C], [B], 2)
    assert [(e["index"], e["credit_code"]) for e in body["errors"]] == [(1, "BAD"), (4, D)]
    assert body["errors"][1]["code"] == "not_listed"
    assert PartnerListVersion.objects.get(partner_list=partners.court_list, number=2).source == "entries"


@pytest.mark.parametrize("who", ["other_partner", "bureau_client", "staff", "anonymous"])
def test_only_the_owner_s_client_sends_its_list(cast, partners, who):
    token = {
        "other_partner": partners.tax_token,
        "bureau_client": cast.api_token,
        "staff": cast.staff_token_a,
        "anonymous": None,
    }[who]
    response = cast.api(token).put(
        "/api/v1/sharing/partner-lists/court_dishonest_debtors",
        {"entries": [{"credit_code": A}]},
        content_type="application/json",
    )
    assert response.status_code == {"other_partner": 404, "bureau_client": 404, "staff": 403, "anonymous": 401}[who]
    assert not PartnerListEntry.objects.exists()


def test_an_unknown_list_code_is_refused_with_its_code(cast, partners):
    response = cast.api(partners.court_token).put(
        "/api/v1/sharing/partner-lists/no_such_list", {"entries": []}, content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_list"


def test_entries_for_several_lists_refuse_unknown_list_codes_entry_by_entry(cast, partners):
    from ciqcredit.partners.services import partner_list_create
    from ciqcredit.partners.tests.fixtures import SYSTEM

    partner_list_create(
        partner=partners.court, code="court_limited_spending", title="限制消费人员名单", kind="punishment", actor=SYSTEM
    )
    put_list(cast, partners.court_token, "court_dishonest_debtors", [A])
    response = cast.api(partners.court_token).post(
        "/api/v1/sharing/partner-lists/entries",
        {
            "add": [
                {"list_code": "court_dishonest_debtors", "credit_code": B},
                {"list_code": "no_such_list", "credit_code": C},
                {"list_code": "tax_a_grade", "credit_code": C},  # another partner's list
                {"list_code": "court_limited_spending", "credit_code": "BAD"},
                {"list_code": "court_limited_spending", "credit_code": D},
            ],
            "remove": [{"list_code": "court_dishonest_debtors", "credit_code": A}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(e["index"], e["code"]) for e in body["errors"]] == [
        (1, "unknown_list"),
        (2, "unknown_list"),
        (3, "bad_length"),
    ]
    by_list = {r["list_code"]: r for r in body["lists"]}
    assert (by_list["court_dishonest_debtors"]["entered"], by_list["court_dishonest_debtors"]["left"]) == ([B], [A])
    assert by_list["court_limited_spending"]["entered"] == [D] and by_list["court_limited_spending"]["version"] == 1
    assert not PartnerListEntry.objects.filter(credit_code=C).exists()


def test_a_snapshot_with_changed_details_records_a_version_and_updates_the_entries(cast, partners):
    put_list(cast, partners.court_token, "court_dishonest_debtors", [{"credit_code": A, "name": "甲公司"}, B])
    changed = {"credit_code": A, "name": "甲有限公司", "reference": "(2026)京01执2号"}
    second = put_list(cast, partners.court_token, "court_dishonest_debtors", [changed, B])
    assert (second["version"], second["changed"], second["entered"], second["left"]) == (2, True, [], [])
    assert second["details_changed"] == [A] and second["size"] == 2
    entry = PartnerListEntry.objects.get(partner_list=partners.court_list, credit_code=A)
    assert (entry.name, entry.reference, entry.entered_version) == ("甲有限公司", "(2026)京01执2号", 1)
    version = PartnerListVersion.objects.get(partner_list=partners.court_list, number=2)
    assert (version.entered, version.left, version.changed, version.size) == (0, 0, 1, 2)
    audit = AuditEntry.objects.filter(action="partners.partner_list.received").order_by("-pk").first()
    assert audit.new["changed"] == 1
    assert audit.old["details"][A] == {"name": "甲公司", "reference": ""}
    assert audit.new["details"][A] == {"name": "甲有限公司", "reference": "(2026)京01执2号"}
    partners.court_list.refresh_from_db()
    assert [e.credit_code for e in version_diff(partners.court_list, 1, 2).changed] == [A]
    # The same snapshot again changes nothing.
    again = put_list(cast, partners.court_token, "court_dishonest_debtors", [B, changed])
    assert (again["version"], again["changed"], again["details_changed"]) == (2, False, [])
    assert AuditEntry.objects.filter(action="partners.partner_list.received").count() == 2
