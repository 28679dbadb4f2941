"""Workbooks built with openpyxl for the tests, shaped the way offices type them (no files checked in)."""

import io

from openpyxl import Workbook

from wenming.standards import services
from wenming.standards.parsing import parse_file

SAMPLE_HEADER = ["测评项目", "测评指标", "序号", "测评内容及标准", "分值", "测评方法", "材料要求", "提供材料部门"]
# (category, indicator, code, text, points, methods, materials, department); None = merged with the cell above
SAMPLE_ROWS = [
    ("组织领导（10分）", "创建机制（6分）", 1, "成立创建工作领导小组，明确专人负责", 1, "查阅资料", "成立领导小组的正式文件", "政治部"),
    (None, None, 2, "制定年度创建工作计划并印发（有文号）", 1, "查阅资料", "年度计划正式文件", "机关党委"),
    (None, None, 3, "领导班子每年至少2次专题研究精神文明建设工作", 2, "查阅资料、听取汇报", "会议纪要2份", "办公室"),
    (None, None, 4, "创建工作纳入部门目标责任书", 1, "查阅资料", "目标责任书", "政治部"),
    (None, None, 5, "年底报送不少于1500字的年度创建工作总结", 1, "网上申报", "年度总结", "机关党委"),
    (None, "经费与宣传保障（4分）", 6, "创建工作经费列入预算，专款专用", 1, "查阅资料", "预算及支出凭证", "行装科"),
    (None, None, 7, "每月至少报送1篇创建工作信息，每少一篇扣0.2分，扣完为止", 2, "网上申报", "信息稿件及发布截图", "研究室"),
    (None, None, 8, "开展文明庭室评选并公示结果", 1, "查阅资料", "评选方案及公示照片", "政治部"),
    ("志愿服务（90分）", "学雷锋志愿服务（90分）", 9, "成立志愿服务队，有章程有制度", 40, "查阅资料", "成立文件及制度", "机关党委"),
    (None, None, 10, "干部职工注册志愿者比例达到80%以上", 50, "网上申报", "志愿服务信息系统截图", "机关党委"),
    ("加分项（最高5分）", None, None, "获得省级以上文明相关荣誉，每项加2分", "2/项", "查阅资料", None, None),
    ("一票否决项", None, None, "发生重大安全责任事故的，取消参评资格", None, "征求意见", None, None),
]


def sample_rows():
    return [list(row) for row in SAMPLE_ROWS]


def write_sheet(sheet, rows, *, title="某某市2025年文明单位测评细则", header=SAMPLE_HEADER, merge=True):
    """Title row, header row, then the rows; None cells in the first two columns become vertical merges."""
    start = 1
    if title:
        sheet.cell(row=1, column=1, value=title)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        start = 2
    for column, text in enumerate(header, start=1):
        sheet.cell(row=start, column=column, value=text)
    first_data = start + 1
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=first_data + offset, column=column, value=value)
    if merge:
        for column in (1, 2):
            run_start = None
            for offset, row in enumerate(rows + [["END", "END"]]):
                value = row[column - 1] if column - 1 < len(row) else None
                if value is not None:
                    if run_start is not None and offset - 1 > run_start:
                        sheet.merge_cells(start_row=first_data + run_start, start_column=column,
                                          end_row=first_data + offset - 1, end_column=column)
                    run_start = offset
    return first_data


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sample_workbook(rows=None, **kwargs) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "测评细则"
    write_sheet(sheet, rows if rows is not None else sample_rows(), **kwargs)
    return to_bytes(workbook)


def make_standard(unit, actor=None, *, published=False, name="测试测评细则"):
    """A small standard of `unit` imported from the sample workbook (optionally published)."""
    parsed = parse_file(sample_workbook(), "sample.xlsx")
    assert parsed.ok, [str(p) for p in parsed.problems]
    standard = services.standard_import(actor=actor, unit=unit, parsed=parsed, name=name)
    if published:
        standard = services.standard_publish(actor=actor, standard=standard)
    return standard
