"""The whole journey of issue 15 in one real Chromium, through the menus, clicked and typed as a person does.

The 创建办 creates the year's campaign, imports the city's standard (a workbook with merged cells) and the task annex,
and assigns tasks in one go; liaisons upload from a desk and from a phone; the office approves one upload and
returns another; the gap view follows; a self-check, a 整改, the evaluator's inspection, the leader's dashboard, a
督办单, a meeting whose sign-in is a QR code scanned by a phone, the 迎检档案 and the 创建工作报告. Only the start page
and the QR sign-in address are typed; everything else is reached from the menu or the page it belongs to.

One desktop pass (1366 px) through every step; the steps a phone user does (upload, sign-in, My work) again at
390 px. Each step leaves a screenshot in test-output/journey/ (printed on failure: the last one shows where it
stopped)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook

from wenming.campaigns.models import Campaign, Task
from wenming.evidence.models import Evidence
from wenming.evidence.tests import files
from wenming.standards.tests.workbooks import sample_rows, sample_workbook
from wenming.testing import PASSWORD, build_cast
from wenming.testing import browser_page as new_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DESK, PHONE = (1366, 900), (390, 844)


class Journey:
    """Pages of several people side by side, one screenshot per step, numbered across the whole journey."""

    def __init__(self, browser, base, folder):
        self.browser, self.base, self.folder, self.count, self.contexts = browser, base, folder, 0, []
        for old in folder.glob("*.png"):
            old.unlink()

    def person(self, username, screen=DESK):
        width, height = screen
        phone = width < 800
        context, page = new_page(browser=self.browser, width=width, height=height, is_mobile=phone, has_touch=phone,
                                 locale="zh-CN")
        self.contexts.append(context)
        # the bell and the worker banner load beside every page, on their own; in the SQLite pass the live server's
        # in-memory database locks a table for one request at a time, so they stay out of what the person does
        page.route("**/notifications/bell/**", lambda route: route.fulfill(status=200, body=""))
        page.route("**/health/banner/**", lambda route: route.fulfill(status=204, body=""))
        page.goto(f"{self.base}/")  # the start page: sign-in
        page.get_by_label("账号").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_label("密码").press("Enter")
        page.wait_for_url(f"{self.base}/")
        return page

    def menu(self, page, label):
        """The sidebar entry; on a phone the menu opens first."""
        if page.viewport_size["width"] < 800:
            page.locator("[data-toggle-sidebar]").click()
        page.locator("#sidebar").get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()

    def shot(self, page, step):
        self.count += 1
        width = page.viewport_size["width"]
        page.screenshot(path=self.folder / f"{self.count:02d}-{width}-{step}.png", full_page=True)
        if width < 800:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{step}: {page.url} is {scroll}px wide on a {width}px phone"

    def failed(self):
        """Where each person stood when the journey stopped."""
        for number, context in enumerate(self.contexts):
            for page in context.pages:
                page.screenshot(path=self.folder / f"zz-failed-{number}.png", full_page=True)

    def leave(self, page):
        """A person done with their part signs off (fewer pages polling the live server at once)."""
        page.context.close()
        self.contexts.remove(page.context)

    def close(self):
        for context in self.contexts:
            context.close()


def annex_workbook(path, year):
    """The campaign's task annex as offices type it: a title row merged across, one task per row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["附件：创建市级文明单位工作任务分解表"])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "工作内容", "责任部门", "协办部门", "分管院领导", "时间节点"])
    sheet.append([1, "领导班子专题研究精神文明建设", "民一庭", "", "", "6月30日"])
    sheet.append([2, "开展文明庭室评选并公示结果", "民二庭", "", "", "9月30日"])
    sheet.append([3, "报送创建工作信息", "机关党委", "", "", "12月31日前"])
    sheet.append([4, "组织志愿服务进社区", "民一庭", "民二庭", "", "每月"])
    workbook.save(path)


def upload_workbook(journey, page, where, path, ready, step):
    """Menu entry → its import link → choose the file → 上传并预览, until the preview shows `ready`."""
    journey.menu(page, where[0])
    page.get_by_role("link", name=where[1]).click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并预览").click()
    page.locator(ready).wait_for()
    journey.shot(page, step)


def upload(page, *, title, day, line, file, camera=False):
    """The upload form as a person fills it: files first, then the name, the date, a line picked by typing."""
    from playwright.sync_api import expect

    page.wait_for_load_state()  # the form's script listens for the chosen files once the page has loaded
    page.set_input_files("#id_camera" if camera else "#id_files", str(file))
    expect(page.locator("[data-upload-list] li")).to_have_count(1)
    page.get_by_label("材料名称").fill(title)
    page.get_by_label("形成日期").fill(day)
    page.click("#id_criteria-search")
    page.keyboard.type(line)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.click("[data-submit]")
    page.wait_for_url("**/evidence/*/")
    expect(page.locator(".messages[role=status]")).to_contain_text("等待创建办审核")


def open_assessment(journey, office, *, link, title, scorer, step, ends_on=None):
    """自查测评 → 新建自查 / 安排检查验收: the name, the end date, one person ticked on the team, 保存, 开始评分."""
    from playwright.sync_api import expect

    journey.menu(office, "自查测评")
    office.get_by_role("link", name=link).click()
    office.get_by_label("名称").fill(title)
    if ends_on:
        office.get_by_label("结束日期").fill(f"{ends_on:%Y-%m-%d}")
    office.locator("label", has_text=f"{scorer.real_name}（").locator("input").check()
    journey.shot(office, step)
    office.get_by_role("button", name="保存").click()
    office.get_by_role("button", name="开始评分").click()
    expect(office.locator("h1")).to_contain_text("评分中")


def test_the_whole_journey_through_the_menus(browser, live_server, output_dir, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)  # a loaded CI machine: saves take their time
    cast = build_cast()
    year = timezone.localdate().year
    folder = output_dir / "journey"
    folder.mkdir(exist_ok=True)
    print(f"journey screenshots: {folder}")
    journey = Journey(browser, live_server.url, folder)
    try:
        run(journey, cast, year, tmp_path, expect)
    except BaseException:
        journey.failed()
        raise
    finally:
        journey.close()
        expect.set_options(timeout=5_000)


def run(journey, cast, year, tmp_path, expect):
    office = journey.person(cast["office"].username)
    journey.shot(office, "office-home")

    # 1. The office creates the year's campaign from the menu.
    journey.menu(office, "创建活动")
    office.get_by_role("link", name="新建创建活动").click()
    office.get_by_label("名称").fill(f"{year}年创建市级文明单位")
    office.get_by_label("年度").fill(str(year))
    journey.shot(office, "campaign-form")
    office.get_by_role("button", name="保存").click()
    expect(office.locator("h1")).to_contain_text(f"{year}年创建市级文明单位")
    campaign = Campaign.objects.get(unit=cast.unit)
    journey.shot(office, "campaign-created")

    # 2. The city's standard: a workbook with merged cells, previewed, given its pass score, imported, published.
    standard_file = tmp_path / "某某市文明单位测评细则.xlsx"
    standard_file.write_bytes(sample_workbook(sample_rows()))
    upload_workbook(journey, office, ("测评体系", "导入测评细则"), standard_file, "#criteria-tree", "standard-preview")
    office.get_by_label("达标分数").fill("80")
    office.locator("#confirm button[type=submit]").click()
    expect(office.locator(".messages")).to_contain_text("已导入")
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="发布").click()
    expect(office.locator("h1")).to_contain_text("已发布")
    journey.shot(office, "standard-published")

    # ... and the campaign takes it.
    journey.menu(office, "创建活动")
    office.get_by_role("link", name=f"{year}年创建市级文明单位").click()
    office.get_by_role("link", name="修改").first.click()
    office.get_by_label("测评体系").select_option(index=1)
    office.get_by_role("button", name="保存").click()
    expect(office.locator("body")).to_contain_text("第1版")
    campaign.refresh_from_db()
    assert campaign.standard is not None and campaign.standard.criteria.filter(code="3").exists()

    # 3. The task annex, imported from 任务.
    annex = tmp_path / "工作任务分解表.xlsx"
    annex_workbook(annex, year)
    upload_workbook(journey, office, ("任务", "导入分解表"), annex, "#confirm button", "annex-preview")
    office.locator("#confirm button").click()
    expect(office.locator(".messages")).to_contain_text("新增 4 项任务")
    journey.shot(office, "tasks-imported")
    assert Task.objects.filter(campaign=campaign).count() == 4

    # 4. Batch assignment: tick tasks 1 and 4, choose 牵头/配合部门, 责任人 and the due date, press 分派.
    office.get_by_label("选择第1项", exact=True).check()
    office.get_by_label("选择第4项", exact=True).check()
    expect(office.locator("[data-selected-count]")).to_have_text("已选 2 项")
    office.select_option("#bulk-form select[name=owner]",
                         label=f"{cast['liaison_a'].real_name}（{cast.dept_a.name}）")
    office.select_option("#bulk-form select[name=lead_department]", str(cast.dept_a.pk))
    office.click("#bulk-co-departments-search")
    office.keyboard.type("民二")
    office.keyboard.press("Enter")
    office.keyboard.press("Escape")
    due = timezone.localdate() + timedelta(days=5)
    office.fill("#bulk-form input[name=due_text]", f"{due.month}月{due.day}日")
    journey.shot(office, "batch-assign-filled")
    office.click("#bulk-form button[type=submit]")
    expect(office.locator(".messages")).to_contain_text("已批量分派 2 项任务")
    journey.shot(office, "batch-assigned")
    for number in (1, 4):
        task = Task.objects.get(campaign=campaign, number=number)
        assert (task.owner, task.lead_department, task.due_on) == (cast["liaison_a"], cast.dept_a, due)
        assert list(task.co_departments.all()) == [cast.dept_b]

    # 5. The liaison of 民一庭 finds the work in 我的工作 and uploads from a desk.
    photo = tmp_path / "专题会议.jpg"
    photo.write_bytes(files.jpeg())
    liaison = journey.person(cast["liaison_a"].username)
    journey.menu(liaison, "我的工作")
    expect(liaison.locator("#my-tasks")).to_contain_text("领导班子专题研究精神文明建设")
    journey.shot(liaison, "liaison-my-work")
    liaison.locator("#my-tasks").get_by_role("link", name="领导班子专题研究精神文明建设").first.click()
    journey.shot(liaison, "liaison-task")
    liaison.get_by_role("link", name="上传材料").click()
    upload(liaison, title="党组专题研究精神文明建设会议纪要", day=f"{year}-03-05", line="领导班子每年至少2次", file=photo)
    journey.shot(liaison, "liaison-uploaded-desk")

    # ... and from a phone: 我的工作 → the task → 上传材料 → 拍照.
    snapshot = tmp_path / "志愿服务.jpg"
    snapshot.write_bytes(files.jpeg(color=(20, 120, 60)))
    phone = journey.person(cast["liaison_a"].username, PHONE)
    journey.shot(phone, "phone-home")
    journey.menu(phone, "我的工作")
    journey.shot(phone, "phone-my-work")
    phone.locator("#my-tasks").get_by_role("link", name="组织志愿服务进社区").first.click()
    phone.get_by_role("link", name="上传材料").click()
    upload(phone, title="志愿服务进社区照片", day=f"{year}-04-12", line="成立志愿服务队", file=snapshot, camera=True)
    journey.shot(phone, "phone-uploaded")
    assert Evidence.objects.filter(campaign=campaign, status="pending").count() == 2

    # 6. The office reviews from the 工作台's to-do: approves the minutes, returns the photo with a reason.
    journey.menu(office, "工作台")
    office.get_by_role("link", name="待审核的材料").click()
    journey.shot(office, "office-review-list")
    office.get_by_role("link", name="党组专题研究精神文明建设会议纪要").click()
    office.get_by_role("button", name="通过", exact=True).click()
    expect(office.locator(".messages[role=status]")).to_contain_text("已通过")
    journey.shot(office, "office-approved")
    journey.menu(office, "工作台")
    office.get_by_role("link", name="待审核的材料").click()
    office.get_by_role("link", name="志愿服务进社区照片").click()
    office.get_by_label("退回原因").fill("照片看不出是社区，请补一张有社区标识的照片。")
    office.get_by_role("button", name="退回", exact=True).click()
    expect(office.locator(".messages[role=status]")).to_contain_text("已退回")
    journey.shot(office, "office-returned")

    # ... and the liaison's 我的工作 shows what came back, on the phone.
    journey.menu(phone, "我的工作")
    expect(phone.locator("body")).to_contain_text("志愿服务进社区照片")
    journey.shot(phone, "phone-my-work-returned")

    # 7. The gap view (查漏补缺): line 3 has approved evidence, line 9 returned, line 1 none.
    journey.menu(office, "查漏补缺")
    journey.shot(office, "gap-view")
    gaps = office.locator("#gap-table")
    for code, state in (("3", "已通过"), ("9", "已退回"), ("1", "无材料")):
        row = gaps.locator("tbody tr").filter(has=office.locator("td.code-col", has_text=code)).first
        expect(row.locator(".gap-badge")).to_have_text(state)

    # 8. The self-check: 自查测评 → 新建自查, the office on the team, three lines scored by typing and Enter.
    open_assessment(journey, office, link="新建自查", title=f"{year}年度创建工作自查", scorer=cast["office"],
                    step="self-check-form")
    office.wait_for_load_state("networkidle")
    lines = {c.code: c.pk for c in campaign.standard.criteria.filter(code__in=["1", "2", "3"])}
    office.locator(f"#line-{lines['1']} input[name=points]").click()
    office.keyboard.type("0.5")
    office.keyboard.press("Enter")
    journey.shot(office, "self-check-first-line")
    expect(office.locator(f"#state-{lines['1']} .saved")).to_be_visible()
    expect(office.locator(f"#line-{lines['2']} input[name=points]")).to_be_focused()
    office.keyboard.type("1")
    office.keyboard.press("Enter")
    expect(office.locator(f"#line-{lines['3']} input[name=points]")).to_be_focused()  # the cursor moved on
    office.keyboard.type("2")
    office.keyboard.press("Enter")
    expect(office.locator(f"#state-{lines['3']} .saved")).to_be_visible()
    expect(office.locator("#sheet-totals .total-value")).to_have_text("3.5")
    journey.shot(office, "self-check-scored")
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="提交", exact=True).click()
    expect(office.locator("h1")).to_contain_text("已提交")
    journey.shot(office, "self-check-submitted")

    # 9. 整改: the office records a problem of line 1 and hands it to 民一庭 (the form keeps its due date).
    office.get_by_role("link", name="问题与整改").click()
    office.get_by_label("测评项").select_option(label=office.locator("#id_criterion option", has_text="成立创建工作领导小组")
                                              .first.inner_text().strip())
    office.get_by_label("问题描述").fill("领导小组成立文件未上传，无法核实专人负责。")
    office.get_by_role("button", name="记录").click()
    office.get_by_role("link", name="交办整改").first.click()
    expect(office.get_by_label("整改时限")).not_to_have_value("")
    office.get_by_label("责任部门").select_option(label=cast.dept_a.name)
    journey.shot(office, "rectify-form")
    office.get_by_role("button", name="交办").click()
    expect(office.locator(".messages")).to_be_visible()
    journey.shot(office, "rectify-assigned")

    # ... the liaison answers it from 我的工作 with the approved minutes as its evidence ...
    journey.menu(liaison, "我的工作")
    liaison.get_by_role("link", name="领导小组成立文件未上传").first.click()
    liaison.get_by_label("整改措施及结果").fill("已补传领导小组成立文件，明确专人负责。")
    liaison.locator("label", has_text="党组专题研究精神文明建设会议纪要").locator("input").check()
    journey.shot(liaison, "rectify-answer")
    liaison.get_by_role("button", name="提交核验").click()
    expect(liaison.locator(".messages")).to_be_visible()

    # ... and the office closes it (销号) from the 工作台's to-do.
    journey.menu(office, "工作台")
    office.get_by_role("link", name="待核验销号的整改").click()
    office.get_by_role("link", name="领导小组成立文件未上传").first.click()
    office.get_by_label("核验通过，销号").check()
    office.get_by_role("button", name="确定").click()
    expect(office.locator("h1")).to_contain_text("已销号")
    journey.shot(office, "rectify-closed")

    # 10. The inspection (检查验收): the office arranges it from 自查测评 with the evaluator on its team and opens it.
    inspection = f"{year}年度检查验收"
    open_assessment(journey, office, link="安排检查验收", title=inspection, scorer=cast["evaluator"],
                    step="inspection-form", ends_on=timezone.localdate() + timedelta(days=7))
    journey.shot(office, "inspection-assigned")

    # ... the evaluator finds it in the 工作台's to-do and the header, opens it from 自查测评 and scores three lines
    # by typing and Enter, and opens the unit's minutes on line 3 in place.
    evaluator = journey.person(cast["evaluator"].username)
    expect(evaluator.locator(".todo-list")).to_contain_text(f"检查验收评分：{cast.unit.name} · {inspection}")
    expect(evaluator.locator(".topbar .campaign")).to_contain_text(campaign.title)
    journey.shot(evaluator, "evaluator-home")
    journey.menu(evaluator, "自查测评")
    evaluator.locator("#my-inspections").get_by_role("link", name=inspection).click()
    expect(evaluator.locator("h1")).to_contain_text("评分中")
    evaluator.wait_for_load_state("networkidle")
    evaluator.locator(f"#line-{lines['1']} input[name=points]").click()
    for points, after in (("1", "2"), ("0.5", "3"), ("1.5", None)):
        evaluator.keyboard.type(points)
        evaluator.keyboard.press("Enter")
        if after:
            expect(evaluator.locator(f"#line-{lines[after]} input[name=points]")).to_be_focused()
    expect(evaluator.locator(f"#state-{lines['3']} .saved")).to_be_visible()
    expect(evaluator.locator("#sheet-totals .total-value")).to_have_text("3.0")
    evaluator.locator(f"#line-{lines['3']} .evidence-strip a[data-preview]").first.click()
    expect(evaluator.locator("#evidence-preview .preview-caption")).to_have_text("党组专题研究精神文明建设会议纪要")
    journey.shot(evaluator, "evaluator-scoring")
    evaluator.keyboard.press("Escape")
    expect(evaluator.locator("#evidence-preview")).to_be_hidden()

    # 11. The leader's dashboard while the inspection runs: nothing of it shows; the projection comes from the
    # submitted self-check, its method shown.
    leader = journey.person(cast["leader"].username)
    journey.shot(leader, "leader-home")
    journey.menu(leader, "领导驾驶舱")
    expect(leader.locator("body")).to_contain_text("预计得分")
    expect(leader.locator("body")).to_contain_text("提交的自查")
    expect(leader.locator("body")).not_to_contain_text(inspection)
    expect(leader.locator("body")).not_to_contain_text("已评")
    journey.shot(leader, "leader-dashboard")
    journey.leave(leader)

    # ... the evaluator submits; now the office compares the self-check with the inspection line by line.
    evaluator.once("dialog", lambda dialog: dialog.accept())
    evaluator.get_by_role("button", name="提交", exact=True).click()
    expect(evaluator.locator("h1")).to_contain_text("已提交")
    journey.shot(evaluator, "inspection-submitted")
    journey.leave(evaluator)
    journey.menu(office, "自查测评")
    office.get_by_role("link", name="自查与检查对比").click()
    tiles = office.locator(".compare-tiles")
    expect(tiles).to_contain_text(inspection)
    expect(tiles.locator(".total-big")).to_have_text(["3.5", "3.0"])
    expect(office.locator(".compare-table tr.differs")).to_have_count(3)
    journey.shot(office, "inspection-compared")

    # 12. 督办: the office issues a 督办单 from 督办考核 for the task of 民二庭 that nobody has taken on.
    journey.menu(office, "督办考核")
    office.get_by_role("link", name="签发督办单").first.click()
    office.locator("#id_target").select_option(
        label=office.locator("#id_target option", has_text="开展文明庭室评选并公示结果").first.inner_text().strip())
    office.get_by_label("办理时限").fill(f"{(timezone.localdate() + timedelta(days=3)).isoformat()}")
    office.get_by_label("督办事项及要求").fill("请于3日内报送评选方案，逾期将在全院通报。")
    journey.shot(office, "order-form")
    office.get_by_role("button", name="签发").click()
    expect(office.locator(".messages")).to_be_visible()
    journey.shot(office, "order-issued")

    # 13. A meeting with QR sign-in: registered from 活动与会议; the phone opens the QR code's address (the one typed
    # address besides the start page: a camera reads it) and signs in; the organiser's list picks it up.
    journey.menu(office, "活动与会议")
    office.get_by_role("link", name="登记活动").click()
    office.get_by_label("活动名称").fill("创建工作推进会")
    office.get_by_label("活动类型").select_option(index=1)
    now = timezone.localtime().replace(second=0, microsecond=0)
    office.get_by_label("开始时间").fill(f"{now:%Y-%m-%dT%H:%M}")
    office.get_by_label("结束时间").fill(f"{now + timedelta(hours=2):%Y-%m-%dT%H:%M}")
    office.get_by_label("地点").fill("五楼会议室")
    journey.shot(office, "meeting-form")
    office.get_by_role("button", name="保存").click()
    office.get_by_role("link", name="签到").first.click()
    expect(office.locator(".act-qr svg.segno")).to_be_visible()
    journey.shot(office, "meeting-qr")
    link = office.locator(".act-url").inner_text().strip()
    phone.goto(link)
    phone.get_by_role("button", name="确认签到").click()
    expect(phone.locator(".act-signed")).to_contain_text("签到成功")
    journey.shot(phone, "phone-signed-in")
    expect(office.locator("#attendance-rows")).to_contain_text(cast["liaison_a"].real_name)
    journey.leave(phone)
    journey.leave(liaison)

    # 14. The 迎检档案: from its menu entry, built from the approved evidence (the count on the page is the count inside).
    journey.menu(office, "迎检档案")
    expect(office.locator("body")).to_contain_text("已审核通过的 1 份材料")
    office.get_by_role("button", name="生成迎检档案").click()
    office.wait_for_load_state()  # built in the background (at once in the tests); the page it returns to lists it
    expect(office.get_by_role("link", name="下载").first).to_be_visible()
    journey.shot(office, "archive")

    # 15. The 创建工作报告, generated from 创建报告 and offered as a Word file.
    journey.menu(office, "创建报告")
    office.get_by_role("button", name="生成报告").click()
    office.wait_for_load_state()
    expect(office.get_by_role("link", name="下载 Word").first).to_be_visible()
    journey.shot(office, "report")
