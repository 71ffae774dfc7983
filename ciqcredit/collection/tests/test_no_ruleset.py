"""Deadlines come from the published rule set only: without one in force, collection says so and stores nothing."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.catalogue.models import RuleSetVersion
from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.services import record_create
from ciqcredit.collection.tests.conftest import supervision_args
from ciqcredit.errors import DomainError


def test_collection_refuses_when_no_rule_set_is_in_force(world):
    RuleSetVersion.objects.all().delete()
    cache_clear()
    with pytest.raises(DomainError) as exc:
        record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    assert exc.value.code == "no_ruleset"
    assert not CreditRecord.objects.exists()
