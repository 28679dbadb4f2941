"""签到表 and 会议纪要 as xlsx and Word (python-docx, Chinese fonts set through w:eastAsia); volunteer summary."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.text import printable
from wenming.core.xlsx import append_row, build_workbook, download_response

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _when(activity) -> str:
    starts = timezone.localtime(activity.starts_at)
    ends = timezone.localtime(activity.ends_at)
    if starts.date() == ends.date():
        return f"{starts:%Y-%m-%d %H:%M}—{ends:%H:%M}"
    return f"{starts:%Y-%m-%d %H:%M}—{ends:%Y-%m-%d %H:%M}"


def attendance_workbook(activity, rows):
    note = f"{activity.title}　{_when(activity)}　{activity.place}"
    data = [(i, row.person.real_name, row.person.department.name if row.person.department_id else "",
             timezone.localtime(row.signed_at).strftime("%Y-%m-%d %H:%M"), row.get_method_display(), "")
            for i, row in enumerate(rows, start=1)]
    return build_workbook(_("签到表"), [_("序号"), _("姓名"), _("部门"), _("签到时间"), _("签到方式"), _("签名")], data,
                          widths=[8, 14, 20, 20, 14, 18], note=note)


def _font(run, name: str = "仿宋", size: float = 14, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, *, name="仿宋", size=14, bold=False, center=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(printable(text)), name, size, bold)
    return paragraph


def attendance_document(activity, rows, *, with_minutes: bool) -> bytes:
    """The 签到表 (序号/姓名/部门/签到时间/签名) and, for a meeting, its 会议纪要 after it."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "仿宋"
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")
    for section in document.sections:
        section.top_margin = section.bottom_margin = Cm(2.5)
        section.left_margin = section.right_margin = Cm(2.6)
    _paragraph(document, f"{activity.title}{_('签到表')}", name="方正小标宋简体", size=20, center=True)
    _paragraph(document, _("时间：%(when)s") % {"when": _when(activity)}, size=12)
    _paragraph(document, _("地点：%(place)s") % {"place": activity.place or "—"}, size=12)
    _paragraph(document, _("组织部门：%(dept)s") % {"dept": activity.department.name if activity.department else "—"},
               size=12)
    headers = [_("序号"), _("姓名"), _("部门"), _("签到时间"), _("签名")]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(printable(text)), "黑体", 12, True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, row in enumerate(rows, start=1):
        values = [str(index), row.person.real_name, row.person.department.name if row.person.department_id else "",
                  timezone.localtime(row.signed_at).strftime("%m-%d %H:%M"), ""]
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(printable(text)), "仿宋", 12)
    _paragraph(document, _("实到 %(m)d 人。") % {"m": len(rows)}, size=12)
    if with_minutes:
        document.add_page_break()
        _paragraph(document, f"{activity.title}{_('会议纪要')}", name="方正小标宋简体", size=20, center=True)
        _paragraph(document, _("时间：%(when)s　地点：%(place)s") % {"when": _when(activity), "place": activity.place or "—"},
                   size=12)
        names = "、".join(row.person.real_name for row in rows) or "—"
        _paragraph(document, _("参会人员：%(names)s") % {"names": names}, size=12)
        _paragraph(document, _("会议内容"), name="黑体", size=16)
        for line in (activity.minutes or "—").splitlines():
            if line.strip():
                _paragraph(document, line.strip())
        if activity.decisions:
            _paragraph(document, _("议定事项"), name="黑体", size=16)
            for number, decision in enumerate(activity.decisions, start=1):
                _paragraph(document, f"{number}. {decision}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(content: bytes, filename: str) -> HttpResponse:
    return download_response(content, f"{filename}-{timezone.localtime():%Y%m%d-%H%M}.docx", DOCX_TYPE)


def volunteer_workbook(summary):
    workbook = build_workbook(
        _("部门汇总"), [_("部门"), _("人数"), _("有时长人数"), _("注册率（%）"), _("服务时长（小时）"), _("人均时长（小时）"),
                       _("志愿者人均时长（小时）")],
        [(r.name, r.staff, r.registered, round(r.rate, 1), float(r.hours), float(r.per_head), float(r.per_volunteer))
         for r in [*summary.departments, summary.total]], widths=[22, 10, 12, 12, 16, 16, 18])
    sheet = workbook.create_sheet(_("个人明细"))
    append_row(sheet, [_("姓名"), _("部门"), _("次数"), _("服务时长（小时）")])
    for row in summary.people:
        append_row(sheet, [row.person.real_name, row.person.department.name if row.person.department_id else "",
                          row.times, float(row.hours)])
    return workbook
