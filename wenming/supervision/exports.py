"""Exports: the register and the ranking as xlsx (for the internal 通报), one 督办单 as a Word document in
公文 style (GB/T 9704: A4, 方正小标宋 title, 黑体 headings, 仿宋 body, page numbers “— 1 —”)."""

import io

from django.utils import timezone

from wenming.core.text import printable
from wenming.core.xlsx import build_workbook
from wenming.supervision.lights import Light

LIGHT_TEXT = {Light.RED: "红灯", Light.YELLOW: "黄灯", Light.GREEN: "绿灯", Light.NONE: "—"}


def register_workbook(orders):
    headers = ["编号", "督办事项", "承办部门", "督办要求", "办理时限", "状态", "预警", "督办人", "签发日期", "办结日期"]
    rows = [
        [order.code, order.target_title, order.department.name, order.request,
         order.deadline, order.get_status_display(), LIGHT_TEXT.get(getattr(order, "light", ""), ""),
         order.issued_by.real_name or order.issued_by.username, timezone.localtime(order.issued_at).date(),
         timezone.localtime(order.closed_at).date() if order.closed_at else ""]
        for order in orders
    ]
    return build_workbook("督办单登记簿", headers, rows, widths=[20, 40, 14, 50, 12, 16, 8, 10, 12, 12])


def ranking_workbook(result, campaign):
    settings = result.settings
    note = (f"{campaign.title} 部门考核（{result.day:%Y-%m-%d}）　得分 = 按时完成率 × {settings.weight_on_time}"
            f" − 退回次数 × {settings.weight_returns} − 逾期天数 × {settings.weight_overdue_days}"
            f" − 未完成整改 × {settings.weight_open_rectifications}")
    headers = ["名次", "部门", "牵头任务", "已完成", "应完成", "按时完成", "按时完成率（%）", "逾期任务", "逾期天数", "材料退回次数",
               "未完成整改", "得分"]
    rows = [
        [row.rank or "—", row.department.name, row.total, row.done, row.due, row.on_time, float(row.on_time_rate), row.overdue,
         row.overdue_days, row.returns, row.open_rectifications, float(row.score) if row.counted else ""]
        for row in result.rows
    ]
    return build_workbook("部门考核", headers, rows, widths=[6, 18, 10, 8, 8, 10, 14, 10, 10, 12, 12, 10], note=note)


def order_docx(order, unit_name: str) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    def font(run, name: str, size: float, bold: bool = False):
        run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
        return run

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(title.add_run(printable(f"{unit_name}\n督 办 单")), "方正小标宋简体", 22)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(number.add_run(printable(order.code)), "仿宋_GB2312", 16)

    rows = [
        ("承办部门", order.department.name),
        ("督办事项", order.target_title),
        ("督办要求", order.request),
        ("办理时限", f"{order.deadline:%Y年%m月%d日}".replace("年0", "年").replace("月0", "月")),
        ("督办人", order.issued_by.real_name or order.issued_by.username),
        ("签发日期", f"{timezone.localtime(order.issued_at):%Y-%m-%d}"),
        ("办理状态", order.get_status_display()),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Mm(32), Mm(124)
        font(cells[0].paragraphs[0].add_run(printable(label)), "黑体", 14)
        font(cells[1].paragraphs[0].add_run(printable(str(value))), "仿宋_GB2312", 14)

    heading = document.add_paragraph()
    font(heading.add_run("办理记录"), "黑体", 16)
    for item in order.rounds.all():
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        stamp = timezone.localtime(item.created_at)
        text = f"{stamp:%Y-%m-%d %H:%M} {item.get_kind_display()}（{item.actor.real_name or item.actor.username}）：{item.text}"
        font(paragraph.add_run(printable(text)), "仿宋_GB2312", 16)
        attached = list(item.evidence.all())
        if attached:
            extra = document.add_paragraph()
            extra.paragraph_format.first_line_indent = Pt(32)
            font(extra.add_run(printable("佐证材料：" + "；".join(e.title for e in attached))), "仿宋_GB2312", 16)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(footer.add_run("— "), "宋体", 14)
    run = font(footer.add_run(), "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    font(footer.add_run(" —"), "宋体", 14)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
