"""In Chromium: an evaluator whose inspection has opened reads the notice, finds it on their to-do list with its end
date, and the header names its campaign; an office member chooses to hear of submitted evidence at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.assessments import services as assessment_services
from wenming.assessments.models import Assessment
from wenming.campaigns import services as campaign_services
from wenming.notifications.models import Preference
from wenming.standards.tests.workbooks import make_standard
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_evaluator_finds_the_assigned_inspection(browser, live_server, output_dir, width):
    from playwright.sync_api import expect

    cast = build_cast()
    today = timezone.localdate()
    standard = make_standard(cast.unit, cast["office"], published=True)
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{today.year}年创建市级文明单位",
                                                 year=today.year, standard=standard)
    inspection = assessment_services.assessment_create(
        actor=cast["office"], campaign=campaign, kind=Assessment.Kind.INSPECTION, title="市文明办检查验收",
        team=[cast["evaluator"]], starts_on=today, ends_on=today + timedelta(days=3))
    assessment_services.assessment_transition(actor=cast["office"], assessment=inspection, to="in_progress")

    context, page = new_page(browser, width=width)
    sign_in(page, live_server.url, cast["evaluator"].username)
    expect(page.locator(".topbar .campaign")).to_contain_text(campaign.title)
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("body")).to_contain_text("分派给您的检查验收：市文明办检查验收")
    page.goto(f"{live_server.url}/assessments/")
    todo = page.locator("#my-inspections")
    expect(todo).to_contain_text("市文明办检查验收")
    expect(todo).to_contain_text("还有 3 天")
    page.screenshot(path=str(output_dir / f"assessments-evaluator-todo-{width}.png"), full_page=True)
    todo.locator("a", has_text="市文明办检查验收").click()
    expect(page).to_have_url(f"{live_server.url}/assessments/{inspection.pk}/")
    assert page.console_errors == []
    context.close()


def test_an_office_member_chooses_to_hear_at_once(browser, live_server, output_dir):
    from playwright.sync_api import expect

    cast = build_cast()
    context, page = new_page(browser, width=1366)
    sign_in(page, live_server.url, cast["office"].username)
    page.goto(f"{live_server.url}/notifications/preferences/")
    page.get_by_label("每次提交即时通知").check()
    page.screenshot(path=str(output_dir / "notifications-review-notice.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages[role=status]")).to_contain_text("通知设置已保存")
    assert Preference.objects.get(user=cast["office"]).review_notice == Preference.ReviewNotice.IMMEDIATE
    context.close()
