"""The journey in a real Chromium: the 创建办 sees a red task under 预警 and issues a 督办单, 民一庭's liaison answers
it, the 创建办 closes it; the register and the 领导驾驶舱 (charts drawn, tables one click away) look right."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.campaigns import services as campaign_services
from wenming.campaigns.models import Task
from wenming.standards.tests.workbooks import make_standard
from wenming.supervision.models import SupervisionOrder
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_issue_answer_close_and_the_dashboard(browser, live_server, output_dir):
    from playwright.sync_api import expect

    cast = build_cast()
    today = timezone.localdate()
    standard = make_standard(cast.unit, cast["office"], published=True)
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{today.year}年创建市级文明单位",
                                                 year=today.year, standard=standard)
    lines = list(standard.criteria.filter(children__isnull=True).order_by("order", "id")[:6])
    plan = [("组建志愿服务队并在系统注册", cast.dept_a, -6, "in_progress"), ("举办道德讲堂", cast.dept_b, 2, "in_progress"),
            ("印发创建工作实施方案", cast.dept_a, -40, "done"), ("开展宪法宣传周活动", cast.dept_b, 20, "not_started"),
            ("报送创建工作信息", cast.dept_a, 1, "in_review"), ("整理迎检档案资料", cast.dept_b, -2, "returned")]
    for index, (title, department, days, status) in enumerate(plan):
        task = campaign_services.task_create(actor=cast["office"], campaign=campaign, title=title,
                                             lead_department=department, due_on=today + timedelta(days),
                                             criteria=[lines[index % len(lines)]])
        Task.objects.filter(pk=task.pk).update(status=status)
    base = live_server.url
    office_context, office = new_page(browser)
    liaison_context, liaison = new_page(browser)

    # 创建办: 预警 shows the red task; issue a 督办单 on it.
    sign_in(office, base, cast["office"].username)
    office.click("#sidebar >> text=督办考核")
    expect(office.locator("#warning-list")).to_contain_text("组建志愿服务队并在系统注册")
    expect(office.locator("#warning-list .light-red").first).to_be_visible()
    office.screenshot(path=output_dir / "supervision-warnings.png", full_page=True)
    office.locator("tr", has_text="组建志愿服务队并在系统注册").locator("text=督办").click()
    office.fill("#id_request", "请于一周内完成志愿服务队组建，并报送注册截图。")
    office.click("button[type=submit] >> text=签发")
    expect(office.locator(".messages[role=status]")).to_contain_text(f"督办〔{today.year}〕第1号")

    # 民一庭's liaison answers.
    sign_in(liaison, base, cast["liaison_a"].username)
    liaison.click("#sidebar >> text=督办考核")
    liaison.click(".sv-tabs >> text=督办单")
    liaison.click(f"text=督办〔{today.year}〕第1号")
    liaison.fill("#id_text", "已组建志愿服务队，28名干警完成注册，截图已上传。")
    liaison.click("text=提交答复")
    expect(liaison.locator(".messages[role=status]")).to_contain_text("等待督办人确认")

    # The 创建办 closes it; the register shows it closed.
    office.reload()
    office.fill("#id_text", "办理到位，予以办结。")
    office.click("button[value=close]")
    expect(office.locator(".messages[role=status]")).to_contain_text("已办结")
    assert list(SupervisionOrder.objects.get().rounds.values_list("kind", flat=True)) == ["issued", "answered", "closed"]
    office.screenshot(path=output_dir / "supervision-order.png", full_page=True)
    office.goto(f"{base}/supervision/orders/")
    expect(office.locator("#order-table")).to_contain_text("已办结")
    office.screenshot(path=output_dir / "supervision-register.png", full_page=True)

    # 领导驾驶舱: charts drawn by ECharts, each with a table view one click away.
    office.click("#sidebar >> text=领导驾驶舱")
    expect(office.locator("#chart-phase canvas")).to_have_count(1)
    expect(office.locator("#chart-phase [data-chart-table]")).to_be_hidden()
    expect(office.locator(".sv-kpi-red strong")).to_have_text("2")
    office.screenshot(path=output_dir / "supervision-dashboard.png", full_page=True)
    office.click("#chart-department [data-chart-toggle]")
    expect(office.locator("#chart-department [data-chart-table]")).to_contain_text("民一庭")
    assert office.console_errors == [] and liaison.console_errors == []
    office_context.close()
    liaison_context.close()
