"""In a real Chromium: the office imports a workbook with a mistake, fixes it, confirms, and browses the tree."""

import pytest
from playwright.sync_api import expect

from wenming.standards.models import Standard
from wenming.standards.tests.workbooks import sample_rows, sample_workbook
from wenming.testing import PASSWORD, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_imports_a_standard_sees_a_problem_confirms_and_browses_the_tree(browser, live_server, output_dir,
                                                                                 tmp_path):
    cast = build_cast()
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", cast["office"].username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.click("#sidebar >> text=测评体系")
    page.wait_for_url(f"{base}/standards/")
    page.screenshot(path=output_dir / "standards-empty-list.png", full_page=True)
    page.click("text=导入测评细则")

    # A workbook whose indicator does not add up: the preview names the row and column, nothing is saved.
    rows = sample_rows()
    rows[2][4] = 3
    rows[3][5] = "查阅资料、专家评议"
    wrong = tmp_path / "测评细则-有误.xlsx"
    wrong.write_bytes(sample_workbook(rows))
    page.set_input_files("#id_file", str(wrong))
    page.click("text=上传并预览")
    problems = page.locator("#import-problems")
    problems.wait_for()
    text = problems.inner_text()
    assert "第3行" in text and "B列（测评指标）" in text and "标注 6 分，下级合计 7 分" in text
    assert page.locator("text=确认导入").count() == 0
    page.screenshot(path=output_dir / "standards-import-problem.png", full_page=True)
    assert not Standard.objects.exists()

    # The corrected workbook: a warning only, the tree and its totals, then confirm.
    rows[2][4] = 2
    fixed = tmp_path / "测评细则.xlsx"
    fixed.write_bytes(sample_workbook(rows))
    page.click("#import-problems a:has-text('重新上传')")
    page.set_input_files("#id_file", str(fixed))
    page.click("text=上传并预览")
    page.locator("#criteria-tree").wait_for()
    assert "专家评议" in page.locator("#import-problems").inner_text()
    assert "100分" in page.locator("table.totals").inner_text()
    assert page.locator("#criteria-tree details").count() == 7
    page.screenshot(path=output_dir / "standards-import-preview.png", full_page=True)
    page.fill("#id_pass_score", "80")
    page.click("#confirm button[type=submit]")
    page.wait_for_url(f"{base}/standards/*/")
    assert "已导入" in page.locator(".messages").inner_text()
    standard = Standard.objects.get()
    assert standard.criteria.count() == 19

    # Browse: collapse everything, search, filter by method.
    page.click("text=全部收起")
    assert not page.locator("#criteria-tree details").first.evaluate("d => d.open")
    page.click("text=全部展开")
    page.fill("input[name=q]", "志愿")
    expect(page.locator("#criteria-tree")).to_contain_text("找到")
    assert "注册志愿者比例" in page.locator("#criteria-tree").inner_text()
    assert "年度创建工作总结" not in page.locator("#criteria-tree").inner_text()
    page.screenshot(path=output_dir / "standards-tree-search.png", full_page=True)
    page.fill("input[name=q]", "")
    page.select_option("select[name=method]", "网上申报")
    expect(page.locator("#criteria-tree")).to_contain_text("找到 3 条")
    page.select_option("select[name=method]", "")
    expect(page.locator("#criteria-tree")).not_to_contain_text("找到")
    page.screenshot(path=output_dir / "standards-tree.png", full_page=True)
    assert violations == [], violations
    context.close()
