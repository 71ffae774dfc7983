"""Every change to partners and their lists: registering a partner and its lists, and receiving list data.

Receiving is the partner's client's act (scope `external_intake`): a full snapshot (`partner_list_snapshot`) or
additions and removals (`partner_list_entries_apply`). Both lock the list row, compare with its open entries and
write a new version only when a code entered or left (or, for a snapshot, when a member's name or reference changed:
its open entry is updated), with its audit row, in one transaction. A snapshot is all
or nothing (a snapshot with a hole would remove whoever sat in it); additions and removals are applied entry by
entry, each refused one named with its reason.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Case, Value, When

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.catalogue.choices import PartnerListKind
from ciqcredit.catalogue.joint import list_code_error
from ciqcredit.enterprises.codes import credit_code_error
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import Conflict, DomainError, Forbidden, NotFound
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Level, Role, Scope
from ciqcredit.organizations.validators import is_valid_org_code
from ciqcredit.partners.models import (
    Partner,
    PartnerKind,
    PartnerList,
    PartnerListEntry,
    PartnerListVersion,
    VersionSource,
)
from ciqcredit.sql import in_values

MAX_ENTRIES = 100_000  # one snapshot; a larger list is sent as additions and removals


def require_hq_admin(actor: Actor) -> None:
    """Partners, lists and agreements are HQ's: an HQ administrator, or a command run on the server."""
    user = actor.user
    if user is None:
        return
    if user.is_system or not (user.is_hq and user.has_role(Role.HQ_ADMIN)):
        raise Forbidden("合作部门、名单与共享协议由总局管理员维护", {"roles": [Role.HQ_ADMIN]})


@transaction.atomic
def partner_create(*, code: str, name: str, kind: str, actor: Actor) -> Partner:
    """A partner regulator: its own organization (level `partner`, outside the hierarchy) and its kind."""
    require_hq_admin(actor)
    code, name = code.strip(), name.strip()
    if not is_valid_org_code(code):
        raise DomainError("bad_org_code", f"合作部门代码“{code}”须为6位数字", {"field": "code"})
    if not name:
        raise DomainError("missing_name", "合作部门名称不能为空", {"field": "name"})
    if kind not in PartnerKind.values:
        allowed = "、".join(f"{k}（{label}）" for k, label in PartnerKind.choices)
        raise DomainError("unknown_partner_kind", f"合作部门类别应为：{allowed}", {"field": "kind"})
    if Organization.objects.filter(code=code).exists():
        raise Conflict("duplicate_org_code", f"机构代码“{code}”已存在", {"field": "code"})
    org = Organization.objects.create(code=code, name=name, parent=None, level=Level.PARTNER, path=f"partner/{code}/")
    partner = Partner.objects.create(organization=org, kind=kind, created_at=clock.now())
    audit_log(
        actor=actor,
        action="partners.partner.created",
        target=partner,
        new={"code": code, "name": name, "kind": kind},
        organization_id=org.pk,
    )
    return partner


@transaction.atomic
def partner_list_create(*, partner: Partner, code: str, title: str, kind: str, actor: Actor) -> PartnerList:
    require_hq_admin(actor)
    code, title = code.strip(), title.strip()
    problem = list_code_error(code)
    if problem:
        raise DomainError("bad_list_code", problem, {"field": "code"})
    if not title:
        raise DomainError("missing_title", "名单名称不能为空", {"field": "title"})
    if kind not in PartnerListKind.values:
        raise DomainError(
            "unknown_list_kind", "名单类别应为 reward（守信激励）或 punishment（失信惩戒）", {"field": "kind"}
        )
    if PartnerList.objects.filter(code=code).exists():
        raise Conflict("duplicate_list_code", f"名单代码“{code}”已存在", {"field": "code"})
    created = PartnerList.objects.create(partner=partner, code=code, title=title, kind=kind, created_at=clock.now())
    audit_log(
        actor=actor,
        action="partners.partner_list.created",
        target=created,
        new={"code": code, "title": title, "kind": kind, "partner": partner.code},
        organization_id=partner.organization_id,
    )
    return created


# ---- receiving list data ----


@dataclass
class EntryError:
    index: int
    credit_code: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "credit_code": self.credit_code, "code": self.code, "message": self.message}


@dataclass
class Received:
    partner_list: PartnerList
    version: int
    changed: bool
    entered: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    size: int = 0
    errors: list[EntryError] = field(default_factory=list)
    details_changed: list[str] = field(default_factory=list)


def require_list_sender(actor: Actor, partner_list: PartnerList) -> User:
    """The client of the partner that owns the list (scope `external_intake`)."""
    user = actor.user
    if user is None or not user.is_system or not user.has_scope(Scope.EXTERNAL_INTAKE):
        raise Forbidden(
            "接口令牌缺少权限范围“external_intake”", {"scope": Scope.EXTERNAL_INTAKE.value}, code="missing_scope"
        )
    if user.organization_id != partner_list.partner.organization_id:
        raise NotFound("名单")
    return user


def _entry_value(raw: Any) -> tuple[str, str, str]:
    if isinstance(raw, str):
        return raw.strip().upper(), "", ""
    if isinstance(raw, dict):
        return (
            str(raw.get("credit_code") or "").strip().upper(),
            str(raw.get("name") or "").strip()[:200],
            str(raw.get("reference") or "").strip()[:100],
        )
    return "", "", ""


def _check(index: int, code: str, seen: set[str]) -> EntryError | None:
    if not code:
        return EntryError(index, code, "missing_credit_code", "缺少统一社会信用代码")
    problem = credit_code_error(code)
    if problem:
        return EntryError(index, code, problem[0], problem[1])
    if code in seen:
        return EntryError(index, code, "duplicate_entry", "同一名单中重复出现")
    seen.add(code)
    return None


def _digest(codes: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(codes)).encode()).hexdigest()


def _lock(partner_list: PartnerList) -> PartnerList:
    return PartnerList.objects.select_for_update().select_related("partner").get(pk=partner_list.pk)


def _write_version(
    locked: PartnerList,
    *,
    source: str,
    entering: dict[str, tuple[str, str]],
    leaving: list[str],
    members_after: set[str],
    actor: Actor,
    on: dt.date,
    changing: dict[str, tuple[tuple[str, str], tuple[str, str]]] | None = None,
) -> PartnerListVersion:
    """The next version: `leaving` closed, `entering` opened (code → name, reference), `changing` (code → old and
    new name, reference) updated on the open entries, and the audit row with the counts and the changed details."""
    changing = changing or {}
    number = locked.version + 1
    now = clock.now()
    version = PartnerListVersion.objects.create(
        partner_list=locked,
        number=number,
        source=source,
        on=on,
        received_at=now,
        client=actor.user,
        size=len(members_after),
        entered=len(entering),
        left=len(leaving),
        changed=len(changing),
        digest=_digest(members_after),
    )
    if leaving:
        PartnerListEntry.objects.filter(partner_list=locked, credit_code__in=leaving, left_version__isnull=True).update(
            left_version=number, until=on
        )
    if changing:
        rows = list(
            PartnerListEntry.objects.filter(
                partner_list=locked, credit_code__in=list(changing), left_version__isnull=True
            )
        )
        for row in rows:
            row.name, row.reference = changing[row.credit_code][1]
            row.details_version = number
        PartnerListEntry.objects.bulk_update(rows, ["name", "reference", "details_version"], batch_size=2000)
    known = dict(Enterprise.objects.filter(credit_code__in=list(entering)).values_list("credit_code", "pk"))
    PartnerListEntry.objects.bulk_create(
        [
            PartnerListEntry(
                partner_list=locked,
                credit_code=code,
                enterprise_id=known.get(code),
                name=name,
                reference=reference,
                since=on,
                entered_version=number,
                matched_at=now if code in known else None,
            )
            for code, (name, reference) in sorted(entering.items())
        ],
        batch_size=2000,
    )
    locked.version = number
    locked.save(update_fields=["version"])
    audit_log(
        actor=actor,
        action="partners.partner_list.received",
        target=locked,
        new={
            "version": number,
            "source": source,
            "entered": len(entering),
            "left": len(leaving),
            "changed": len(changing),
            "size": len(members_after),
            "pending": len(entering) - len(known),
            **({"details": {code: _details(new) for code, (_, new) in sorted(changing.items())}} if changing else {}),
        },
        old={"details": {code: _details(old) for code, (old, _) in sorted(changing.items())}} if changing else None,
        organization_id=locked.partner.organization_id,
    )
    return version


def _details(values: tuple[str, str]) -> dict[str, str]:
    return {"name": values[0], "reference": values[1]}


def _open_details(partner_list: PartnerList) -> dict[str, tuple[str, str]]:
    """code → (name, reference) of the open entries."""
    return {
        code: (name, reference)
        for code, name, reference in PartnerListEntry.objects.filter(
            partner_list=partner_list, left_version__isnull=True
        ).values_list("credit_code", "name", "reference")
    }


def _open_members(partner_list: PartnerList) -> set[str]:
    return set(
        PartnerListEntry.objects.filter(partner_list=partner_list, left_version__isnull=True).values_list(
            "credit_code", flat=True
        )
    )


@transaction.atomic
def partner_list_snapshot(
    *, partner_list: PartnerList, entries: list[Any], actor: Actor, on: dt.date | None = None
) -> Received:
    """The full list as the partner holds it now. The same members with the same details (name, reference) as the
    current version: nothing changes (idempotent); otherwise a new version records who entered, who left and whose
    details changed (updated on their open entries). Any bad entry: nothing is written
    and every bad entry is named (422 `invalid_entries`). `on` (default today) is for loading lists received
    earlier (the demo); the API always receives today."""
    require_list_sender(actor, partner_list)
    if len(entries) > MAX_ENTRIES:
        raise DomainError(
            "too_many_entries", f"一次全量名单至多{MAX_ENTRIES}条，请改用增减条目接口", {"limit": MAX_ENTRIES}
        )
    seen: set[str] = set()
    wanted: dict[str, tuple[str, str]] = {}
    errors = []
    for index, raw in enumerate(entries):
        code, name, reference = _entry_value(raw)
        error = _check(index, code, seen)
        if error:
            errors.append(error)
        else:
            wanted[code] = (name, reference)
    if errors:
        raise DomainError(
            "invalid_entries",
            f"名单中有{len(errors)}条有误，整份名单未接收："
            + "；".join(f"第{e.index + 1}条{e.message}" for e in errors[:5]),
            {"errors": [e.as_dict() for e in errors]},
            status=422,
        )
    locked = _lock(partner_list)
    stored = _open_details(locked)
    current = set(stored)
    entering = {code: wanted[code] for code in wanted.keys() - current}
    leaving = sorted(current - wanted.keys())
    changing = {code: (stored[code], wanted[code]) for code in current & wanted.keys() if stored[code] != wanted[code]}
    if not entering and not leaving and not changing and locked.version:
        return Received(locked, locked.version, False, size=len(current))
    _write_version(
        locked,
        source=VersionSource.SNAPSHOT,
        entering=entering,
        leaving=leaving,
        members_after=set(wanted),
        actor=actor,
        on=on or clock.today(),
        changing=changing,
    )
    return Received(
        locked, locked.version, True, sorted(entering), leaving, len(wanted), details_changed=sorted(changing)
    )


@transaction.atomic
def partner_list_entries_apply(
    *, partner_list: PartnerList, additions: list[Any], removals: list[Any], actor: Actor
) -> Received:
    """Additions and removals, entry by entry: a bad code, a duplicate or the removal of a code that is not on
    the list is refused alone with its reason; the others are applied as one new version (none if nothing
    changed: an addition of a member, or nothing valid)."""
    require_list_sender(actor, partner_list)
    if len(additions) + len(removals) > MAX_ENTRIES:
        raise DomainError("too_many_entries", f"一次至多{MAX_ENTRIES}条", {"limit": MAX_ENTRIES})
    locked = _lock(partner_list)
    current = _open_members(locked)
    errors: list[EntryError] = []
    seen: set[str] = set()
    entering: dict[str, tuple[str, str]] = {}
    for index, raw in enumerate(additions):
        code, name, reference = _entry_value(raw)
        error = _check(index, code, seen)
        if error:
            errors.append(error)
        elif code not in current:
            entering[code] = (name, reference)
    leaving: list[str] = []
    offset = len(additions)  # removals are numbered after the additions
    for index, raw in enumerate(removals, start=offset):
        code, _, _ = _entry_value(raw)
        error = _check(index, code, seen)
        if error is None and code not in current:
            error = EntryError(index, code, "not_listed", "该代码不在名单中，无法移出")
        if error:
            errors.append(error)
        else:
            leaving.append(code)
    if not entering and not leaving:
        return Received(locked, locked.version, False, size=len(current), errors=errors)
    members_after = (current | entering.keys()) - set(leaving)
    _write_version(
        locked,
        source=VersionSource.ENTRIES,
        entering=entering,
        leaving=sorted(leaving),
        members_after=members_after,
        actor=actor,
        on=clock.today(),
    )
    return Received(locked, locked.version, True, sorted(entering), sorted(leaving), len(members_after), errors)


def entries_match(*, ids_by_code: dict[str, int]) -> int:
    """Link the waiting entries of newly registered enterprises: per chunk of codes, one UPDATE that picks each
    entry's enterprise by its code (the pending index answers it; usually nothing waits)."""
    now = clock.now()
    codes = sorted(ids_by_code)
    matched = 0
    for start in range(0, len(codes), 5000):
        chunk = codes[start : start + 5000]
        codes_in = in_values(PartnerListEntry, "credit_code", chunk)
        pending = PartnerListEntry.objects.filter(codes_in, enterprise__isnull=True)
        waiting = set(pending.values_list("credit_code", flat=True))
        if waiting:
            enterprise = Case(*(When(credit_code=code, then=Value(ids_by_code[code])) for code in sorted(waiting)))
            matched += pending.filter(credit_code__in=waiting).update(enterprise_id=enterprise, matched_at=now)
    return matched
