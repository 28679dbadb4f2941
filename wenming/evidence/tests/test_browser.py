"""The journey in a real Chromium: 民一庭's 干警 uploads photos to the department's task (one hostile file refused),
the 创建办 returns it, the 干警 resubmits, the 创建办 approves, and the gap view (查漏补缺) follows; on a phone too."""

from datetime import date

import pytest
from django.utils import timezone

from wenming.campaigns import services as campaign_services
from wenming.evidence.models import Evidence
from wenming.evidence.tests import files
from wenming.standards.tests.workbooks import make_standard
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def gap_status(page, base, campaign, code):
    page.goto(f"{base}/evidence/gaps/{campaign.pk}/?q={code}")
    row = page.locator("#gap-table tbody tr").filter(has=page.locator("td.code-col", has_text=code)).first
    return row.locator(".gap-badge").inner_text()


def test_upload_return_resubmit_approve_and_the_gap_view_follows(browser, live_server, output_dir, tmp_path):
    from playwright.sync_api import expect

    cast = build_cast()
    year = timezone.localdate().year
    standard = make_standard(cast.unit, cast["office"], published=True)
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit,
                                                 title=f"{year}年创建市级文明单位", year=year, standard=standard)
    line = standard.criteria.get(code="3")
    campaign_services.task_create(actor=cast["office"], campaign=campaign, title="领导班子专题研究精神文明建设",
                                  lead_department=cast.dept_a, criteria=[line], due_on=date(year, 6, 30))
    photo, second, fake = tmp_path / "专题会议.jpg", tmp_path / "会议横幅.jpg", tmp_path / "会场.jpg"
    photo.write_bytes(files.jpeg())
    second.write_bytes(files.jpeg(color=(20, 120, 60)))
    fake.write_bytes(files.EXE)
    base = live_server.url

    staff_context, staff = new_page(browser)
    office_context, office = new_page(browser)
    sign_in(office, base, cast["office"].username)
    assert gap_status(office, base, campaign, "3") == "无材料"

    # 干警 uploads: one real photo and an executable named .jpg; the refusal names the file, nothing is kept.
    sign_in(staff, base, cast["staff_a"].username)
    staff.click("#sidebar >> text=创建材料")
    staff.click("text=上传材料")
    staff.fill("#id_title", "党组专题研究精神文明建设会议")
    staff.select_option("#id_kind", "minutes")
    staff.fill("#id_occurred_on", f"{year}-03-05")
    staff.select_option("#id_task", label=f"1. 领导班子专题研究精神文明建设（{cast.dept_a.name}）")
    staff.click("#id_criteria-search")  # the chip picker: type to filter, Enter adds the line
    staff.keyboard.type(line.title[:8])
    staff.keyboard.press("Enter")
    staff.keyboard.press("Escape")
    staff.fill("#id_description", "3月5日党组会议专题研究精神文明建设工作，会议纪要及照片附后。")
    staff.set_input_files("#id_files", [str(photo), str(fake)])
    expect(staff.locator("[data-upload-list] li")).to_have_count(2)
    staff.click("[data-submit]")
    errors = staff.locator("[data-upload-errors]")
    expect(errors).to_contain_text("“会场.jpg”实际是Windows 可执行程序")
    expect(staff.locator("[data-upload-list] li.refused")).to_have_count(1)
    staff.screenshot(path=output_dir / "evidence-upload-refused.png", full_page=True)
    assert not Evidence.objects.exists()
    staff.locator("[data-upload-list] li.refused button").click()
    staff.click("[data-submit]")
    staff.wait_for_url(f"{base}/evidence/*/")
    expect(staff.locator(".messages[role=status]")).to_contain_text("等待创建办审核")
    staff.screenshot(path=output_dir / "evidence-submitted.png", full_page=True)
    evidence = Evidence.objects.get()
    assert evidence.department == cast.dept_a and evidence.files.get().thumbnail

    assert gap_status(office, base, campaign, "3") == "待审核"
    # The 创建办 returns it with a reason.
    office.goto(f"{base}/evidence/{evidence.pk}/")
    office.fill("#id_reason", "照片看不出是专题会议，请补一张有会标的照片。")
    office.click("button[value=return]")
    expect(office.locator(".messages[role=status]")).to_contain_text("已退回")
    office.screenshot(path=output_dir / "evidence-returned.png", full_page=True)
    assert gap_status(office, base, campaign, "3") == "已退回"

    # The 干警 sees it under 退回给我, adds a photo and resubmits.
    staff.goto(f"{base}/evidence/")
    expect(staff.locator(".message-warning")).to_contain_text("被退回给您")
    staff.click("text=查看退回给我的")
    expect(staff.locator("#evidence-table")).to_contain_text("请补一张有会标的照片")
    staff.screenshot(path=output_dir / "evidence-returned-to-me.png", full_page=True)
    staff.click("#evidence-table >> text=党组专题研究精神文明建设会议")
    staff.click("text=修改后重新提交")
    staff.set_input_files("#id_files", [str(second)])
    staff.click("[data-submit]")
    staff.wait_for_url(f"{base}/evidence/{evidence.pk}/")
    expect(staff.locator(".history")).to_contain_text("重新提交")

    # The 创建办 approves; the gap view turns green for the line.
    office.goto(f"{base}/evidence/{evidence.pk}/")
    office.click("button[value=approve]")
    expect(office.locator(".messages[role=status]")).to_contain_text("已通过")
    office.screenshot(path=output_dir / "evidence-approved.png", full_page=True)
    assert gap_status(office, base, campaign, "3") == "已通过"
    office.goto(f"{base}/evidence/gaps/{campaign.pk}/")
    office.screenshot(path=output_dir / "evidence-gaps.png", full_page=True)
    evidence.refresh_from_db()
    assert evidence.revision == 2 and evidence.files.count() == 2

    violations = [e for p in (staff, office) for e in p.console_errors if "Content Security Policy" in e]
    assert violations == [], violations
    staff_context.close()
    office_context.close()

    # On a phone: the upload page and the gap view fit 390 px; the camera input is there.
    context, phone = new_page(browser, width=390, height=844, is_mobile=True, has_touch=True)
    sign_in(phone, base, cast["staff_a"].username)
    phone.goto(f"{base}/evidence/campaigns/{campaign.pk}/new/")
    assert phone.locator("input#id_camera[capture][accept='image/*']").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=output_dir / "evidence-upload-phone.png", full_page=True)
    phone.goto(f"{base}/evidence/gaps/{campaign.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=output_dir / "evidence-gaps-phone.png", full_page=True)
    context.close()
