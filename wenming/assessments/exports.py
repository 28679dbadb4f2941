"""Exports: the 测评表 (xlsx and Word in 公文 fonts) and the 整改台账 (xlsx)."""

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl.styles import Font

from wenming.core.text import printable
from wenming.core.xlsx import append_row, build_workbook, download_response

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT, HEADING_FONT = "仿宋", "黑体"


def filename(assessment, ext: str) -> str:
    return f"{assessment.campaign.title}-{assessment.title}-测评表"


def _num(value: Decimal | None):
    return float(value) if value is not None else None


def _line_value(row) -> tuple:
    """(得分, 说明) of a line as the 测评表 shows it."""
    result, score = row.result, row.score
    if result is None:
        return None, ""
    if result.vetoed:
        return None, "触发一票否决"
    if result.not_applicable:
        return None, "不适用"
    extra = []
    if score is not None and score.grade:
        extra.append(f"等次{score.grade}")
    if score is not None and score.missing is not None:
        extra.append(f"{'缺' if row.node.kind == 'deduction' else ''}{score.missing}项")
    return _num(result.earned), "，".join(extra)


def _verdict(result) -> str:
    if result.vetoed:
        return "一票否决，不达标"
    if result.passed is None:
        return "未设达标分数"
    return "达标" if result.passed else "未达标"


def sheet_rows(sheet):
    for row in sheet.rows:
        node = row.node
        earned, extra = _line_value(row) if row.is_line else (None, "")
        note = "；".join(part for part in (extra, row.score.note if row.score else "") if part)
        yield [node.code, node.title if row.is_line else f"【{node.title}】", node.scoring,
               _num(node.points) if node.points is not None else (_num(node.bonus_cap) if node.bonus_cap else None),
               earned, note]


def sheet_workbook(sheet):
    assessment, result = sheet.assessment, sheet.result
    workbook = build_workbook("测评表", ["编号", "测评内容", "评分标准", "分值", "得分", "备注"], sheet_rows(sheet),
                              widths=[10, 48, 40, 8, 8, 30],
                              note=f"{assessment.campaign.title} · {assessment.title}（{assessment.get_kind_display()}）")
    ws = workbook.active
    ws.append([])
    for category in result.categories:
        append_row(ws, ["", f"{category.code} {category.title}".strip() + " 小计", "", _num(category.full_maximum),
                   _num(category.earned), ""])
    bold = Font(bold=True)
    for label, value in (("基本分", result.base), ("加分", result.bonus), ("总分", result.total)):
        append_row(ws, ["", label, "", None, _num(value), ""])
        ws.cell(row=ws.max_row, column=2).font = bold
    append_row(ws, ["", "结论", "", None, None, _verdict(result)])
    ws.cell(row=ws.max_row, column=2).font = bold
    return workbook


# ---------------------------------------------------------------------------------------------- Word
def _font(run, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def _cell(cell, text, *, size=10.5, bold=False, font=BODY_FONT) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(printable("" if text is None else str(text)))
    _font(run, font, size, bold)


def sheet_document(sheet):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    assessment, result = sheet.assessment, sheet.result
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", BODY_FONT)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(printable(f"{assessment.campaign.title}测评表")), HEADING_FONT, 22)
    sub = document.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(sub.add_run(printable(f"{assessment.title}（{assessment.get_kind_display()}）")), BODY_FONT, 16)

    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["编号", "测评内容", "分值", "得分", "备注"], strict=True):
        _cell(cell, text, bold=True, font=HEADING_FONT)
    for code, content, _rule, points, earned, note in sheet_rows(sheet):
        cells = table.add_row().cells
        for cell, text in zip(cells, [code, content, points if points is not None else "",
                                      earned if earned is not None else "", note], strict=True):
            _cell(cell, text, bold=content.startswith("【"))

    summary = document.add_paragraph()
    _font(summary.add_run("得分汇总"), HEADING_FONT, 16)
    for category in result.categories:
        line = document.add_paragraph()
        _font(line.add_run(printable(f"{category.code} {category.title}：{category.earned} / {category.full_maximum} 分".strip())),
              BODY_FONT, 16)
    total = document.add_paragraph()
    _font(total.add_run(printable(f"基本分 {result.base} 分，加分 {result.bonus} 分，总分 {result.total} 分。结论：{_verdict(result)}。")),
          BODY_FONT, 16, bold=True)
    stamp = document.add_paragraph()
    stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(stamp.add_run(f"{timezone.localdate():%Y年%m月%d日}"), BODY_FONT, 16)
    return document


def docx_response(document, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    document.save(buffer)
    return download_response(buffer.getvalue(), f"{name}-{timezone.localtime():%Y%m%d-%H%M}.docx", DOCX_TYPE)


# ---------------------------------------------------------------------------------------------- 整改台账
def ledger_workbook(campaign, items):
    rows = []
    for number, item in enumerate(items, start=1):
        finding = item.finding
        criterion = finding.criterion
        rows.append([
            number, f"{criterion.code} {criterion.title}".strip() if criterion else "", finding.description,
            finding.get_severity_display(), item.requirement, item.department.name, item.due_on,
            item.get_status_display(), item.measures, "、".join(e.title for e in item.evidence.all()),
            item.verified_by.real_name if item.verified_by else "",
            timezone.localtime(item.closed_at).strftime("%Y-%m-%d") if item.closed_at else "",
        ])
    workbook = build_workbook("整改台账", ["序号", "测评项", "问题", "严重程度", "整改要求", "责任部门", "整改时限", "状态",
                                       "整改措施及结果", "佐证材料", "核验人", "销号日期"], rows,
                              widths=[6, 30, 40, 8, 30, 14, 12, 8, 40, 30, 10, 12],
                              note=f"{campaign.title} · 整改台账")
    for row in workbook.active.iter_rows(min_row=3, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    return workbook
