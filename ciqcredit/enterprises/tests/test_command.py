"""`ciqcredit import_enterprises`: summary, --json output and exit codes."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.tests.registry_files import contract_row, write_registry
from ciqcredit.testing import credit_code_for


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_enterprises", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_a_chinese_summary_and_acts_as_the_system(cast, tmp_path):
    path = write_registry(tmp_path / "registry.csv", [contract_row(900), contract_row(901, org="475200")])

    out, _ = run(path)

    assert "新增 2，更新 0，未变 0，拒绝 0" in out
    summary = AuditEntry.objects.filter(action="enterprises.import.completed").latest("id")
    assert summary.actor_label == "system:import_enterprises" and summary.organization.code == "000000"
    assert summary.request_id  # ties the enterprise rows of this run together
    assert AuditEntry.objects.filter(request_id=summary.request_id).count() == 3


def test_rejected_rows_exit_1_and_list_every_reason(cast, tmp_path):
    path = write_registry(
        tmp_path / "registry.jsonl", [contract_row(902), contract_row(903, registered_on="2017-13-01")]
    )

    with pytest.raises(CommandError) as raised:
        run(path)

    assert raised.value.returncode == 1 and "未写入" in str(raised.value)
    assert not Enterprise.objects.filter(credit_code=credit_code_for(902)).exists()


def test_rejected_rows_are_listed_in_the_summary(cast, tmp_path, capsys):
    path = write_registry(tmp_path / "registry.jsonl", [contract_row(904, status="closed")])
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_enterprises", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("导入被拒绝") and "拒绝 1" in lines[0]
    assert lines[1].startswith("  第1行 status：") and lines[1].endswith("[bad_status]")


def test_partial_json_prints_only_the_result_and_exits_0(cast, tmp_path):
    path = write_registry(tmp_path / "registry.csv", [contract_row(905), contract_row(906, types=["ufo"])])

    out, _ = run(path, "--partial", "--json")

    result = json.loads(out)
    assert {k: result[k] for k in ("created", "updated", "unchanged")} == {"created": 1, "updated": 0, "unchanged": 0}
    assert [(e["line"], e["field"], e["code"]) for e in result["rejected"]] == [(3, "types", "unknown_type")]


def test_json_without_partial_still_prints_the_result_then_fails(cast, tmp_path):
    path = write_registry(tmp_path / "registry.xlsx", [contract_row(907, name="")])
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_enterprises", str(path), "--json", stdout=out)

    assert json.loads(out.getvalue())["rejected"][0]["code"] == "missing_name"


def test_org_narrows_the_run_and_unknown_org_or_file_fail(cast, tmp_path):
    path = write_registry(tmp_path / "registry.csv", [contract_row(908, org="475200"), contract_row(909, org="110000")])

    out, _ = run(path, "--org", "470000", "--partial", "--json")

    assert [e["code"] for e in json.loads(out)["rejected"]] == ["out_of_scope"]
    with pytest.raises(CommandError, match="unknown_org_code"):
        run(path, "--org", "999999")
    with pytest.raises(CommandError, match="文件不存在"):
        run(tmp_path / "missing.csv")
