"""The interactive API docs work with no network beyond the platform: every request leaving it is refused."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def test_api_docs_render_operations_offline(live_cast, chromium, live_server):
    context = chromium.new_context(locale="zh-CN")
    own = urlsplit(live_server.url).netloc
    outside: list[str] = []

    def only_the_platform(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_platform)
    page = context.new_page()
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.locator(".opblock").count() > 20
    assert "出入境检验检疫企业信用管理平台" in page.locator(".info .title").inner_text()
    assert outside == []
    context.close()
