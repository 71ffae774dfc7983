"""Production is the default: each check starts a fresh process with only the environment it names, as
`gunicorn ciqcredit.wsgi:application` or `ciqcredit setup` would run on a server."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The production example of docs/production.md, with a throwaway key.
PRODUCTION = {
    "SECRET_KEY": "Zk3q-8fW_pL2vR9xT4mN7bC1hJ6dS0aY5eU-gK8oI3wQ2zX7cV4bN1mL9kJ6hG",
    "ALLOWED_HOSTS": "credit.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://credit.example.gov.cn",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "TRUST_X_FORWARDED_PROTO": "true",
}


def run(code: str, tmp_path: Path, **environ: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    env.update(CIQCREDIT_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ciqcredit.settings", **environ)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180)


SETTINGS = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG)"


def test_debug_is_off_unless_asked_for(tmp_path):
    assert run(SETTINGS, tmp_path, SECRET_KEY=PRODUCTION["SECRET_KEY"]).stdout.strip() == "False"
    assert run(SETTINGS, tmp_path, DEBUG="1").stdout.strip() == "True"


@pytest.mark.parametrize(
    "key",
    [None, "ciqcredit-local-development-only-secret-key-not-for-production", "short-key-123", "a" * 60],
    ids=["missing", "development", "short", "one-character"],
)
def test_without_debug_a_missing_short_or_known_key_stops_start_up(tmp_path, key):
    environ = {"SECRET_KEY": key} if key else {}
    done = run(SETTINGS, tmp_path, **environ)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "SECRET_KEY" in done.stderr


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    done = run(
        "from ciqcredit.cli import main; import sys; sys.argv = ['ciqcredit', 'check', '--deploy', '--fail-level',"
        " 'WARNING']; main()",
        tmp_path,
        **PRODUCTION,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_documented_production_example_sets_every_protection():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "production.md").read_text()
    for name, value in PRODUCTION.items():
        if name not in ("SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
            assert f"{name}={value}" in doc, name


# After `setup` alone, with DEBUG off: pages, unknown pages and unknown API paths answer as they should.
PROBE = """
import django, json
django.setup()
from django.test import Client
from django.core.management import call_command
call_command("setup", verbosity=0)
client = Client(HTTP_HOST="credit.example.gov.cn")
out = {}
for path in ("/login/", "/no-such-page/", "/api/v1/no-such-endpoint", "/static/web/ciqcredit.css"):
    response = client.get(path, secure=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    out[path] = [response.status_code, response.get("Content-Type", ""), body.decode("utf-8", "replace")[:2000],
                 response.get("Content-Security-Policy", ""), response.get("Strict-Transport-Security", "")]
out["http"] = Client(HTTP_HOST="credit.example.gov.cn").get("/login/").status_code
out["proxied"] = Client(HTTP_HOST="credit.example.gov.cn", HTTP_X_FORWARDED_PROTO="https").get("/login/").status_code
print(json.dumps(out))
"""


def test_after_setup_alone_pages_work_with_debug_off(tmp_path):
    done = run(PROBE, tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **PRODUCTION)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    status, _, body, csp, hsts = out["/login/"]
    assert status == 200 and "登录" in body
    assert "script-src 'self'" in csp and "max-age=31536000" in hsts
    status, _, body, _, _ = out["/no-such-page/"]
    assert status == 404 and "页面不存在" in body
    status, content_type, body, _, _ = out["/api/v1/no-such-endpoint"]
    assert status == 404 and content_type.startswith("application/json")
    assert json.loads(body)["code"] == "not_found"
    assert out["/static/web/ciqcredit.css"][0] == 200
    assert out["http"] == 301  # plain HTTP is sent to HTTPS
    assert out["proxied"] == 200  # the proxy's X-Forwarded-Proto is trusted
