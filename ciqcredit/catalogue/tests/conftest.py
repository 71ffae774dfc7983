"""Fixtures of the catalogue tests: the reference rules published, and helpers to move a draft along."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.catalogue import selectors
from ciqcredit.catalogue.reference import reference_rules_load
from ciqcredit.catalogue.services import version_draft_create, version_publish, version_submit

SYSTEM = Actor.job("test")
TODAY = dt.date(2017, 6, 15)


@pytest.fixture(autouse=True)
def _fresh_selector_cache():
    """Each test starts with an empty per-process cache (the stamps would also catch it; this keeps tests honest)."""
    selectors.cache_clear()
    yield
    selectors.cache_clear()


@pytest.fixture
def today(settings):
    settings.CIQCREDIT_TODAY = TODAY
    return TODAY


@pytest.fixture
def reference(db):
    """Version 1 of each kind, published effective 2014-01-01."""
    reference_rules_load(actor=SYSTEM)


def publish_new(kind: str, *, effective_from: dt.date, change=None, actor=SYSTEM):
    """Copy the latest published version, let `change(draft)` edit it, submit and publish it."""
    draft = version_draft_create(kind=kind, actor=actor)
    if change is not None:
        change(draft)
    version_submit(version=draft, actor=actor)
    return version_publish(version=draft, effective_from=effective_from, actor=actor)
