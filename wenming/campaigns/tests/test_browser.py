"""A journey in a real Chromium: the office imports an annex with problems, maps a name and rewrites a date,
confirms; the task list shows the tasks; the liaison of 民一庭 finds their work, on a desk and on a phone."""

import pytest
from django.utils import timezone
from openpyxl import Workbook

from wenming.campaigns import services
from wenming.campaigns.models import Task
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_imports_an_annex_with_problems_and_the_liaison_finds_the_work(browser, live_server, output_dir,
                                                                              tmp_path):
    from playwright.sync_api import expect

    cast = build_cast()
    year = timezone.localdate().year
    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{year}年创建市级文明单位",
                                        year=year)
    annex = tmp_path / "分解表.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["附件：创建市级文明单位工作任务分解表"])
    sheet.append(["序号", "工作内容", "责任部门", "协办部门", "分管院领导", "时间节点"])
    sheet.append([1, "召开全院干警动员大会", "机关党委", "各庭室处队", "院领导", "2月上旬"])
    sheet.append([2, "开展家事纠纷巡回审判", "民一庭（家事审判团队）", "民二庭", "", "尽快"])
    sheet.append([3, "组织中心组理论学习", "机关党委", "", "", "每月"])
    sheet.append([4, "报送创建工作信息", "民一庭", "", "", "12月31日前"])
    workbook.save(annex)
    base = live_server.url

    context, page = new_page(browser)
    sign_in(page, base, cast["office"].username)
    page.goto(f"{base}/campaigns/{campaign.pk}/tasks/")
    page.click("text=导入分解表")
    page.set_input_files("#id_file", str(annex))
    page.click("text=上传并预览")
    problems = page.locator("#import-problems")
    problems.wait_for()
    text = problems.inner_text()
    assert "第4行" in text
    assert "民一庭（家事审判团队）" in text and "“尽快”" in text
    assert "2 处必须解决的问题" in page.locator("#import-summary").inner_text()
    assert page.locator("#confirm button").count() == 0
    page.screenshot(path=output_dir / "campaigns-import-problems.png", full_page=True)
    assert Task.objects.count() == 0

    # Map the department once, rewrite the date, check again: nothing left to fix.
    page.select_option("select[name='map-department-民一庭（家事审判团队）']", str(cast.dept_a.pk))
    page.fill("input[name='due-4']", "6月30日")
    page.click("text=应用修改并重新检查")
    page.locator("#confirm button").wait_for()
    assert "全部识别" in page.locator("#import-summary").inner_text() or "没有必须解决" in page.locator(
        "#import-summary").inner_text()
    applied = page.locator("#import-applied").inner_text()
    assert "部门“民一庭（家事审判团队）” → 民一庭" in applied and "第4行完成时限改为“6月30日”" in applied
    page.screenshot(path=output_dir / "campaigns-import-fixed.png", full_page=True)
    page.click("#confirm button")
    page.wait_for_url(f"{base}/campaigns/{campaign.pk}/tasks/")
    assert "新增 4 项任务" in page.locator(".messages").inner_text()
    table = page.locator("#task-table").inner_text()
    assert "开展家事纠纷巡回审判" in table and "每月" in table
    page.screenshot(path=output_dir / "campaigns-task-list.png", full_page=True)
    task = Task.objects.get(title="开展家事纠纷巡回审判")
    assert (task.lead_department, task.due_text) == (cast.dept_a, "6月30日")

    # Filter the list with htmx: only 民一庭's tasks.
    page.select_option("select[name=department]", str(cast.dept_a.pk))
    expect(page.locator("#task-table")).not_to_contain_text("组织中心组理论学习")
    assert "报送创建工作信息" in page.locator("#task-table").inner_text()
    assert page.console_errors == [], page.console_errors
    context.close()

    # The liaison of 民一庭 sees the department's work under My work.
    context, page = new_page(browser)
    sign_in(page, base, cast["liaison_a"].username)
    page.click("#sidebar >> text=我的工作")
    page.wait_for_url(f"{base}/campaigns/my/")
    mine = page.locator("#my-tasks").inner_text()
    assert "开展家事纠纷巡回审判" in mine and "报送创建工作信息" in mine
    page.screenshot(path=output_dir / "campaigns-my-work-liaison.png", full_page=True)
    context.close()

    # On a phone: no sideways scrolling of the page.
    context, page = new_page(browser, 390, 844, is_mobile=True, has_touch=True)
    sign_in(page, base, cast["liaison_a"].username)
    for path, name in [("/campaigns/my/", "campaigns-my-work-phone.png"),
                       (f"/campaigns/{campaign.pk}/tasks/", "campaigns-task-list-phone.png"),
                       (f"/campaigns/{campaign.pk}/", "campaigns-home-phone.png")]:
        page.goto(f"{base}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        page.screenshot(path=output_dir / name, full_page=True)
    violations = [error for error in page.console_errors if "Content Security Policy" in error]
    assert violations == [], violations
    context.close()
