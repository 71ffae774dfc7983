"""The joint measures' content (联合奖惩措施, §五(三)): which partner list leads to which measures in which area.

A joint-measure version follows the lifecycle of every rules version (catalogue.services: draft → in review →
published, immutable once published, a correction is a new version). This module replaces a draft's measures
from a file, checking every row as the pages check one (catalogue.validation.clean_joint_measure; the pages' one-by-one
changes are catalogue.editing's); the reference version is published by `ciqcredit setup` (catalogue.reference).
"""

from typing import Any

from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.catalogue.access import require_editor
from ciqcredit.catalogue.models import JointMeasure, JointMeasureVersion
from ciqcredit.catalogue.services import lock_version, require_draft
from ciqcredit.catalogue.validation import clean_joint_measure, list_code_error
from ciqcredit.errors import DomainError

__all__ = ["joint_measures_from_yaml", "joint_measures_replace", "list_code_error"]


@transaction.atomic
def joint_measures_replace(*, version: JointMeasureVersion, measures: list[dict[str, Any]], actor: Actor) -> int:
    """Replace a draft's joint measures in one step (all or nothing: every bad row is named)."""
    require_editor(actor)
    locked = lock_version(version)
    assert isinstance(locked, JointMeasureVersion)
    require_draft(locked)
    cleaned = [clean_joint_measure(entry, row=i) for i, entry in enumerate(measures, start=1)]
    errors = [e for _, row_errors in cleaned for e in row_errors]
    problems = [f"第{e.row}项：{e.message}" for e in errors]
    codes = [data["code"] for data, _ in cleaned]
    if len(set(codes)) != len(codes):
        problems.append("措施编号重复")
    if problems:
        raise DomainError(
            "invalid_joint_measures",
            "联合奖惩措施有误：" + "；".join(problems),
            {"problems": problems, "errors": [e.as_dict() for e in errors]},
        )
    locked.joint_measures.all().delete()
    JointMeasure.objects.bulk_create(
        JointMeasure(version=locked, position=position, **data) for position, (data, _) in enumerate(cleaned)
    )
    audit_log(
        actor=actor,
        action="catalogue.joint.content_replaced",
        target=locked,
        new={"measures": len(measures), "lists": sorted({data["list_code"] for data, _ in cleaned})},
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
