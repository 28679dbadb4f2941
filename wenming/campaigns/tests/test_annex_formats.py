"""Issue 16: the task annex as it really arrives — the table inside the 实施方案 .docx (after a roster table), an
.xls — imports with no mapping; dates outside the campaign's year, leaders matching nobody and departments
matching several are said before anything is saved; the command line takes --table/--map and prints the mapping."""

import io

import pytest
from django.core.management import call_command
from docx import Document

from wenming.campaigns import annex
from wenming.campaigns.models import Task
from wenming.campaigns.tests.test_annex import COURT_DEPARTMENTS
from wenming.org.models import Department
from wenming.org.roles import Role
from wenming.testing import make_user

pytestmark = pytest.mark.django_db



@pytest.fixture
def court(cast):
    for order, name in enumerate(COURT_DEPARTMENTS, start=10):
        Department.objects.create(unit=cast.unit, name=name, order=order)
    for username, name, title in [("p_president", "王院长", "党组书记、院长"), ("p_politics", "唐主任", "政治部主任")]:
        person = make_user(username, cast.unit, None, [Role.LEADER], name)
        person.job_title = title
        person.save()
    return cast


SEED_BODY = [
    "某某市法院创建市级精神文明单位工作实施方案",
    "为全面贯彻落实党的十九大精神，推进我院精神文明创建活动深入开展，特制定本方案。",
    "三、成立创建市级文明单位工作领导小组",
]
ANNEX = [
    ["序号", "工作任务", "牵头部门", "配合部门", "分管领导", "完成时限"],
    ["1", "召开党组会议研究部署创建工作", "机关党委", "办公室", "王院长", "2021年1月底前"],
    ["2", "召开全院干警动员大会", "机关党委", "各庭室处队", "王院长", "2021年2月底前"],
    ["3", "组织开展道德讲堂", "政治部", "工会", "唐主任", "每季度"],
    ["4", "开展自查自纠、查缺补漏", "政治部", "", "赵院长", "2021年10月底前"],
]


def plan_docx(annex_rows=ANNEX, *, merge_lead=True) -> bytes:
    """A 实施方案: the body, a roster table, then 附件 and the 工作分解表 (牵头部门 merged down over two rows)."""
    document = Document()
    for text in SEED_BODY:
        document.add_paragraph(text)
    roster = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["职务", "姓名", "分工"], ["组长", "王院长", "全面负责"], ["副组长", "唐主任", "具体负责"]]):
        for c, value in enumerate(row):
            roster.cell(r, c).text = value
    document.add_paragraph("附件")
    document.add_paragraph("某某市法院2021年创建市级文明单位工作任务分解表")
    table = document.add_table(rows=len(annex_rows), cols=len(annex_rows[0]))
    for r, row in enumerate(annex_rows):
        for c, value in enumerate(row):
            if not (merge_lead and c == 2 and r == 2):
                table.cell(r, c).text = value
    if merge_lead:
        table.cell(1, 2).merge(table.cell(2, 2))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def annex_xls(rows) -> bytes:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("分解表")
    sheet.write_merge(0, 0, 0, len(rows[0]) - 1, "附件：2021年创建工作任务分解表")
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_annex_inside_the_plan_is_found_after_the_roster_table(court, campaign):
    preview = annex.read_annex(plan_docx(), campaign=campaign, filename="实施方案.docx")

    assert not preview.error, preview.error
    assert preview.kind == "table" and preview.table_index == 1
    assert [entry["usable"] for entry in preview.tables] == [False, True]
    assert preview.read == 4 and preview.title == "某某市法院2021年创建市级文明单位工作任务分解表"
    lead = {row.title: row.lead_department.name for row in preview.rows}
    assert lead["召开全院干警动员大会"] == "机关党委"  # the merged 牵头部门 counts for both rows
    assert {row.title: row.supervisor.real_name if row.supervisor else "" for row in preview.rows}[
        "组织开展道德讲堂"] == "唐主任"
    assert Task.objects.count() == 0


def test_leaders_matching_nobody_and_dates_of_another_year_are_said(court, campaign):
    campaign.year = 2027
    campaign.save()
    preview = annex.read_annex(plan_docx(), campaign=campaign, filename="实施方案.docx")

    messages = [p.message for p in preview.problems]
    assert any("赵院长" in m and "找不到" in m for m in messages)
    assert sum("不在本活动的年度（2027年）内" in m for m in messages) == 3
    assert any("2021年" in w for w in preview.warnings)
    assert not any(p.blocking for p in preview.problems if "年度" in p.message)


def test_a_department_matching_several_must_be_chosen(court, campaign):
    Department.objects.create(unit=court.unit, name="执行一庭", order=30)
    Department.objects.create(unit=court.unit, name="执行二庭", order=31)
    rows = [ANNEX[0], ["1", "规范执行窗口服务", "执行", "", "", "2021年6月底前"]]
    preview = annex.read_annex(annex_xls(rows), campaign=campaign, filename="分解表.xls")

    problem = next(p for p in preview.problems if p.kind == "department")
    assert problem.blocking and "多个部门" in problem.message and "执行一庭" in problem.message
    assert set(preview.unmatched["department"]["执行"]) == {"执行一庭", "执行二庭"}


def test_an_xls_annex_imports(court, campaign):
    preview = annex.read_annex(annex_xls(ANNEX), campaign=campaign, filename="分解表.xls")
    assert not preview.error and preview.read == 4 and not preview.blocking, preview.problems


def test_command_line_dry_run_prints_the_mapping_and_takes_it_back(court, campaign, tmp_path, capsys):
    path = tmp_path / "实施方案.docx"
    path.write_bytes(plan_docx())

    call_command("import_tasks", str(path), "--campaign", str(campaign.pk), "--dry-run")
    printed = capsys.readouterr().out
    assert "--table 2" in printed and "--map A=number B=title C=lead D=co E=supervisor F=due" in printed
    assert "读取 4 行任务" in printed and Task.objects.count() == 0

    call_command("import_tasks", str(path), "--campaign", str(campaign.pk), "--dry-run", "--table", "2",
                 "--map", "B=title", "C=牵头部门", "F=due")
    printed = capsys.readouterr().out
    assert "--map B=title C=lead F=due" in printed and "读取 4 行任务" in printed


def test_a_mapping_saved_as_a_template_is_used_for_the_next_file(court, campaign, tmp_path, capsys):
    rows = [["编号", "事项", "负责", "期限"], ["1", "召开动员大会", "机关党委", "2021年2月底前"]]
    path = tmp_path / "分解表.xls"
    path.write_bytes(annex_xls(rows))
    call_command("import_tasks", str(path), "--campaign", str(campaign.pk), "--dry-run", "--header-row", "2",
                 "--map", "B=title", "C=lead", "D=due", "--save-template", "本院格式")
    capsys.readouterr()

    call_command("import_tasks", str(path), "--campaign", str(campaign.pk), "--dry-run")
    printed = capsys.readouterr().out
    assert "按导入模板“本院格式”识别各列" in printed and "读取 1 行任务" in printed
