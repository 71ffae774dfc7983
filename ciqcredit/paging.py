"""Pagination that stays cheap on a million rows.

An exact COUNT(*) over a large filtered table costs a full scan on every page view. Lists count at most
`cap` rows (COUNT over a LIMITed subquery) and say "more than N" beyond it; deep OFFSETs past the cap
are not offered either: the user narrows the search instead.
"""

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.functional import cached_property

PER_PAGE = 50
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    object_list: QuerySet

    def __init__(self, object_list: QuerySet, per_page: int = PER_PAGE, *, cap: int = COUNT_CAP):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _bounded_count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted."""
        return self._bounded_count > self.cap


def page_of(queryset: QuerySet, number: str | None, *, per_page: int = PER_PAGE, cap: int = COUNT_CAP) -> Page:
    """The requested page; a malformed or out-of-range number gives the nearest valid page."""
    paginator = CappedPaginator(queryset, per_page, cap=cap)
    try:
        return paginator.page(number or 1)
    except InvalidPage:
        try:
            wanted = int(number or 1)
        except ValueError:
            wanted = 1
        return paginator.page(paginator.num_pages if wanted > 1 else 1)


def query_without_page(params: QueryDict) -> str:
    """The current filters as a query string without `page`, for building page links."""
    copy = params.copy()
    copy.pop("page", None)
    return copy.urlencode()
