"""The fixed cast every test can use.

Organizations: HQ 000000; bureau A = 深圳局 470000 with branch 皇岗 475200; bureau B = 北京局 110000.
People: a user of bureau A, a user of the branch of A, a user of bureau B, HQ admin, HQ rule maintainer,
an enterprise user of an enterprise registered at the branch, an API client of bureau A with every scope,
and an anonymous visitor (an unauthenticated client).
"""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from ciqcredit.actors import Actor
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Scope
from ciqcredit.organizations.services import (
    api_client_create,
    organization_create,
    reference_organizations_load,
    token_create,
    user_create,
)
from ciqcredit.testing import make_enterprise

PASSWORD = "test-password-1"
SETUP = Actor.job("test")


@dataclass
class Cast:
    hq: Organization
    bureau_a: Organization
    branch_a: Organization
    bureau_b: Organization
    hq_admin: User
    hq_rules: User
    bureau_a_user: User  # bureau credit officer at 470000
    branch_a_user: User  # collector at 475200 (检务)
    branch_a_reviewer: User  # reviewer at 475200 (施检)
    bureau_b_user: User  # bureau credit officer at 110000
    enterprise_user: User
    enterprise: object  # Enterprise registered at the branch of A
    api_client: User
    api_token: str
    staff_token_a: str  # personal token of bureau_a_user

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def api(self, token: str | None) -> Client:
        """A client that sends `Authorization: Bearer <token>` (None: anonymous)."""
        return Client(headers={"Authorization": f"Bearer {token}"} if token else {})


def build_cast() -> Cast:
    reference_organizations_load(actor=SETUP)
    hq = Organization.objects.get(code="000000")
    bureau_a = Organization.objects.get(code="470000")
    bureau_b = Organization.objects.get(code="110000")
    branch_a = organization_create(code="475200", name="皇岗出入境检验检疫局", parent_code="470000", actor=SETUP)

    def person(username, org, dept, roles, **extra):
        user, _ = user_create(
            username=username,
            organization=org,
            department_kind=dept,
            roles=roles,
            password=PASSWORD,
            actor=SETUP,
            **extra,
        )
        return user

    enterprise = make_enterprise(1, branch_a, name="深圳市皇岗进出口贸易有限公司", types=("importer", "exporter"))
    api_client, api_token = api_client_create(
        name="eciq-470000", organization=bureau_a, scopes=list(Scope.values), actor=SETUP
    )
    bureau_a_user = person("a_credit", bureau_a, "credit", ["bureau_credit"], full_name="张信用")
    _, staff_token_a = token_create(user=bureau_a_user, label="script", actor=SETUP)
    return Cast(
        hq=hq,
        bureau_a=bureau_a,
        branch_a=branch_a,
        bureau_b=bureau_b,
        hq_admin=person("hq_admin", hq, "credit", ["hq_admin"], full_name="总局管理员"),
        hq_rules=person(
            "hq_rules", hq, "business", ["hq_rules"], full_name="规则维护员", business_department="检验监管司"
        ),
        bureau_a_user=bureau_a_user,
        branch_a_user=person("a_branch", branch_a, "declaration", ["collector"], full_name="李采集"),
        branch_a_reviewer=person("a_branch_reviewer", branch_a, "inspection", ["reviewer"], full_name="王审核"),
        bureau_b_user=person("b_credit", bureau_b, "credit", ["bureau_credit"], full_name="赵北京"),
        enterprise_user=person("ent_user", branch_a, None, ["enterprise"], enterprise=enterprise),
        enterprise=enterprise,
        api_client=api_client,
        api_token=api_token,
        staff_token_a=staff_token_a,
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database lets Django's flush (a TRUNCATE of every table, after each transactional test) through
    the audit table's TRUNCATE trigger; production databases never carry this setting (audit migration 0005). At the
    end, connections left open in other contexts are ended so that the test database can be dropped."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                name = connection.ops.quote_name(connection.settings_dict["NAME"])
                cursor.execute(f"ALTER DATABASE {name} SET ciqcredit.audit_truncate = 'allowed'")
                cursor.execute("SET ciqcredit.audit_truncate = 'allowed'")
    yield
    # Browser tests make their ORM calls under Playwright's event loop, whose context holds a connection of its
    # own that the test database's teardown cannot close; it would keep the database from being dropped.
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


def pytest_unconfigure(config):
    """Django removes the SQLite test file at the end; its WAL companions outlive it when a thread's connection
    (a live server's, a job's) was still open then."""
    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME") or ""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and name:
        for suffix in ("-wal", "-shm"):
            if os.path.exists(name + suffix):
                os.remove(name + suffix)


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture
def browser_env():
    """Playwright runs an event loop in the test thread; Django must allow its sync ORM calls there."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast logs in with passwords; a slow hasher only slows the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Browser tests: one Chromium per browser test (Debian's, never a downloaded one), shared by every app. ---

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def chromium(browser_env):
    """Debian's Chromium for one browser test. While Playwright's sync API runs, the main thread has an event
    loop and Django refuses ORM calls there unless DJANGO_ALLOW_ASYNC_UNSAFE is set (`browser_env`): one
    browser per test keeps both confined to the browser tests, so every other test runs with Django's guard."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_cast(browser_env, transactional_db) -> Cast:
    return build_cast()


@pytest.fixture
def open_page(chromium, live_server):
    """A function giving a fresh logged-in page (own cookies) for a user of the cast."""
    contexts = []

    def open_as(username: str):
        context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 860})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()
