"""Who may do each step, for every role of the cast (plus an HQ viewer and a bureau supervisor): test data.

hq_admin does everything; hq_rules edits drafts (items of their own department only) and submits; every
other role is refused with 403 `forbidden` on every write, through the services and through the pages.
"""

import pytest
from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.editing import (
    catalogue_item_create,
    catalogue_item_delete,
    catalogue_item_update,
    measure_update,
    ruleset_update,
)
from ciqcredit.catalogue.exchange import version_import
from ciqcredit.catalogue.exporting import export_version
from ciqcredit.catalogue.models import CatalogueItem
from ciqcredit.catalogue.services import (
    version_draft_create,
    version_publish,
    version_return,
    version_submit,
    version_update,
)
from ciqcredit.conftest import SETUP
from ciqcredit.errors import DomainError
from ciqcredit.organizations.services import user_create

from .conftest import SYSTEM, TODAY

OWN = "检验监管司"  # the cast's hq_rules business department; JG-07 belongs to it, JG-01 to 通关业务司


def _draft(kind):
    return version_draft_create(kind=kind, actor=SYSTEM)


def _submitted(kind):
    draft = _draft(kind)
    return version_submit(version=draft, actor=SYSTEM)


def _item(code):
    return CatalogueItem.objects.get(version=_draft(Kind.CATALOGUE), code=code)


NEW_ITEM = {
    "code": "T-01",
    "name": "测试条目",
    "category": "other",
    "points": 1,
    "department": OWN,
    "collection": "manual",
    "association_kind": "generated_j",
}

OPERATIONS = {
    "create_draft": lambda u: version_draft_create(kind=Kind.MEASURES, actor=Actor.of(u)),
    "edit_version_header": lambda u: version_update(
        version=_draft(Kind.CATALOGUE), title="新标题", notes="", actor=Actor.of(u)
    ),
    "add_item_own_department": lambda u: catalogue_item_create(
        version=_draft(Kind.CATALOGUE), fields=NEW_ITEM, actor=Actor.of(u)
    ),
    "add_item_other_department": lambda u: catalogue_item_create(
        version=_draft(Kind.CATALOGUE), fields={**NEW_ITEM, "department": "食品局"}, actor=Actor.of(u)
    ),
    "edit_item_own_department": lambda u: catalogue_item_update(
        item=_item("JG-07"), fields={"points": 3}, actor=Actor.of(u)
    ),
    "edit_item_other_department": lambda u: catalogue_item_update(
        item=_item("JG-01"), fields={"points": 3}, actor=Actor.of(u)
    ),
    "move_item_to_other_department": lambda u: catalogue_item_update(
        item=_item("JG-07"), fields={"department": "食品局"}, actor=Actor.of(u)
    ),
    "delete_item_own_department": lambda u: catalogue_item_delete(item=_item("JG-07"), actor=Actor.of(u)),
    "delete_item_other_department": lambda u: catalogue_item_delete(item=_item("JG-01"), actor=Actor.of(u)),
    "edit_ruleset": lambda u: ruleset_update(
        version=_draft(Kind.RULESET), params={"new_enterprise": {"grade": "C"}}, actor=Actor.of(u)
    ),
    "edit_measure": lambda u: measure_update(
        measure=_draft(Kind.MEASURES).measures.get(code="B-IN-01"), fields={"sampling_ratio": "0.35"}, actor=Actor.of(u)
    ),
    "import_ruleset": lambda u: (
        lambda d: version_import(version=d, content=export_version(d, "yaml"), fmt="yaml", actor=Actor.of(u))
    )(_draft(Kind.RULESET)),
    "submit": lambda u: version_submit(version=_draft(Kind.CATALOGUE), actor=Actor.of(u)),
    "return": lambda u: version_return(version=_submitted(Kind.CATALOGUE), reason="请修改", actor=Actor.of(u)),
    "publish": lambda u: version_publish(version=_submitted(Kind.CATALOGUE), effective_from=TODAY, actor=Actor.of(u)),
}

EDITOR_MAY = set(OPERATIONS) - {
    "add_item_other_department",
    "edit_item_other_department",
    "move_item_to_other_department",
    "delete_item_other_department",
    "return",
    "publish",
}

MATRIX = {
    "hq_admin": set(OPERATIONS),
    "hq_rules": EDITOR_MAY,
    "hq_viewer": set(),
    "bureau_a_user": set(),
    "branch_a_user": set(),
    "branch_a_reviewer": set(),
    "bureau_b_user": set(),
    "bureau_a_supervisor": set(),
    "enterprise_user": set(),
    "api_client": set(),
}


def _user(cast, who):
    if who == "hq_viewer":
        return user_create(
            username="hq_viewer", organization=cast.hq, department_kind=None, roles=["viewer"], actor=SETUP
        )[0]
    if who == "bureau_a_supervisor":
        return user_create(
            username="a_supervisor",
            organization=cast.bureau_a,
            department_kind="oversight",
            roles=["supervisor"],
            actor=SETUP,
        )[0]
    return getattr(cast, who)


class _Undo(Exception):
    pass


def _outcome(operation, user) -> str:
    try:
        with transaction.atomic():
            operation(user)
            raise _Undo
    except _Undo:
        return "ok"
    except DomainError as exc:
        return f"{exc.status} {exc.code}"


@pytest.mark.parametrize("who", MATRIX)
def test_permission_matrix_through_the_services(reference, cast, today, who):
    user = _user(cast, who)
    outcomes = {name: _outcome(op, user) for name, op in OPERATIONS.items()}
    expected = {name: "ok" if name in MATRIX[who] else "403 forbidden" for name in OPERATIONS}
    assert outcomes == expected


PAGE_WRITES = [
    ("post", "/rules/catalogue/new/", {}),
    ("post", "/rules/catalogue/2/submit/", {}),
    ("post", "/rules/catalogue/2/publish/", {"effective_from": "2017-07-01"}),
    ("post", "/rules/catalogue/2/return/", {"reason": "x"}),
    ("post", "/rules/catalogue/2/items/JG-07/delete/", {}),
]


@pytest.mark.parametrize(
    "who",
    [
        "hq_viewer",
        "bureau_a_user",
        "branch_a_user",
        "branch_a_reviewer",
        "bureau_b_user",
        "bureau_a_supervisor",
        "enterprise_user",
    ],
)
def test_other_roles_are_refused_on_every_write_page(reference, cast, who):
    _submitted(Kind.CATALOGUE)  # version 2 exists, in review
    client = cast.client_for(_user(cast, who))
    for method, url, data in PAGE_WRITES:
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (who, url)
    for url in (
        "/rules/catalogue/2/edit/",
        "/rules/catalogue/2/import/",
        "/rules/catalogue/2/items/new/",
        "/rules/ruleset/1/params/",
    ):
        assert client.get(url).status_code == 403, (who, url)


def test_pages_browse_for_staff_refuse_enterprise_users_and_send_anonymous_to_login(reference, cast):
    for user in (cast.hq_admin, cast.hq_rules, cast.bureau_a_user, cast.branch_a_user, cast.bureau_b_user):
        assert cast.client_for(user).get("/rules/").status_code == 200
    assert cast.client_for(cast.enterprise_user).get("/rules/").status_code == 403
    anonymous = cast.client_for(None).get("/rules/catalogue/1/")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_drafts_are_hq_only(reference, cast):
    _draft(Kind.CATALOGUE)
    assert cast.client_for(cast.hq_rules).get("/rules/catalogue/2/").status_code == 200
    assert cast.client_for(cast.bureau_a_user).get("/rules/catalogue/2/").status_code == 404
    assert cast.client_for(cast.bureau_a_user).get("/rules/catalogue/1/").status_code == 200
    api = cast.api(cast.api_token).get("/api/v1/catalogue/versions")
    assert [v["number"] for v in api.json()["items"]] == [1]
    assert cast.api(cast.api_token).get("/api/v1/catalogue/items?version=2").status_code == 404
    hq = cast.client_for(cast.hq_admin).get("/api/v1/catalogue/versions").json()
    assert [(v["number"], v["status"]) for v in hq["items"]] == [(2, "draft"), (1, "published")]
