"""Issue 16: the command line matches the screen (--sheet/--table/--map/--dry-run, the mapping printed to be passed
back, templates); an uncertain guess names its columns instead of an error on every row; a Word 测评体系 with
several tables offers the choice on the preview screen."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from wenming.standards.models import ImportDraft, ImportTemplate
from wenming.standards.parsing import parse_file
from wenming.standards.tests.corpus import ORGAN, as_word, two_points_columns, write_docx, write_xlsx
from wenming.standards.tests.workbooks import to_bytes

pytestmark = pytest.mark.django_db

TITLE = "某市二〇二一年度文明机关测评体系"
NOTE = "总分100分，80分以上为合格"


def organ_xlsx() -> bytes:
    return write_xlsx(two_points_columns(ORGAN, TITLE, NOTE))


def test_dry_run_prints_the_figures_and_the_mapping(tmp_path, capsys):
    path = tmp_path / "机关.xlsx"
    path.write_bytes(organ_xlsx())

    call_command("import_standard", str(path), "--dry-run")

    printed = capsys.readouterr().out
    for line in ("年度：2021", "一级：6 项", "二级：19 项", "总分：100 分", "（最高加 5 分）", "一票否决项：2 条",
                 "达标分数：80 分", "--map A=level1 B=level1_points C=level2 D=points E=scoring", "检查通过"):
        assert line in printed, printed


def test_a_mapping_passed_back_on_the_command_line_is_used(tmp_path, capsys):
    path = tmp_path / "机关.xlsx"
    path.write_bytes(organ_xlsx())

    call_command("import_standard", str(path), "--dry-run", "--header-row", "2",
                 "--map", "A=level1", "B=一级的分值", "C=level2", "D=分值")

    printed = capsys.readouterr().out
    assert "--map A=level1 B=level1_points C=level2 D=points" in printed and "总分：100 分" in printed


def test_a_template_saved_from_the_command_line_recognises_the_next_file(cast, tmp_path, capsys):
    workbook = Workbook()
    workbook.active.append(["大类", "事项", "权数"])
    workbook.active.append(["组织（100分）", "成立机构", 100])
    path = tmp_path / "怪表头.xlsx"
    path.write_bytes(to_bytes(workbook))

    call_command("import_standard", str(path), "--dry-run", "--unit", cast.unit.name, "--map", "A=level1",
                 "B=level2", "C=points", "--save-template", "本市格式")
    capsys.readouterr()
    call_command("import_standard", str(path), "--dry-run", "--unit", cast.unit.name)

    assert "按导入模板“本市格式”识别各列" in capsys.readouterr().out
    assert ImportTemplate.objects.get().mapping["columns"] == {"0": "level1", "1": "level2", "2": "points"}


def test_an_uncertain_points_column_is_named_instead_of_an_error_on_every_row():
    workbook = Workbook()
    workbook.active.append(["一级指标", "分值", "二级指标", "说明"])
    for category, points in (("组织领导", 40), ("志愿服务", 60)):
        workbook.active.append([category, points, "第一项工作", "按要求开展"])
        for number in range(2, 5):
            workbook.active.append([None, None, f"第{number}项工作", "按要求开展"])

    result = parse_file(to_bytes(workbook), "细则.xlsx")

    assert any("B列" in text and "一级" in text for text in result.ambiguities), result.ambiguities
    assert not [p for p in result.problems if p.row and "没有分值" in p.message]
    assert any("读不到分值" in p.message for p in result.errors)


def test_a_word_standard_with_two_tables_offers_the_choice_and_shows_the_figures(cast, client_for):
    data = write_docx(as_word(two_points_columns(ORGAN, TITLE, NOTE)), extra_table_first=True)
    client = client_for(cast["office"])

    response = client.post(reverse("standards:import"), {"file": SimpleUploadedFile("测评体系.docx", data)})
    page = client.get(response["Location"]).content.decode()

    assert 'id="table-choice"' in page and "文档中有 2 个表格" in page and "正在使用" in page
    assert "Word 文档中的表格2" in page and "达标分数" in page and "确认导入" in page
    draft = ImportDraft.objects.get()
    assert draft.tables["format"] == "docx" and "content" not in {f.name for f in ImportDraft._meta.fields}

    client.post(reverse("standards:import_preview", args=[draft.token]), {"action": "table", "table": "0"})
    page = client.get(reverse("standards:import_preview", args=[draft.token])).content.decode()
    assert "找不到表头" in page
