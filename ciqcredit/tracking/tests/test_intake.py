"""Execution reports: idempotent by decision, updates audited, rejections per item, the back-fill command."""

import json

from django.core.management import call_command

from ciqcredit.audit.models import AuditEntry
from ciqcredit.tracking.models import Execution


def test_reports_are_kept_and_a_resend_changes_nothing(track):
    a, b = track.decision(no="A"), track.decision(no="B", inspect=True)
    items = [track.report(a), track.report(b)]
    first = track.send(items).json()
    assert (first["created"], first["rejected"]) == (2, 0)
    again = track.send(items).json()
    assert (again["created"], again["unchanged"], again["updated"]) == (0, 2, 0)
    assert Execution.objects.count() == 2
    assert not AuditEntry.objects.filter(action="tracking.execution.updated").exists()


def test_a_resend_that_changes_something_is_an_audited_update(track):
    d = track.decision()
    track.send([track.report(d)])
    body = track.send([track.report(d, inspected=True, outcome="passed")]).json()
    assert body["updated"] == 1 and body["items"][0]["status"] == "updated"
    assert Execution.objects.get(pk=d.pk).inspected is True
    entry = AuditEntry.objects.get(action="tracking.execution.updated")
    assert entry.old == {"inspected": False, "outcome": "released"}
    assert entry.new == {"inspected": True, "outcome": "passed"}
    track.send([track.report(d, inspected=True, outcome="passed", org_code="470000")])
    moved = AuditEntry.objects.filter(action="tracking.execution.updated").latest("pk")
    assert (moved.old, moved.new) == ({"organization": "475200"}, {"organization": "470000"})


def test_bad_items_are_refused_alone_with_a_code(track):
    good, early = track.decision(no="G"), track.decision(no="E")
    elsewhere = track.decision(no="X", org=track.cast.bureau_b)  # outside the client's bureau A
    body = track.send(
        [
            track.report(good),
            track.report(early, executed_on="2026-03-01"),
            track.report(good, decision_id=999999),
            track.report(elsewhere),
            track.report(good, org_code="110000"),
            {"decision_id": good.pk, "inspected": "perhaps"},
        ]
    ).json()
    codes = [i.get("code") for i in body["items"]]
    assert codes == [
        None,
        "before_decision",
        "unknown_decision",
        "unknown_decision",
        "org_out_of_scope",
        "validation_error",
    ]
    assert body["created"] == 1 and body["rejected"] == 5
    assert body["items"][5]["errors"]
    assert list(Execution.objects.values_list("pk", flat=True)) == [good.pk]


def test_back_fill_from_a_file_takes_the_same_path(track, tmp_path, capsys):
    a, b = track.decision(no="A"), track.decision(no="B")
    path = tmp_path / "executions.jsonl"
    path.write_text("\n".join(json.dumps(track.report(d)) for d in (a, b)) + "\n", encoding="utf-8")
    call_command("tracking", "load", str(path), "--client", track.cast.api_client.username)
    assert json.loads(capsys.readouterr().out)["created"] == 2
    call_command("tracking", "load", str(path), "--client", track.cast.api_client.username)
    out = json.loads(capsys.readouterr().out)
    assert (out["created"], out["unchanged"]) == (0, 2)
