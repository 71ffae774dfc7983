import pytest

from ciqcredit.actors import Actor
from ciqcredit.workdays.services import calendar_seed

SETUP = Actor.job("test")


@pytest.fixture
def seeded(db) -> str:
    """The calendar as `ciqcredit setup` leaves it: every year the chinese-calendar package carries."""
    return calendar_seed(actor=SETUP)
