import pytest

from ciqcredit.enterprises.models import Enterprise
from ciqcredit.paging import CappedPaginator, page_of
from ciqcredit.testing import make_enterprise


@pytest.fixture
def twelve(cast):
    for n in range(100, 112):
        make_enterprise(n, cast.bureau_a)
    return Enterprise.objects.order_by("credit_code")


def test_count_is_exact_below_the_cap(twelve):
    paginator = CappedPaginator(twelve, 5, cap=100)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (13, False, 3)


def test_count_stops_at_the_cap(twelve):
    paginator = CappedPaginator(twelve, 5, cap=10)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (10, True, 2)


@pytest.mark.parametrize(("asked", "shown"), [(None, 1), ("2", 2), ("99", 3), ("0", 1), ("abc", 1)])
def test_bad_page_numbers_fall_back_to_a_valid_page(twelve, asked, shown):
    assert page_of(twelve, asked, per_page=5).number == shown
