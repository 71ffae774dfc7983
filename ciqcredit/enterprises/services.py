"""Every change to the enterprise registry: the import from the enterprise management system (§三(一)),
the single upsert behind `PUT /api/v1/enterprises/{credit_code}`, and status changes.

All three go through one writer (`_RegistryWriter`): rows are checked by importing.RowValidator, compared
with the stored enterprises one batch at a time, and only what changed is written, with its audit rows, in
the caller's transaction.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log, audit_log_many, audit_log_rows
from ciqcredit.enterprises.importing import (
    CONTRACT_FIELDS,
    EnterpriseRow,
    ImportFileError,
    ImportResult,
    RowError,
    RowValidator,
)
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.selectors import SEARCH_FTS, SEARCH_FTS_BULK
from ciqcredit.enterprises.signals import enterprises_registered
from ciqcredit.enterprises.types import decode_types
from ciqcredit.errors import Conflict, DomainError, Forbidden, NotFound
from ciqcredit.organizations.models import Organization
from ciqcredit.organizations.roles import HQ_CODE, Level
from ciqcredit.sql import collector_paused, insert_rows, reserve_ids

BATCH_SIZE = 5000
# Django's bulk_update is one CASE per field; PostgreSQL walks the CASE per row, so keep those batches modest.
UPDATE_BATCH_SIZE = 500
# Stored columns compared on import, in the order of the tuples built below.
STORED_FIELDS = (
    "name",
    "org_code",
    "ciq_registration_no",
    "legal_representative",
    "address",
    "main_business",
    "types",
    "registering_org_id",
    "registered_on",
    "status",
)
_AUDIT_NAMES = {"registering_org_id": "registering_org"}

Progress = Callable[[int], None]


@dataclass(frozen=True)
class _Registry:
    """The organization table as the writer needs it, and the codes the caller may act on (None: all)."""

    ids: dict[str, int]
    codes: dict[int, str]
    scope: frozenset[str] | None
    acting_org: Organization


def _registry_for(actor: Actor, scope_org: Organization | None = None) -> _Registry:
    user = actor.user
    if user is not None and (user.is_enterprise_user or not user.is_active):
        raise Forbidden("企业用户不能维护企业名录")
    acting_org = user.organization if user is not None else Organization.objects.filter(code=HQ_CODE).first()
    if acting_org is None:
        raise DomainError("missing_hq", "机构表中没有总局（000000），请先运行 ciqcredit setup")
    if scope_org is not None:
        if not scope_org.is_within(acting_org):
            raise NotFound("机构")
        acting_org = scope_org
    orgs = list(Organization.objects.values_list("id", "code", "path"))
    scope = None
    if acting_org.level != Level.HQ:
        scope = frozenset(code for _, code, path in orgs if path.startswith(acting_org.path))
    return _Registry(
        ids={code: pk for pk, code, _ in orgs},
        codes={pk: code for pk, code, _ in orgs},
        scope=scope,
        acting_org=acting_org,
    )


def _audit_value(field: str, value: Any, registry: _Registry) -> Any:
    if field == "registering_org_id":
        return registry.codes.get(value)
    if field == "registered_on":
        return value.isoformat() if value is not None else None
    if field == "types":
        return decode_types(value)
    return value


def _audit_dict(fields: Iterable[str], values: Mapping[str, Any], registry: _Registry) -> dict[str, Any]:
    return {_AUDIT_NAMES.get(f, f): _audit_value(f, values[f], registry) for f in fields}


_AS_STORED = STORED_FIELDS[:6]  # the text columns, audited as they are


def _audit_created(values: Mapping[str, Any], registry: _Registry) -> dict[str, Any]:
    """`_audit_dict(STORED_FIELDS, values, registry)` for a new enterprise, one field after another without a
    call per field (a first import audits every enterprise)."""
    audit = {name: values[name] for name in _AS_STORED}
    registered_on = values["registered_on"]
    audit["types"] = decode_types(values["types"])
    audit["registering_org"] = registry.codes.get(values["registering_org_id"])
    audit["registered_on"] = registered_on.isoformat() if registered_on is not None else None
    audit["status"] = values["status"]
    return audit


@contextmanager
def _search_index_after(first_id: int, last_id: int) -> Iterator[None]:
    """SQLite: index the new enterprises for search in one statement after the bulk insert, instead of one by one
    through the insert trigger (migration 0004). Inside the import's transaction, so an error undoes both.
    PostgreSQL's GIN index needs nothing of the kind (its pending list batches the inserts)."""
    if connection.vendor != "sqlite":
        yield
        return
    columns = "name, credit_code, org_code, ciq_registration_no"
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {SEARCH_FTS_BULK} (active) VALUES (1)")
        yield
        cursor.execute(f"DELETE FROM {SEARCH_FTS_BULK}")
        cursor.execute(
            f"INSERT INTO {SEARCH_FTS} (rowid, {columns}) SELECT id, {columns} FROM {Enterprise._meta.db_table} "
            "WHERE id BETWEEN %s AND %s",
            [first_id, last_id],
        )


class _RegistryWriter:
    """Compares checked rows with the stored enterprises and writes the difference, batch by batch."""

    def __init__(self, *, registry: _Registry, actor: Actor):
        self.registry = registry
        self.actor = actor
        self.now = clock.now()

    def _stored_values(self, row: EnterpriseRow) -> tuple:
        return (
            row.name,
            row.org_code,
            row.ciq_registration_no,
            row.legal_representative,
            row.address,
            row.main_business,
            row.types,
            self.registry.ids[row.registering_org],
            row.registered_on,
            row.status,
        )

    def write(self, rows: list[EnterpriseRow], result: ImportResult, *, dry_run: bool = False) -> dict[str, str]:
        """Classify and (unless dry_run) write one batch. Returns {credit_code: created|updated|unchanged}."""
        if not rows:
            return {}
        existing = {
            values[0]: values[1:]
            for values in Enterprise.objects.filter(credit_code__in=[r.credit_code for r in rows]).values_list(
                "credit_code", "id", *STORED_FIELDS
            )
        }
        scope, codes = self.registry.scope, self.registry.codes
        outcome: dict[str, str] = {}
        creates: list[tuple[EnterpriseRow, tuple]] = []
        updates: list[tuple[int, str, tuple, tuple]] = []
        for row in rows:
            new = self._stored_values(row)
            stored = existing.get(row.credit_code)
            if stored is None:
                creates.append((row, new))
                outcome[row.credit_code] = "created"
                continue
            pk, old = stored[0], stored[1:]
            if scope is not None and codes[old[7]] not in scope:
                # The enterprise is registered outside the caller's subtree: it may not be changed (or moved) here.
                message = f"企业{row.credit_code}的备案地不在您的管辖范围内"
                result.rejected.append(RowError(row.line, "credit_code", "out_of_scope", message))
                continue
            if old == new:
                outcome[row.credit_code] = "unchanged"
            else:
                updates.append((pk, row.credit_code, old, new))
                outcome[row.credit_code] = "updated"
        counts = list(outcome.values())
        result.created += counts.count("created")
        result.updated += counts.count("updated")
        result.unchanged += counts.count("unchanged")
        if not dry_run:
            self._create(creates)
            self._update(updates)
        return outcome

    def _create(self, creates: list[tuple[EnterpriseRow, tuple]]) -> None:
        """New enterprises and their audit rows, written without model instances (COPY on PostgreSQL)."""
        if not creates:
            return
        ids = reserve_ids(Enterprise, len(creates))
        moments = {"created_at": self.now, "updated_at": self.now}
        rows = [
            {"id": pk, "credit_code": row.credit_code, **dict(zip(STORED_FIELDS, values, strict=True)), **moments}
            for pk, (row, values) in zip(ids, creates, strict=True)
        ]
        with _search_index_after(ids[0], ids[-1]):
            insert_rows(Enterprise, rows)
        audit_log_rows(
            actor=self.actor,
            action="enterprises.enterprise.created",
            model=Enterprise,
            changes=[
                (
                    row["id"],
                    Enterprise.label_of(row["name"], row["credit_code"]),
                    None,
                    {"credit_code": row["credit_code"], **_audit_created(row, self.registry)},
                    row["registering_org_id"],
                )
                for row in rows
            ],
        )
        enterprises_registered.send(
            sender=Enterprise, ids_by_code={row["credit_code"]: row["id"] for row in rows}, actor=self.actor
        )

    def _update(self, updates: list[tuple[int, str, tuple, tuple]]) -> None:
        if not updates:
            return
        objs: list[Enterprise] = []
        changed_fields: set[str] = set()
        by_org: dict[int, list] = defaultdict(list)
        for pk, credit_code, old, new in updates:
            changed = [f for f, a, b in zip(STORED_FIELDS, old, new, strict=True) if a != b]
            changed_fields.update(changed)
            values = dict(zip(STORED_FIELDS, new, strict=True))
            obj = Enterprise(pk=pk, credit_code=credit_code, **values, updated_at=self.now)
            objs.append(obj)
            old_values = dict(zip(STORED_FIELDS, old, strict=True))
            by_org[values["registering_org_id"]].append(
                (obj, _audit_dict(changed, old_values, self.registry), _audit_dict(changed, values, self.registry))
            )
        Enterprise.objects.bulk_update(objs, [*sorted(changed_fields), "updated_at"], batch_size=UPDATE_BATCH_SIZE)
        for org_id, changes in by_org.items():
            audit_log_many(
                actor=self.actor, action="enterprises.enterprise.updated", changes=changes, organization_id=org_id
            )


class _Rollback(Exception):
    """Leaves the import's transaction without writing anything (all-or-nothing)."""


def enterprises_import(
    *,
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    actor: Actor,
    partial: bool = False,
    progress: Progress | None = None,
    scope_org: Organization | None = None,
    source: str = "",
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import registry rows (from importing.read_rows), idempotent by credit code.

    All-or-nothing unless `partial`: one bad row and nothing is written (the counts are then zero and
    `rejected` lists every problem). With `partial`, valid rows are written and bad ones reported. The
    caller may only touch enterprises registered in its organization subtree (`scope_org` narrows it).
    `progress(rows_read)` is called after each batch.
    """
    registry = _registry_for(actor, scope_org)
    validator = RowValidator(org_codes=registry.ids, scope=registry.scope)
    writer = _RegistryWriter(registry=registry, actor=actor)
    result = ImportResult()
    read = 0
    try:
        with collector_paused(), transaction.atomic():
            batch: list[EnterpriseRow] = []
            for line, raw in rows:
                read += 1
                checked = validator.validate(line, raw)
                if isinstance(checked, list):
                    result.rejected.extend(checked)
                else:
                    batch.append(checked)
                if len(batch) >= batch_size:
                    # After a refusal in all-or-nothing mode, go on checking (scope of stored rows) but write nothing.
                    writer.write(batch, result, dry_run=bool(result.rejected) and not partial)
                    batch = []
                    if progress:
                        progress(read)
            writer.write(batch, result, dry_run=bool(result.rejected) and not partial)
            if progress:
                progress(read)
            if result.rejected and not partial:
                raise _Rollback
            audit_log(
                actor=actor,
                action="enterprises.import.completed",
                target=registry.acting_org,
                organization_id=registry.acting_org.id,
                new={
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "rejected": len(result.rejected),
                    "partial": partial,
                    "source": source,
                },
            )
    except _Rollback:
        _nothing_written(result)
    except ImportFileError as exc:
        _nothing_written(result)
        result.rejected.extend(exc.errors)
    except IntegrityError as exc:
        raise Conflict("concurrent_import", "另一导入同时写入了相同的企业，请稍后重试") from exc
    result.rejected.sort(key=lambda e: e.line)
    return result


def _nothing_written(result: ImportResult) -> None:
    result.created = result.updated = result.unchanged = 0


def _invalid(errors: list[RowError]) -> DomainError:
    details = {"errors": [{"field": e.field, "code": e.code, "message": e.message} for e in errors]}
    summary = "；".join(e.message for e in errors)
    return DomainError("validation_error", f"企业信息有误：{summary}", details, status=422)


def enterprise_upsert(*, data: Mapping[str, Any], actor: Actor) -> tuple[Enterprise, str]:
    """Create or update one enterprise from contract fields; returns it and "created"/"updated"/"unchanged".

    Raises 422 (`validation_error`, every field error in details), 403 `out_of_scope` when the registering
    organization lies outside the caller's subtree, 404 when the stored enterprise does.
    """
    registry = _registry_for(actor)
    stored_org = (
        Enterprise.objects.filter(credit_code=str(data.get("credit_code") or ""))
        .values_list("registering_org_id", flat=True)
        .first()
    )
    if stored_org is not None and registry.scope is not None and registry.codes[stored_org] not in registry.scope:
        raise NotFound("企业")  # someone else's enterprise: as if it did not exist, whatever the data says
    checked = RowValidator(org_codes=registry.ids, scope=registry.scope).validate(1, data)
    if isinstance(checked, list):
        if [e.code for e in checked] == ["out_of_scope"]:
            raise Forbidden(checked[0].message, {"field": checked[0].field}, code="out_of_scope")
        raise _invalid(checked)
    result = ImportResult()
    try:
        with transaction.atomic():
            outcome = _RegistryWriter(registry=registry, actor=actor).write([checked], result)
    except IntegrityError as exc:
        raise Conflict("concurrent_update", "该企业正被同时写入，请稍后重试") from exc
    if result.rejected:
        raise NotFound("企业")
    enterprise = Enterprise.objects.select_related("registering_org").get(credit_code=checked.credit_code)
    return enterprise, outcome[checked.credit_code]


def enterprise_contract(enterprise: Enterprise) -> dict[str, Any]:
    """The enterprise in the integration contract's terms (as imported, as the API returns it)."""
    values = {name: getattr(enterprise, name) for name in CONTRACT_FIELDS if name not in ("types", "registering_org")}
    values["types"] = enterprise.type_slugs
    values["registering_org"] = enterprise.registering_org.code
    values["registered_on"] = enterprise.registered_on.isoformat() if enterprise.registered_on else None
    return values


def enterprise_set_status(*, enterprise: Enterprise, status: str, actor: Actor) -> tuple[Enterprise, str]:
    """Mark an enterprise active or cancelled (注销); same checks, scope and audit as any other update."""
    return enterprise_upsert(data={**enterprise_contract(enterprise), "status": status}, actor=actor)
