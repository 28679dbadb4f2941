"""部门考核: departments ranked by on-time completion, evidence returns, days overdue and open rectifications,
with the unit's weights; departments only — no person is ranked."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wenming.campaigns.models import Task
from wenming.evidence import services as evidence_services
from wenming.evidence.models import Evidence
from wenming.supervision import selectors, services
from wenming.supervision.tests.conftest import make_task

pytestmark = pytest.mark.django_db


def test_ranking_counts_each_measure_and_applies_the_weights(cast, campaign):
    today = timezone.localdate()
    on_time = make_task(cast, campaign, department=cast.dept_a, days=10, title="按时完成")
    Task.objects.filter(pk=on_time.pk).update(status=Task.Status.DONE, completed_at=timezone.now())
    late_done = make_task(cast, campaign, department=cast.dept_a, days=-10, title="超期完成")
    Task.objects.filter(pk=late_done.pk).update(status=Task.Status.DONE, completed_at=timezone.now())
    make_task(cast, campaign, department=cast.dept_b, days=-4, title="逾期4天")
    make_task(cast, campaign, department=cast.dept_b, days=-6, title="逾期6天")
    make_task(cast, campaign, department=cast.dept_b, days=2, title="未到期")
    item = Evidence.objects.create(campaign=campaign, title="照片", occurred_on=today, department=cast.dept_a,
                                   uploader=cast["liaison_a"], link="https://example.cn/p")
    evidence_services.evidence_review(actor=cast["office"], evidence=item, approve=False, reason="模糊")

    result = selectors.ranking(user=cast["office"], campaign=campaign)
    rows = {row.department.name: row for row in result.rows}
    a, b = rows["民一庭"], rows["民二庭"]
    assert (a.total, a.done, a.on_time, a.on_time_rate, a.returns, a.overdue_days) == (2, 2, 1, Decimal("50.0"), 1, 0)
    assert (b.total, b.done, b.overdue, b.overdue_days, b.returns) == (3, 0, 2, 10, 0)
    assert a.score == Decimal("49.0")  # 50 × 1 − 1 × 1
    assert b.score == Decimal("-2.0")  # 0 − 10 × 0.2
    assert (a.rank, b.rank) == (1, 2)
    assert rows["机关党委"].rank is None  # no tasks, nothing to rank

    services.settings_update(actor=cast["office"], unit=cast.unit, values={"weight_overdue_days": Decimal("0")})
    rows = {row.department.name: row for row in selectors.ranking(user=cast["office"], campaign=campaign).rows}
    assert rows["民二庭"].score == Decimal("0.0")


def test_the_page_shows_the_formula_and_exports_for_the_briefing(cast, campaign, client_for):
    make_task(cast, campaign, department=cast.dept_a, days=-1)
    office = client_for(cast["office"])
    page = office.get(reverse("supervision:ranking")).content.decode()
    assert "计分公式" in page and "按时完成率（%）" in page and "× 0.20" in page
    assert "不对个人排名" in page
    response = office.get(reverse("supervision:ranking_export"))
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    assert "得分 = 按时完成率" in sheet.cell(row=1, column=1).value
    assert [c.value for c in sheet[2]][:2] == ["名次", "部门"]


def test_the_office_edits_the_weights_and_a_stale_form_is_caught(cast, client_for):
    office = client_for(cast["office"])
    data = {"warn_days": 5, "weight_on_time": "1", "weight_returns": "2", "weight_overdue_days": "0.5",
            "weight_open_rectifications": "3", "version": 1}
    assert office.post(reverse("supervision:settings"), data).status_code == 302
    assert services.settings_for(cast.unit.pk).weight_returns == Decimal("2")
    stale = office.post(reverse("supervision:settings"), {**data, "weight_returns": "9", "version": 1})
    assert stale.status_code == 409
    assert services.settings_for(cast.unit.pk).weight_returns == Decimal("2")
    bad = office.post(reverse("supervision:settings"), {**data, "warn_days": 100, "version": 2})
    assert bad.status_code == 200 and "60" in bad.content.decode()
    assert services.settings_for(cast.unit.pk).warn_days == 5
