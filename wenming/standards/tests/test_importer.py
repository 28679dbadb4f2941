"""The importer reads standards shaped the way real offices type them, and names every problem in Chinese."""

from decimal import Decimal

import pytest
from openpyxl import Workbook

from wenming.standards.parsing import PointsError, parse_file, parse_points
from wenming.standards.tests.workbooks import sample_rows, sample_workbook, to_bytes, write_sheet


def problems(result, severity="error"):
    return [str(p) for p in result.problems if p.severity == severity]


def titles(nodes):
    return [node.title for node in nodes]


def test_sample_shaped_three_levels_with_merges_and_a_title_row():
    result = parse_file(sample_workbook(), "细则.xlsx")

    assert result.ok, problems(result)
    assert result.sheet == "测评细则" and result.header_row == 2
    assert result.meta == {"name": "某某市2025年文明单位测评细则", "year": 2025, "level": "city"}
    assert titles(result.roots) == ["组织领导", "志愿服务", "加分项", "一票否决项"]
    leadership = result.roots[0]
    assert leadership.points == 10 and titles(leadership.children) == ["创建机制", "经费与宣传保障"]
    assert [c.points for c in leadership.children] == [6, 4]
    line = leadership.children[0].children[2]
    assert (line.code, line.points, line.methods, line.department) == ("3", 2, ["查阅资料", "听取汇报"], "办公室")
    assert leadership.children[1].children[1].kind == "deduction"
    bonus, veto = result.roots[2], result.roots[3]
    assert (bonus.kind, bonus.bonus_cap, bonus.points) == ("bonus", 5, None)
    assert (bonus.children[0].kind, bonus.children[0].points, bonus.children[0].per_item) == ("bonus", 2, True)
    assert veto.kind == "veto" and veto.children[0].kind == "veto" and veto.children[0].points is None
    summary = result.summary()
    assert [level["count"] for level in summary["levels"]] == [4, 5, 10]
    assert summary["total_points"] == 100
    assert (summary["bonus_lines"], summary["bonus_cap"], summary["veto_lines"]) == (1, 5, 1)


def test_two_levels_with_other_header_words_and_category_rows_of_their_own():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["一级指标", "二级指标", "评分细则", "分值", "测评方式", "备注"])
    sheet.append(["一、组织领导（40分）", None, None, None, None, None])
    sheet.append([None, "成立领导小组", "未成立的不得分", 20, "查阅资料/座谈会", "正式文件"])
    sheet.append([None, "制定年度计划", "无计划扣完", 20, "查看资料 实地查看", "计划文本"])
    sheet.append(["二、志愿服务", None, None, 60, None, None])
    sheet.append([None, "开展志愿服务活动", "每少一次扣1分，扣完为止", 60, "网络申报", "活动照片"])

    result = parse_file(to_bytes(workbook))

    assert result.ok, problems(result)
    assert titles(result.roots) == ["组织领导", "志愿服务"]
    assert [node.code for node in result.roots] == ["一", "二"]
    assert [node.points for node in result.roots] == [40, 60]
    first = result.roots[0].children[0]
    assert (first.title, first.scoring, first.materials) == ("成立领导小组", "未成立的不得分", "正式文件")
    assert first.methods == ["查阅资料", "座谈"]
    assert result.roots[0].children[1].methods == ["查阅资料", "实地考察"]
    assert result.roots[1].children[0].kind == "deduction"
    assert result.total_points == 100


def test_full_width_digits_points_in_text_blank_rows_and_notes_at_the_bottom():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["测评项目", "测评内容", "分值", "测评方法"])
    sheet.append(["组织领导（６分）", "成立领导小组", "５分", "查阅资料"])
    sheet.append([None, "召开专题会议", "０.５", "查阅资料"])
    sheet.append([None, "报送总结", "零点五分", "网上申报"])
    sheet.append([])
    sheet.append(["思想道德（94分）", "开展道德讲堂", "九十四", "实地考察"])
    sheet.append(["注：1. 本表由市文明办制定；2. 分值为最高分。", None, None, None])
    sheet.append(["说明：材料请于11月底前报送。", None, None, None])
    sheet.merge_cells("A2:A4")

    result = parse_file(to_bytes(workbook))

    assert result.ok, problems(result)
    assert [c.points for c in result.roots[0].children] == [Decimal("5"), Decimal("0.5"), Decimal("0.5")]
    assert result.roots[1].children[0].points == 94
    assert len(list(result.walk())) == 6


def test_an_instruction_sheet_before_the_data_sheet_is_skipped():
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = "填表说明"
    instructions.append(["填表说明"])
    instructions.append(["1. 请按测评项目逐项填写分值。"])
    data = workbook.create_sheet("细则")
    write_sheet(data, sample_rows())

    result = parse_file(to_bytes(workbook))

    assert result.ok and result.sheet == "细则"


def test_three_levels_with_a_separate_content_and_scoring_column():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["测评项目", "测评指标", "测评内容", "测评标准", "分值", "材料报送说明", "责任部门"])
    sheet.append(["宣传（100分）", "阵地（100分）", "开设专栏", "未开设不得分", 60, "链接", "研究室"])
    sheet.append([None, None, "报送信息", "每月1篇", 40, "截图", "研究室"])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")

    result = parse_file(to_bytes(workbook))

    assert result.ok, problems(result)
    line = result.roots[0].children[0].children[0]
    assert (line.title, line.scoring, line.materials, line.department) == ("开设专栏", "未开设不得分", "链接", "研究室")


@pytest.mark.parametrize(("raw", "points", "per_item", "cap"), [
    (10, "10", False, None), ("10分", "10", False, None), ("５", "5", False, None), ("0.5分", "0.5", False, None),
    ("2/项", "2", True, None), ("每项2分", "2", True, None), ("最高5分", None, False, "5"), ("五分", "5", False, None),
    ("二十", "20", False, None), ("", None, False, None), ("—", None, False, None),
])
def test_points_are_read_as_people_write_them(raw, points, per_item, cap):
    value = parse_points(raw)
    assert (value.value, value.per_item, value.cap) == (
        Decimal(points) if points else None, per_item, Decimal(cap) if cap else None)


@pytest.mark.parametrize("raw", ["约两分", "0.125", "abc", "-1"])
def test_unreadable_points_raise(raw):
    with pytest.raises(PointsError):
        parse_points(raw)


def test_children_not_adding_up_to_their_parent_is_named_with_sheet_row_and_column():
    rows = sample_rows()
    rows[2][4] = 3  # line 3 worth 3 instead of 2: 创建机制 adds up to 7 of 6

    result = parse_file(sample_workbook(rows))

    errors = [p for p in result.errors]
    assert any(p.row == 3 and p.column == "B列（测评指标）" and "标注 6 分，下级合计 7 分，多 1 分" in p.message
               for p in errors), problems(result)
    assert len(errors) == 1  # the category still adds its indicators' marked points: one mistake, one message
    assert str(errors[0]).startswith("[错误] 工作表“测评细则” 第3行")
    assert not result.ok


def test_missing_title_unreadable_points_and_duplicate_codes():
    rows = sample_rows()
    rows[1][3] = None  # a line without its text, points still there
    rows[3][4] = "约一分"
    rows[4][2] = 4  # the code 4 twice under the same indicator

    result = parse_file(sample_workbook(rows))

    messages = {(p.row, p.column): p.message for p in result.errors}
    assert messages[(4, "D列（测评内容及标准）")] == "这一行有分值或其他内容，但没有测评内容（标题）。"
    assert messages[(6, "E列（分值）")].startswith("无法识别分值“约一分”")
    assert messages[(7, "C列（序号）")] == "编号“4”与第6行重复（同一上级下的编号不能重复）。"


def test_duplicate_numbers_across_indicators_when_the_sheet_numbers_straight_through():
    rows = sample_rows()
    rows[5][2] = 2  # 经费 line numbered 2 again although numbering runs 1…10

    result = parse_file(sample_workbook(rows))

    assert any(p.row == 8 and p.message == "序号“2”与第4行重复。" for p in result.errors), problems(result)


def test_a_scored_line_without_points_and_a_total_row_that_disagrees():
    rows = sample_rows()
    rows[0][4] = None
    rows.append(["合计", None, None, None, 120, None, None, None])

    result = parse_file(sample_workbook(rows))

    texts = problems(result)
    assert any("第3行 E列（分值）" in text and "没有分值" in text for text in texts), texts
    assert any("“合计”行写的是 120 分" in text for text in texts)


def test_unknown_methods_are_kept_and_reported_as_a_warning():
    rows = sample_rows()
    rows[0][5] = "查阅资料、专家评议"

    result = parse_file(sample_workbook(rows))

    assert result.ok
    assert result.roots[0].children[0].children[0].methods == ["查阅资料", "专家评议"]
    assert any(p.severity == "warning" and "专家评议" in p.message and p.column == "F列（测评方法）"
               for p in result.problems)


def test_a_total_other_than_100_is_a_warning_not_an_error():
    rows = sample_rows()[:8]  # only 组织领导: 10 points

    result = parse_file(sample_workbook(rows))

    assert result.ok
    assert [p.message for p in result.warnings] == ["计分项合计 10 分，不是常见的100分，请核对是否漏项。"]


def test_unrecognised_columns_can_be_mapped_by_hand():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["大类", "事项", "权数"])
    sheet.append(["组织（100分）", "成立机构", 100])
    data = to_bytes(workbook)

    unmapped = parse_file(data)
    mapped = parse_file(data, mapping={"sheet": "Sheet", "header_row": 1,
                                       "columns": {"0": "level1", "1": "level3", "2": "points"}})

    assert not unmapped.ok and "找不到表头" in unmapped.errors[0].message
    assert unmapped.grid[0] == ["大类", "事项", "权数"]
    assert mapped.ok, problems(mapped)
    assert mapped.roots[0].children[0].title == "成立机构"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "上传的文件是空的。"),
    (b"name,points\n\xe7\xbb\x84,10\n", "无法读取该文件：请上传 Excel（.xlsx / .xls）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "文件已损坏或不是有效的 .xls 工作簿"),
    (b"PK\x03\x04 broken zip", "文件已损坏或不完整"),
])
def test_damaged_and_non_xlsx_files_get_a_clear_chinese_message(content, message):
    result = parse_file(content, "细则.xlsx")
    assert not result.ok and not result.roots
    assert result.errors[0].message.startswith(message)


def test_a_workbook_without_any_lines_says_so():
    workbook = Workbook()
    workbook.active.append(["测评项目", "测评内容", "分值"])
    result = parse_file(to_bytes(workbook))
    assert [p.message for p in result.errors] == ["表头下面没有读到任何测评内容。"]
