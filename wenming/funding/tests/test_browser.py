"""The journey in a real Chromium: the 创建办 records an expense with its receipt that takes a budget line past its
budget; the budget screen warns in red; the leader reads it without edit buttons."""

import pytest
from django.utils import timezone

from wenming.campaigns import services as campaign_services
from wenming.evidence.tests import files
from wenming.funding.models import Expense
from wenming.funding.tests.conftest import make_expense, make_line
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_expense_past_the_budget_turns_the_line_red(browser, live_server, output_dir, tmp_path):
    from playwright.sync_api import expect

    cast = build_cast()
    year = timezone.localdate().year
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit,
                                                 title=f"{year}年创建市级文明单位", year=year)
    first, second = campaign.phases.order_by("order")[:2]
    boards = make_line(cast, campaign, amount="18000.00", title="创建宣传展板、横幅制作", phase=first)
    games = make_line(cast, campaign, amount="12000.00", title="干警趣味运动会", category="culture", phase=second)
    make_expense(cast, boards, amount="9600.00")
    make_expense(cast, games, amount="8650.00")
    receipt = tmp_path / "发票.jpg"
    receipt.write_bytes(files.jpeg())
    base = live_server.url

    context, page = new_page(browser)
    sign_in(page, base, cast["office"].username)
    page.click("#sidebar >> text=工作经费")
    expect(page.locator("#budget-lines")).to_contain_text("创建宣传展板、横幅制作")
    page.click(".page-head a.primary")
    page.select_option("#id_budget_line", str(boards.pk))
    page.fill("#id_spent_on", f"{year}-03-02")
    page.fill("#id_amount", "9000")
    page.fill("#id_payee", "某某广告制作有限公司")
    page.fill("#id_purpose", "院内文明创建横幅 10 条")
    page.set_input_files("#id_receipts", [str(receipt)])
    page.click("form.form button.primary")
    page.wait_for_url(f"{base}/funding/campaigns/{campaign.pk}/expenses/")
    expect(page.locator(".messages")).to_contain_text("超出预算")
    page.screenshot(path=output_dir / "funding-expenses.png", full_page=True)
    page.click(".page-head >> text=预算执行")
    row = page.locator("#budget-lines tbody tr", has_text="创建宣传展板、横幅制作")
    expect(row).to_have_class("row-over")
    expect(row).to_contain_text("103% 超支")
    expect(page.locator(".message-error")).to_contain_text("有 1 个预算项目已超支")
    page.screenshot(path=output_dir / "funding-budget.png", full_page=True)
    assert Expense.objects.get(amount=9000).receipts.get().name == "发票.jpg"
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
    context.close()

    context, page = new_page(browser)
    sign_in(page, base, cast["leader"].username)
    page.goto(f"{base}/funding/")
    expect(page.locator("#budget-lines")).to_contain_text("103% 超支")
    assert page.locator("text=登记支出").count() == 0
    context.close()
