"""The navigation bar offers each role the capabilities it works with, and nothing it may not open."""

import pytest
from django.urls import reverse

EVERY_STAFF_ENTRY = ["collection:queue", "collection:list", "rating:home", "enterprises:list", "catalogue:home"]


@pytest.mark.parametrize(
    ("user_attr", "present", "absent"),
    [
        ("branch_a_user", EVERY_STAFF_ENTRY, ["dynamic:cases", "audit:list"]),
        ("bureau_a_user", [*EVERY_STAFF_ENTRY, "dynamic:cases", "audit:list"], []),
        ("hq_admin", [*EVERY_STAFF_ENTRY, "dynamic:cases", "audit:list"], []),
    ],
)
def test_navigation_by_role(cast, user_attr, present, absent):
    html = cast.client_for(getattr(cast, user_attr)).get("/").content.decode()
    nav = html[html.index('class="mainnav"') : html.index("</nav>")]
    for name in present:
        assert f'href="{reverse(name)}"' in nav, name
    for name in absent:
        assert f'href="{reverse(name)}"' not in nav, name


def test_every_navigation_entry_opens_for_the_roles_it_is_offered_to(cast):
    from ciqcredit.web.navigation import NAVIGATION

    for user in (cast.branch_a_user, cast.bureau_a_user, cast.hq_admin, cast.hq_rules):
        client = cast.client_for(user)
        for entry in NAVIGATION:
            if user.has_role(*entry.roles):
                assert client.get(reverse(entry.url_name)).status_code == 200, (user.username, entry.url_name)
