"""The 工作台 in a real Chromium, on a desk (1366 px) and a phone (390 px): the liaison and the office see their to-do
list with counts and reach the place where each item is done in one tap. Screenshots in test-output/journeys/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.campaigns import services
from wenming.campaigns.tests.test_browser_journeys import SCREENS, Steps, clean_console, open_page
from wenming.evidence.models import Evidence
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_week_of_work(cast):
    today = timezone.localdate()
    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{today.year}年创建市级文明单位",
                                        year=today.year)
    services.task_create(actor=cast["office"], campaign=campaign, title="报送本月创建信息", lead_department=cast.dept_a,
                         due_on=today + timedelta(days=6 - today.weekday()))
    services.task_create(actor=cast["office"], campaign=campaign, title="整理道德讲堂台账", lead_department=cast.dept_a,
                         due_on=today - timedelta(days=3))
    Evidence.objects.create(campaign=campaign, title="三月道德讲堂照片", occurred_on=today, department=cast.dept_a,
                            uploader=cast["staff_a"], status=Evidence.Status.RETURNED, return_reason="照片看不出单位名称")
    Evidence.objects.create(campaign=campaign, title="志愿服务签到表", occurred_on=today, department=cast.dept_b,
                            uploader=cast["liaison_b"])
    return campaign


@pytest.mark.parametrize("screen", SCREENS)
def test_the_liaison_and_the_office_work_from_their_to_do_list(browser, live_server, output_dir, screen):
    from playwright.sync_api import expect

    cast = build_cast()
    campaign = a_week_of_work(cast)
    base = live_server.url

    context, page = open_page(browser, screen)
    steps = Steps(page, output_dir, "home-liaison", screen)
    sign_in(page, base, cast["liaison_a"].username)
    todo = page.locator(".todo-list")
    expect(todo.locator("li", has_text="本周到期和已逾期的任务").locator(".todo-count")).to_have_text("2")
    expect(todo.locator("li", has_text="被退回的材料").locator(".todo-count")).to_have_text("1")
    expect(todo.locator("li", has_text="本部门待答复的督办单")).to_contain_text("无")
    steps.shot("todo")
    steps.no_sideways_scroll()
    todo.get_by_role("link", name="被退回的材料").click()
    page.wait_for_url(f"{base}/campaigns/my/#returned-evidence")
    expect(page.locator("#returned-evidence")).to_contain_text("照片看不出单位名称")
    steps.shot("returned-evidence")
    steps.no_sideways_scroll()
    page.get_by_role("link", name="三月道德讲堂照片").click()
    page.wait_for_url(f"{base}/evidence/*/edit/")
    steps.shot("evidence-edit")
    clean_console(page)
    context.close()

    context, page = open_page(browser, screen)
    steps = Steps(page, output_dir, "home-office", screen)
    sign_in(page, base, cast["office"].username)
    todo = page.locator(".todo-list")
    expect(todo.locator("li", has_text="待审核的材料").locator(".todo-count")).to_have_text("1")
    expect(todo.locator("li", has_text="逾期任务").locator(".todo-count")).to_have_text("1")
    steps.shot("todo")
    steps.no_sideways_scroll()
    todo.get_by_role("link", name="逾期任务").click()
    page.wait_for_url(f"{base}/campaigns/{campaign.pk}/tasks/?overdue=1")
    expect(page.locator("#task-table tbody tr")).to_have_count(1)
    expect(page.locator("#task-table")).to_contain_text("整理道德讲堂台账")
    steps.shot("overdue-tasks")
    page.go_back()
    page.locator(".todo-list").get_by_role("link", name="待审核的材料").click()
    page.wait_for_url(f"{base}/evidence/campaigns/{campaign.pk}/?status=pending")
    expect(page.locator("#evidence-table")).to_contain_text("志愿服务签到表")
    steps.shot("evidence-to-review")
    clean_console(page)
    context.close()
