"""A published version is immutable: every service refuses it with `version_published`; one in review with
`version_not_draft`. A correction is a new version."""

import pytest

from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.editing import (
    catalogue_item_create,
    catalogue_item_delete,
    catalogue_item_update,
    measure_create,
    measure_delete,
    measure_update,
    ruleset_update,
)
from ciqcredit.catalogue.exchange import version_import
from ciqcredit.catalogue.exporting import export_version
from ciqcredit.catalogue.models import CatalogueVersion, MeasureListVersion, RuleSetVersion
from ciqcredit.catalogue.services import version_draft_create, version_submit, version_update
from ciqcredit.errors import DomainError

from .conftest import SYSTEM

ITEM = {
    "code": "T-1",
    "name": "测试",
    "category": "other",
    "points": 1,
    "department": "法规司",
    "collection": "manual",
    "association_kind": "generated_j",
}
MEASURE = {"code": "T-1", "grade": "B", "area": "approval", "title": "测试"}


def _changes(catalogue, ruleset, measures):
    item = catalogue.items.first()
    measure = measures.measures.first()
    return {
        "version_update": lambda: version_update(version=catalogue, title="x", notes="", actor=SYSTEM),
        "item_create": lambda: catalogue_item_create(version=catalogue, fields=ITEM, actor=SYSTEM),
        "item_update": lambda: catalogue_item_update(item=item, fields={"points": 99}, actor=SYSTEM),
        "item_delete": lambda: catalogue_item_delete(item=item, actor=SYSTEM),
        "ruleset_update": lambda: ruleset_update(version=ruleset, params={}, cases_yaml="", actor=SYSTEM),
        "measure_create": lambda: measure_create(version=measures, fields=MEASURE, actor=SYSTEM),
        "measure_update": lambda: measure_update(measure=measure, fields={"title": "改"}, actor=SYSTEM),
        "measure_delete": lambda: measure_delete(measure=measure, actor=SYSTEM),
        "import": lambda: version_import(
            version=catalogue, content=export_version(catalogue, "yaml"), fmt="yaml", actor=SYSTEM
        ),
    }


def _frozen(version):
    return export_version(type(version).objects.get(pk=version.pk), "yaml")


def test_every_change_to_a_published_version_is_refused(reference):
    versions = (CatalogueVersion.objects.get(), RuleSetVersion.objects.get(), MeasureListVersion.objects.get())
    before = [_frozen(v) for v in versions]
    for name, change in _changes(*versions).items():
        with pytest.raises(DomainError) as exc:
            change()
        assert (exc.value.code, exc.value.status) == ("version_published", 409), name
    assert [_frozen(v) for v in versions] == before


def test_a_version_in_review_is_not_edited_until_returned(reference):
    versions = [version_draft_create(kind=k, actor=SYSTEM) for k in (Kind.CATALOGUE, Kind.RULESET, Kind.MEASURES)]
    for version in versions:
        version_submit(version=version, actor=SYSTEM)
    for name, change in _changes(*versions).items():
        with pytest.raises(DomainError) as exc:
            change()
        assert exc.value.code == "version_not_draft", name


def test_a_stale_draft_object_cannot_sneak_past_a_publication(reference, today):
    """The caller's object says draft; the row says published. The row wins."""
    draft = version_draft_create(kind=Kind.CATALOGUE, actor=SYSTEM)
    stale = CatalogueVersion.objects.get(pk=draft.pk)
    version_submit(version=draft, actor=SYSTEM)
    from ciqcredit.catalogue.services import version_publish

    version_publish(version=draft, effective_from=today, actor=SYSTEM)
    assert stale.status == "draft"
    with pytest.raises(DomainError) as exc:
        catalogue_item_create(version=stale, fields=ITEM, actor=SYSTEM)
    assert exc.value.code == "version_published"
