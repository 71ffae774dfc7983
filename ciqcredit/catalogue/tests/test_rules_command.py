"""`ciqcredit rules export|import KIND FILE`, acting as system."""

import pytest
import yaml
from django.core.management import CommandError, call_command

from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.models import CatalogueVersion, MeasureListVersion


def test_export_then_import_into_a_new_draft(reference, tmp_path):
    target = tmp_path / "catalogue.yaml"
    call_command("rules", "export", "catalogue", "--version", "1", str(target))
    doc = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert doc["number"] == 1 and len(doc["items"]) == 49
    doc["items"][0]["points"] = 2
    target.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    call_command("rules", "import", "catalogue", str(target), "--submit")
    draft = CatalogueVersion.objects.get(number=2)
    assert draft.status == "in_review" and draft.items.get(code=doc["items"][0]["code"]).points == 2
    assert AuditEntry.objects.filter(action="catalogue.version.imported", actor_label="system:rules-command").exists()


def test_import_errors_are_listed_and_nothing_is_imported(reference, tmp_path):
    source = tmp_path / "measures.xlsx"
    call_command("rules", "export", "measures", str(source))
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: measures\nmeasures:\n- {code: X, grade: E, area: approval, title: t}\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("rules", "import", "measures", str(bad))
    assert "第1行" in str(exc.value) and "unknown_grade" in str(exc.value)
    draft = MeasureListVersion.objects.get(number=2)  # the draft was made, its content untouched
    assert draft.measures.count() == MeasureListVersion.objects.get(number=1).measures.count()


def test_unknown_format_and_missing_version(reference, tmp_path):
    with pytest.raises(CommandError):
        call_command("rules", "export", "ruleset", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError):
        call_command("rules", "export", "ruleset", "--version", "7", str(tmp_path / "x.yaml"))
