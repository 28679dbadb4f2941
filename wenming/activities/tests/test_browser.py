"""The sign-in journey in a real Chromium: the organiser puts the QR code on screen, a 干警 opens its link on a
390×844 phone while signed out, signs in to the platform, taps once, and appears on the organiser's live list."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from wenming.activities import services
from wenming.activities.models import ActivityKind, Attendance
from wenming.campaigns import services as campaign_services
from wenming.evidence.tests import files
from wenming.standards.tests.workbooks import make_standard
from wenming.testing import PASSWORD, build_cast
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_sign_in_through_the_qr_link_shows_on_the_organisers_list(browser, live_server, output_dir):
    from playwright.sync_api import expect

    cast = build_cast()
    today = timezone.localdate()
    standard = make_standard(cast.unit, cast["office"], published=True)
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit,
                                                 title=f"{today.year}年创建市级文明单位", year=today.year,
                                                 standard=standard)
    services.kinds_ensure(unit=cast.unit)
    starts = timezone.make_aware(datetime.combine(today, datetime.min.time()).replace(hour=9))
    activity = services.activity_create(
        actor=cast["liaison_a"], campaign=campaign, kind=ActivityKind.objects.get(unit=cast.unit, name="道德讲堂"),
        title="道德讲堂：身边好人故事会", starts_at=starts, ends_at=starts + timedelta(hours=2),
        department=cast.dept_a, organiser=cast["liaison_a"], place="五楼会议室",
        criteria=[standard.criteria.get(code="3")])
    services.activity_create(
        actor=cast["office"], campaign=campaign, kind=ActivityKind.objects.get(unit=cast.unit, name="党组会议"),
        title="党组会议", starts_at=starts + timedelta(days=1), ends_at=starts + timedelta(days=1, hours=1))
    services.activity_document_add(actor=cast["liaison_a"], activity=activity, step="photos",
                                   files=[files.upload("现场.jpg", files.jpeg())])
    base = live_server.url

    organiser_context, organiser = new_page(browser)
    sign_in(organiser, base, cast["liaison_a"].username)
    organiser.goto(f"{base}/activities/{activity.pk}/")
    organiser.click("text=签到 >> nth=0")
    expect(organiser.locator(".act-qr svg.segno")).to_be_visible()
    expect(organiser.locator("#attendance-rows")).to_contain_text("还没有人签到")
    organiser.screenshot(path=output_dir / "activities-attendance-qr.png", full_page=True)
    link = organiser.locator(".act-url").inner_text().strip()
    assert link.startswith(base) and activity.attendance_token in link

    phone_context, phone = new_page(browser, width=390, height=844, is_mobile=True, has_touch=True,
                                    device_scale_factor=2)
    phone.goto(link)
    phone.wait_for_url("**/accounts/login/**")
    phone.fill("#id_username", cast["staff_a"].username)
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(link)
    expect(phone.locator(".act-sign-facts")).to_contain_text("道德讲堂：身边好人故事会")
    phone.click("text=确认签到")
    expect(phone.locator(".act-signed")).to_contain_text("签到成功")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=output_dir / "activities-phone-signed-in.png", full_page=True)
    assert Attendance.objects.filter(activity=activity, person=cast["staff_a"]).exists()

    # The organiser's list picks it up by itself (htmx polling), no reload.
    expect(organiser.locator("#attendance-rows")).to_contain_text("干警甲", timeout=12_000)
    organiser.goto(f"{base}/activities/calendar/")
    expect(organiser.locator(".act-month")).to_contain_text("道德讲堂：身边好人故事会")
    organiser.click("text=下个月")
    expect(organiser.locator(".act-calendar-head h2")).not_to_have_text(f"{today.year} 年 {today.month} 月")
    organiser.click("text=上个月")
    expect(organiser.locator(".act-month")).to_contain_text("道德讲堂")
    organiser.screenshot(path=output_dir / "activities-calendar.png", full_page=True)
    organiser.goto(f"{base}/activities/{activity.pk}/")
    organiser.screenshot(path=output_dir / "activities-detail.png", full_page=True)
    assert not organiser.console_errors and not phone.console_errors, organiser.console_errors + phone.console_errors
    phone_context.close()
    organiser_context.close()
