"""The version in force on a date: greatest effective_from ≤ date, ties to the highest number; never in the past."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.catalogue import selectors
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.editing import catalogue_item_update, ruleset_update
from ciqcredit.catalogue.models import CatalogueItem
from ciqcredit.catalogue.selectors import (
    catalogue_version_on,
    item_in_force,
    items_in_force,
    measure_list_on,
    ruleset_on,
)
from ciqcredit.catalogue.services import version_draft_create, version_publish, version_submit
from ciqcredit.errors import DomainError

from .conftest import SYSTEM, publish_new


def _points(version, code, points):
    item = CatalogueItem.objects.get(version=version, code=code)
    catalogue_item_update(item=item, fields={"points": points}, actor=SYSTEM)


def test_nothing_is_in_force_before_the_first_publication(db):
    assert catalogue_version_on(dt.date(2020, 1, 1)) is None
    assert ruleset_on(dt.date(2020, 1, 1)) is None and measure_list_on(dt.date(2020, 1, 1)) is None
    assert item_in_force("JG-01", dt.date(2020, 1, 1)) is None and items_in_force(dt.date(2020, 1, 1)).count() == 0


def test_version_on_before_at_and_after_each_effective_date(reference, today):
    v2 = publish_new(Kind.CATALOGUE, effective_from=dt.date(2017, 10, 1), change=lambda d: _points(d, "JG-01", 2))
    assert catalogue_version_on(dt.date(2013, 12, 31)) is None
    assert catalogue_version_on(dt.date(2014, 1, 1)).number == 1
    assert catalogue_version_on(dt.date(2017, 9, 30)).number == 1
    assert catalogue_version_on(dt.date(2017, 10, 1)) == v2
    assert catalogue_version_on(dt.date(2030, 1, 1)) == v2
    assert item_in_force("JG-01", dt.date(2017, 9, 30)).points == 1
    assert item_in_force("JG-01", dt.date(2017, 10, 1)).points == 2
    assert item_in_force("NO-SUCH", dt.date(2017, 10, 1)) is None
    assert {i.version.number for i in items_in_force(dt.date(2017, 10, 1))} == {2}


def test_same_effective_date_goes_to_the_highest_number(reference, today):
    publish_new(Kind.RULESET, effective_from=dt.date(2018, 1, 1))
    v3 = publish_new(
        Kind.RULESET,
        effective_from=dt.date(2018, 1, 1),
        change=lambda d: ruleset_update(version=d, params={**d.params, "new_enterprise": {"grade": "B"}}, actor=SYSTEM),
    )
    assert ruleset_on(dt.date(2018, 1, 1)) == v3


def test_a_later_number_with_an_earlier_date_does_not_hide_the_later_date(reference, today):
    v2 = publish_new(Kind.MEASURES, effective_from=dt.date(2018, 1, 1))
    v3 = publish_new(Kind.MEASURES, effective_from=dt.date(2017, 7, 1))
    assert measure_list_on(dt.date(2017, 12, 31)) == v3
    assert measure_list_on(dt.date(2018, 1, 1)) == v2


def test_people_cannot_publish_with_an_effective_date_in_the_past(reference, cast, today):
    draft = version_draft_create(kind=Kind.CATALOGUE, actor=Actor.of(cast.hq_admin))
    version_submit(version=draft, actor=Actor.of(cast.hq_admin))
    with pytest.raises(DomainError) as exc:
        version_publish(version=draft, effective_from=today - dt.timedelta(days=1), actor=Actor.of(cast.hq_admin))
    assert exc.value.code == "effective_date_in_past" and exc.value.details == {"field": "effective_from"}
    version_publish(version=draft, effective_from=today, actor=Actor.of(cast.hq_admin))  # today is allowed


def test_the_cache_sees_a_publication_at_the_next_call(reference, today, django_assert_max_num_queries):
    on = dt.date(2018, 6, 1)
    assert ruleset_on(on).number == 1
    with django_assert_max_num_queries(1):  # the stamp only
        assert ruleset_on(on).rule_params.serious_list.threshold == 36
    publish_new(Kind.RULESET, effective_from=dt.date(2018, 1, 1))
    assert ruleset_on(on).number == 2


def test_the_cache_does_not_trust_a_reused_primary_key(reference, today):
    """Another process (or a rolled-back test) may publish a different version under the same pk."""
    on = dt.date(2018, 6, 1)
    first = ruleset_on(on)
    stamp, _ = selectors._versions[(Kind.RULESET, on)]
    selectors._versions[(Kind.RULESET, on)] = ((stamp[0], None), first)  # same pk, different publication time
    assert ruleset_on(on) == first  # re-read, not the stale entry
    assert selectors._versions[(Kind.RULESET, on)][0] == stamp
