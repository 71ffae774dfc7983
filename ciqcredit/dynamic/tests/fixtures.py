"""Fixture data for the dynamic-management tests.

The rule set, the catalogue items and the credit records below are written directly, bypassing the
catalogue and collection services on purpose: these tests are about what happens once a record is
effective, and must not depend on how it got there. Everything else goes through the services.
"""

import datetime as dt
import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from ciqcredit.actors import Actor
from ciqcredit.catalogue.models import CatalogueItem, CatalogueVersion
from ciqcredit.catalogue.tests.fixtures import version_fields
from ciqcredit.collection.models import CreditRecord
from ciqcredit.rating.services.grades import grade_change_apply

SETUP = Actor.job("test")
_serial = itertools.count(1)


def fixture_items() -> dict[str, CatalogueItem]:
    """Three items: an ordinary 12-point one, a serious 18-point one and a blacklist item (fixture data)."""
    version = CatalogueVersion.objects.create(**version_fields(1))
    common = {
        "version": version,
        "category": "law_abiding",
        "department": "检验监管司",
        "collection": "manual",
        "association_kind": "penalty",
    }
    return {
        "ordinary": CatalogueItem.objects.create(
            code="T-12", name="报检单证与货物不符", points=12, legal_basis="《商检法实施条例》第46条", **common
        ),
        "serious": CatalogueItem.objects.create(
            code="T-18S", name="逃避法定检验", points=18, serious=True, legal_basis="《商检法》第33条", **common
        ),
        "blacklist": CatalogueItem.objects.create(
            code="T-BL",
            name="伪造检验检疫单证",
            points=0,
            enters_blacklist=True,
            serious=True,
            legal_basis="《商检法》第36条",
            **common,
        ),
    }


def fixture_record(
    enterprise,
    item: CatalogueItem,
    occurred_on: dt.date,
    *,
    user,
    penalised: bool = False,
    act_ref: str | None = None,
    status: str = "effective",
) -> CreditRecord:
    """An effective credit record of the enterprise (fixture data: no collection service involved)."""
    n = next(_serial)
    now = timezone.now()
    return CreditRecord.objects.create(
        enterprise=enterprise,
        item=item,
        item_code=item.code,
        catalogue_version=item.version.number,
        points=item.points,
        serious=item.serious,
        penalised=penalised,
        enters_blacklist=item.enters_blacklist,
        act_ref=act_ref or f"ACT-{n}",
        occurred_on=occurred_on,
        discovered_on=occurred_on,
        verified_on=occurred_on,
        entered_at=now,
        organization=enterprise.registering_org,
        route="manual",
        association_no=f"CF{n:06d}",
        description="夹具数据",
        status=status,
        effective_at=now,
        created_by=user,
    )


def fixture_grade(enterprise, grade: str, on: dt.date = dt.date(2025, 10, 1), controlled: bool = False):
    return grade_change_apply(
        enterprise=enterprise, grade=grade, cause="periodic", effective_from=on, actor=SETUP, controlled=controlled
    )


def proof() -> ContentFile:
    return ContentFile(b"%PDF-1.4 signed receipt", name="receipt.pdf")


def listed_case(world, *, blacklist: bool = False):
    """Run an enterprise through the whole serious-list procedure with the services; listed on 2026-04-08."""
    from ciqcredit.dynamic.services import (
        case_report_to_bureau,
        dynamic_recheck,
        hq_batch_approve,
        hq_batch_create,
        notice_deliver,
    )

    ent, officer = world.cast.enterprise, world.cast.bureau_a_user
    fixture_grade(ent, "A")
    fixture_record(ent, world.items["blacklist"], dt.date(2026, 2, 1), user=world.cast.branch_a_user)
    [case] = dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP)
    notice_deliver(
        notice=case.notice,
        method="direct",
        delivered_on=dt.date(2026, 3, 2),
        recipient="王经理",
        proof_file=proof(),
        actor=Actor.of(officer),
    )
    world.on(dt.date(2026, 3, 23))
    case_report_to_bureau(case=case, actor=Actor.of(officer))
    world.on(dt.date(2026, 4, 2))
    batch = hq_batch_create(bureau=world.cast.bureau_a, month=dt.date(2026, 3, 1), actor=Actor.of(officer))
    world.on(dt.date(2026, 4, 8))
    hq_batch_approve(batch=batch, actor=Actor.of(world.cast.hq_admin))
    case.refresh_from_db()
    return case
