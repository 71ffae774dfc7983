"""What the public site shows, and nothing else: plain dicts built here from the apps below, cached.

Nothing here carries an internal id, a record, a person or an office's internal working: the serious list (name,
credit code, reason, listing date, decision number), the grade of an enterprise only as far as the rule set's
`disclosure.public_grades` and the list make it public, the published measures, and a certificate's validity.

Caching (Django's cache, `PUBLIC_CACHE_SECONDS`, default 60): every key carries the id of the latest listing or
removal grade change (one lookup on a small partial index), so a listing or a removal shows at the next request;
anything else (an AA batch, a new measure list) shows within `PUBLIC_CACHE_SECONDS`. Certificate checks are not
cached: a revoked or invalidated certificate must never read as valid (the rate limit bounds their cost).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from ciqcredit import clock
from ciqcredit.catalogue.choices import MeasureArea, MeasureGrade
from ciqcredit.catalogue.models import Measure
from ciqcredit.catalogue.selectors import measure_list_on, ruleset_on
from ciqcredit.certificates.selectors import certificate_by_code, certificate_validity, normalize_code
from ciqcredit.dynamic.models import CaseKind, CaseRecord, CaseStatus, DynamicCase
from ciqcredit.enterprises.codes import credit_code_error
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.rating.models import AABatch, GradeCause, GradeChange
from ciqcredit.rating.services.grades import grade_on


def _list_stamp() -> int:
    """Changes with every listing and every removal."""
    found = GradeChange.objects.filter(cause__in=[GradeCause.LISTING, GradeCause.REMOVAL]).aggregate(m=Max("id"))
    return found["m"] or 0


def _cached(key: str, build) -> Any:
    seconds = settings.PUBLIC_CACHE_SECONDS
    if seconds <= 0:
        return build()
    full = f"public:{_list_stamp()}:{clock.today().isoformat()}:{key}"
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, seconds)
    return value


def _reason(case: DynamicCase, conduct: list[str]) -> str:
    return "；".join(conduct) + f"（{case.detail}）" if conduct else case.detail


def _serious_list_rows() -> list[dict[str, Any]]:
    cases = list(
        DynamicCase.objects.filter(
            kind=CaseKind.SERIOUS_LIST, status=CaseStatus.APPROVED, carried_out_on__lte=clock.today()
        )
        .select_related("enterprise", "batch")
        .order_by("-carried_out_on", "enterprise__credit_code")
    )
    conduct: dict[int, list[str]] = {}
    for case_id, name in (
        CaseRecord.objects.filter(case__in=cases)
        .order_by("case_id", "record__occurred_on", "id")
        .values_list("case_id", "record__item__name")
    ):
        names = conduct.setdefault(case_id, [])
        if name not in names:
            names.append(name)
    return [
        {
            "name": case.enterprise.name,
            "credit_code": case.enterprise.credit_code,
            "reason": _reason(case, conduct.get(case.pk, [])),
            "listed_on": case.carried_out_on.isoformat() if case.carried_out_on else "",
            "decision_number": case.batch.number if case.batch else "",
        }
        for case in cases
    ]


def serious_list() -> list[dict[str, Any]]:
    """Every enterprise on the list today, newest listing first; a removed enterprise is off it from its removal."""
    return _cached("serious-list", _serious_list_rows)


def _aa_batch_number(change_id: int | None) -> str:
    change = GradeChange.objects.filter(pk=change_id, cause=GradeCause.AA_BATCH).first() if change_id else None
    if change is None or not change.source_id.isdigit():
        return ""
    batch = AABatch.objects.filter(pk=int(change.source_id)).first()
    return batch.number if batch else ""


def _grade_answer(credit_code: str) -> dict[str, Any]:
    enterprise = Enterprise.objects.filter(credit_code=credit_code).first()
    if enterprise is None:
        return {"found": False, "credit_code": credit_code}
    today = clock.today()
    answer: dict[str, Any] = {
        "found": True,
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "serious_list": None,
        "grade": None,
        "grade_from": None,
        "aa_batch": "",
    }
    listed = next((row for row in serious_list() if row["credit_code"] == credit_code), None)
    if listed is not None:
        answer["serious_list"] = listed
        return answer
    ruleset = ruleset_on(today)
    public_grades = ruleset.rule_params.disclosure.public_grades if ruleset else ()
    current = grade_on(enterprise, today)
    if current.grade in public_grades:
        answer["grade"] = current.grade
        answer["grade_from"] = current.effective_from.isoformat() if current.effective_from else None
        answer["aa_batch"] = _aa_batch_number(current.change_id) if current.grade == "AA" else ""
    return answer


def grade_query(text: str) -> dict[str, Any]:
    """The public answer for a credit code: `error` when it cannot be one, else what the rules make public."""
    code = (text or "").strip().upper()
    problem = credit_code_error(code)
    if problem is not None:
        return {"error": problem[1], "credit_code": code}
    return _cached(f"grade:{code}", lambda: _grade_answer(code))


def public_grades() -> tuple[str, ...]:
    ruleset = ruleset_on(clock.today())
    return tuple(ruleset.rule_params.disclosure.public_grades) if ruleset else ()


def _measures() -> dict[str, Any]:
    version = measure_list_on(clock.today())
    if version is None:
        return {"version": None, "rows": [], "areas": []}
    measures: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for m in Measure.objects.filter(version=version).order_by("position", "code"):
        measures.setdefault((m.grade, m.area), []).append(
            {"title": m.title, "parameters": m.parameter_labels, "description": m.description}
        )
    rows = []
    for slug, label in MeasureGrade.choices:
        cells = [measures.get((slug, area), []) for area in MeasureArea.values]
        if any(cells):
            rows.append({"label": label, "cells": cells})
    return {
        "version": {
            "title": str(version),
            "effective_from": version.effective_from.isoformat() if version.effective_from else None,
        },
        "rows": rows,
        "areas": [label for _, label in MeasureArea.choices],
    }


def published_measures() -> dict[str, Any]:
    return _cached("measures", _measures)


def _check(code: str) -> dict[str, Any]:
    certificate = certificate_by_code(code)
    if certificate is None:
        return {"found": False, "code": code}
    validity = certificate_validity(certificate)
    return {
        "found": True,
        "code": certificate.display_code,
        "name": certificate.enterprise.name,
        "credit_code": certificate.enterprise.credit_code,
        "grade": certificate.grade,
        "grade_from": certificate.grade_from.isoformat(),
        "issued_on": certificate.issued_on.isoformat(),
        "issuer": certificate.organization.name,
        "valid": validity.valid,
        "reason": validity.reason,
    }


def certificate_check(text: str) -> dict[str, Any]:
    """The public check of a verification code: `error` when it cannot be one; `found` False when none has it."""
    code = normalize_code(text)
    if code is None:
        return {"error": "验证码应为16位字母和数字（可含连字符）", "found": False, "code": ""}
    return _check(code)  # never cached: a revoked or invalidated certificate must never read as valid


def today_label() -> dt.date:
    return clock.today()
