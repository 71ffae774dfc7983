"""Collection fixtures: a small published catalogue with one item per route and behaviour, the 2017 calendar,
a pinned today, and the people the routes need beside the shared cast."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pytest
from django.db import transaction
from django.utils import timezone

from ciqcredit.actors import Actor
from ciqcredit.catalogue.models import CatalogueItem, CatalogueVersion
from ciqcredit.catalogue.tests.fixtures import fixture_ruleset
from ciqcredit.conftest import PASSWORD, Cast
from ciqcredit.organizations.models import User
from ciqcredit.organizations.services import user_create
from ciqcredit.testing import make_enterprise
from ciqcredit.workdays.services import calendar_seed

SETUP = Actor.job("test")
T = TypeVar("T")
TODAY = dt.date(2017, 10, 20)  # a Friday, after National Day 2017

# code: (collection, stage, association_kind, points, extra)
ITEMS = {
    "E01": ("auto", "declaration", "declaration", 1, {}),
    "E02": ("auto_confirm", "declaration", "declaration", 2, {}),
    "E03": ("auto_confirm", "inspection", "declaration", 3, {}),
    "E04": ("auto", "inspection", "declaration", 6, {}),
    "P01": ("manual", "", "penalty", 12, {"serious": True}),
    "S01": ("manual", "", "generated_j", 3, {}),
    "S02": ("manual", "", "declaration", 1, {"declarant_required": True}),
    "S03": ("manual", "", "declaration", 6, {}),
    "S04": ("manual", "", "declaration", 3, {}),
    "W01": ("manual", "", "generated_w", 3, {}),
    "V01": ("manual", "", "generated_j", 3, {"enterprise_types": ";vessel;"}),
}


def publish_catalogue(
    effective_from: dt.date = dt.date(2015, 1, 1),
) -> CatalogueVersion:
    """A published catalogue written directly: fixture data, not the catalogue's behaviour."""
    now = timezone.now()
    version = CatalogueVersion.objects.create(
        number=1,
        status="published",
        title="测试条目",
        effective_from=effective_from,
        created_by_label="test",
        created_at=now,
        published_at=now,
        published_by_label="test",
    )
    for position, (code, (collection, stage, kind, points, extra)) in enumerate(ITEMS.items()):
        CatalogueItem.objects.create(
            version=version,
            position=position,
            code=code,
            name=f"测试条目{code}",
            category="supervision",
            points=points,
            department="检验监管司",
            collection=collection,
            stage=stage,
            association_kind=kind,
            **extra,
        )
    return version


@dataclass
class World:
    cast: Cast
    case_collector: User  # 结案部门 collector at the branch
    inspection_collector: User  # 施检部门 collector at the branch
    declaration_reviewer: User  # 检务部门 reviewer at the branch
    bureau_a_reviewer: User  # reviewer at bureau A (not the branch)
    agent: object  # a declaration agent registered at the branch

    def __getattr__(self, name):
        return getattr(self.cast, name)


def _person(username, org, dept, roles):
    user, _ = user_create(
        username=username,
        organization=org,
        department_kind=dept,
        roles=roles,
        password=PASSWORD,
        actor=SETUP,
        full_name=username,
    )
    return user


@pytest.fixture
def world(cast, settings) -> World:
    settings.CIQCREDIT_TODAY = TODAY
    calendar_seed(actor=SETUP)
    publish_catalogue()
    fixture_ruleset()
    return World(
        cast=cast,
        case_collector=_person("a_case", cast.branch_a, "case_closing", ["collector"]),
        inspection_collector=_person("a_insp", cast.branch_a, "inspection", ["collector"]),
        declaration_reviewer=_person("a_decl_rev", cast.branch_a, "declaration", ["reviewer"]),
        bureau_a_reviewer=_person("a_bureau_rev", cast.bureau_a, "credit", ["reviewer"]),
        agent=make_enterprise(
            2,
            cast.branch_a,
            name="深圳市报关代理有限公司",
            types=("declaration_agent",),
        ),
    )


def rolled_back(load: Callable[[], object], read: Callable[[], T]) -> T:
    """What `read` sees after `load`, in a savepoint rolled back afterwards: two paths compared on one world."""
    with transaction.atomic():
        load()
        seen = read()
        transaction.set_rollback(True)
    return seen


D = dt.date


def supervision_args(world: World, **overrides) -> dict:
    values = {
        "route": "supervision",
        "credit_code": world.enterprise.credit_code,
        "item_code": "S04",
        "association_no": "470100217000123000",
        "occurred_on": D(2017, 10, 9),
        "discovered_on": D(2017, 10, 10),
        "verified_on": D(2017, 10, 11),
        "description": "报检单证与货物不符",
    }
    values.update(overrides)
    return values


def eciq_entry(world: World, n: int, **overrides) -> dict:
    values = {
        "eciq_id": f"ECIQ-{n:06d}",
        "credit_code": world.enterprise.credit_code,
        "item_code": "E01",
        "stage": "declaration",
        "association_no": f"47520021700{n:07d}",
        "org_code": "475200",
        "occurred_on": "2017-10-09",
        "discovered_on": "2017-10-10",
        "verified_on": "2017-10-11",
        "description": "报检差错",
    }
    values.update(overrides)
    return values
