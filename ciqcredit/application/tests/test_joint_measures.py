"""Joint measures (联合奖惩) in release decisions: a party on a partner list takes the published joint measures
of that list, by the measure list's precedence, and the answer says which applied and why."""

import datetime as dt
from decimal import Decimal

from ciqcredit.application.combine import JointRule, MeasureRule, PartyState, combine
from ciqcredit.application.models import Decision, DecisionJointMeasure
from ciqcredit.application.tests.conftest import TODAY, party, set_grade
from ciqcredit.partners.tests.fixtures import make_partners, put_list


def _lists(world, court=(), tax=()):
    partners = make_partners()
    on = world.cast
    if court:
        put_list(on, partners.court_token, "court_dishonest_debtors", [e.credit_code for e in court])
    if tax:
        put_list(on, partners.tax_token, "tax_a_grade", [e.credit_code for e in tax])
    return partners


def test_a_court_listed_party_is_fully_inspected_without_paperless(world):
    aa = world.enterprises[1]
    set_grade(aa, "AA")
    _lists(world, court=[aa])
    response = world.decide({"declaration_no": "JM-1", "parties": [party(aa)]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["sampling_rate"], body["inspect"], body["document_review"]) == ("1.0000", True, "full")
    assert (body["paperless"], body["green_channel"], body["priority"]) == (False, False, False)
    assert [j["code"] for j in body["joint_measures"]] == ["JM-FY-DR-01"]
    applied = body["joint_measures"][0]
    assert applied["list_code"] == "court_dishonest_debtors" and applied["credit_code"] == aa.credit_code
    assert "失信被执行人名单" in applied["reason"] and aa.credit_code in applied["reason"]
    assert body["parties"][0]["partner_lists"] == ["court_dishonest_debtors"]
    assert body["governing_grade"] == "AA"  # the grade is the grade; the joint measure overlays it
    row = DecisionJointMeasure.objects.get(decision_id=body["decision_id"])
    assert (row.list_code, row.credit_code, row.measure_codes, row.inspect) == (
        "court_dishonest_debtors",
        aa.credit_code,
        ["JM-FY-DR-01"],
        True,
    )


def test_a_tax_a_grade_party_gets_priority_only_within_the_classes_named(world):
    b, c = world.enterprises[1], world.enterprises[2]
    set_grade(b, "B")
    set_grade(c, "C")
    _lists(world, tax=[b, c])
    rewarded = world.decide({"declaration_no": "JM-2", "parties": [party(b)]}).json()
    assert rewarded["priority"] is True and rewarded["sampling_rate"] == "0.3000"
    assert [j["code"] for j in rewarded["joint_measures"]] == ["JM-SW-DR-01"]
    not_reached = world.decide({"declaration_no": "JM-3", "parties": [party(c)]}).json()
    assert not_reached["priority"] is False and not_reached["joint_measures"] == []
    assert not_reached["parties"][0]["partner_lists"] == ["tax_a_grade"]
    assert not DecisionJointMeasure.objects.filter(decision_id=not_reached["decision_id"]).exists()


def test_joint_measures_follow_the_precedence_between_parties(world):
    rewarded, plain = world.enterprises[1], world.enterprises[2]
    set_grade(rewarded, "A")
    set_grade(plain, "B")
    _lists(world, tax=[rewarded])
    both = world.decide({"declaration_no": "JM-4", "parties": [party(rewarded), party(plain, "consignor")]}).json()
    # Facilitation only when every party qualifies (published precedence): the B party has no priority.
    assert both["priority"] is False
    assert [j["code"] for j in both["joint_measures"]] == ["JM-SW-DR-01"]  # it applied to its party all the same


def test_a_party_that_left_the_list_is_decided_without_it(world, settings):
    listed = world.enterprises[1]
    set_grade(listed, "A")
    partners = _lists(world, court=[listed])
    settings.CIQCREDIT_TODAY = TODAY + dt.timedelta(days=1)
    put_list(world.cast, partners.court_token, "court_dishonest_debtors", [])
    later = world.decide({"declaration_no": "JM-5", "parties": [party(listed)]}).json()
    assert later["joint_measures"] == [] and later["paperless"] is True
    before = world.decide({"declaration_no": "JM-6", "parties": [party(listed)], "on": TODAY.isoformat()}).json()
    assert [j["code"] for j in before["joint_measures"]] == ["JM-FY-DR-01"]


def test_standing_partner_lists_and_both_stamps_come_in_one_statement(world, django_assert_num_queries):
    from ciqcredit.application.selectors import parties_gather
    from ciqcredit.catalogue.models import JointMeasureVersion
    from ciqcredit.testing import credit_code_for

    listed, plain = world.enterprises[1], world.enterprises[2]
    set_grade(listed, "A")
    set_grade(plain, "B")
    unknown = credit_code_for(9002)
    partners = _lists(world, court=[listed], tax=[listed])
    put_list(world.cast, partners.court_token, "court_dishonest_debtors", [listed.credit_code, unknown])
    pairs = [(listed.credit_code, "consignee"), (plain.credit_code, "consignor"), (unknown, "agent")]
    for day in (TODAY, TODAY - dt.timedelta(days=1)):
        parties_gather(pairs, day)  # the lists' versions in force that day and their measures, once per process
    with django_assert_num_queries(1):
        states, index, joint = parties_gather(pairs, TODAY)
    assert [(s.credit_code, s.effective_grade, s.partner_lists) for s in states] == [
        (listed.credit_code, "A", ("court_dishonest_debtors", "tax_a_grade")),
        (plain.credit_code, "B", ()),
        (unknown, None, ("court_dishonest_debtors",)),
    ]
    assert index.version.number == 1 and joint.version == JointMeasureVersion.objects.get()
    assert [r.code for r in joint.by_list_area[("court_dishonest_debtors", "declaration_release")]] == ["JM-FY-DR-01"]
    with django_assert_num_queries(1):  # the day before the lists were received: on none of them
        states, _, joint = parties_gather(pairs, TODAY - dt.timedelta(days=1))
    assert [s.partner_lists for s in states] == [(), (), ()] and joint.version is not None


def test_an_unregistered_listed_code_takes_its_joint_measures(world):
    from ciqcredit.testing import credit_code_for

    unknown = credit_code_for(9001)
    partners = make_partners()
    put_list(world.cast, partners.court_token, "court_dishonest_debtors", [unknown])
    body = world.decide({"declaration_no": "JM-7", "parties": [party(unknown)]}).json()
    assert body["sampling_rate"] == "1.0000" and [j["credit_code"] for j in body["joint_measures"]] == [unknown]
    assert Decision.objects.get(pk=body["decision_id"]).joint_measures[0]["code"] == "JM-FY-DR-01"


# ---- the pure rule ----

GRADE = {
    ("A", "declaration_release"): [
        MeasureRule(
            "A-DR", "A", "A", "declaration_release", sampling_rate=Decimal("0.1"), priority=False, paperless=True
        )
    ]
}
PUNISH = JointRule(
    "J-P", "惩戒", "p_list", "declaration_release", sampling_rate=Decimal("1"), paperless=False, list_title="惩戒名单"
)
REWARD = JointRule("J-R", "激励", "r_list", "declaration_release", priority=True, for_classes=("AA", "A"))
JOINT = {("p_list", "declaration_release"): [PUNISH], ("r_list", "declaration_release"): [REWARD]}


def _party(*lists, controlled=False):
    return PartyState("X", "consignee", True, "A", controlled, False, partner_lists=lists)


def test_combine_joint_rules_by_precedence():
    plain = combine([_party()], GRADE, "declaration_release", joint=JOINT)
    assert (plain.sampling_rate, plain.paperless, plain.priority, plain.joint) == (Decimal("0.1"), True, False, ())
    punished = combine([_party("p_list")], GRADE, "declaration_release", joint=JOINT)
    assert (punished.sampling_rate, punished.paperless) == (Decimal("1"), False)
    rewarded = combine([_party("r_list")], GRADE, "declaration_release", joint=JOINT)
    assert rewarded.priority is True and rewarded.paperless is True
    both = combine([_party("p_list", "r_list")], GRADE, "declaration_release", joint=JOINT)
    assert (both.priority, both.paperless, {a.rule.code for a in both.joint}) == (True, False, {"J-P", "J-R"})
    # A controlled party has the class `controlled`, which the reward does not name: not reached.
    controlled = combine([_party("r_list", controlled=True)], GRADE, "declaration_release", joint=JOINT)
    assert controlled.priority is False and controlled.joint == ()
    # Without joint rules the answer is what it always was.
    assert combine([_party("p_list")], GRADE, "declaration_release").sampling_rate == Decimal("0.1")
