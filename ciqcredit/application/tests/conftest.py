import datetime as dt
from dataclasses import dataclass

import pytest

from ciqcredit.actors import Actor
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.exchange import parsed_document, version_import_parsed
from ciqcredit.catalogue.reference import REFERENCE_EFFECTIVE_FROM, reference_document
from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.catalogue.services import version_draft_create, version_publish, version_submit
from ciqcredit.organizations.services import api_client_create
from ciqcredit.rating.services.grades import grade_change_apply
from ciqcredit.testing import make_enterprise

SYSTEM = Actor.job("test")
TODAY = dt.date(2026, 3, 2)


def publish_measures(doc: dict | None = None, *, effective_from: dt.date = REFERENCE_EFFECTIVE_FROM):
    """Publish a measure list (default: the reference list) through the catalogue's lifecycle."""
    draft = version_draft_create(kind=Kind.MEASURES, actor=SYSTEM, empty=True)
    parsed = parsed_document(Kind.MEASURES, doc or reference_document(Kind.MEASURES))
    version_import_parsed(version=draft, parsed=parsed, fmt="yaml", actor=SYSTEM)
    version_submit(version=draft, actor=SYSTEM)
    return version_publish(version=draft, effective_from=effective_from, actor=SYSTEM)


def set_grade(enterprise, grade: str, *, on: dt.date = dt.date(2025, 10, 1), cause="periodic", controlled=False):
    return grade_change_apply(
        enterprise=enterprise, grade=grade, cause=cause, effective_from=on, actor=SYSTEM, controlled=controlled
    )


@dataclass
class World:
    cast: object
    token: str  # an e-CIQ client of HQ with eciq_decision only
    client: object
    enterprises: list

    def api(self, token: str | None = None):
        return self.cast.api(token or self.token)

    def decide(self, payload: dict, token: str | None = None):
        return self.api(token).post("/api/v1/decisions", payload, content_type="application/json")


@pytest.fixture
def world(cast, settings) -> World:
    settings.CIQCREDIT_TODAY = TODAY
    cache_clear()
    publish_measures()
    client, token = api_client_create(
        name="eciq-decisions", organization=cast.hq, scopes=["eciq_decision"], actor=SYSTEM
    )
    enterprises = [cast.enterprise] + [make_enterprise(100 + i, cast.branch_a) for i in range(5)]
    return World(cast=cast, token=token, client=client, enterprises=enterprises)


def party(enterprise_or_code, role: str = "consignee") -> dict:
    code = enterprise_or_code if isinstance(enterprise_or_code, str) else enterprise_or_code.credit_code
    return {"credit_code": code, "role": role}
