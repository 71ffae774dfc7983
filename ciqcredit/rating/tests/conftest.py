"""Rating fixtures: a published rule set, credit records and activity written straight into the tables.

Records are fixture data here (bulk rows), not the collection's behaviour: the engine only reads the table.
"""

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.utils import timezone

from ciqcredit.actors import Actor
from ciqcredit.conftest import Cast
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.rating.models import MonthlyActivity
from ciqcredit.rating.services.grades import grade_change_apply
from ciqcredit.rules.params import RuleSetParams

SETUP = Actor.job("test")
# The reference period 2016-10-01 – 2017-09-30; rated on 2017-10-09 (a Monday after National Day).
PERIOD_START = dt.date(2016, 10, 1)
PERIOD_END = dt.date(2017, 9, 30)
RATED_ON = dt.date(2017, 10, 9)


@pytest.fixture(autouse=True)
def _fresh_ruleset_cache():
    from ciqcredit.catalogue import selectors

    selectors.cache_clear()
    yield
    selectors.cache_clear()


def publish_ruleset(
    params: RuleSetParams | None = None,
    *,
    number: int = 1,
    effective_from=dt.date(2014, 1, 1),
    status: str = "published",
):
    """A rule-set version written directly: fixture data, not the catalogue's lifecycle."""
    from ciqcredit.catalogue.models import RuleSetVersion

    now = timezone.now()
    return RuleSetVersion.objects.create(
        number=number,
        status=status,
        title=f"测试规则{number}",
        params=(params or RuleSetParams()).model_dump(mode="json"),
        effective_from=effective_from if status == "published" else None,
        created_by_label="test",
        created_at=now,
        published_at=now if status == "published" else None,
        published_by_label="test" if status == "published" else "",
    )


class Records:
    """Bulk CreditRecord rows for tests, with the catalogue item they need."""

    _serial = itertools.count(1)

    def __init__(self, cast: Cast):
        from ciqcredit.catalogue.models import CatalogueItem, CatalogueVersion

        self.model = apps.get_model("collection", "CreditRecord")
        now = timezone.now()
        version = CatalogueVersion.objects.create(
            number=1,
            status="published",
            title="测试条目",
            effective_from=dt.date(2014, 1, 1),
            created_by_label="test",
            created_at=now,
            published_at=now,
            published_by_label="test",
        )
        self.item = CatalogueItem.objects.create(
            version=version,
            code="T01",
            name="测试条目",
            category="supervision",
            points=1,
            department="检验监管司",
            collection="manual",
            stage="",
            association_kind="generated_j",
        )
        self.cast = cast

    def make(self, enterprise: Enterprise, points: int, occurred_on: dt.date, **extra):
        n = next(self._serial)
        defaults = dict(
            enterprise=enterprise,
            item=self.item,
            item_code=extra.pop("item_code", "T01"),
            catalogue_version=1,
            points=points,
            act_ref=f"act-{n}",
            occurred_on=occurred_on,
            discovered_on=occurred_on,
            verified_on=occurred_on,
            entered_at=timezone.now(),
            organization=self.cast.branch_a,
            route="manual",
            association_no=f"J475200{occurred_on:%Y%m%d}{n % 1000:03d}",
            description="测试",
            status="effective",
            created_by=self.cast.branch_a_user,
        )
        defaults.update(extra)
        return self.model(**defaults)

    def add(self, enterprise: Enterprise, points: int, occurred_on: dt.date, **extra):
        return self.model.objects.bulk_create([self.make(enterprise, points, occurred_on, **extra)])[0]

    def bulk(self, rows: list):
        return self.model.objects.bulk_create(rows, batch_size=2000)


def activity(enterprise: Enterprise, month: dt.date, declarations: int = 10, errors: int = 0) -> MonthlyActivity:
    now = timezone.now()
    return MonthlyActivity.objects.create(
        enterprise=enterprise,
        month=month.replace(day=1),
        declarations=declarations,
        declaration_errors=errors,
        received_at=now,
        updated_at=now,
    )


def give_grade(enterprise: Enterprise, grade: str, on: dt.date, cause: str = "periodic", **extra):
    return grade_change_apply(enterprise=enterprise, grade=grade, cause=cause, effective_from=on, actor=SETUP, **extra)


@dataclass
class RatingWorld:
    cast: Cast
    records: Records
    ruleset: object

    def __getattr__(self, name):
        return getattr(self.cast, name)


@pytest.fixture
def world(cast, settings) -> RatingWorld:
    settings.CIQCREDIT_TODAY = RATED_ON
    return RatingWorld(cast=cast, records=Records(cast), ruleset=publish_ruleset())
