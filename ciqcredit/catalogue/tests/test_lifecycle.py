"""A draft is a copy of the latest published version; draft → in_review → published, or back with a reason."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.choices import RULE_KINDS, Kind
from ciqcredit.catalogue.models import CatalogueVersion, RuleSetVersion, VersionTransition
from ciqcredit.catalogue.services import (
    version_draft_create,
    version_publish,
    version_return,
    version_submit,
    version_update,
)
from ciqcredit.errors import DomainError

from .conftest import SYSTEM


def test_new_draft_copies_the_latest_published_version(reference, cast):
    v1 = CatalogueVersion.objects.get(number=1)
    draft = version_draft_create(kind=Kind.CATALOGUE, actor=Actor.of(cast.hq_rules))
    assert (draft.number, draft.status, draft.based_on_id) == (2, "draft", v1.pk)
    assert sorted(draft.items.values_list("code", "points")) == sorted(v1.items.values_list("code", "points"))
    assert not draft.is_reference and draft.created_by == cast.hq_rules
    rules = version_draft_create(kind=Kind.RULESET, actor=Actor.of(cast.hq_admin))
    assert rules.params == RuleSetVersion.objects.get(number=1).params and rules.cases_yaml


def test_first_draft_of_a_kind_is_empty(cast):
    draft = version_draft_create(kind=Kind.CATALOGUE, actor=Actor.of(cast.hq_admin))
    assert (draft.number, draft.based_on, draft.items.count()) == (1, None, 0)
    ruleset = version_draft_create(kind=Kind.RULESET, actor=Actor.of(cast.hq_admin))
    assert ruleset.rule_params.immediate_downgrade.threshold == 24  # schema defaults, not an empty dict


@pytest.mark.parametrize("kind", RULE_KINDS)
def test_only_one_open_version_per_kind(reference, cast, kind):
    draft = version_draft_create(kind=kind, actor=Actor.of(cast.hq_admin))
    with pytest.raises(DomainError) as exc:
        version_draft_create(kind=kind, actor=Actor.of(cast.hq_admin))
    assert exc.value.code == "draft_exists" and exc.value.status == 409
    version_submit(version=draft, actor=Actor.of(cast.hq_admin))
    with pytest.raises(DomainError) as exc:  # in review still counts as open
        version_draft_create(kind=kind, actor=Actor.of(cast.hq_admin))
    assert exc.value.code == "draft_exists"


def test_submit_return_with_reason_and_publish_each_leave_a_transition_and_an_audit_row(reference, cast, today):
    draft = version_draft_create(kind=Kind.CATALOGUE, actor=Actor.of(cast.hq_rules))
    version_submit(version=draft, actor=Actor.of(cast.hq_rules))
    with pytest.raises(DomainError) as exc:
        version_return(version=draft, reason="  ", actor=Actor.of(cast.hq_admin))
    assert exc.value.code == "missing_reason"
    version_return(version=draft, reason="请核对报检差错的分值", actor=Actor.of(cast.hq_admin))
    draft.refresh_from_db()
    assert draft.status == "draft"
    version_update(version=draft, title="2017年修订", notes="", actor=Actor.of(cast.hq_rules))
    version_submit(version=draft, actor=Actor.of(cast.hq_rules))
    version_publish(version=draft, effective_from=today, actor=Actor.of(cast.hq_admin))
    draft.refresh_from_db()
    assert (draft.status, draft.effective_from, draft.published_by) == ("published", today, cast.hq_admin)
    steps = list(
        VersionTransition.objects.filter(kind="catalogue", version_id=draft.pk).values_list(
            "from_status", "to_status", "reason", "actor_label"
        )
    )
    assert steps == [
        ("", "draft", "", "hq_rules"),
        ("draft", "in_review", "", "hq_rules"),
        ("in_review", "draft", "请核对报检差错的分值", "hq_admin"),
        ("draft", "in_review", "", "hq_rules"),
        ("in_review", "published", "", "hq_admin"),
    ]
    actions = list(
        AuditEntry.objects.filter(target_type="catalogue.catalogueversion", target_id=str(draft.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "catalogue.version.created",
        "catalogue.version.copied",
        "catalogue.version.submitted",
        "catalogue.version.returned",
        "catalogue.version.updated",
        "catalogue.version.submitted",
        "catalogue.version.published",
    ]


def test_publishing_needs_review_first_and_content(cast, today):
    draft = version_draft_create(kind=Kind.CATALOGUE, actor=Actor.of(cast.hq_admin))
    with pytest.raises(DomainError) as exc:
        version_publish(version=draft, effective_from=today, actor=Actor.of(cast.hq_admin))
    assert exc.value.code == "version_not_in_review"
    with pytest.raises(DomainError) as exc:
        version_submit(version=draft, actor=Actor.of(cast.hq_admin))
    assert exc.value.code == "version_incomplete"  # an empty catalogue is not submitted


def test_a_published_version_is_not_published_again(reference, cast, today):
    v1 = CatalogueVersion.objects.get(number=1)
    for call in (
        lambda: version_publish(version=v1, effective_from=today, actor=SYSTEM),
        lambda: version_return(version=v1, reason="x", actor=SYSTEM),
        lambda: version_submit(version=v1, actor=SYSTEM),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "version_published"
