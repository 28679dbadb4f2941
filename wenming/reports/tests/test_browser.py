"""The journey in a real Chromium: the 创建办 finds 创建报告 in the sidebar, generates the work report, sees it ready
to download, then edits the template and watches the preview follow (an unknown placeholder is named)."""

import pytest

from wenming.reports.tests.conftest import campaign_with_work
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generate_the_report_and_edit_its_template(browser, live_server, output_dir):
    from playwright.sync_api import expect

    cast = build_cast()
    campaign_with_work(cast)
    base = live_server.url
    context, page = new_page(browser)
    sign_in(page, base, cast["office"].username)
    page.click("#sidebar >> text=创建报告")
    expect(page.locator("h1")).to_have_text("创建报告")
    page.select_option("#id_template", label="创建工作报告（默认）（创建工作报告）")
    page.click("button:has-text('生成报告')")
    expect(page.locator("table.list tbody tr").first).to_contain_text("下载 Word")
    expect(page.locator("table.list tbody tr").first).to_contain_text("关于2021年创建市级文明单位工作情况的报告")
    page.screenshot(path=str(output_dir / "reports-list.png"), full_page=True)

    page.click("text=编辑报告模板")
    page.locator("tr", has_text="创建工作报告（默认）").locator("text=编辑").click()
    expect(page.locator("#preview .outline")).to_contain_text("分解为3项具体任务")
    page.screenshot(path=str(output_dir / "reports-template-editor.png"), full_page=True)
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n干警共{{ 干警人数 }}人。")
    expect(page.locator("#preview .form-errors")).to_contain_text("未知的占位符：{{ 干警人数 }}")
    assert page.console_errors == []
    context.close()
