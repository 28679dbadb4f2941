"""Journeys of issue 15 in a real Chromium, clicked and typed as a clerk does, on a desk (1366 px) and a phone (390 px):
批量分派 of ticked tasks and of every task matching the filter, the chip picker of the task form driven by the
keyboard, and the campaign switcher in the header. Each step leaves a screenshot in test-output/journeys/ (kept
when a run fails: the last one shows where it stopped)."""

from datetime import date

import pytest
from django.utils import timezone

from wenming.campaigns import services
from wenming.campaigns.models import CampaignChoice, Task
from wenming.standards.tests.workbooks import make_standard
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = [pytest.param((1366, 900), id="desk"), pytest.param((390, 844), id="phone")]


def open_page(browser, screen):
    width, height = screen
    phone = width < 800
    return new_page(browser, width, height, is_mobile=phone, has_touch=phone)


class Steps:
    """Screenshots named <journey>-<screen>-<nn>-<step>.png, one per step."""

    def __init__(self, page, output_dir, journey, screen):
        self.page, self.count = page, 0
        self.folder = output_dir / "journeys"
        self.folder.mkdir(exist_ok=True)
        self.prefix = f"{journey}-{screen[0]}"

    def shot(self, step):
        self.count += 1
        self.page.screenshot(path=self.folder / f"{self.prefix}-{self.count:02d}-{step}.png", full_page=True)

    def no_sideways_scroll(self):
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.viewport_size["width"], f"{self.page.url} is {width}px wide"


def campaign_with_tasks(cast, count):
    year = timezone.localdate().year
    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{year}年创建市级文明单位", year=year)
    Task.objects.bulk_create([Task(campaign=campaign, number=i, title=f"分解任务{i:02d}", due_text="年底前")
                              for i in range(1, count + 1)])
    return campaign


def clean_console(page):
    errors = [error for error in page.console_errors if "favicon" not in error]
    assert errors == [], errors


@pytest.mark.parametrize("screen", SCREENS)
def test_office_ticks_tasks_and_assigns_them_in_one_go(browser, live_server, output_dir, screen):
    from playwright.sync_api import expect

    cast = build_cast()
    campaign = campaign_with_tasks(cast, 60)
    base = live_server.url
    context, page = open_page(browser, screen)
    steps = Steps(page, output_dir, "batch-assign", screen)
    sign_in(page, base, cast["office"].username)
    page.goto(f"{base}/campaigns/{campaign.pk}/tasks/")
    steps.shot("task-list")

    # Tick two tasks, then fill the bulk bar: the ticks stay (the filter bar used to reload the table under them).
    page.get_by_label("选择第1项", exact=True).check()
    page.get_by_label("选择第2项", exact=True).check()
    expect(page.locator("[data-selected-count]")).to_have_text("已选 2 项")
    page.select_option("#bulk-form select[name=owner]", label=f"{cast['liaison_a'].real_name}（{cast.dept_a.name}）")
    page.select_option("#bulk-form select[name=lead_department]", str(cast.dept_a.pk))
    page.click("#bulk-co-departments-search")
    page.keyboard.type("民二")
    page.keyboard.press("Enter")
    expect(page.locator("#bulk-form .picker .chip")).to_have_text(["民二庭×"])
    page.fill("#bulk-form input[name=due_text]", "6月30日")
    assert page.get_by_label("选择第1项", exact=True).is_checked()
    assert page.get_by_label("选择第2项", exact=True).is_checked()
    steps.shot("two-ticked-and-filled")
    if screen[0] < 800:
        steps.no_sideways_scroll()
    page.click("#bulk-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已批量分派 2 项任务")
    steps.shot("two-assigned")
    year = timezone.localdate().year
    for task in Task.objects.filter(number__in=[1, 2]):
        assert (task.owner, task.lead_department, task.due_on) == (cast["liaison_a"], cast.dept_a, date(year, 6, 30))
        assert list(task.co_departments.all()) == [cast.dept_b]
    assert Task.objects.exclude(number__in=[1, 2]).filter(owner__isnull=False).count() == 0

    # Select all on the page, then every task matching the filter (60 over two pages), and set the lead department.
    page.get_by_label("全选").check()
    expect(page.locator("[data-selected-count]")).to_have_text("已选 50 项")
    page.get_by_role("button", name="选择全部符合条件的 60 项").click()
    expect(page.locator("[data-selected-count]")).to_have_text("已选全部符合条件的 60 项")
    page.select_option("#bulk-form select[name=lead_department]", str(cast.dept_b.pk))
    steps.shot("all-matching-selected")
    page.click("#bulk-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已批量分派 60 项任务")
    steps.shot("all-assigned")
    assert Task.objects.filter(campaign=campaign, lead_department=cast.dept_b).count() == 60
    assert Task.objects.get(number=1).owner == cast["liaison_a"]  # what was left at （不变） did not change

    # Filter by typing (htmx reloads the table), select all that match, and give them an owner.
    page.fill("input[name=q]", "分解任务1")
    expect(page.locator("#task-table tbody tr")).to_have_count(10)  # 10..19
    page.get_by_label("全选").check()
    expect(page.locator("[data-selected-count]")).to_have_text("已选 10 项")
    page.select_option("#bulk-form select[name=owner]", label=f"{cast['staff_a'].real_name}（{cast.dept_a.name}）")
    steps.shot("filtered-and-selected")
    page.click("#bulk-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已批量分派 10 项任务")
    expect(page.locator("input[name=q]")).to_have_value("分解任务1")  # back on the same filtered list
    steps.shot("filtered-assigned")
    assert sorted(Task.objects.filter(owner=cast["staff_a"]).values_list("number", flat=True)) == list(range(10, 20))
    clean_console(page)
    context.close()


@pytest.mark.parametrize("screen", SCREENS)
def test_office_picks_criteria_and_co_departments_with_the_keyboard(browser, live_server, output_dir, screen):
    from playwright.sync_api import expect

    cast = build_cast()
    year = timezone.localdate().year
    standard = make_standard(cast.unit, cast["office"], published=True)
    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{year}年创建市级文明单位",
                                        year=year, standard=standard)
    task = services.task_create(actor=cast["office"], campaign=campaign, title="制定年度创建工作计划",
                                lead_department=cast.dept_a)
    base = live_server.url
    context, page = open_page(browser, screen)
    steps = Steps(page, output_dir, "chip-picker", screen)
    sign_in(page, base, cast["office"].username)
    page.goto(f"{base}/campaigns/tasks/{task.pk}/edit/")
    steps.shot("task-form")
    if screen[0] < 800:
        steps.no_sideways_scroll()

    # 测评指标: the label leads to the search box; type, move with the arrows, Enter adds a chip.
    page.get_by_label("测评指标").click()
    expect(page.locator(".picker-list").first).to_be_visible()
    page.keyboard.type("年度")  # lines 2 (年度创建工作计划) and 5 (年度创建工作总结)
    expect(page.locator(".picker-list").first.locator("[role=option]")).to_have_count(2)
    steps.shot("criteria-filtered")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # the second match: line 5
    page.keyboard.type("文号")
    page.keyboard.press("Enter")  # line 2
    criteria = page.locator(".picker").first.locator(".chip")
    expect(criteria).to_have_count(2)
    expect(criteria.nth(0)).to_contain_text("制定年度创建工作计划")  # chips follow the standard's order
    expect(criteria.nth(1)).to_contain_text("年度创建工作总结")
    page.keyboard.press("Backspace")  # the box is empty: Backspace takes the last chip off
    expect(criteria).to_have_count(1)
    steps.shot("criteria-chosen")
    page.keyboard.press("Escape")  # the list closes; the chips stay
    expect(page.locator(".picker-list").first).to_be_hidden()

    # 配合部门: pick two, then remove one with its × button.
    page.get_by_label("配合部门").click()
    page.keyboard.type("民二")
    page.keyboard.press("Enter")
    page.keyboard.type("机关")
    page.keyboard.press("Enter")
    departments = page.locator(".picker").nth(1).locator(".chip")
    expect(departments).to_have_count(2)
    page.get_by_role("button", name="移除 机关党委").click()
    expect(departments).to_have_count(1)
    page.keyboard.press("Escape")
    steps.shot("departments-chosen")
    if screen[0] < 800:
        steps.no_sideways_scroll()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存任务")
    steps.shot("saved")
    task.refresh_from_db()
    assert [c.code for c in task.criteria.all()] == ["2"]
    assert list(task.co_departments.all()) == [cast.dept_b]

    # Opened again, the chips show what was saved.
    page.goto(f"{base}/campaigns/tasks/{task.pk}/edit/")
    expect(page.locator(".picker").first.locator(".chip")).to_have_count(1)
    expect(page.locator(".picker").nth(1).locator(".chip")).to_have_text(["民二庭×"])
    clean_console(page)
    context.close()


@pytest.mark.parametrize("screen", SCREENS)
def test_liaison_switches_campaign_in_the_header_and_every_page_follows(browser, live_server, output_dir, screen):
    from playwright.sync_api import expect

    cast = build_cast()
    year = timezone.localdate().year
    current = services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{year}年创建市级文明单位", year=year)
    old = services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{year - 1}年创建市级文明单位",
                                   year=year - 1)
    services.task_create(actor=cast["office"], campaign=current, title="今年的任务", lead_department=cast.dept_a)
    services.task_create(actor=cast["office"], campaign=old, title="去年的任务", lead_department=cast.dept_a)
    base = live_server.url
    context, page = open_page(browser, screen)
    steps = Steps(page, output_dir, "campaign-switch", screen)
    sign_in(page, base, cast["liaison_a"].username)
    switch = page.get_by_label("当前创建活动")
    expect(switch).to_have_value(str(current.pk))
    page.goto(f"{base}/campaigns/tasks/")
    expect(page.locator("#task-table")).to_contain_text("今年的任务")
    steps.shot("this-year")

    switch.select_option(label=f"{year - 1}年创建市级文明单位")
    page.wait_for_url(f"{base}/campaigns/{old.pk}/tasks/")  # the same page, for the chosen campaign
    expect(page.locator(".messages")).to_contain_text(f"已切换到“{year - 1}年创建市级文明单位”")
    expect(page.locator("#task-table")).to_contain_text("去年的任务")
    steps.shot("switched")
    if screen[0] < 800:
        steps.no_sideways_scroll()
    assert CampaignChoice.objects.get(user=cast["liaison_a"]).campaign == old

    # Every campaign page now opens the chosen campaign, also from the sidebar and after signing in again.
    for path, expected in [("/evidence/", f"/evidence/campaigns/{old.pk}/"), ("/evidence/gaps/", f"/evidence/gaps/{old.pk}/"),
                           ("/campaigns/tasks/", f"/campaigns/{old.pk}/tasks/")]:
        page.goto(f"{base}{path}")
        page.wait_for_url(f"{base}{expected}")
        expect(page.get_by_label("当前创建活动")).to_have_value(str(old.pk))
    context.close()
    context, page = open_page(browser, screen)
    steps.page = page
    sign_in(page, base, cast["liaison_a"].username)
    expect(page.get_by_label("当前创建活动")).to_have_value(str(old.pk))

    # My work lists the items of every open campaign.
    page.goto(f"{base}/campaigns/my/")
    mine = page.locator("#my-tasks")
    expect(mine).to_contain_text("今年的任务")
    expect(mine).to_contain_text("去年的任务")
    steps.shot("my-work-both")
    if screen[0] < 800:
        steps.no_sideways_scroll()
    clean_console(page)
    context.close()
