"""The reference rules shipped with the platform, published as version 1 of each kind on a fresh install.

Every file here is labelled "参考值，待以正式发布的条目和规则替换": the values are modelled on the published
examples and BRIEF.md and are to be replaced by HQ's official tables (a new version, published through the
ordinary lifecycle). The rule set's cases are the rating engine's reference cases
(ciqcredit/rules/reference_cases.yaml), run at publication like any other rule set's.
"""

import datetime as dt
from importlib import resources
from typing import Any

from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.catalogue.choices import Kind, Status
from ciqcredit.catalogue.exchange import load_yaml, parsed_document, version_import_parsed
from ciqcredit.catalogue.services import version_draft_create, version_model, version_publish, version_submit

REFERENCE_EFFECTIVE_FROM = dt.date(2014, 1, 1)  # the credit management regulation (2013 No. 93) took effect
REFERENCE_FILES: dict[str, str] = {
    Kind.CATALOGUE: "catalogue.yaml",
    Kind.RULESET: "ruleset.yaml",
    Kind.MEASURES: "measures.yaml",
}


def reference_file(kind: str) -> bytes:
    return resources.files(__package__).joinpath(REFERENCE_FILES[kind]).read_bytes()


def reference_document(kind: str) -> dict[str, Any]:
    """The reference file, loaded; for the rule set with the rating engine's reference cases added."""
    doc = load_yaml(reference_file(kind).decode("utf-8"))
    if kind == Kind.RULESET:
        from ciqcredit.rules.cases import reference_cases_yaml

        doc["cases_yaml"] = reference_cases_yaml()
    return doc


def reference_rules_load(*, actor: Actor) -> str:
    """Publish the reference catalogue, rule set and measure list as version 1 (effective 2014-01-01).

    Idempotent: a kind that already has a published version is left alone. `actor` must be a system actor
    (`Actor.job("setup")`), the only kind allowed to publish with an effective date in the past.
    """
    done = []
    for kind in (Kind.CATALOGUE, Kind.RULESET, Kind.MEASURES):
        if version_model(kind).objects.filter(status=Status.PUBLISHED).exists():
            done.append(f"{Kind(kind).label}已有发布版本，未改动")
            continue
        with transaction.atomic():
            draft = version_draft_create(kind=kind, actor=actor, is_reference=True, empty=True)
            parsed = parsed_document(kind, reference_document(kind))
            summary = version_import_parsed(version=draft, parsed=parsed, fmt="yaml", actor=actor)
            version_submit(version=draft, actor=actor)
            version_publish(version=draft, effective_from=REFERENCE_EFFECTIVE_FROM, actor=actor)
        done.append(f"{Kind(kind).label}{summary}，已发布（{REFERENCE_EFFECTIVE_FROM:%Y-%m-%d}起生效）")
    return "；".join(done)


def reference_checklist_load(*, actor: Any) -> str:
    """Publish the reference supervision checklist (§六) as version 1; idempotent like the rules above."""
    from ciqcredit.catalogue.checklist import checklist_content_replace
    from ciqcredit.catalogue.models import ChecklistVersion

    if ChecklistVersion.objects.filter(status=Status.PUBLISHED).exists():
        return f"{Kind.CHECKLIST.label}已有发布版本，未改动"
    doc = load_yaml(resources.files(__package__).joinpath("checklist.yaml").read_text("utf-8"))
    with transaction.atomic():
        draft = version_draft_create(kind=Kind.CHECKLIST, actor=actor, title=doc["title"], is_reference=True)
        assert isinstance(draft, ChecklistVersion)
        checklist_content_replace(
            version=draft,
            items=doc["items"],
            schedule=doc["schedule"],
            rectification_days=doc["rectification_days"],
            actor=actor,
        )
        version_submit(version=draft, actor=actor)
        version_publish(version=draft, effective_from=REFERENCE_EFFECTIVE_FROM, actor=actor)
    return f"{Kind.CHECKLIST.label}{len(doc['items'])}项，已发布（{REFERENCE_EFFECTIVE_FROM:%Y-%m-%d}起生效）"


def reference_joint_measures_load(*, actor: Any) -> str:
    """Publish the reference joint measures (联合奖惩, §五(三)) as version 1; idempotent like the rules above."""
    from ciqcredit.catalogue.joint import joint_measures_replace
    from ciqcredit.catalogue.models import JointMeasureVersion

    if JointMeasureVersion.objects.filter(status=Status.PUBLISHED).exists():
        return f"{Kind.JOINT.label}已有发布版本，未改动"
    doc = load_yaml(resources.files(__package__).joinpath("joint.yaml").read_text("utf-8"))
    with transaction.atomic():
        draft = version_draft_create(kind=Kind.JOINT, actor=actor, title=doc["title"], is_reference=True)
        assert isinstance(draft, JointMeasureVersion)
        count = joint_measures_replace(version=draft, measures=doc["rows"], actor=actor)
        version_submit(version=draft, actor=actor)
        version_publish(version=draft, effective_from=REFERENCE_EFFECTIVE_FROM, actor=actor)
    return f"{Kind.JOINT.label}{count}项，已发布（{REFERENCE_EFFECTIVE_FROM:%Y-%m-%d}起生效）"
