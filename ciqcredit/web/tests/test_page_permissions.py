"""Who gets what on every page: the permission matrix as one table.

Columns: anonymous, enterprise user (of the branch's enterprise), branch collector, bureau A credit officer,
bureau B credit officer, HQ admin. Anonymous visitors are sent to the login page (302); out-of-scope objects
answer 404 so their existence does not leak; a page the role may not use answers 403.
"""

import pytest
from django.urls import reverse

from ciqcredit.conftest import Cast

WHO = ("anonymous", "enterprise", "branch", "bureau_a", "bureau_b", "hq")


def _user(cast: Cast, who: str):
    return {
        "anonymous": None,
        "enterprise": cast.enterprise_user,
        "branch": cast.branch_a_user,
        "bureau_a": cast.bureau_a_user,
        "bureau_b": cast.bureau_b_user,
        "hq": cast.hq_admin,
    }[who]


# (page, url builder, expected status per WHO)
MATRIX = [
    ("home", lambda c: reverse("web:home"), (302, 302, 200, 200, 200, 200)),  # enterprise users: to the portal
    ("portal home", lambda c: reverse("portal:home"), (302, 200, 403, 403, 403, 403)),
    ("portal grade", lambda c: reverse("portal:grade"), (302, 200, 403, 403, 403, 403)),
    (
        "enterprise accounts (registered at branch A)",
        lambda c: reverse("portal:accounts", args=[c.enterprise.credit_code]),
        (302, 403, 403, 200, 404, 200),
    ),
    ("enterprise list", lambda c: reverse("enterprises:list"), (302, 403, 200, 200, 200, 200)),
    (
        "enterprise list, filtered",
        lambda c: reverse("enterprises:list") + "?q=皇岗&type=importer&status=active",
        (302, 403, 200, 200, 200, 200),
    ),
    (
        "enterprise detail (registered at branch A)",
        lambda c: reverse("enterprises:detail", args=[c.enterprise.credit_code]),
        (302, 200, 200, 200, 404, 200),
    ),
    (
        "enterprise detail, unknown code",
        lambda c: reverse("enterprises:detail", args=["91440300MA5FXXXXX0"]),
        (302, 404, 404, 404, 404, 404),
    ),
    ("audit list", lambda c: reverse("audit:list"), (302, 403, 403, 200, 200, 200)),
    (
        "audit trail of the enterprise",
        lambda c: reverse("audit:object", args=["enterprises.enterprise", c.enterprise.pk]),
        (302, 403, 403, 200, 404, 200),
    ),
    (
        "audit trail of branch A (an organization)",
        lambda c: reverse("audit:object", args=["organizations.organization", c.branch_a.pk]),
        (302, 403, 403, 200, 404, 200),
    ),
    (
        "audit trail of bureau B (an organization)",
        lambda c: reverse("audit:object", args=["organizations.organization", c.bureau_b.pk]),
        (302, 403, 403, 404, 200, 200),
    ),
]


@pytest.mark.parametrize(("page", "url", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_page_permissions(cast, page, url, expected):
    target = url(cast)
    got = {}
    for who in WHO:
        response = cast.client_for(_user(cast, who)).get(target)
        got[who] = response.status_code
        if response.status_code == 302:
            expected_target = reverse("portal:home") if (page, who) == ("home", "enterprise") else reverse("web:login")
            assert response["Location"].startswith(expected_target), (who, response["Location"])
    assert got == dict(zip(WHO, expected, strict=True))


def test_login_page_is_public(cast):
    response = cast.client_for(None).get(reverse("web:login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()
