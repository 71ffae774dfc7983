"""Pages name people, never their accounts: two people of one name are told apart by organization, and within
one organization by the day each account was opened."""

import datetime as dt

from ciqcredit.conftest import SETUP
from ciqcredit.organizations.people import person_name, person_name_of
from ciqcredit.organizations.services import user_create


def _person(username, org, full_name, joined=None):
    user, _ = user_create(
        username=username, organization=org, department_kind=None, roles=["viewer"], actor=SETUP, full_name=full_name
    )
    if joined is not None:
        user.date_joined = joined
        user.save(update_fields=["date_joined"])
    return user


def test_a_name_nobody_else_bears_stands_alone(cast):
    alone = _person("zhang_wei_sz", cast.bureau_a, "张伟")
    assert person_name(alone) == "张伟"
    assert person_name_of("zhang_wei_sz") == "张伟"


def test_namesakes_are_told_apart_by_organization_then_by_the_day_the_account_opened(cast):
    shenzhen = _person("chen_na_sz", cast.bureau_a, "陈娜")
    beijing = _person("chen_na_bj", cast.bureau_b, "陈娜")
    assert person_name(shenzhen) == f"陈娜（{cast.bureau_a.name}）"
    assert person_name(beijing) == f"陈娜（{cast.bureau_b.name}）"
    later = _person("chen_na_sz2", cast.bureau_a, "陈娜", joined=dt.datetime(2024, 3, 5, 2, 0, tzinfo=dt.UTC))
    assert person_name(later) == f"陈娜（{cast.bureau_a.name}，2024年3月5日开户）"
    for user in (shenzhen, beijing, later):
        assert user.username not in person_name(user)
