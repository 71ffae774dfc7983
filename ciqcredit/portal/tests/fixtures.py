"""The portal's second enterprise: registered at bureau B, with its own user, to prove isolation."""

from ciqcredit.actors import Actor
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
