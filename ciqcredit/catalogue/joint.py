"""The joint measures' content (联合奖惩措施, §五(三)): which partner list leads to which measures in which area.

A joint-measure version follows the lifecycle of every rules version (catalogue.services: draft → in review →
published, immutable once published, a correction is a new version). This module replaces a draft's measures,
checking every row; the reference version is published by `ciqcredit setup` (catalogue.reference).
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.catalogue.access import require_editor
from ciqcredit.catalogue.choices import DocumentReview, MeasureArea, MeasureGrade, PartnerListKind
from ciqcredit.catalogue.models import JointMeasure, JointMeasureVersion
from ciqcredit.catalogue.services import lock_version, require_draft
from ciqcredit.errors import DomainError

LIST_CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")
FLAGS = ("priority", "green_channel", "paperless")


def list_code_error(code: str) -> str:
    """Why a partner list code is not acceptable ("" when it is): lower-case letters, digits, underscores."""
    if not code or len(code) > 40 or not set(code) <= LIST_CODE_CHARS or not code[0].isalpha():
        return "名单代码应为以字母开头的小写字母、数字和下划线，至多40个字符"
    return ""


def _ratio(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        ratio = Decimal(str(value))
    except InvalidOperation:
        return Decimal(-1)
    return ratio


def _row_problems(i: int, entry: dict[str, Any]) -> list[str]:
    problems = []
    if not str(entry.get("code", "")).strip() or not str(entry.get("title", "")).strip():
        problems.append(f"第{i}项缺少措施编号或措施名称")
    if list_code_error(str(entry.get("list_code", ""))):
        problems.append(f"第{i}项的名单代码有误：{list_code_error(str(entry.get('list_code', '')))}")
    if not str(entry.get("list_title", "")).strip():
        problems.append(f"第{i}项缺少名单名称")
    if entry.get("list_kind") not in PartnerListKind.values:
        problems.append(f"第{i}项的名单类别应为守信激励名单或失信惩戒名单")
    if entry.get("area") not in MeasureArea.values:
        problems.append(f"第{i}项的措施领域不在规定范围内")
    if any(c not in MeasureGrade.values for c in entry.get("for_classes") or []):
        problems.append(f"第{i}项的适用等级不在规定范围内")
    ratio = _ratio(entry.get("sampling_ratio"))
    if ratio is not None and not Decimal(0) <= ratio <= Decimal(1):
        problems.append(f"第{i}项的抽批比例应在0至1之间")
    if entry.get("document_review") not in ("", None, *DocumentReview.values):
        problems.append(f"第{i}项的审单方式不在规定范围内")
    if any(entry.get(flag) not in (None, True, False) for flag in FLAGS):
        problems.append(f"第{i}项的便利措施应为是、否或不设定")
    return problems


@transaction.atomic
def joint_measures_replace(*, version: JointMeasureVersion, measures: list[dict[str, Any]], actor: Actor) -> int:
    """Replace a draft's joint measures in one step (all or nothing: every bad row is named)."""
    require_editor(actor)
    locked = lock_version(version)
    assert isinstance(locked, JointMeasureVersion)
    require_draft(locked)
    problems = [p for i, entry in enumerate(measures, start=1) for p in _row_problems(i, entry)]
    codes = [str(entry.get("code", "")).strip() for entry in measures]
    if len(set(codes)) != len(codes):
        problems.append("措施编号重复")
    if problems:
        raise DomainError("invalid_joint_measures", "联合奖惩措施有误：" + "；".join(problems), {"problems": problems})
    locked.joint_measures.all().delete()
    JointMeasure.objects.bulk_create(
        JointMeasure(
            version=locked,
            position=position,
            code=code,
            list_code=entry["list_code"],
            list_title=str(entry["list_title"]).strip(),
            list_kind=entry["list_kind"],
            area=entry["area"],
            title=str(entry["title"]).strip(),
            description=str(entry.get("description", "")).strip(),
            for_classes=list(entry.get("for_classes") or []),
            sampling_ratio=_ratio(entry.get("sampling_ratio")),
            document_review=entry.get("document_review") or "",
            **{flag: entry.get(flag) for flag in FLAGS},
        )
        for position, (code, entry) in enumerate(zip(codes, measures, strict=True))
    )
    audit_log(
        actor=actor,
        action="catalogue.joint.content_replaced",
        target=locked,
        new={"measures": len(measures), "lists": sorted({m["list_code"] for m in measures})},
    )
    return len(measures)


def joint_measures_from_yaml(*, version: JointMeasureVersion, content: bytes, actor: Actor) -> int:
    """A draft's measures from a YAML file shaped like the reference (`rows:` a list of measures)."""
    import yaml

    from ciqcredit.catalogue.exchange import load_yaml

    try:
        doc = load_yaml(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError):
        raise DomainError("bad_file", "文件不是有效的 UTF-8 YAML", {"field": "file"}) from None
    rows = doc.get("rows") if isinstance(doc, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise DomainError("bad_file", "文件应有 rows：逐项列出联合奖惩措施", {"field": "file"})
    return joint_measures_replace(version=version, measures=rows, actor=actor)
