"""Catalogue fixture data shared by the tests of catalogue and the apps above it: published versions written
directly, bypassing the catalogue services on purpose (those tests are about what rules do once in force)."""

import datetime as dt

from django.utils import timezone

from ciqcredit.catalogue.models import RuleSetVersion
from ciqcredit.rules.params import REFERENCE_PARAMS


def version_fields(number: int) -> dict:
    now = timezone.now()
    return {
        "number": number,
        "status": "published",
        "title": "测试用（夹具数据）",
        "effective_from": dt.date(2014, 1, 1),
        "created_by_label": "system:test",
        "created_at": now,
        "published_at": now,
        "published_by_label": "system:test",
    }


def fixture_ruleset(number: int = 1) -> RuleSetVersion:
    """The reference rule-set parameters, published (fixture data)."""
    return RuleSetVersion.objects.create(params=REFERENCE_PARAMS.model_dump(mode="json"), **version_fields(number))
