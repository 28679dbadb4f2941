"""The annex table: differently worded annexes import with every date understood or listed as a problem;
nothing is saved before confirmation; the exported table imports back to the same tasks."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import Workbook, load_workbook

from wenming.campaigns import annex, selectors, services
from wenming.campaigns.models import Task
from wenming.org.models import Department
from wenming.org.roles import Role
from wenming.standards.models import Criterion, Standard
from wenming.testing import make_user

pytestmark = pytest.mark.django_db

COURT_DEPARTMENTS = ["政治部", "办公室", "工会", "行装科", "立案庭", "司法警察支队"]  # 机关党委 is in the cast


def workbook_bytes(rows, *, title=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def court(cast):
    for order, name in enumerate(COURT_DEPARTMENTS, start=10):
        Department.objects.create(unit=cast.unit, name=name, order=order)
    for username, name, title in [("p_president", "王院长", "党组书记、院长"), ("p_politics", "唐主任", "政治部主任")]:
        person = make_user(username, cast.unit, None, [Role.LEADER], name)
        person.job_title = title
        person.save()
    return cast


@pytest.fixture
def standard(cast):
    standard = Standard.objects.create(unit=cast.unit, name="细则", status=Standard.Status.PUBLISHED, pass_score=80)
    top = Criterion.objects.create(standard=standard, code="I-1", title="组织领导", depth=1, points=10)
    mechanism = Criterion.objects.create(standard=standard, parent=top, code="II-2", title="创建机制", depth=2, points=6)
    Criterion.objects.create(standard=standard, parent=mechanism, code="4", title="制定年度创建工作计划", depth=3,
                             points=1, department="机关党委", order=1)
    Criterion.objects.create(standard=standard, parent=mechanism, code="5", title="创建任务分解到部门", depth=3,
                             points=1.5, department="政治部、办公室", order=2)
    Criterion.objects.create(standard=standard, parent=top, code="否1", title="发生严重违纪", depth=2, kind="veto")
    return standard


@pytest.fixture
def campaign(court, standard):
    return services.campaign_create(actor=court["office"], unit=court.unit, title="2021年创建市级文明单位", year=2021,
                                    standard=standard)


SAMPLE = [  # the sample annex's header and rows, as the court wrote them
    ["序号", "测评指标", "工作任务", "牵头部门", "配合部门", "责任领导", "完成时限"],
    [1, "创建机制", "印发创建市级文明单位工作实施方案，成立领导小组", "政治部", "办公室", "政治部主任", "2021年1月底前"],
    [2, "创建机制", "召开全院干警动员大会", "机关党委", "各庭室处队", "院长", "2021年2月"],
    [3, "创建机制", "领导班子专题研究精神文明建设工作", "办公室", None, "院长", "每半年"],
    [4, "理论学习", "组织中心组理论学习", "机关党委", None, "党组副书记", "每月"],
    [5, "道德建设", "举办道德讲堂", "机关党委", "政治部、工会", "党组副书记", "每季度"],
    [6, "学雷锋志愿服务", "干警注册志愿者并开展志愿服务", "机关党委", "各庭室处队", "政治部主任", "长期坚持"],
    [7, "文体活动", "组织干警运动会", "工会", "行装科", "副院长", "2021.9.30"],
    [8, "审判执行质效", "完善诉讼服务中心一站式服务设施", "立案庭", "行装科", "副院长", "2021年6月底前"],
    [9, "创城任务", "落实包保路段和门前三包", "司法警察支队", "行装科", "副院长", "长期坚持"],
    [10, "创建机制", "整理迎检档案资料", "机关党委", "各庭室处队", "政治部主任", "2021年10月31日"],
]


def test_the_sample_annex_reads_every_date_and_lists_unknown_indicators(campaign):
    preview = annex.read_annex(workbook_bytes(SAMPLE, title="附件：创建市级文明单位工作任务分解表"), campaign=campaign)
    assert preview.error == "" and preview.read == 10 and not preview.blocking
    rows = {row.title: row for row in preview.rows}
    assert rows["印发创建市级文明单位工作实施方案，成立领导小组"].due_on == date(2021, 1, 31)
    assert rows["召开全院干警动员大会"].due_on == date(2021, 2, 28)
    assert rows["召开全院干警动员大会"].co_departments == [
        d for d in Department.objects.filter(unit=campaign.unit, is_active=True).order_by("order", "id")
        if d.name != "机关党委"]
    assert rows["组织中心组理论学习"].recurrence == Task.Recurrence.MONTHLY
    assert rows["举办道德讲堂"].recurrence == Task.Recurrence.QUARTERLY
    assert rows["领导班子专题研究精神文明建设工作"].recurrence == Task.Recurrence.HALF_YEARLY
    assert rows["落实包保路段和门前三包"].recurrence == Task.Recurrence.ONGOING
    assert rows["组织干警运动会"].due_on == date(2021, 9, 30)
    assert rows["组织干警运动会"].phase.name == "自查验收"
    assert rows["印发创建市级文明单位工作实施方案，成立领导小组"].supervisor.real_name == "唐主任"  # a post held by one leader
    assert rows["印发创建市级文明单位工作实施方案，成立领导小组"].criteria[0].code == "II-2"  # 创建机制 by name
    unknown = {p.value for p in preview.problems if p.kind == "criterion"}
    assert unknown == {"理论学习", "道德建设", "学雷锋志愿服务", "文体活动", "审判执行质效", "创城任务"}
    assert Task.objects.count() == 0  # nothing saved by reading


def test_a_differently_worded_annex_with_problems_lists_them_by_row_and_saves_nothing(campaign):
    rows = [
        ["编号", "工作内容", "对应指标", "责任部门", "协办部门", "分管院领导", "时间节点"],
        [1, "制定年度创建计划", "4", "机关党委", "各部门", "王院长", "2月上旬"],
        [2, "开展普法活动", "5", "立案庭（诉讼服务中心）", "", "", "9月1日-10月31日"],
        [3, "开展结对帮扶", "", "执行局", "政治部", "", "尽快"],
        [4, "季度通报", "4、5", "办公室", "", "", "2021年第三季度"],
        [5, "", "", "办公室", "", "", "每月"],
    ]
    preview = annex.read_annex(workbook_bytes(rows), campaign=campaign)
    assert preview.columns["title"] == "工作内容" and preview.columns["due"] == "时间节点"
    problems = {(p.row, p.kind): p for p in preview.problems}
    assert "立案庭（诉讼服务中心）" in problems[(3, "department")].message
    assert "执行局" in problems[(4, "department")].message
    assert "“尽快”" in problems[(4, "due")].message
    assert (6, "title") in problems
    assert not preview.ok
    good = {row.title: row for row in preview.rows}
    assert good["制定年度创建计划"].due_on == date(2021, 2, 10)
    assert good["制定年度创建计划"].supervisor.real_name == "王院长"
    assert (good["开展普法活动"].starts_on, good["开展普法活动"].due_on) == (date(2021, 9, 1), date(2021, 10, 31))
    assert [c.code for c in good["季度通报"].criteria] == ["4", "5"]
    assert good["季度通报"].due_on == date(2021, 9, 30)

    # The office maps the names and rewrites the date; now it imports.
    fixes = {"department": {"立案庭（诉讼服务中心）": Department.objects.get(name="立案庭").pk, "执行局": ""},
             "due": {"4": "2021年5月31日"}}
    rows[5] = [5, "每月报送信息", "", "办公室", "", "", "每月"]
    preview = annex.read_annex(workbook_bytes(rows), campaign=campaign, fixes=fixes)
    assert preview.ok, preview.problems
    created, updated = services.tasks_import(actor=campaign.unit.users.first(), campaign=campaign, rows=preview.rows)
    assert (created, updated) == (5, 0)
    assert Task.objects.get(title="开展结对帮扶").due_on == date(2021, 5, 31)
    assert Task.objects.get(title="开展普法活动").lead_department.name == "立案庭"


def task_shape(task):
    return (task.title, task.lead_department_id, tuple(sorted(d.pk for d in task.co_departments.all())),
            tuple(sorted(c.pk for c in task.criteria.all())), task.due_on, task.starts_on, task.recurrence,
            task.supervisor_id, task.owner_id, task.phase.name if task.phase else None)


def test_the_exported_table_imports_back_to_the_same_tasks(court, campaign, standard, client_for):
    preview = annex.read_annex(workbook_bytes(SAMPLE), campaign=campaign)
    services.tasks_import(actor=court["office"], campaign=campaign, rows=preview.rows)
    services.task_update(actor=court["office"], task=Task.objects.get(title="整理迎检档案资料"),
                         values={"owner": court["liaison_a"]})
    response = client_for(court["office"]).get(f"/campaigns/{campaign.pk}/export.xlsx")
    assert response.status_code == 200
    exported = response.content
    header = [c.value for c in load_workbook(io.BytesIO(exported)).active[2]]
    assert header == annex.EXPORT_HEADERS

    # Into a fresh campaign: the same tasks.
    fresh = services.campaign_create(actor=court["office"], unit=court.unit, title="复制", year=2021, standard=standard)
    again = annex.read_annex(exported, campaign=fresh)
    assert again.ok, again.problems
    services.tasks_import(actor=court["office"], campaign=fresh, rows=again.rows)
    before = sorted(task_shape(t) for t in Task.objects.filter(campaign=campaign))
    after = sorted(task_shape(t) for t in Task.objects.filter(campaign=fresh))
    assert after == before

    # Into the same campaign: every row updates its task, nothing doubles.
    same = annex.read_annex(exported, campaign=campaign)
    assert (same.creates, same.updates) == (0, 10)


def test_word_export_is_a_gongwen_table(court, campaign, client_for):
    services.task_create(actor=court["office"], campaign=campaign, title="召开动员大会", due_on=date(2021, 2, 20))
    response = client_for(court["office"]).get(f"/campaigns/{campaign.pk}/export.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "附件"
    assert document.paragraphs[1].runs[0].font.size.pt == 22
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == annex.EXPORT_HEADERS
    assert table.rows[1].cells[2].text == "召开动员大会"
    assert table.rows[1].cells[8].text == "2021年2月20日"


def test_draft_decomposition_makes_one_task_per_scored_line(court, campaign):
    assert services.tasks_generate_from_standard(actor=court["office"], campaign=campaign) == 2
    tasks = list(Task.objects.filter(campaign=campaign).order_by("number"))
    assert [(t.title, t.lead_department.name, [d.name for d in t.co_departments.all()]) for t in tasks] == [
        ("制定年度创建工作计划", "机关党委", []), ("创建任务分解到部门", "政治部", ["办公室"])]
    assert services.tasks_generate_from_standard(actor=court["office"], campaign=campaign) == 0


def test_import_screens_preview_first_then_confirm(court, campaign, client_for):
    client = client_for(court["office"])
    upload = io.BytesIO(workbook_bytes(SAMPLE))
    upload.name = "分解表.xlsx"
    response = client.post(f"/campaigns/{campaign.pk}/import/", {"file": upload})
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "共读到 10 行任务" in page and "理论学习" in page
    assert Task.objects.count() == 0
    response = client.post(preview_url.rstrip("/") + "/confirm/")
    assert response.status_code == 302
    assert Task.objects.filter(campaign=campaign).count() == 10


def test_import_command_prints_rows_tasks_and_problems(court, campaign, tmp_path):
    path = tmp_path / "annex.xlsx"
    rows = [*SAMPLE, [11, "", "开展结对帮扶", "执行局", "", "", "尽快"]]
    path.write_bytes(workbook_bytes(rows))
    out = io.StringIO()
    call_command("import_tasks", str(path), "--campaign", str(campaign.pk), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "读取 11 行任务" in text and "将新增 11 项" in text
    assert "第12行 牵头部门：部门“执行局”在本单位找不到" in text
    assert "第12行 完成时限：无法识别的完成时限“尽快”" in text
    with pytest.raises(CommandError, match="未导入"):
        call_command("import_tasks", str(path), "--campaign", str(campaign.pk), stdout=io.StringIO())
    assert Task.objects.count() == 0
    path.write_bytes(workbook_bytes(SAMPLE))
    out = io.StringIO()
    call_command("import_tasks", str(path), "--campaign", str(campaign.pk), stdout=out)
    assert "导入完成：新增 10 项" in out.getvalue()
    assert selectors.task_list(user=court["office"], campaign=campaign).count() == 10
