"""Which enterprises a re-check could act on, found set-based: for loads that touch thousands at once.

A re-check opens a case only when the period's points reach the immediate-downgrade threshold, serious
penalised points reach the serious-list threshold, or a blacklist item counts. Summing effective records in
SQL over-counts at worst (the pure count also drops records not responsible, or lower items of one act),
so every enterprise that could reach a condition is kept; the rest cannot, and need no re-check.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, Sum

from ciqcredit.catalogue.selectors import ruleset_on
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.selectors import records_effective_in
from ciqcredit.rules.grading import period_containing
from ciqcredit.sql import in_values


def recheck_candidates(enterprise_ids: Iterable[int], on: dt.date) -> set[int]:
    """The enterprises among `enterprise_ids` whose effective records on `on`'s period could trigger an action."""
    ids = set(enterprise_ids)
    version = ruleset_on(on)
    if not ids or version is None:
        return set()
    params = version.rule_params
    start, end = period_containing(params, on)
    lowest = min(params.immediate_downgrade.threshold, params.serious_list.threshold)
    blacklisted = Q(enters_blacklist=True)
    return set(
        records_effective_in(start, end)
        .filter(in_values(CreditRecord, "enterprise_id", ids))
        .values("enterprise_id")
        .annotate(points=Sum("points"), blacklist=Count("id", filter=blacklisted))
        .filter(Q(points__gte=lowest) | Q(blacklist__gt=0))
        .values_list("enterprise_id", flat=True)
    )
