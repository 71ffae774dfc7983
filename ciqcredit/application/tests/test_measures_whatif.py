"""What-if of a draft measure list: recent decisions answered again under it, nothing written."""

import pytest

from ciqcredit.application.models import Decision
from ciqcredit.application.tests.conftest import SYSTEM, party, set_grade
from ciqcredit.application.whatif import measures_whatif
from ciqcredit.catalogue import editing
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.services import version_draft_create


def test_a_stricter_draft_shows_more_inspections_and_fewer_facilitations(world, cast):
    a, b = world.enterprises[1], world.enterprises[2]
    set_grade(a, "A")
    set_grade(b, "B")
    for n in range(200):
        world.decide({"declaration_no": f"W-{n}", "parties": [party(a if n % 2 else b)], "org_code": "475200"})
    draft = version_draft_create(kind=Kind.MEASURES, actor=SYSTEM)
    editing.measure_update(
        measure=draft.measures.get(code="A-DR-01"),
        fields={"sampling_ratio": "0.5", "green_channel": False},
        actor=SYSTEM,
    )
    before = Decision.objects.count()
    result = measures_whatif(version=draft, user=cast.bureau_a_user, date_from=world_day(), date_to=world_day())
    assert Decision.objects.count() == before
    rows = {r.grade: r for r in result.rows}
    assert (rows["A"].decisions, rows["B"].decisions) == (100, 100)
    assert (rows["A"].rate_now, rows["A"].rate_then) == (pytest.approx(0.1), pytest.approx(0.5))
    assert rows["A"].inspected_then > rows["A"].inspected_now
    assert (rows["A"].facilitated_now, rows["A"].facilitated_then) == (100, 100)  # paperless is still given
    # B's rate is unchanged; its draws differ, since the draw is keyed on the list's version.
    assert rows["B"].rate_then == pytest.approx(0.3) and 15 < rows["B"].inspected_then < 45
    # Out of scope: bureau B sees nothing to replay.
    assert (
        measures_whatif(version=draft, user=cast.bureau_b_user, date_from=world_day(), date_to=world_day()).rows == []
    )

    page = cast.client_for(cast.hq_rules).get(f"/application/measures/{draft.number}/whatif/")
    assert page.status_code == 200 and "按本版本" in page.content.decode() and "50.0%" in page.content.decode()
    assert cast.client_for(cast.bureau_a_user).get(f"/application/measures/{draft.number}/whatif/").status_code == 403
    assert (
        f"/application/measures/{draft.number}/whatif/"
        in cast.client_for(cast.hq_rules).get("/application/measures/").content.decode()
    )


def world_day():
    from ciqcredit.application.tests.conftest import TODAY

    return TODAY
