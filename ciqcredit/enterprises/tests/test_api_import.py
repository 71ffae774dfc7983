"""POST /api/v1/enterprises/import: a registry file uploaded by the sync client."""

from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.tests.registry_files import contract_row, write_registry
from ciqcredit.testing import credit_code_for

URL = "/api/v1/enterprises/import"


def upload(client, path, **form):
    with path.open("rb") as handle:
        return client.post(URL, {"file": handle, **form})


def test_upload_xlsx_imports_and_returns_the_result(cast, tmp_path):
    path = write_registry(tmp_path / "registry.xlsx", [contract_row(800), contract_row(801, org="475200")])

    response = upload(cast.api(cast.api_token), path)

    assert response.status_code == 200
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": []}
    assert Enterprise.objects.filter(credit_code__in=[credit_code_for(800), credit_code_for(801)]).count() == 2
    summary = AuditEntry.objects.filter(action="enterprises.import.completed").latest("id")
    assert summary.actor == cast.api_client and summary.new["source"] == "registry.xlsx"


def test_rejected_file_answers_422_with_the_result_and_writes_nothing(cast, tmp_path):
    path = write_registry(tmp_path / "upload.csv", [contract_row(802), contract_row(803, status="gone")])
    path = path.rename(tmp_path / "upload.bin")  # the format comes from the form field
    enterprises = Enterprise.objects.count()

    response = upload(cast.api(cast.api_token), path, format="csv")

    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "import_rejected" and "未写入" in data["message"]
    assert data["details"]["rejected"] == [
        {"line": 3, "field": "status", "code": "bad_status", "message": data["details"]["rejected"][0]["message"]}
    ]
    assert Enterprise.objects.count() == enterprises


def test_partial_flag_as_query_or_form(cast, tmp_path):
    path = write_registry(tmp_path / "registry.jsonl", [contract_row(804), contract_row(805, registering_org="1")])
    client = cast.api(cast.api_token)

    as_form = upload(client, path, partial="true")
    with path.open("rb") as handle:
        as_query = client.post(f"{URL}?partial=true", {"file": handle})

    assert as_form.status_code == 200 and as_form.json()["created"] == 1
    assert as_query.status_code == 200 and as_query.json()["unchanged"] == 1
    assert [e["code"] for e in as_query.json()["rejected"]] == ["unknown_org_code"]


def test_unknown_format_and_missing_permission(cast, tmp_path):
    path = write_registry(tmp_path / "registry.csv", [contract_row(806)])
    path = path.rename(tmp_path / "registry.dat")

    unknown = upload(cast.api(cast.api_token), path)
    staff = upload(cast.client_for(cast.bureau_a_user), path, format="csv")
    anonymous = upload(cast.api(None), path, format="csv")

    assert unknown.status_code == 422 and unknown.json()["details"]["rejected"][0]["code"] == "bad_format"
    assert staff.status_code == 403
    assert anonymous.status_code == 401
    assert not Enterprise.objects.filter(credit_code=credit_code_for(806)).exists()
