"""The read API: item contract, filters, versions by number and by date, who sees drafts, OpenAPI docs."""

import datetime as dt

from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.editing import catalogue_item_update
from ciqcredit.catalogue.models import CatalogueItem

from .conftest import SYSTEM, publish_new

CONTRACT_KEYS = {
    "code",
    "name",
    "category",
    "description",
    "legal_basis",
    "points",
    "serious",
    "enters_blacklist",
    "enterprise_types",
    "department",
    "collection",
    "stage",
    "association_kind",
    "declarant_required",
    "version",
}


def test_items_in_force_today_with_the_contract_fields(reference, cast, today):
    response = cast.api(cast.api_token).get("/api/v1/catalogue/items")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) == 49
    item = next(i for i in body["items"] if i["code"] == "SF-01")
    assert set(item) == CONTRACT_KEYS
    assert item == {
        "code": "SF-01",
        "name": "以不合格商品冒充合格商品",
        "category": "law_abiding",
        "description": item["description"],
        "legal_basis": "《商检法》第35条",
        "points": 36,
        "serious": True,
        "enters_blacklist": True,
        "enterprise_types": ["importer", "exporter"],
        "department": "检验监管司",
        "collection": "manual",
        "stage": None,
        "association_kind": "penalty",
        "declarant_required": True,
        "version": 1,
    }
    stage = next(i for i in body["items"] if i["code"] == "JG-01")["stage"]
    assert stage == "declaration"


def test_item_filters(reference, cast, today):
    client = cast.client_for(cast.enterprise_user)  # any authenticated caller reads published rules
    social = client.get("/api/v1/catalogue/items?category=social_evaluation").json()
    assert social["count"] == 6 and {i["category"] for i in social["items"]} == {"social_evaluation"}
    vessel = client.get("/api/v1/catalogue/items?type=vessel").json()["items"]
    assert all(i["enterprise_types"] in ([], ["vessel"]) or "vessel" in i["enterprise_types"] for i in vessel)
    assert {"SF-07", "JG-09"} <= {i["code"] for i in vessel} and "CP-01" not in {i["code"] for i in vessel}
    bad = client.get("/api/v1/catalogue/items?type=spaceship")
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_enterprise_type"
    bad = client.get("/api/v1/catalogue/items?category=colour")
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
    assert client.get("/api/v1/catalogue/items?on=2013-12-31").json() == {"count": 0, "items": []}


def test_items_by_version_and_by_date(reference, cast, today):
    def change(draft):
        catalogue_item_update(
            item=CatalogueItem.objects.get(version=draft, code="JG-01"), fields={"points": 2}, actor=SYSTEM
        )

    publish_new(Kind.CATALOGUE, effective_from=dt.date(2017, 10, 1), change=change)
    client = cast.api(cast.api_token)

    def points(q):
        return {
            i["code"]: (i["points"], i["version"]) for i in client.get(f"/api/v1/catalogue/items?{q}").json()["items"]
        }["JG-01"]

    assert points("") == (1, 1)  # today is 2017-06-15
    assert points("on=2017-10-01") == (2, 2)
    assert points("version=1&on=2017-10-01") == (1, 1)
    assert points("version=2") == (2, 2)
    versions = client.get("/api/v1/catalogue/versions").json()
    assert [(v["number"], v["status"], v["effective_from"]) for v in versions["items"]] == [
        (2, "published", "2017-10-01"),
        (1, "published", "2014-01-01"),
    ]
    assert client.get("/api/v1/catalogue/versions?on=2017-09-30").json()["items"][0]["number"] == 1
    assert client.get("/api/v1/catalogue/versions/3").status_code == 404


def test_rulesets_current_by_number_and_by_date(reference, cast, today):
    client = cast.api(cast.api_token)
    current = client.get("/api/v1/rulesets/current").json()
    assert current["number"] == 1 and current["is_reference"] and current["reference_label"]
    assert current["params"]["immediate_downgrade"]["threshold"] == 24
    assert current["params"]["serious_list"]["threshold"] == 36
    assert current["cases_yaml"].strip()
    assert client.get("/api/v1/rulesets/1").json() == current
    assert client.get("/api/v1/rulesets/current?on=2016-01-01").json()["number"] == 1
    before = client.get("/api/v1/rulesets/current?on=2013-06-01")
    assert before.status_code == 404 and before.json()["code"] == "not_found"
    assert client.get("/api/v1/rulesets?on=2016-01-01").json()["count"] == 1
    assert client.get("/api/v1/rulesets?on=2013-01-01").json() == {"count": 0, "items": []}
    assert client.get("/api/v1/rulesets/9").status_code == 404


def test_measure_lists(reference, cast, today):
    client = cast.client_for(cast.bureau_b_user)
    current = client.get("/api/v1/measures/lists/current").json()
    assert current["number"] == 1 and current["kind"] == "measures"
    by_code = {m["code"]: m for m in current["measures"]}
    assert by_code["B-IN-01"]["sampling_ratio"] == "0.3" and by_code["B-IN-01"]["area"] == "inspection"
    assert by_code["CT-DS-01"]["grade"] == "controlled" and by_code["CT-DS-01"]["visit_frequency"] == 12
    assert {m["grade"] for m in current["measures"]} == {"AA", "A", "B", "C", "D", "controlled", "unregistered"}
    assert client.get("/api/v1/measures/lists/1").json() == current
    assert client.get("/api/v1/measures/lists?on=2015-01-01").json()["items"][0]["number"] == 1
    assert client.get("/api/v1/measures/lists/current?on=2017-01-01").json()["number"] == 1


def test_anonymous_callers_are_refused(reference, cast):
    for url in ("/api/v1/catalogue/items", "/api/v1/rulesets/current", "/api/v1/measures/lists/current"):
        response = cast.api(None).get(url)
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_openapi_documents_the_contract_in_chinese(cast):
    schema = cast.client_for(cast.hq_admin).get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/catalogue/items",
        "/api/v1/catalogue/versions",
        "/api/v1/rulesets/current",
        "/api/v1/rulesets/{number}",
        "/api/v1/rulesets",
        "/api/v1/measures/lists/current",
        "/api/v1/measures/lists/{number}",
    ):
        assert path in schema["paths"], path
    item = schema["components"]["schemas"]["ItemOut"]
    assert set(item["properties"]) == CONTRACT_KEYS
    assert "采集方式" in item["properties"]["collection"]["description"]
    assert schema["paths"]["/api/v1/catalogue/items"]["get"]["summary"].startswith("信用信息采集条目")
