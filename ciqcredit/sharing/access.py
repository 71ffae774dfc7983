"""Who may read which shared list, and the log of every read (allowed or refused).

`shared_read` answers for a partner's client asking for a list (and fields) today: the approved agreements in
force that cover the list grant the union of their fields. A refusal is logged, then raised as 403 with a
stable code: `not_a_partner` (a client of the inspection system: it has its own endpoints),
`no_agreement` (the partner has no approved agreement in force), `list_not_agreed` (none in force covers the
list), `field_not_agreed` (a field asked for is granted by none of them).
"""

from dataclasses import dataclass
from typing import Any

from ciqcredit import clock
from ciqcredit.errors import Forbidden
from ciqcredit.organizations.models import User
from ciqcredit.partners.models import Partner
from ciqcredit.partners.selectors import partner_of
from ciqcredit.sharing.models import AccessLogEntry, AgreementStatus, SharedField, SharedList, SharingAgreement


@dataclass(frozen=True)
class Grant:
    partner: Partner
    client: User
    agreement: SharingAgreement
    fields: tuple[str, ...]


def access_log(
    *,
    partner: Partner,
    client: User,
    endpoint: str,
    list_code: str = "",
    params: dict[str, Any] | None = None,
    rows: int = 0,
    agreement: SharingAgreement | None = None,
    refusal: str = "",
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        partner=partner,
        client=client,
        agreement=agreement,
        endpoint=endpoint[:200],
        list_code=list_code,
        params=params or {},
        rows=rows,
        allowed=not refusal,
        refusal=refusal,
        at=clock.now(),
    )


def agreements_in_force(partner: Partner) -> list[SharingAgreement]:
    today = clock.today()
    approved = SharingAgreement.objects.filter(partner=partner, status=AgreementStatus.APPROVED, valid_from__lte=today)
    return [a for a in approved.order_by("valid_from", "id") if a.in_force(today)]


def require_partner(user: User) -> Partner:
    partner = partner_of(user)
    if partner is None:
        raise Forbidden(
            "共享接口仅供已登记的合作部门使用；检验检疫系统的接入账号请使用各自的接口",
            {"reason": "not_a_partner"},
            code="not_a_partner",
        )
    return partner


def shared_read(
    user: User, *, list_code: str, fields: list[str] | None, endpoint: str, params: dict[str, Any]
) -> Grant:
    """The grant for reading `list_code` today (every field the agreements give, or those asked for)."""
    partner = require_partner(user)
    in_force = agreements_in_force(partner)
    covering = [a for a in in_force if list_code in a.lists]
    granted = sorted({f for a in covering for f in a.fields})
    refusal, message, details = "", "", {}
    if not in_force:
        refusal, message = "no_agreement", "没有在有效期内的已批准共享协议，不能读取共享数据"
    elif not covering:
        label = SharedList(list_code).label if list_code in SharedList.values else list_code
        refusal, message = "list_not_agreed", f"共享协议不包括“{label}”"
        details = {"list": list_code, "agreed_lists": sorted({v for a in in_force for v in a.lists})}
    elif fields is not None and set(fields) - set(granted):
        extra = sorted(set(fields) - set(granted))
        labels = "、".join(SharedField(f).label if f in SharedField.values else f for f in extra)
        refusal, message = "field_not_agreed", f"共享协议不包括字段：{labels}"
        details = {"fields": extra, "agreed_fields": granted}
    if refusal:
        access_log(partner=partner, client=user, endpoint=endpoint, list_code=list_code, params=params, refusal=refusal)
        raise Forbidden(message, details, code=refusal)
    return Grant(partner, user, covering[0], tuple(granted if fields is None else sorted(set(fields))))
