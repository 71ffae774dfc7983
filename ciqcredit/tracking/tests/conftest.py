import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from ciqcredit.actors import Actor
from ciqcredit.application.models import Decision
from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.conftest import PASSWORD, Cast
from ciqcredit.organizations.models import User
from ciqcredit.organizations.services import user_create
from ciqcredit.tracking.check import tracking_check
from ciqcredit.tracking.models import TrackingItem

JOB = Actor.job("tracking-check")
TODAY = dt.date(2026, 3, 16)  # a Monday; 5 working days back is Monday 9 March


@dataclass
class Track:
    cast: Cast
    branch_credit: User  # credit officer of the branch 475200, which executes
    hq_customs: User  # HQ 通关业务司: owns 申报放行
    hq_inspection: User  # HQ 检验监管司 (the cast's hq_rules)

    def decision(
        self,
        *,
        on=dt.date(2026, 3, 2),
        inspect=False,
        rate="0.1",
        review="standard",
        priority=False,
        grade="B",
        area="declaration_release",
        org=None,
        no="D",
    ) -> Decision:
        d = Decision(
            declaration_no=no,
            area=area,
            on=on,
            organization=org or self.cast.branch_a,
            client=self.cast.api_client,
            decided_at=dt.datetime.combine(on, dt.time(9), tzinfo=dt.UTC),
            governing_grade=grade,
            controlled=False,
            serious_listed=False,
            unregistered=False,
            sampling_rate=Decimal(rate) if rate is not None else None,
            draw=0.5,
            inspect=inspect,
            document_review=review,
            priority=priority,
            green_channel=False,
            paperless=False,
            measures=[],
            measure_list_version=1,
            ruleset_version=1,
            request={},
        )
        d.save(force_insert=True)  # fixture data: decisions are issue 9's, made here directly
        return d

    def report(self, decision: Decision, **overrides) -> dict:
        return {
            "decision_id": decision.pk,
            "eciq_id": f"E{decision.pk}",
            "executed_on": decision.on.isoformat(),
            "org_code": "475200",
            "inspected": decision.inspect,
            "document_review": decision.document_review or "standard",
            "priority_given": decision.priority,
            "outcome": "passed" if decision.inspect else "released",
        } | overrides

    def send(self, items: list[dict], token: str | None = None):
        return self.cast.api(token or self.cast.api_token).post(
            "/api/v1/intake/executions", {"items": items}, content_type="application/json"
        )

    def check(self, today: dt.date = TODAY):
        return tracking_check(actor=JOB, today=today)


def build_track(cast: Cast) -> Track:
    """The cast with the people of tracking: the branch's credit officer and HQ's customs department."""

    def person(username, org, roles, **extra):
        kind = "business" if org.level == "hq" else "credit"
        return user_create(
            username=username,
            organization=org,
            department_kind=kind,
            roles=roles,
            password=PASSWORD,
            actor=Actor(system="test"),
            **extra,
        )[0]

    return Track(
        cast=cast,
        branch_credit=person("a_branch_credit", cast.branch_a, ["bureau_credit"], full_name="钱分局"),
        hq_customs=person("hq_customs", cast.hq, ["hq_rules"], full_name="孙通关", business_department="通关业务司"),
        hq_inspection=cast.hq_rules,
    )


@pytest.fixture
def track(cast, settings) -> Track:
    settings.CIQCREDIT_TODAY = TODAY
    cache_clear()
    return build_track(cast)


@pytest.fixture
def item(track) -> TrackingItem:
    """One open item: a declaration drawn for inspection was released at the branch."""
    d = track.decision(no="=HYPERLINK(1)", inspect=True)
    track.send([track.report(d, inspected=False, outcome="released")])
    track.check()
    return TrackingItem.objects.get()
