"""The AA and key-enterprise pages take their input through forms and reach the same services as the API."""

import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from ciqcredit.actors import Actor
from ciqcredit.rating.models import AAApplication, AABatch, KeyEnterprise, KeyFileAttachment, KeyFileEntry
from ciqcredit.rating.services.keyfiles import key_enterprise_add
from ciqcredit.rating.tests.conftest import activity, give_grade


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_aa_application_batch_and_approval_through_the_page(world):
    e = world.cast.enterprise
    give_grade(e, "B", dt.date(2014, 10, 8))
    give_grade(e, "A", dt.date(2015, 10, 8))
    for month in range(1, 13):
        activity(e, dt.date(2016, month, 1), declarations=100, errors=0)
    officer = world.client_for(world.cast.bureau_a_user)
    sent = officer.post(
        "/rating/aa/",
        {
            "action": "apply",
            "credit_code": f" {e.credit_code.lower()} ",
            "clean_years_ok": "on",
            "other_regulators_clean_months": "24",
            "notes": "材料齐全",
        },
        follow=True,
    )
    assert "已受理AA级申请：符合全部条件" in _messages(sent)
    application = AAApplication.objects.get(enterprise=e)
    hq = world.client_for(world.cast.hq_admin)
    hq.post("/rating/aa/", {"action": "batch", "applications": [str(application.pk), "x"]})
    batch = AABatch.objects.get()
    approved = hq.post("/rating/aa/", {"action": "approve", "batch": str(batch.pk)}, follow=True)
    assert f"{batch.number}已批准发布" in _messages(approved)


def test_a_malformed_aa_form_is_refused_with_a_message(world):
    officer = world.client_for(world.cast.bureau_a_user)
    refused = officer.post("/rating/aa/", {"action": "apply", "other_regulators_clean_months": "-1"}, follow=True)
    assert refused.status_code == 200 and _messages(refused)
    assert not AAApplication.objects.exists()


def test_key_enterprise_and_a_file_entry_with_an_attachment(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    e = world.cast.enterprise
    hq = world.client_for(world.cast.hq_rules)
    hq.post(
        "/rating/key/", {"action": "add", "credit_code": e.credit_code, "department": "检验监管司", "reason": "重点"}
    )
    assert KeyEnterprise.objects.filter(enterprise=e, active=True).exists()
    upload = SimpleUploadedFile("访谈记录.pdf", b"%PDF-1.4 interview")
    with django_capture_on_commit_callbacks(execute=True):
        hq.post(
            f"/rating/key/{e.credit_code}/",
            {
                "file": "support",
                "entry_date": "2017-10-09",
                "title": "帮扶",
                "content": "上门指导",
                "attachments": upload,
            },
        )
    entry = KeyFileEntry.objects.get(enterprise=e, title="帮扶")
    attachment = KeyFileAttachment.objects.get(entry=entry)
    assert (entry.entry_date, attachment.name) == (dt.date(2017, 10, 9), "访谈记录.pdf")
    assert Path(attachment.file.path).read_bytes() == b"%PDF-1.4 interview"


def test_a_refused_file_entry_leaves_no_attachment_on_disk(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    e = world.cast.enterprise
    key_enterprise_add(enterprise=e, department="检验监管司", reason="重点", actor=Actor.of(world.cast.hq_rules))
    hq = world.client_for(world.cast.hq_rules)
    upload = SimpleUploadedFile("a.pdf", b"x")
    refused = hq.post(f"/rating/key/{e.credit_code}/", {"file": "nonsense", "title": "t", "attachments": upload})
    assert refused.status_code == 302
    assert not KeyFileEntry.objects.filter(title="t").exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
