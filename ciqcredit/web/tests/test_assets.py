"""The UI serves every asset itself: no CDN, no external fonts, and every referenced static file exists."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

_ASSET = re.compile(r"<(script|link|img)\b[^>]*?\b(src|href)=\"([^\"]*)\"", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def _assets(html: str) -> list[str]:
    return [match.group(3) for match in _ASSET.finditer(html)]


def _static_path(url: str) -> str:
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    assert url.startswith(prefix), f"{url} is not under {prefix}"
    return url[len(prefix) :]


def test_pages_reference_only_same_origin_assets_that_exist(cast):
    client = cast.client_for(cast.hq_admin)
    pages = [
        reverse("web:home"),
        reverse("enterprises:list"),
        reverse("enterprises:detail", args=[cast.enterprise.credit_code]),
        reverse("audit:list"),
    ]
    seen = set()
    for page in pages:
        html = client.get(page).content.decode()
        for url in _assets(html):
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{page} loads {url} from another origin"
            if url.startswith("/" + settings.STATIC_URL.lstrip("/")):
                seen.add(url)
    # The stylesheet, htmx and the brand icon at least; each must be found by the static finders.
    assert len(seen) >= 3
    for url in seen:
        assert finders.find(_static_path(url)), f"{url} does not resolve to a static file"


def test_login_and_error_pages_are_self_contained_too(cast):
    anonymous = cast.client_for(None)
    for page in (reverse("web:login"), "/no-such-page/"):
        html = anonymous.get(page).content.decode()
        for url in _assets(html):
            assert not urlsplit(url).netloc, url


def test_stylesheet_pulls_nothing_from_outside():
    css_path = finders.find("web/ciqcredit.css")
    css = open(css_path, encoding="utf-8").read()
    assert "@import" not in css
    assert not [u for u in _CSS_URL.findall(css) if urlsplit(u).netloc or u.startswith("//")]


def test_api_docs_serve_swagger_ui_from_the_platform(cast):
    html = cast.client_for(cast.hq_admin).get("/api/v1/docs").content.decode()
    urls = _assets(html)
    assert any("swagger-ui-bundle.js" in url for url in urls)
    for url in urls:
        assert not urlsplit(url).netloc, f"the API docs load {url} from another origin"
        assert finders.find(_static_path(url)), f"{url} does not resolve to a static file"
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise send the document to an outside validator


def test_the_browser_s_own_favicon_request_finds_the_icon(client):
    """Browsers ask for /favicon.ico on their own (a 404 in the console of the first page); it leads to the
    platform's icon."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/" + settings.STATIC_URL.lstrip("/"))
    assert finders.find(_static_path(response["Location"]).split("?")[0]) is not None
