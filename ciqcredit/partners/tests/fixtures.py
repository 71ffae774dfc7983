"""Two partner regulators with their lists and clients, and the reference joint measures, for tests of every
app from partners up."""

from dataclasses import dataclass

from ciqcredit.actors import Actor
from ciqcredit.catalogue.reference import reference_joint_measures_load
from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.organizations.models import User
from ciqcredit.organizations.services import api_client_create
from ciqcredit.partners.models import Partner, PartnerList
from ciqcredit.partners.services import partner_create, partner_list_create

SYSTEM = Actor.job("test")


@dataclass
class Partners:
    court: Partner
    tax: Partner
    court_list: PartnerList
    tax_list: PartnerList
    court_client: User
    court_token: str
    tax_client: User
    tax_token: str


def make_partners() -> Partners:
    cache_clear()
    reference_joint_measures_load(actor=SYSTEM)
    court = partner_create(code="900001", name="最高人民法院", kind="court", actor=SYSTEM)
    tax = partner_create(code="900002", name="国家税务总局", kind="tax", actor=SYSTEM)
    court_list = partner_list_create(
        partner=court, code="court_dishonest_debtors", title="失信被执行人名单", kind="punishment", actor=SYSTEM
    )
    tax_list = partner_list_create(
        partner=tax, code="tax_a_grade", title="纳税信用A级纳税人名单", kind="reward", actor=SYSTEM
    )
    scopes = ["sharing_read", "external_intake"]
    court_client, court_token = api_client_create(
        name="court-exchange", organization=court.organization, scopes=scopes, actor=SYSTEM
    )
    tax_client, tax_token = api_client_create(
        name="tax-exchange", organization=tax.organization, scopes=scopes, actor=SYSTEM
    )
    return Partners(court, tax, court_list, tax_list, court_client, court_token, tax_client, tax_token)


def put_list(cast, token: str, list_code: str, codes: list, expect: int = 200) -> dict:
    entries = [{"credit_code": c} if isinstance(c, str) else c for c in codes]
    response = cast.api(token).put(
        f"/api/v1/sharing/partner-lists/{list_code}", {"entries": entries}, content_type="application/json"
    )
    assert response.status_code == expect, response.content
    return response.json()
