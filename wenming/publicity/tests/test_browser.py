"""The journey in a real Chromium: 民一庭's liaison registers a WeChat post with a screenshot for last month, which
was below the monthly target (red); the monthly table turns green and the post waits in 创建材料 for review."""

from datetime import date

import pytest
from django.utils import timezone

from wenming.campaigns import services as campaign_services
from wenming.evidence.models import Evidence
from wenming.evidence.tests import files
from wenming.publicity import services
from wenming.publicity.models import PublicityItem
from wenming.standards.models import Criterion, Standard
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_liaison_registers_a_post_with_a_screenshot_and_the_monthly_table_follows(browser, live_server, output_dir,
                                                                                   tmp_path):
    from playwright.sync_api import expect

    cast = build_cast()
    today = timezone.localdate()
    standard = Standard.objects.create(unit=cast.unit, name="细则", status=Standard.Status.PUBLISHED)
    line = Criterion.objects.create(standard=standard, code="II-5", title="宣传工作", points=1)
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit,
                                                 title=f"{today.year}年创建市级文明单位", year=today.year,
                                                 standard=standard)
    target = services.target_set(actor=cast["office"], campaign=campaign, channel="wechat", per_month=1,
                                 note="每月至少1篇")
    month = date(today.year, today.month - 1, 10) if today.month > 1 else today
    shot = tmp_path / "公众号截图.png"
    shot.write_bytes(files.png())
    base = live_server.url

    context, page = new_page(browser)
    sign_in(page, base, cast["liaison_a"].username)
    page.click("#sidebar >> text=宣传报道")
    cell = page.locator(f"tr[data-target='{target.pk}'] td[data-month='{month:%Y-%m}']")
    expect(cell).to_have_text("0/1")
    if month.month != today.month:
        expect(cell).to_have_class("num cell-short")
        page.screenshot(path=output_dir / "publicity-ledger-before.png", full_page=True)

    page.click(".page-head a.primary")
    page.fill("#id_title", "我院开展“我们的节日”主题活动")
    page.select_option("#id_channel", "wechat")
    page.select_option("#id_level", "unit")
    page.fill("#id_published_on", f"{month:%Y-%m-%d}")
    page.fill("#id_outlet", "市法院微信公众号")
    page.set_input_files("#id_screenshot", [str(shot)])
    page.click("#id_criteria-search")  # the chip picker: type to filter, Enter adds the line
    page.keyboard.type(line.title[:8])
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.click("form.form button.primary")
    page.wait_for_url(f"{base}/publicity/campaigns/{campaign.pk}/")
    expect(page.locator(".messages[role=status]")).to_contain_text("已同时作为创建材料提交审核")
    expect(cell).to_have_text("1/1")
    expect(cell).to_have_class("num cell-met")
    expect(page.locator("#item-table")).to_contain_text("我院开展“我们的节日”主题活动")
    expect(page.locator("#item-table")).to_contain_text("待审核")
    page.screenshot(path=output_dir / "publicity-ledger.png", full_page=True)

    item = PublicityItem.objects.get()
    assert item.department == cast.dept_a and item.evidence.kind == Evidence.Kind.SCREENSHOT
    assert list(item.evidence.criteria.all()) == [line]
    violations = [e for e in page.console_errors if "Content Security Policy" in e]
    assert violations == [], violations
    context.close()
