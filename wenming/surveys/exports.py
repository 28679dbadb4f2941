"""Files a survey produces: the QR poster per sampling point (A4, Word and PDF), the result report (Word in 公文 style, with
charts) and the raw answers (xlsx)."""

import io

import segno
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from wenming.core import fonts
from wenming.core.xlsx import build_workbook
from wenming.reports import gongwen
from wenming.surveys.models import Answer, Group, Question, Response, SamplingPoint, Survey

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(content: bytes, filename: str, *, suffix: str, content_type: str) -> HttpResponse:
    """A file to save, its name stamped with the time it was made."""
    stamped = f"{filename}-{timezone.localtime():%Y%m%d-%H%M}.{suffix}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(stamped)}"
    return response


def docx_response(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename, suffix="docx", content_type=DOCX_TYPE)


def qr_png(url: str, scale: int = 12) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def poster_docx(survey: Survey, point: SamplingPoint, url: str) -> bytes:
    """An A4 poster for one sampling point: the unit's name, the survey's title, the QR code, a line of help."""
    doc = gongwen.document()
    paragraph = doc._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    gongwen.set_font(paragraph.add_run(survey.campaign.unit.name), gongwen.HEI_FONT, size=Pt(22))
    doc.title(survey.title)
    picture = doc.docx.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(qr_png(url)), width=Mm(110))
    for text, size in ((_("请用手机扫描二维码参与问卷"), Pt(22)), (_("不记名 · 无需登录 · 约两分钟"), Pt(16)),
                       (_("抽样点：%(p)s") % {"p": point.name}, Pt(14))):
        line = doc._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.CENTER)
        gongwen.set_font(line.add_run(text), gongwen.BODY_FONT, size=size)
    line = doc._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    gongwen.set_font(line.add_run(url), gongwen.BODY_FONT, size=Pt(10))
    return doc.to_bytes()


class PosterFontMissing(RuntimeError):
    """No Chinese font to embed: the PDF poster cannot be made here (the Word poster still can)."""


def _qr_vector(pdf, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code drawn as filled rectangles (one per run of dark modules): sharp at any print size."""
    matrix = segno.make(url, error="m").matrix
    module = size / (len(matrix) + 4)  # a quiet zone of two modules each side
    pdf.set_fill_color(31, 41, 51)
    for row, cells in enumerate(matrix):
        column = 0
        while column < len(cells):
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < len(cells) and cells[column]:
                column += 1
            pdf.rect(x + (start + 2) * module, y + (row + 2) * module, (column - start) * module, module, style="F")


def poster_pdf(survey: Survey, point: SamplingPoint, url: str) -> bytes:
    """The same A4 poster as a PDF (fpdf2, the Noto CJK font embedded as a subset): unit, title, QR, sampling point."""
    from fpdf import FPDF

    regular = fonts.chinese_font(prefer=fonts.SANS_FIRST)
    bold = fonts.chinese_font(prefer=fonts.SANS_FIRST, bold=True) or regular
    if regular is None:
        raise PosterFontMissing(_("服务器未安装中文字体（fonts-noto-cjk），无法生成 PDF 海报，请下载 Word 海报。"))
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"{survey.title} · {point.name}")
    pdf.set_creator("Wenming")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.add_font("sc", "", regular[0], collection_font_number=regular[1])
    pdf.add_font("sc", "B", bold[0], collection_font_number=bold[1])
    pdf.set_fill_color(180, 35, 42)
    pdf.rect(0, 0, 210, 8, style="F")
    pdf.set_y(26)
    pdf.set_text_color(180, 35, 42)
    pdf.set_font("sc", "B", 24)
    pdf.multi_cell(0, 12, survey.campaign.unit.name, align="C")
    pdf.ln(4)
    pdf.set_text_color(31, 41, 51)
    pdf.set_font("sc", "B", 22)
    pdf.multi_cell(0, 11, survey.title, align="C")
    size = 120
    top = max(pdf.get_y() + 10, 80)
    _qr_vector(pdf, url, x=(210 - size) / 2, y=top, size=size)
    pdf.set_y(top + size + 8)
    for text, style, points, colour in (
        (_("请用手机扫描二维码参与问卷"), "B", 22, (31, 41, 51)),
        (_("不记名 · 无需登录 · 约两分钟"), "", 15, (102, 114, 127)),
        (_("抽样点：%(p)s") % {"p": point.name}, "", 15, (31, 41, 51)),
    ):
        pdf.set_text_color(*colour)
        pdf.set_font("sc", style, points)
        pdf.multi_cell(0, points * 0.55, text, align="C")
        pdf.ln(2)
    pdf.set_y(270)
    pdf.set_font("sc", "", 9)
    pdf.set_text_color(102, 114, 127)
    pdf.multi_cell(0, 5, url, align="C")
    pdf.set_fill_color(180, 35, 42)
    pdf.rect(0, 289, 210, 8, style="F")
    return bytes(pdf.output())


def bar_chart_png(title: str, rows: list[tuple[str, float]], *, unit: str = "%", maximum: float = 100) -> bytes | None:
    """A horizontal bar chart as PNG (Pillow), or None where no Chinese font is installed (the table carries it)."""
    from PIL import Image, ImageDraw

    font, small = fonts.pillow_font(28), fonts.pillow_font(22)
    if font is None or not rows:
        return None
    width, bar_h, gap, left = 1600, 40, 22, 560
    height = 90 + len(rows) * (bar_h + gap)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), title, fill=(31, 41, 51), font=font)
    top = 80
    span = width - left - 180
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_h + gap)
        text = label if len(label) <= 20 else label[:19] + "…"
        draw.text((20, y + 6), text, fill=(51, 65, 85), font=small)
        length = int(span * min(max(value, 0), maximum) / maximum) if maximum else 0
        draw.rectangle([left, y, left + max(length, 2), y + bar_h], fill=(31, 122, 67))
        draw.text((left + length + 12, y + 6), f"{value:g}{unit}", fill=(31, 41, 51), font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _picture(doc, png: bytes | None) -> None:
    if png:
        paragraph = doc.docx.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(150))


def report_docx(survey: Survey, results) -> bytes:
    """The result report in 公文 style: the sample, the rate with its formula, by group and point, per question."""
    doc = gongwen.document()
    unit = survey.campaign.unit.name
    doc.title(_("关于%(t)s结果的报告") % {"t": survey.title})
    doc.heading(1, _("一、基本情况"))
    doc.paragraph(_("%(u)s于%(d)s开展%(t)s。%(s)s") % {
        "u": unit, "d": gongwen.chinese_date(timezone.localdate()), "t": survey.title, "s": results.summary_text()})
    if results.rate is not None:
        doc.heading(1, _("二、%(m)s") % {"m": results.measure_label})
        doc.paragraph(results.formula + "。")
        doc.paragraph(_("经统计，本次%(m)s为 %(r)s%%。") % {"m": results.measure_label, "r": results.rate})
        if results.proposal_points is not None and survey.criterion_id:
            doc.paragraph(_("按测评细则第 %(c)s 项“%(title)s”（%(p)s 分），建议自查得分 %(s)s 分（%(m)s × 分值）。") % {
                "c": survey.criterion.code, "title": survey.criterion.title, "p": survey.criterion.points,
                "s": results.proposal_points, "m": results.measure_label})
        rows = [[row.label, row.sample, f"{row.rate}%" if row.rate is not None else "—"] for row in results.by_group]
        if rows:
            doc.table([_("受访者类别"), _("样本数"), results.measure_label], rows, caption=_("按受访者类别统计"))
        rows = [[row.label, row.sample, f"{row.rate}%" if row.rate is not None else "—"] for row in results.by_point]
        if rows:
            doc.table([_("抽样点"), _("样本数"), results.measure_label], rows, caption=_("按抽样点统计"))
            _picture(doc, bar_chart_png(_("各抽样点%(m)s") % {"m": results.measure_label},
                                        [(row.label, float(row.rate or 0)) for row in results.by_point]))
    doc.heading(1, _("三、各题统计"))
    rated = [(f"{item.number}. {item.question.text}", float(item.rate)) for item in results.questions
             if item.rate is not None]
    _picture(doc, bar_chart_png(_("各计分题%(m)s") % {"m": results.measure_label}, rated))
    for item in results.questions:
        question = item.question
        if question.kind in (Question.Kind.TEXT, Question.Kind.PHONE):
            if question.kind == Question.Kind.TEXT and item.texts:
                doc.paragraph(_("%(n)d. %(t)s（摘录）：") % {"n": item.number, "t": question.text})
                for text in item.texts[:10]:
                    doc.paragraph(f"——{text}")
            continue
        doc.table([_("选项"), _("人数"), _("比例")],
                  [[choice, count, f"{share}%" if share is not None else "—"] for choice, count, share, _k in item.rows],
                  caption=f"{item.number}. {question.text}"[:60])
    doc.signature(unit, timezone.localdate())
    return doc.to_bytes()


def answers_workbook(survey: Survey):
    """Every answer, one row per answer sheet: time, point, group, flags, excluded, then one column per question.
    Public answers carry no personal data; phone numbers are stored masked."""
    from wenming.surveys.selectors import questions_of

    questions = questions_of(survey)
    headers = [_("编号"), _("提交时间"), _("问卷版本"), _("抽样点"), _("受访者类别"), _("部门"), _("用时（秒）"),
               _("异常标记"), _("是否剔除"), _("剔除原因")] + [f"{n}. {q.text}"[:60] for n, q in enumerate(questions, 1)]
    groups = dict(Group.choices)
    flags = dict(Response.Flag.choices)
    keys = [q.key for q in questions]

    def rows():
        responses = (Response.objects.filter(survey=survey).select_related("point", "department", "questionnaire")
                     .order_by("id"))
        for start in range(0, responses.count(), 2000):
            chunk = list(responses[start:start + 2000])
            answers: dict[int, dict[str, list[str]]] = {}
            for response_id, key, choice, text in (Answer.objects.filter(response__in=[r.pk for r in chunk])
                                                   .order_by("id").values_list("response_id", "key", "choice", "text")):
                answers.setdefault(response_id, {}).setdefault(key, []).append(choice or text)
            for response in chunk:
                given = answers.get(response.pk, {})
                yield [response.pk, timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M:%S"),
                       response.questionnaire.number, response.point.name if response.point else "",
                       str(groups.get(response.group, response.group)),
                       response.department.name if response.department else "", response.seconds,
                       "、".join(str(flags.get(f, f)) for f in response.flags or []),
                       _("是") if response.excluded else _("否"), response.exclude_reason,
                       *["、".join(given.get(key, [])) for key in keys]]

    return build_workbook(_("原始答卷"), headers, rows(), widths=[8, 20, 8, 18, 12, 12, 10, 18, 8, 16],
                          note=_("%(t)s · 导出于 %(d)s") % {"t": survey.title,
                                                         "d": timezone.localtime().strftime("%Y-%m-%d %H:%M")})


def answers_xlsx_bytes(survey: Survey) -> bytes:
    buffer = io.BytesIO()
    answers_workbook(survey).save(buffer)
    return buffer.getvalue()
