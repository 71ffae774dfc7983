"""Browser fixtures: one Chromium per test session (Debian's, never a downloaded one), a page per test,
and the test cast built under transactional_db so the live server thread sees it."""

import os

import pytest

from ciqcredit.conftest import PASSWORD, Cast, build_cast

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


@pytest.fixture(scope="session")
def chromium():
    """While Playwright's sync API is started, the main thread has a running event loop, and Django refuses
    ORM calls there: every later database test and flush in the session needs DJANGO_ALLOW_ASYNC_UNSAFE, not
    only the browser tests (the function-scoped `browser_env` is torn down before the flush that follows)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


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
