"""The deterministic draw, and the batch endpoint answering as the single one does."""

from decimal import Decimal

from ciqcredit.application.combine import draw
from ciqcredit.application.models import Decision
from ciqcredit.application.tests.conftest import party, set_grade
from ciqcredit.testing import credit_code_for


def _strip(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "decision_id"}


def test_same_declaration_same_answer(world):
    a = world.enterprises[1]
    set_grade(a, "B")
    payload = {"declaration_no": "470100226000777", "parties": [party(a)]}
    first, second = world.decide(payload).json(), world.decide(payload).json()
    assert first["decision_id"] != second["decision_id"]  # both kept
    assert _strip(first) == _strip(second)
    assert draw("470100226000777", "declaration_release", 1) == draw("470100226000777", "declaration_release", 1)
    assert draw("470100226000777", "declaration_release", 1) != draw("470100226000777", "declaration_release", 2)


def test_share_inspected_matches_the_rate_over_10000_declarations(world):
    a = world.enterprises[1]
    set_grade(a, "B")  # 30 %
    inspected = 0
    for start in range(0, 10_000, 1_000):
        items = [{"declaration_no": f"4701{n:011d}", "parties": [party(a)]} for n in range(start, start + 1_000)]
        body = world.api().post("/api/v1/decisions/batch", {"items": items}, content_type="application/json").json()
        assert body["decided"] == 1_000
        inspected += sum(item["decision"]["inspect"] for item in body["items"])
    # Binomial(10000, 0.3): standard deviation 45.8; four of them either way.
    assert abs(inspected - 3_000) < 4 * 46, inspected
    assert Decision.objects.filter(inspect=True).count() == inspected


def test_batch_answers_equal_single_answers(world):
    a, b, c = world.enterprises[1:4]
    set_grade(a, "A")
    set_grade(b, "C", controlled=True, cause="dynamic_downgrade")
    set_grade(c, "AA", cause="aa_batch")
    unknown = credit_code_for(555_555)
    items = [
        {"declaration_no": "B-1", "parties": [party(a), party(b, "agent")]},
        {"declaration_no": "B-2", "parties": [party(c)], "area": "inspection"},
        {"declaration_no": "B-3", "parties": [party(unknown), party(c, "producer")], "on": "2026-01-15"},
        {"declaration_no": "B-4", "parties": [party(a)], "org_code": "475200"},
    ]
    batch = world.api().post("/api/v1/decisions/batch", {"items": items}, content_type="application/json").json()
    singles = [world.decide(item).json() for item in items]
    assert batch["decided"] == 4 and batch["rejected"] == 0
    assert [_strip(i["decision"]) for i in batch["items"]] == [_strip(s) for s in singles]
    assert Decision.objects.count() == 8


def test_batch_reports_errors_per_item_and_keeps_the_rest(world):
    a = world.enterprises[1]
    set_grade(a, "B")
    items = [
        {"declaration_no": "OK-1", "parties": [party(a)]},
        {"declaration_no": "BAD-1", "parties": [party("123")]},
        {"declaration_no": "BAD-2"},
        {"declaration_no": "OK-2", "parties": [party(a)], "org_code": "999999"},
        {"declaration_no": "OK-3", "parties": [party(a)]},
    ]
    body = world.api().post("/api/v1/decisions/batch", {"items": items}, content_type="application/json").json()
    assert (body["decided"], body["rejected"]) == (2, 3)
    by_index = {i["index"]: i for i in body["items"]}
    assert by_index[0]["ok"] and by_index[4]["ok"]
    assert by_index[1]["code"] == "validation_error" and by_index[1]["errors"][0]["field"] == "parties.0.credit_code"
    assert by_index[2]["errors"][0] == {"field": "parties", "message": "必填字段缺失", "type": "missing"}
    assert by_index[3]["code"] == "not_found"
    assert sorted(Decision.objects.values_list("declaration_no", flat=True)) == ["OK-1", "OK-3"]


def test_batch_takes_at_most_1000(world):
    items = [{"declaration_no": str(n), "parties": [party(world.enterprises[0])]} for n in range(1_001)]
    response = world.api().post("/api/v1/decisions/batch", {"items": items}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert not Decision.objects.exists()


def test_sampling_rate_is_a_decimal_string_or_number(world):
    a = world.enterprises[1]
    set_grade(a, "A")
    body = world.decide({"declaration_no": "R-1", "parties": [party(a)]}).json()
    assert Decimal(str(body["sampling_rate"])) == Decimal("0.1")


def test_batches_keep_every_party_on_its_decision(world):
    from ciqcredit.application.models import DecisionParty

    codes = [e.credit_code for e in world.enterprises]
    items = [
        {"declaration_no": f"CH-{n}", "parties": [party(codes[n % 6]), party(codes[(n + 1) % 6], "agent")]}
        for n in range(25)
    ]
    body = world.api().post("/api/v1/decisions/batch", {"items": items}, content_type="application/json").json()
    assert body["decided"] == 25
    for item, answer in zip(items, body["items"], strict=True):
        kept = Decision.objects.get(pk=answer["decision"]["decision_id"])
        assert kept.declaration_no == item["declaration_no"]
        stored = list(DecisionParty.objects.filter(decision=kept).order_by("id").values_list("credit_code", "role"))
        assert stored == [(p["credit_code"], p["role"]) for p in item["parties"]]
