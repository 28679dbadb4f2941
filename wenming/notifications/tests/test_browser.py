"""In a real Chromium: the bell shows the unread count, the list opens, opening one and marking all read clear it."""

import pytest

from wenming.notifications import services
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bell_counts_unread_and_reading_clears_it(browser, live_server, output_dir):
    from playwright.sync_api import expect

    cast = build_cast()
    office, staff = cast["office"], cast["staff_a"]
    services.notify(recipients=[staff], verb="campaigns.task_assigned", actor=office,
                    title="分派给您的任务：开展道德讲堂活动", body="创建办 将此任务分派给您，完成时限 2021-06-30。",
                    url="/notifications/announcements/")
    services.notify(recipients=[staff], verb="evidence.returned", actor=office, title="材料被退回：道德讲堂活动照片",
                    body="退回原因：照片未体现单位名称，请补充带有会标的现场照片。", url="/notifications/")
    services.announcement_publish(actor=office, title="关于开展文明庭室评选的通知", body="请各部门于5月10日前报送自评表。")
    base = live_server.url

    context, page = new_page(browser)
    sign_in(page, base, staff.username)
    bell = page.locator("a.bell .bell-count")
    expect(bell).to_have_text("3")
    page.click("a.bell")
    page.wait_for_url(f"{base}/notifications/")
    expect(page.locator(".notice.unread")).to_have_count(3)
    page.screenshot(path=output_dir / "notifications-list.png", full_page=True)

    page.click("text=分派给您的任务：开展道德讲堂活动")
    page.wait_for_url(f"{base}/notifications/announcements/")
    expect(bell).to_have_text("2")
    page.screenshot(path=output_dir / "notifications-announcements.png", full_page=True)

    page.goto(f"{base}/notifications/")
    page.click("text=全部标为已读")
    expect(page.locator(".notice.unread")).to_have_count(0)
    expect(page.locator("a.bell .bell-count")).to_have_count(0)
    page.screenshot(path=output_dir / "notifications-all-read.png", full_page=True)
    page.click("text=邮件通知设置")
    expect(page.locator("input[value=weekly]")).to_be_checked()
    page.screenshot(path=output_dir / "notifications-preferences.png", full_page=True)
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
    context.close()


def test_office_publishes_sees_who_has_not_read_and_manages_the_robots(browser, live_server, output_dir, tmp_path):
    from playwright.sync_api import expect

    from wenming.evidence.tests import files
    from wenming.notifications.models import ReadReceipt, WebhookEndpoint

    cast = build_cast()
    item = services.announcement_publish(actor=cast["office"], title="关于报送上半年创建工作信息的通知",
                                         body="请于7月10日前报送。", departments=[cast.dept_a, cast.dept_b])
    ReadReceipt.objects.create(announcement=item, user=cast["staff_a"])
    scan = tmp_path / "评选方案.jpg"
    scan.write_bytes(files.jpeg())
    WebhookEndpoint.objects.create(unit=cast.unit, name="创建办工作群", platform="dingtalk", secret="SEC1",
                                   url="http://127.0.0.1:9/robot/send?access_token=x", is_active=False)
    base = live_server.url
    context, page = new_page(browser)
    sign_in(page, base, cast["office"].username)
    page.click("#sidebar >> text=通知公告")
    page.click("text=发布通知")
    page.fill("#id_title", "关于开展文明庭室评选的通知")
    page.fill("#id_body", "各部门：\n请对照评选标准开展自评，于5月10日前报送创建办。")
    page.check("label:has-text('民一庭') input")
    page.set_input_files("#id_files", [str(scan)])
    page.screenshot(path=output_dir / "notifications-announcement-form.png", full_page=True)
    page.click("button:has-text('发布')")
    expect(page.locator("h1")).to_have_text("关于开展文明庭室评选的通知")
    expect(page.locator(".card")).to_contain_text(["5月10日前", "评选方案.jpg"])
    page.screenshot(path=output_dir / "notifications-announcement-detail.png", full_page=True)
    page.goto(f"{base}/notifications/announcements/{item.pk}/")
    page.click("text=阅读情况")
    expect(page.locator(".stat-row")).to_contain_text("已读 1 人")
    expect(page.locator("table.list")).to_contain_text("联络员乙")
    page.screenshot(path=output_dir / "notifications-receipts.png", full_page=True)
    page.goto(f"{base}/notifications/settings/")
    expect(page.locator("table.list")).to_contain_text("创建办工作群")
    page.screenshot(path=output_dir / "notifications-settings.png", full_page=True)
    page.click("text=添加群机器人")
    expect(page.locator("#id_platform")).to_be_visible()
    page.screenshot(path=output_dir / "notifications-webhook-form.png", full_page=True)
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
    context.close()
