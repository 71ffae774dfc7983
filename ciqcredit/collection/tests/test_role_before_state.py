"""Role before state: someone who may never confirm, return, submit, revoke or correct a record is refused
with 403 whatever state the record is in (a 409 used to tell a viewer the record's state)."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.collection.services import record_confirm, record_create
from ciqcredit.collection.tests.conftest import SETUP, supervision_args
from ciqcredit.organizations.services import user_create


@pytest.fixture
def viewer(world):
    user, _ = user_create(
        username="a_viewer", organization=world.bureau_a, department_kind="credit", roles=["viewer"],
        password="viewer-pass-2017", actor=SETUP,
    )  # fmt: skip
    return user


@pytest.mark.parametrize(
    ("action", "body"),
    [("confirm", {}), ("return", {"reason": "x"}), ("submit", {}), ("revoke", {"reason": "x"}),
     ("correct", {"reason": "x", "description": "y"})],
)  # fmt: skip
def test_a_viewer_gets_403_not_409_on_an_effective_record(world, viewer, action, body):
    record = record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    record_confirm(record=record, actor=Actor.of(world.branch_a_reviewer))
    record.refresh_from_db()
    assert record.status == "effective"
    response = world.client_for(viewer).post(
        f"/api/v1/records/{record.pk}/{action}", body, content_type="application/json"
    )
    assert response.status_code == 403, (action, response.json())
