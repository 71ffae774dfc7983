"""The portal's world: dynamic management's (a rule set, catalogue items, the platform's date pinned), plus a
second enterprise with its own user, and helpers that bring a case to the point each test needs."""

import datetime as dt

import pytest

from ciqcredit.dynamic.tests.conftest import world  # noqa: F401  # the fixture, shared from the layer below
from ciqcredit.portal.tests.fixtures import other_enterprise_user


@pytest.fixture
def other(world):  # noqa: F811
    """The user of another enterprise (registered at bureau B)."""
    return other_enterprise_user(world.cast)


DAY = dt.timedelta(days=1)
