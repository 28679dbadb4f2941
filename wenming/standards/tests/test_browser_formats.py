"""In a real Chromium: the office imports a 测评体系 sent as a Word document with two tables — the screen says which
table it read and offers the other, shows the year, total, bonus cap, veto lines and pass line, and saves on
confirm; a sheet whose points column is uncertain names the column instead of an error per row. Screens at
1366 px and 390 px."""

import pytest
from openpyxl import Workbook

from wenming.standards.models import Standard
from wenming.standards.tests.corpus import ORGAN, as_word, two_points_columns, write_docx
from wenming.standards.tests.workbooks import to_bytes
from wenming.testing import PASSWORD, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, base, user, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return context, page


def uncertain_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["一级指标", "分值", "二级指标", "说明"])
    for category, points in (("组织领导", 40), ("志愿服务", 60)):
        workbook.active.append([category, points, "第一项工作", "按要求开展"])
        for number in range(2, 5):
            workbook.active.append([None, None, f"第{number}项工作", "按要求开展"])
    return to_bytes(workbook)


def test_office_imports_a_word_standard_through_the_screen(browser, live_server, output_dir, tmp_path):
    cast = build_cast()
    base = live_server.url
    document = tmp_path / "测评体系.docx"
    document.write_bytes(write_docx(as_word(two_points_columns(ORGAN, "某市二〇二一年度文明机关测评体系",
                                                               "总分100分，80分以上为合格")), extra_table_first=True))
    uncertain = tmp_path / "细则-分值列不确定.xlsx"
    uncertain.write_bytes(uncertain_workbook())

    for width in (1366, 390):
        context, page = sign_in(browser, base, cast["office"], width)
        page.goto(f"{base}/standards/import/")
        page.set_input_files("#id_file", str(uncertain))
        page.click("text=上传并预览")
        ambiguity = page.locator("#import-ambiguities")
        ambiguity.wait_for()
        assert "B列" in ambiguity.inner_text() and "读不到分值" in ambiguity.inner_text()
        assert page.locator(".problems-table tr.error").count() == 1  # one message, not one per row
        page.screenshot(path=output_dir / f"standards-import-ambiguous-{width}.png", full_page=True)

        page.goto(f"{base}/standards/import/")
        page.set_input_files("#id_file", str(document))
        page.click("text=上传并预览")
        choice = page.locator("#table-choice")
        choice.wait_for()
        text = choice.inner_text()
        assert "文档中有 2 个表格" in text and "正在使用" in text and "领导小组成员名单" in text
        totals = page.locator("table.totals").inner_text()
        assert "100分" in totals and "最高加5分" in totals and "80分" in totals
        page.screenshot(path=output_dir / f"standards-import-word-{width}.png", full_page=True)
        if width == 1366:
            page.click("#confirm button[type=submit]")
            page.wait_for_url(f"{base}/standards/*/")
        context.close()

    standard = Standard.objects.get()
    assert (standard.year, standard.pass_score, standard.total_points) == (2021, 80, 100)
    assert standard.criteria.filter(depth=1).count() == 6
