"""Reads of the sharing pages: partners with their lists and agreements, the access log, feedback totals."""

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from ciqcredit.application.models import DecisionJointMeasure
from ciqcredit.errors import Forbidden, NotFound
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role
from ciqcredit.partners.models import Partner, PartnerList, PartnerListEntry
from ciqcredit.sharing.models import AccessLogEntry, SharingAgreement

HQ_SHARING_ROLES = (Role.HQ_ADMIN, Role.SUPERVISOR)  # agreements, the access log and feedback: HQ's
LIST_READER_ROLES = (Role.HQ_ADMIN, Role.BUREAU_CREDIT, Role.SUPERVISOR, Role.VIEWER)


def may_read_partner_lists(user: User) -> bool:
    return user.has_role(*LIST_READER_ROLES)


def may_read_hq_sharing(user: User) -> bool:
    return user.is_hq and user.has_role(*HQ_SHARING_ROLES)


def require_hq_sharing(user: User) -> None:
    if not may_read_hq_sharing(user):
        raise Forbidden("共享协议、访问日志与反馈仅限总局管理员和督查人员查看", {"roles": list(HQ_SHARING_ROLES)})


def partners_overview() -> QuerySet[Partner]:
    return Partner.objects.select_related("organization").prefetch_related("lists").order_by("organization__code")


def agreements_all() -> QuerySet[SharingAgreement]:
    return SharingAgreement.objects.select_related("partner__organization", "requested_by", "decided_by")


def agreement_get(user: User, pk: int) -> SharingAgreement:
    require_hq_sharing(user)
    found = agreements_all().filter(pk=pk).first()
    if found is None:
        raise NotFound("共享协议")
    return found


def partner_lists_with_sizes() -> QuerySet[PartnerList]:
    return (
        PartnerList.objects.select_related("partner__organization")
        .annotate(
            size=Count("entries", filter=Q(entries__left_version__isnull=True)),
            pending=Count("entries", filter=Q(entries__left_version__isnull=True, entries__enterprise__isnull=True)),
        )
        .order_by("partner__organization__code", "code")
    )


def current_members(partner_list: PartnerList) -> QuerySet[PartnerListEntry]:
    return PartnerListEntry.objects.filter(partner_list=partner_list, left_version__isnull=True).select_related(
        "enterprise"
    )


def access_log_search(
    *, partner_code: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None, allowed: str = ""
) -> QuerySet[AccessLogEntry]:
    qs = AccessLogEntry.objects.select_related("partner__organization", "client")
    if partner_code:
        qs = qs.filter(partner__organization__code=partner_code)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    if allowed in ("yes", "no"):
        qs = qs.filter(allowed=allowed == "yes")
    return qs.order_by("-at", "-id")


def feedback_totals(date_from: dt.date, date_to: dt.date) -> dict[str, dict[str, Any]]:
    """Per partner list: decisions with a joint measure, inspected among them, entries concerned."""
    rows = (
        DecisionJointMeasure.objects.filter(on__gte=date_from, on__lte=date_to)
        .values("list_code")
        .annotate(
            decisions=Count("id"),
            inspected=Count("id", filter=Q(inspect=True)),
            entries=Count("credit_code", distinct=True),
        )
    )
    return {r["list_code"]: dict(r) for r in rows}
