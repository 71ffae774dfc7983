"""Reads of the published rules. The `*_on(date)` selectors are what collection, rating and measures call.

Version in force on a date: the published version with the greatest effective_from ≤ date (ties: highest
number). None before the first publication.

Caching (these are on hot paths, e.g. a rating run asks for the rule set once per enterprise): each process
keeps, per (kind, date), the version found, stamped with the latest published version of the kind
(pk, published_at). Each call costs one tiny indexed query reading that stamp (none when the caller read it in
its own statement, `stamp_sql`: the release decisions do, with the parties' standing); a publication in any process
changes it, so every process sees a new version at its next call. Published versions never change or
disappear, so a cached one is never stale otherwise. published_at is part of the stamp because test
databases roll back and reuse primary keys.
"""

import bisect
import datetime as dt
import threading
from typing import Any

from django.db import connections, router
from django.db.models import Q, QuerySet

from ciqcredit import clock
from ciqcredit.catalogue.access import may_see_drafts
from ciqcredit.catalogue.choices import Kind, Status
from ciqcredit.catalogue.models import (
    VERSION_MODELS,
    CatalogueItem,
    CatalogueVersion,
    JointMeasureVersion,
    MeasureListVersion,
    RuleSetVersion,
    RulesVersion,
)
from ciqcredit.errors import NotFound

_CACHE_LIMIT = 4096
_lock = threading.Lock()
_versions: dict[tuple[str, dt.date], tuple[Any, RulesVersion | None]] = {}
_items: dict[int, tuple[Any, dict[str, CatalogueItem]]] = {}


def stamp_sql(kind: str) -> str:
    """SQL of the stamp of a kind: the latest published version's (id, published_at), one row or none. Raw, so a
    caller can read it in the same statement as its own data (the decisions do) and compare it to the cache's."""
    table = VERSION_MODELS[kind]._meta.db_table
    return f"SELECT id, published_at FROM {table} WHERE status = '{Status.PUBLISHED}' ORDER BY id DESC LIMIT 1"


def _stamp(kind: str) -> Any:
    with connections[router.db_for_read(VERSION_MODELS[kind])].cursor() as cursor:
        cursor.execute(stamp_sql(kind))
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def _query_version_on(kind: str, on: dt.date) -> RulesVersion | None:
    return (
        VERSION_MODELS[kind]
        .objects.filter(status=Status.PUBLISHED, effective_from__lte=on)
        .order_by("-effective_from", "-number")
        .first()
    )


def version_on(kind: str, on: dt.date, *, stamp: Any = ...) -> RulesVersion | None:
    """The version in force on a date. `stamp`, when the caller read it already (`stamp_sql`), saves the query."""
    if stamp is ...:
        stamp = _stamp(kind)
    if stamp is None:
        return None
    key = (kind, on)
    cached = _versions.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    version = _query_version_on(kind, on)
    with _lock:
        if len(_versions) >= _CACHE_LIMIT:
            _versions.clear()
        _versions[key] = (stamp, version)
    return version


class VersionTimeline:
    """The published versions of one kind, loaded once and answered by date without a query: for loads and
    batch jobs that ask about hundreds of days. The same answer as `version_on` while nothing is published."""

    def __init__(self, kind: str):
        published = VERSION_MODELS[kind]._default_manager.filter(status=Status.PUBLISHED)
        self.versions: list[RulesVersion] = list(published.order_by("effective_from", "number"))
        self.starts = [v.effective_from or dt.date.min for v in self.versions]  # published: always dated

    def on(self, day: dt.date) -> RulesVersion | None:
        index = bisect.bisect_right(self.starts, day)
        return self.versions[index - 1] if index else None


def cache_clear() -> None:
    with _lock:
        _versions.clear()
        _items.clear()


def catalogue_version_on(on: dt.date) -> CatalogueVersion | None:
    return version_on(Kind.CATALOGUE, on)  # type: ignore[return-value]


def ruleset_on(on: dt.date) -> RuleSetVersion | None:
    """The rule set in force; `.rule_params` gives its RuleSetParams (parsed once per process)."""
    return version_on(Kind.RULESET, on)  # type: ignore[return-value]


def measure_list_on(on: dt.date, *, stamp: Any = ...) -> MeasureListVersion | None:
    return version_on(Kind.MEASURES, on, stamp=stamp)  # type: ignore[return-value]


def joint_measures_on(on: dt.date, *, stamp: Any = ...) -> JointMeasureVersion | None:
    return version_on(Kind.JOINT, on, stamp=stamp)  # type: ignore[return-value]


def items_in_force(on: dt.date) -> QuerySet[CatalogueItem]:
    version = catalogue_version_on(on)
    if version is None:
        return CatalogueItem.objects.none()
    return CatalogueItem.objects.filter(version=version).select_related("version")


def item_in_force(code: str, on: dt.date) -> CatalogueItem | None:
    """One item of the catalogue in force; the items of a published version are cached per process."""
    version = catalogue_version_on(on)
    if version is None:
        return None
    stamp = (version.pk, version.published_at)
    cached = _items.get(version.pk)
    if cached is None or cached[0] != stamp:
        by_code = {item.code: item for item in CatalogueItem.objects.filter(version=version).select_related("version")}
        with _lock:
            if len(_items) >= 64:
                _items.clear()
            _items[version.pk] = (stamp, by_code)
        cached = (stamp, by_code)
    return cached[1].get(code)


# ---- reads for pages and the API ----


def versions_visible_to(user: Any, kind: str) -> QuerySet[RulesVersion]:
    """Published versions for everyone; open versions too for HQ staff."""
    qs = VERSION_MODELS[kind].objects.all()
    if not may_see_drafts(user):
        qs = qs.filter(status=Status.PUBLISHED)
    return qs.order_by("-number")


def version_get_for_user(user: Any, kind: str, number: int) -> RulesVersion:
    version = versions_visible_to(user, kind).filter(number=number).first()
    if version is None:
        raise NotFound(f"{Kind(kind).label}第{number}版")
    return version


def version_in_force_for(kind: str, on: dt.date | None = None) -> RulesVersion:
    on = on or clock.today()
    version = version_on(kind, on)
    if version is None:
        raise NotFound(f"{on:%Y-%m-%d}有效的{Kind(kind).label}")
    return version


def item_search(
    version: CatalogueVersion,
    *,
    category: str = "",
    type_slug: str = "",
    department: str = "",
    text: str = "",
    collection: str = "",
) -> QuerySet[CatalogueItem]:
    """Items of one version; a type filter keeps items for that type and items for all types."""
    qs = CatalogueItem.objects.filter(version=version).select_related("version")
    if category:
        qs = qs.filter(category=category)
    if type_slug:
        qs = qs.filter(Q(enterprise_types__contains=f";{type_slug};") | Q(enterprise_types=""))
    if department:
        qs = qs.filter(department=department)
    if collection:
        qs = qs.filter(collection=collection)
    text = text.strip()
    if text:
        qs = qs.filter(
            Q(name__contains=text)
            | Q(code__icontains=text)
            | Q(legal_basis__contains=text)
            | Q(description__contains=text)
        )
    return qs.order_by("position", "code")


def departments_of(version: CatalogueVersion) -> list[str]:
    return sorted(set(CatalogueItem.objects.filter(version=version).values_list("department", flat=True)))
