"""Key enterprises by list and by rule; a grade change files an entry, a downgrade an interview to do."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.errors import DomainError
from ciqcredit.rating.models import KeyEnterprise, KeyFileEntry
from ciqcredit.rating.services.confirmation import results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.services.keyfiles import (
    key_enterprise_add,
    key_enterprise_remove,
    key_file_entry_create,
    key_interview_done,
    key_rule_create,
)
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity, give_grade
from ciqcredit.testing import make_enterprise


def test_rule_materializes_matches(world):
    make_enterprise(80, world.cast.branch_a, types=("port_food",))
    make_enterprise(81, world.cast.bureau_b, types=("port_food",))
    rule = key_rule_create(
        department="检验监管司",
        name="口岸食品",
        types=["port_food"],
        organization=world.cast.bureau_a,
        actor=Actor.of(world.cast.hq_rules),
    )
    assert rule.members.count() == 1
    added = AuditEntry.objects.filter(action="rating.key_enterprise.added", target_type="enterprises.enterprise")
    assert list(added.values_list("new__reason", flat=True)) == ["符合规则“口岸食品”"]
    with pytest.raises(DomainError) as exc:
        key_rule_create(
            department="食品局", name="x", types=["port_food"], organization=None, actor=Actor.of(world.cast.hq_rules)
        )
    assert exc.value.status == 403
    with pytest.raises(DomainError):
        key_enterprise_add(
            enterprise=world.cast.enterprise, department="", reason="", actor=Actor.of(world.cast.bureau_a_user)
        )


def test_grade_changes_file_entries_and_downgrades_call_for_interviews(world):
    e = world.cast.enterprise
    key_enterprise_add(
        enterprise=e, department="检验监管司", reason="重点出口企业", actor=Actor.of(world.cast.hq_rules)
    )
    give_grade(e, "A", dt.date(2016, 10, 9))  # single path: grade_change_apply
    give_grade(e, "B", dt.date(2017, 3, 1), cause="dynamic_downgrade")
    # Bulk path: the periodic result (12 points → C) confirmed.
    activity(e, dt.date(2017, 4, 1))
    world.records.add(e, 12, dt.date(2017, 4, 1))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), credit_codes=[e.credit_code])
    files = list(KeyFileEntry.objects.filter(enterprise=e).order_by("entry_date", "file"))
    assert [(f.file, f.title, f.todo) for f in files] == [
        ("grade_change", "评为A级（周期评定）", False),
        ("grade_change", "降级：由A级调整为B级（动态管理即时降级）", False),
        ("interview", "降级约谈（降级：由A级调整为B级（动态管理即时降级））", True),
        ("grade_change", "降级：由B级调整为C级（周期评定）", False),
        ("interview", "降级约谈（降级：由B级调整为C级（周期评定））", True),
    ]
    # The automatic entries of the single path are audited like those made by hand.
    audited = AuditEntry.objects.filter(action="rating.key_file.entry_created", target_type="rating.keyfileentry")
    assert {int(i) for i in audited.values_list("target_id", flat=True)} >= {f.pk for f in files[:3]}
    interview = files[2]
    key_interview_done(
        entry=interview,
        held_on=dt.date(2017, 3, 10),
        content="已约谈法定代表人",
        actor=Actor.of(world.cast.bureau_a_user),
    )
    interview.refresh_from_db()
    assert not interview.todo and interview.done_on == dt.date(2017, 3, 10)
    entry = key_file_entry_create(
        enterprise=e,
        file="support",
        entry_date=dt.date(2017, 5, 5),
        title="政策辅导",
        content="出口退运问题辅导",
        actor=Actor.of(world.cast.bureau_a_user),
    )
    assert entry.file == "support" and not entry.automatic
    assert KeyEnterprise.objects.filter(enterprise=e).count() == 1


def test_removing_a_key_enterprise_stops_its_files_and_is_audited(world):
    e = world.cast.enterprise
    key = key_enterprise_add(
        enterprise=e, department="检验监管司", reason="重点出口企业", actor=Actor.of(world.cast.hq_rules)
    )
    key_enterprise_remove(key=key, actor=Actor.of(world.cast.hq_rules))
    assert not KeyEnterprise.objects.get(pk=key.pk).active
    assert AuditEntry.objects.filter(action="rating.key_enterprise.removed", target_id=str(e.pk)).exists()
    give_grade(e, "B", dt.date(2017, 3, 1), cause="dynamic_downgrade")
    assert not KeyFileEntry.objects.filter(enterprise=e).exists()  # no longer key: no file entries


def test_an_entry_s_attachment_is_served_within_the_enterprise_s_scope(world, django_capture_on_commit_callbacks):
    """The key-file page linked attachments by their storage path, which nothing serves (404)."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    e = world.cast.enterprise
    rules = Actor.of(world.cast.hq_rules)
    key_enterprise_add(enterprise=e, department="检验监管司", reason="重点出口企业", actor=rules)
    with django_capture_on_commit_callbacks(execute=True):  # files are written on commit
        key_file_entry_create(
            enterprise=e,
            file="support",
            entry_date=dt.date(2017, 5, 5),
            title="约谈记录",
            content="约谈纪要",
            attachments=[SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes")],
            actor=Actor.of(world.cast.bureau_a_user),
        )
    officer = world.cast.client_for(world.cast.bureau_a_user)
    page = officer.get(f"/rating/key/{e.credit_code}/").content.decode()
    [href] = re.findall(r'<a href="([^"]+)">纪要.pdf</a>', page)
    response = officer.get(href)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    assert world.cast.client_for(world.cast.bureau_b_user).get(href).status_code == 404
