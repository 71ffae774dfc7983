"""Fixture data of the portal's tests: a second enterprise with its own user, and cases brought to a point with
the services (the records behind them are dynamic's fixture data)."""

import datetime as dt

from ciqcredit.actors import Actor
from ciqcredit.dynamic.electronic import notice_send_electronic
from ciqcredit.dynamic.models import CaseKind
from ciqcredit.dynamic.services import dynamic_recheck
from ciqcredit.dynamic.tests.fixtures import fixture_grade, fixture_record, proceed
from ciqcredit.organizations.models import User
from ciqcredit.organizations.services import user_create
from ciqcredit.testing import make_enterprise

SETUP = Actor.job("test-setup")
PASSWORD = "test-password-1"


def other_enterprise_user(cast) -> User:
    other = make_enterprise(2, cast.bureau_b, name="北京市其他进出口有限公司")
    user, _ = user_create(
        username="other_ent",
        organization=cast.bureau_b,
        department_kind=None,
        roles=["enterprise"],
        password=PASSWORD,
        enterprise=other,
        actor=SETUP,
    )
    return user


def listing_case_sent(world):
    """A serious-list case of the cast's enterprise whose notice was sent to its account (not yet opened)."""
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 2, 20)):
        fixture_record(ent, world.items["serious"], day, user=world.cast.branch_a_user, penalised=True)
    cases = dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP)
    [case] = [c for c in cases if c.kind == CaseKind.SERIOUS_LIST]
    notice_send_electronic(notice=case.notice, actor=Actor.of(world.cast.bureau_a_user))
    case.refresh_from_db()
    return case


def downgrade_case_sent(world):
    """A downgrade case (A → B, 布控) of the cast's enterprise, its notice sent to the account; returns the case and
    the record that triggered it."""
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    first = fixture_record(ent, world.items["ordinary"], dt.date(2025, 12, 1), user=world.cast.branch_a_user)
    second = fixture_record(ent, world.items["ordinary"], dt.date(2026, 2, 1), user=world.cast.branch_a_user)
    cases = dynamic_recheck(enterprise=ent, trigger_record=second, actor=SETUP)
    [case] = proceed([c for c in cases if c.kind == CaseKind.DOWNGRADE])
    notice_send_electronic(notice=case.notice, actor=Actor.of(world.cast.bureau_a_user))
    case.refresh_from_db()
    return case, first, second
