"""The pages: worklist, item with its decisions, form and history, HQ's view across bureaus, figures, XLSX."""

import datetime as dt
import io
import re

from openpyxl import load_workbook

from ciqcredit.tracking.models import ItemStatus, TrackingItem


def test_worklist_and_hq_view(track, item):
    page = track.cast.client_for(track.branch_credit).get("/tracking/?mine=on").content.decode()
    assert "2026年3月" in page and "待说明整改" in page and f"/tracking/items/{item.pk}/" in page
    hq = track.cast.client_for(track.hq_customs).get("/tracking/").content.decode()
    assert "各直属局情况" in hq and "深圳" in hq


def test_the_item_page_answers_and_shows_its_history(track, item):
    client = track.cast.client_for(track.branch_credit)
    page = client.get(f"/tracking/items/{item.pk}/").content.decode()
    assert "抽中查验却直接放行" in page and "说明原因和整改措施" in page and "=HYPERLINK(1)" in page
    empty = client.post(f"/tracking/items/{item.pk}/", {"action": "answer", "cause": "", "rectification": ""})
    assert empty.status_code == 200 and TrackingItem.objects.get().status == ItemStatus.OPEN
    done = client.post(
        f"/tracking/items/{item.pk}/", {"action": "answer", "cause": "人工放行", "rectification": "恢复校验"}
    )
    assert done.status_code == 302
    page = client.get(f"/tracking/items/{item.pk}/").content.decode()
    assert "待直属局审核" in page and "人工放行" in page and "说明原因和整改措施" not in page
    assert "系统（每日检查）" in page and "钱分局" in page


def test_a_refused_step_says_why_in_chinese(track, item):
    page = (
        track.cast.client_for(track.hq_customs)
        .post(f"/tracking/items/{item.pk}/", {"action": "close"})
        .content.decode()
    )
    assert "不能办理此操作" in page


def test_figures_page_chart_and_export(track, item):
    client = track.cast.client_for(track.cast.bureau_a_user)
    page = client.get("/tracking/figures/?org=470000&date_from=2026-03-01&date_to=2026-03-31").content.decode()
    assert "<svg" in page and "抽中查验却直接放行" in page
    export = client.get("/tracking/figures/?org=470000&date_from=2026-03-01&date_to=2026-03-31&format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row if c.value is not None] for row in sheet.iter_rows()]
    assert ["放行决定数", 1] in rows and ["抽中查验却直接放行", 1] in rows
    assert sheet["A1"].data_type == "s"
    figures = client.get("/api/v1/tracking/figures?org=470000&from=2026-03-01&to=2026-03-31").json()
    # decided 2 March, reported on 16 March: after its 5 working days
    assert (figures["decisions"], figures["reported"], figures["reported_on_time"]) == (1, 1, 0)
    assert figures["deviations"]["released_not_inspected"] == 1
    assert figures["items"] == {"open": 1, "overdue": 0, "closed": 0}
    assert figures["inspection_share"] == [
        {"grade": "B", "area": "declaration_release", "reported": 1, "executed_share": 0.0, "prescribed_share": 0.1}
    ]


def test_figures_page_shows_the_monthly_trend_of_deviations_by_kind(track):
    january = track.decision(no="JAN", on=dt.date(2026, 1, 20), inspect=True)
    february = [track.decision(no=f"FEB{i}", on=dt.date(2026, 2, 10), priority=True) for i in range(2)]
    march = track.decision(no="MAR", inspect=True)
    track.decision(no="B", org=track.cast.bureau_b)  # unreported in another bureau: not in the trend
    track.send([track.report(d, inspected=False, outcome="released") for d in (january, march)])
    track.send([track.report(d, priority_given=False) for d in february])
    track.check()

    client = track.cast.client_for(track.cast.bureau_a_user)
    page = client.get("/tracking/figures/?org=470000&date_from=2026-03-01&date_to=2026-03-31").content.decode()
    trend = page[page.index('id="trend"') :]
    trend = trend[: trend.index("</section>")]
    assert "执行偏差月度趋势（按偏差类型）" in trend and "<svg" in trend
    cells = {
        m.group(1): re.findall(r'<td class="num">([^<]*)</td>', m.group(2))
        for m in re.finditer(r'<th scope="row">([^<]*)</th>(.*?)</tr>', trend, re.S)
    }
    # Six months up to the period's end; columns in the order of the kinds (未给予便利, 抽中未查验, 审单从严,
    # 审单从宽, 未优先办理, 逾期未报送).
    assert list(cells) == ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert cells["2026-01"] == ["0", "1", "0", "0", "0", "0"]
    assert cells["2026-02"] == ["0", "0", "0", "0", "2", "0"]
    assert cells["2026-03"] == ["0", "1", "0", "0", "0", "0"]
    assert cells["2025-12"] == ["0"] * 6
