"""Journeys in a real Chromium: sign in, switch language, find people, import a roster with a mistake."""

import pytest
from openpyxl import load_workbook

from wenming.org.models import User
from wenming.testing import PASSWORD, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_admin_signs_in_switches_language_and_imports_a_roster_with_one_bad_row(page, live_server, output_dir, tmp_path):
    cast = build_cast()
    base = live_server.url

    # An English-language browser still gets Chinese until the person chooses otherwise.
    page.goto(f"{base}/")
    assert page.locator("h1").inner_text() == "文明创建管理平台"
    assert page.locator("button[type=submit]").inner_text() == "登录"
    page.screenshot(path=output_dir / "login.png")

    sign_in(page, base, cast["admin"].username)
    page.wait_for_url(f"{base}/")
    assert "工作台" in page.locator("#sidebar nav").inner_text()
    page.screenshot(path=output_dir / "home.png", full_page=True)

    # Switch to English and back.
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    assert "People" in page.locator("#sidebar nav").inner_text()
    page.screenshot(path=output_dir / "home-en.png", full_page=True)
    with page.expect_navigation():
        page.select_option("#lang-select", "zh-hans")
    assert "人员" in page.locator("#sidebar nav").inner_text()

    # The people list, then the import screen and its template.
    page.click("#sidebar >> text=人员")
    page.wait_for_url(f"{base}/org/people/")
    assert page.locator("h1").inner_text() == "人员"
    assert "干警甲" in page.locator("#people-table").inner_text()
    page.click("text=导入名册")
    page.wait_for_url(f"{base}/org/people/import/")
    with page.expect_download() as download_info:
        page.click("text=下载模板")
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)

    workbook = load_workbook(template)
    sheet = workbook.active
    sheet.delete_rows(3)  # the example row under the header
    sheet.append(["wangwu", "王五", "民一庭", "审判员", "13912345678", ""])
    sheet.append(["lisi", "李四", "不存在的庭", "书记员", "13912345679", ""])
    workbook.save(template)

    page.set_input_files("#id_file", str(template))
    page.fill("#id_initial_password", "Start#2026pass")
    page.click("text=上传并导入")
    errors = page.locator("#import-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "第4行" in text
    assert "部门“不存在的庭”不存在" in text
    assert "未导入任何人员" in text
    page.screenshot(path=output_dir / "roster-import-error.png", full_page=True)
    assert not User.objects.filter(username__in=["wangwu", "lisi"]).exists()

    # Fix the row and import again: both people arrive.
    sheet.cell(row=4, column=3, value="民二庭")
    workbook.save(template)
    page.set_input_files("#id_file", str(template))
    page.fill("#id_initial_password", "Start#2026pass")
    page.click("text=上传并导入")
    page.wait_for_url(f"{base}/org/people/")
    assert "新增 2 人" in page.locator(".messages").inner_text()
    assert User.objects.get(username="lisi").department == cast.dept_b

    # The API docs come from vendored files too: nothing on any page asked another host.
    page.goto(f"{base}/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    foreign = [url for url in page.requested if not url.startswith((base, "data:", "blob:"))]
    assert foreign == []
    # No page broke the Content-Security-Policy (no inline scripts or styles anywhere).
    violations = [error for error in page.console_errors if "Content Security Policy" in error]
    assert violations == [], violations


def test_people_list_fits_a_phone(browser, live_server, output_dir):
    cast = build_cast()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server.url, cast["office"].username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/org/people/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.locator("#sidebar").is_visible() or page.locator("#sidebar").bounding_box()["x"] < 0
    page.click("[data-toggle-sidebar]")
    page.wait_for_timeout(300)
    assert page.locator("#sidebar").bounding_box()["x"] >= 0
    page.screenshot(path=output_dir / "people-phone-menu.png")
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_liaison_issues_and_revokes_an_api_token_from_the_person_menu(browser, live_server, output_dir, width):
    from wenming.testing import browser_page, browser_sign_in

    cast = build_cast()
    base = live_server.url
    context, page = browser_page(browser, width=width, height=860)
    browser_sign_in(page, base, cast["liaison_a"].username)

    page.click(".user-menu summary")  # the person's menu, on a phone too
    page.click(".user-menu-panel >> text=API 令牌")
    page.wait_for_url(f"{base}/org/tokens/")
    page.fill("#id_name", "部门台账系统")
    page.click("button[type=submit] >> text=签发令牌")
    key = page.locator("#issued-key").inner_text()
    assert len(key) == 40
    assert page.locator("#issued-key").bounding_box()["width"] <= width
    page.screenshot(path=output_dir / f"tokens-issued-{width}.png", full_page=True)

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button >> text=作废")
    page.wait_for_url(f"{base}/org/tokens/")
    assert "已作废" in page.locator("table.list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=output_dir / f"tokens-revoked-{width}.png", full_page=True)
    assert not page.console_errors
    context.close()
