"""Returned drafts can be edited (issue 15, item 8): the collector edits or deletes a draft or a returned record,
every version kept in its history; evidence files are attached from the record's page, written only when the
transaction commits."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.collection.models import CreditRecord, RecordAttachment
from ciqcredit.collection.services import record_attach, record_create, record_discard, record_return
from ciqcredit.collection.tests.conftest import supervision_args
from ciqcredit.errors import DomainError


def _returned(world) -> CreditRecord:
    record = record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    record_return(record=record, reason="详情不完整，请补充货物批次", actor=Actor.of(world.declaration_reviewer))
    record.refresh_from_db()
    assert record.status == "draft"
    return record


def _edit_form(record, **changes) -> dict:
    data = {
        "item_code": record.item_code,
        "act_ref": "",
        "association_no": record.association_no,
        "declarant_no": record.declarant_no,
        "occurred_on": record.occurred_on.isoformat(),
        "discovered_on": record.discovered_on.isoformat(),
        "verified_on": record.verified_on.isoformat(),
        "description": record.description,
    }
    data.update(changes)
    return data


def test_collector_edits_a_returned_record_and_submits_it_with_every_version_kept(world):
    record = _returned(world)
    client = world.client_for(world.branch_a_user)
    detail = client.get(f"/records/{record.pk}/").content.decode()
    assert f"/records/{record.pk}/edit/" in detail
    form = client.get(f"/records/{record.pk}/edit/")
    assert form.status_code == 200 and "报检单证与货物不符" in form.content.decode()
    assert 'value="2017-10-09"' in form.content.decode()  # the stored dates show in the date inputs
    response = client.post(
        f"/records/{record.pk}/edit/",
        _edit_form(record, item_code="S03", description="报检单证与货物不符，批次 2017-118"),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.item_code, record.points, record.description) == ("S03", 6, "报检单证与货物不符，批次 2017-118")
    client.post(f"/records/{record.pk}/submit/")
    record.refresh_from_db()
    assert record.status == "awaiting_confirmation"
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert "历史版本" in page and "第1版" in page and "第2版" in page
    assert "报检单证与货物不符，批次 2017-118" in page and "S04" in page  # the old item stays readable


def test_an_incomplete_draft_can_be_completed(world):
    draft = record_create(actor=Actor.of(world.branch_a_user), **supervision_args(world, description=""))
    client = world.client_for(world.branch_a_user)
    client.post(f"/records/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.status == "draft"  # incomplete: refused
    client.post(f"/records/{draft.pk}/edit/", _edit_form(draft, description="现场查验发现货证不符"))
    client.post(f"/records/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.status == "awaiting_confirmation"


def test_only_the_collector_edits_and_only_drafts(world):
    record = _returned(world)
    other = world.client_for(world.declaration_reviewer)
    assert other.get(f"/records/{record.pk}/edit/").status_code == 403
    outsider = world.client_for(world.bureau_b_user)
    assert outsider.get(f"/records/{record.pk}/edit/").status_code == 404


def test_collector_deletes_a_draft_which_is_kept_as_deleted(world):
    record = _returned(world)
    with pytest.raises(DomainError) as err:
        record_discard(record=record, reason="重复采集", actor=Actor.of(world.declaration_reviewer))
    assert err.value.status == 403
    client = world.client_for(world.branch_a_user)
    client.post(f"/records/{record.pk}/discard/", {"reason": "与 J 编号信息重复采集"})
    record.refresh_from_db()
    assert record.status == "discarded"
    assert [t.to_status for t in record.transitions.all()][-1] == "discarded"
    assert record.deadline.closed_at is not None  # an entry deadline no longer runs
    drafts = client.get("/records/queue/").content.decode().split('id="drafts"')[1].split("</section>")[0]
    assert record.association_no not in drafts
    effective = record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    from ciqcredit.collection.services import record_confirm

    record_confirm(record=effective, actor=Actor.of(world.declaration_reviewer))
    with pytest.raises(DomainError) as err:
        record_discard(record=effective, reason="x", actor=Actor.of(world.branch_a_user))
    assert err.value.code == "wrong_status"


def test_evidence_is_attached_from_the_page_and_downloaded(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    record = _returned(world)
    client = world.client_for(world.branch_a_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/records/{record.pk}/attach/", {"file": SimpleUploadedFile("现场照片.jpg", b"\xff\xd8photo")}
        )
    assert response.status_code == 302
    attachment = RecordAttachment.objects.get(record=record)
    assert attachment.name == "现场照片.jpg" and (tmp_path / attachment.file.name).read_bytes() == b"\xff\xd8photo"
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert "现场照片.jpg" in page
    download = client.get(f"/records/{record.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\xff\xd8photo"
    assert (
        world.client_for(world.bureau_b_user).get(f"/records/{record.pk}/attachments/{attachment.pk}/").status_code
        == 404
    )


def test_a_rolled_back_attachment_leaves_no_file(world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    record = _returned(world)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                record_attach(
                    record=record, file=ContentFile(b"evidence", name="a.pdf"), actor=Actor.of(world.branch_a_user)
                )
                raise RuntimeError("the surrounding work failed")
    assert not RecordAttachment.objects.exists()
    assert [p for p in Path(tmp_path).rglob("*") if p.is_file()] == []


def test_api_edits_and_discards_a_returned_record(world):
    record = _returned(world)
    api = world.client_for(world.branch_a_user)
    url = f"/api/v1/records/{record.pk}"
    assert (
        world.client_for(world.bureau_b_user)
        .patch(url, {"description": "x"}, content_type="application/json")
        .status_code
        == 404
    )
    edited = api.patch(url, {"description": "补充：批次 2017-118"}, content_type="application/json")
    assert edited.status_code == 200
    record.refresh_from_db()
    assert record.description == "补充：批次 2017-118"
    discarded = api.post(f"{url}/discard", {"reason": "重复采集"}, content_type="application/json")
    assert (discarded.status_code, discarded.json()["status"]) == (200, "discarded")
