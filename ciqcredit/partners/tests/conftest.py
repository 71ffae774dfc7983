import pytest

from ciqcredit.partners.tests.fixtures import make_partners


@pytest.fixture
def partners(cast):
    return make_partners()
