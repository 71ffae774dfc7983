"""Health probes and request logs: what an operator and a load balancer rely on."""

import json
import logging

from ciqcredit.logs import JsonFormatter
from ciqcredit.tests.test_production_defaults import PRODUCTION, run


def test_probes_answer_without_login(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ok"}
    assert "no-cache" in ready["Cache-Control"] or "max-age=0" in ready["Cache-Control"]


READY = """
import django, json
django.setup()
from django.test import Client
from django.core.management import call_command
client = Client(HTTP_HOST="credit.example.gov.cn")
before = client.get("/readyz")
call_command("migrate", verbosity=0)
after = client.get("/readyz")
print(json.dumps([before.status_code, before.json(), after.status_code, client.get("/healthz").status_code]))
"""


def test_readyz_is_503_until_migrations_are_applied(tmp_path):
    # Plain HTTP on purpose: load balancers probe without TLS, so the probes are exempt from the redirect.
    done = run(READY, tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **PRODUCTION)
    assert done.returncode == 0, done.stderr[-2000:]
    before_status, before, after_status, healthz = json.loads(done.stdout.strip().splitlines()[-1])
    assert (before_status, before["status"]) == (503, "migrations_pending") and before["pending"] > 0
    assert (after_status, healthz) == (200, 200)


def test_one_json_line_per_request_and_no_traceback_for_a_403(cast, caplog):
    caplog.set_level(logging.INFO)
    client = cast.api(cast.api_token)
    response = client.get("/api/v1/evaluations", headers={"X-Request-ID": "probe-request-0001"})
    assert response.status_code == 403
    lines = [r for r in caplog.records if r.name.startswith(("ciqcredit.request", "django"))]
    assert len(lines) == 1, [(r.name, r.getMessage()) for r in lines]
    line = json.loads(JsonFormatter().format(lines[0]))
    assert line["level"] == "INFO" and line["request_id"] == "probe-request-0001"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/evaluations", 403)
    assert line["user"] == f"client:{cast.api_client.username}" and line["duration_ms"] >= 0
    assert "exception" not in line and "time" in line
    staff = cast.client_for(cast.bureau_a_user).get("/")
    assert staff.status_code == 200
    assert json.loads(JsonFormatter().format(caplog.records[-1]))["user"] == cast.bureau_a_user.username
