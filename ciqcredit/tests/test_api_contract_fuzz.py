"""The API contract under generated input: schemathesis sends a few generated requests per operation (valid
and invalid) to a live server, as a bureau officer and as an integrating system; any 500, an undocumented
status, a wrong content type or a body that breaks the document's schema fails the test."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ciqcredit.tests.test_access_everywhere import _api_operations as api_operations

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


@pytest.fixture
def served(live_cast, live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


@pytest.mark.parametrize("who", ["staff_token_a", "api_token"])
def test_generated_requests_never_break_the_contract(served, live_cast, who, tmp_path):
    token = getattr(live_cast, who)
    done = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{served}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "--max-examples",
            "4",
            "--phases",
            "examples,fuzzing",
            "--generation-deterministic",
            "--no-shrink",
            "--request-timeout",
            "30",
            "--warnings",
            "off",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    tested = re.search(r"Tested: (\d+)", done.stdout)
    assert tested and int(tested.group(1)) == len(api_operations()), done.stdout[-3000:]
