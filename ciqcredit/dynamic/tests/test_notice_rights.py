"""A notice offers exactly the rights the rule set gives its kind of case (issue 15, item 2): an immediate
downgrade has no defence procedure, so its notice promises none; a serious-list notice gives the rule set's
defence period."""

import datetime as dt
import io

from pypdf import PdfReader

from ciqcredit.catalogue.models import RuleSetVersion
from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.dynamic import pdf
from ciqcredit.dynamic.services import dynamic_recheck
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_record, reach_downgrade
from ciqcredit.rules.params import REFERENCE_PARAMS


def _text(notice) -> str:
    return "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.render_notice_pdf(notice.content))).pages
    ).replace("\n", "")


def test_downgrade_notice_promises_no_defence(world):
    case = reach_downgrade(world, world.cast.enterprise)
    content = case.notice.content
    assert content["defence"] is None
    text = _text(case.notice)
    assert "申辩" not in text and "由A级降为B级" in text


def test_serious_list_notice_gives_the_rule_sets_defence_period(world):
    params = REFERENCE_PARAMS.model_dump(mode="json")
    params["serious_list"]["defence"] = {"days": 15, "unit": "working"}
    RuleSetVersion.objects.filter(number=1).update(params=params)
    cache_clear()
    ent = world.cast.enterprise
    fixture_record(ent, world.items["blacklist"], dt.date(2026, 2, 1), user=world.cast.branch_a_user)
    [case] = dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP)
    defence = case.notice.content["defence"]
    assert (defence["days"], defence["unit"]) == (15, "working")
    assert "15个工作日内" in _text(case.notice)
