"""A partner is an organization of its own kind: outside the hierarchy, invisible to bureau scoping, its
clients without staff access and refused on the endpoints that bypass an agreement."""

import pytest
from django.core.management import call_command

from ciqcredit.organizations.access import organization_choices, visible_organizations
from ciqcredit.organizations.models import Organization, User
from ciqcredit.partners.models import Partner, PartnerList


def test_partner_organizations_stay_outside_every_scope(cast, partners):
    org = partners.court.organization
    assert (org.level, org.parent_id, org.path) == ("partner", None, "partner/900001/")
    for user in (cast.hq_admin, cast.bureau_a_user, cast.branch_a_user):
        assert org not in visible_organizations(user)
        assert "900001" not in [code for code, _ in organization_choices(user)]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/changes",
        "/api/v1/enterprises/{code}/grade",
        "/api/v1/enterprises/{code}",
        "/api/v1/enterprises/{code}/measures",
    ],
)
def test_partner_clients_read_nothing_outside_the_sharing_api(cast, partners, path):
    response = cast.api(partners.court_token).get(path.format(code=cast.enterprise.credit_code))
    assert response.status_code == 403, (path, response.content)
    assert response.json()["code"] == "sharing_agreement_required"


def test_partner_clients_have_no_staff_access(cast, partners):
    client = partners.court_client
    assert client.is_system and client.roles == [] and not client.has_usable_password()
    browser = cast.client_for(client)
    assert browser.get("/enterprises/").status_code == 403


def test_partner_and_client_by_command(cast, capsys):
    from ciqcredit.catalogue.reference import reference_joint_measures_load
    from ciqcredit.partners.tests.fixtures import SYSTEM

    reference_joint_measures_load(actor=SYSTEM)  # what setup publishes: the list's title and kind come from it
    call_command("create_partner", "900010", "某市市场监督管理局", "--kind", "market")
    call_command("create_partner", "900011", "某中级人民法院", "--kind", "court", "--list", "court_dishonest_debtors")
    call_command("create_api_client", "market-exchange", "--org", "900010", "--scope", "sharing_read")
    out = capsys.readouterr().out
    assert "900010" in out and "900011" in out
    market = Partner.objects.get(organization__code="900010")
    assert market.kind == "market" and market.organization.level == "partner"
    assert User.objects.get(username="market-exchange").organization == market.organization
    listed = PartnerList.objects.get(code="court_dishonest_debtors")
    assert (listed.partner.code, listed.kind) == ("900011", "punishment")
    with pytest.raises(Exception, match="已存在"):
        call_command("create_partner", "900010", "重复", "--kind", "tax")
    assert Organization.objects.filter(code="900010").count() == 1


def test_partner_clients_get_only_the_sharing_scopes(cast, partners):
    from ciqcredit.errors import DomainError
    from ciqcredit.organizations.services import api_client_create
    from ciqcredit.partners.tests.fixtures import SYSTEM

    with pytest.raises(DomainError) as refused:
        api_client_create(
            name="court-decisions", organization=partners.court.organization, scopes=["eciq_decision"], actor=SYSTEM
        )
    assert refused.value.code == "partner_scope"
