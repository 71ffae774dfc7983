"""Reads of partners and their lists: memberships by day (the release decisions' one look-up), members by
version, the difference between versions, and the lists an enterprise is on."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from ciqcredit.errors import DomainError, NotFound
from ciqcredit.organizations.models import User
from ciqcredit.partners.models import Partner, PartnerList, PartnerListEntry


def membership_sql(codes: str) -> str:
    """SQL of the memberships on a day, one row (credit code, list code) each, for the codes that `codes` matches
    (`IN (...)` or `= ANY(%s)`, its parameters first), then the day twice. Raw, so the release decisions read
    it in the statement of the parties' standing (`application.selectors.parties_standing`)."""
    entry, plist = PartnerListEntry._meta.db_table, PartnerList._meta.db_table
    return (
        f"SELECT e.credit_code, l.code FROM {entry} e JOIN {plist} l ON l.id = e.partner_list_id "
        f"WHERE e.credit_code {codes} AND e.since <= %s AND (e.until IS NULL OR e.until > %s)"
    )


def partner_lists_on(codes: list[str], on: dt.date) -> dict[str, tuple[str, ...]]:
    """credit code → the codes of the partner lists it is on that day (codes on no list are absent).

    One statement for all the codes, answered by the (credit_code, since) index (the release decisions read the
    same rows within their standing statement)."""
    unique = sorted(set(codes))
    if not unique:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(membership_sql("IN (" + ", ".join(["%s"] * len(unique)) + ")"), [*unique, on, on])
        rows = cursor.fetchall()
    found: dict[str, list[str]] = {}
    for code, list_code in rows:
        found.setdefault(code, []).append(list_code)
    return {code: tuple(sorted(lists)) for code, lists in found.items()}


def partner_list_get(code: str) -> PartnerList:
    found = PartnerList.objects.select_related("partner__organization").filter(code=code).first()
    if found is None:
        raise DomainError(
            "unknown_list", f"名单代码“{code}”未登记；名单须先由总局为合作部门登记", {"list_code": code}, status=404
        )
    return found


def members_at(partner_list: PartnerList, version: int) -> QuerySet[PartnerListEntry]:
    """The entries that were members once version `version` was received."""
    return PartnerListEntry.objects.filter(partner_list=partner_list, entered_version__lte=version).filter(
        Q(left_version__isnull=True) | Q(left_version__gt=version)
    )


@dataclass(frozen=True)
class VersionDiff:
    old: int
    new: int
    entered: list[PartnerListEntry]
    left: list[PartnerListEntry]
    # Members at both whose name or reference last changed in between, as they are now. An entry keeps only its last
    # change (details_version): one changed again after `new` is not listed; the audit rows hold every change.
    changed: list[PartnerListEntry]


def version_diff(partner_list: PartnerList, old: int, new: int) -> VersionDiff:
    """Who entered, who left and whose details changed between two versions (old < new), by credit code."""
    if not (0 <= old < new <= partner_list.version):
        raise DomainError("bad_versions", "请选择两个已有版本，且前者早于后者", {"old": old, "new": new})
    before = {e.credit_code: e for e in members_at(partner_list, old)}
    after = {e.credit_code: e for e in members_at(partner_list, new)}
    return VersionDiff(
        old=old,
        new=new,
        entered=[after[c] for c in sorted(after.keys() - before.keys())],
        left=[before[c] for c in sorted(before.keys() - after.keys())],
        changed=[
            after[c]
            for c in sorted(before.keys() & after.keys())
            if after[c].pk == before[c].pk and _changed_in(after[c], old, new)
        ],
    )


def _changed_in(entry: PartnerListEntry, old: int, new: int) -> bool:
    changed = entry.details_version
    return changed is not None and old < changed <= new


def lists_of_enterprise(credit_code: str, on: dt.date) -> list[PartnerListEntry]:
    """The partner-list stays of an enterprise in force that day, with their list and partner."""
    return list(
        PartnerListEntry.objects.filter(credit_code=credit_code, since__lte=on)
        .filter(Q(until__isnull=True) | Q(until__gt=on))
        .select_related("partner_list__partner__organization")
        .order_by("partner_list__code")
    )


def partner_of(user: User) -> Partner | None:
    """The partner a client belongs to (None for clients and people of the inspection system)."""
    return Partner.objects.select_related("organization").filter(organization_id=user.organization_id).first()


def partner_get(code: str) -> Partner:
    found = Partner.objects.select_related("organization").filter(organization__code=code).first()
    if found is None:
        raise NotFound("合作部门")
    return found
