import datetime as dt
from dataclasses import dataclass

import pytest

from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.catalogue.tests.fixtures import fixture_ruleset
from ciqcredit.dynamic.tests.fixtures import fixture_items

TODAY = dt.date(2026, 3, 2)  # a Monday, inside the period 2025-10-01 – 2026-09-30


@dataclass
class World:
    cast: object
    items: dict
    settings: object

    def on(self, day: dt.date) -> None:
        """Move the platform's today."""
        self.settings.CIQCREDIT_TODAY = day


@pytest.fixture
def world(cast, settings, tmp_path) -> World:
    settings.CIQCREDIT_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    cache_clear()
    fixture_ruleset()
    return World(cast=cast, items=fixture_items(), settings=settings)


@pytest.fixture
def web(world):
    """The world, for tests that go through the pages and the API."""
    return world
