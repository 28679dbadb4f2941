"""The 公文 layout (GB/T 9704-2012), checked in the saved .docx."""

from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from wenming.reports import gongwen


def east_asian(run) -> str:
    return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def saved(tmp_path):
    doc = gongwen.document()
    doc.title("测试市中级人民法院\n关于2026年创建市级文明单位工作情况的报告")
    doc.addressee("市文明办")
    doc.heading(1, "一、基本情况")
    doc.heading(2, "（一）加强组织领导。", "院党组高度重视。")
    doc.heading(3, "1.成立领导小组。")
    doc.paragraph("今年以来，我院扎实推进精神文明创建工作。")
    doc.table(["牵头部门", "任务数"], [["民一庭", 3], ["民二庭", None]], caption="各部门任务完成情况")
    doc.signature("测试市中级人民法院", date(2026, 11, 29))
    path = tmp_path / "报告.docx"
    doc.save(path)
    return Document(path)


def by_text(document, text):
    return next(p for p in document.paragraphs if p.text.startswith(text))


def test_page_is_a4_with_the_standard_margins(tmp_path):
    section = saved(tmp_path).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]


def test_fonts_sizes_and_fixed_line_spacing(tmp_path):
    document = saved(tmp_path)
    normal = document.styles["Normal"]
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= normal.paragraph_format.line_spacing.pt <= 30
    title = by_text(document, "测试市中级人民法院")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asian(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    assert by_text(document, "市文明办").text == "市文明办："
    level1, level2, level3 = (by_text(document, t) for t in ("一、", "（一）", "1."))
    assert east_asian(level1.runs[0]) == "黑体"
    assert east_asian(level2.runs[0]) == "楷体_GB2312" and east_asian(level2.runs[1]) == "仿宋_GB2312"
    assert level2.text == "（一）加强组织领导。院党组高度重视。"
    assert east_asian(level3.runs[0]) == "仿宋_GB2312" and level3.runs[0].font.bold
    body = by_text(document, "今年以来")
    assert body.paragraph_format.first_line_indent == Pt(32) and body.runs[0].font.size == Pt(16)


def test_fallback_fonts_are_declared(tmp_path):
    document = saved(tmp_path)
    part = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = part.blob.decode()
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in xml
    assert 'w:name="方正小标宋简体"><w:altName w:val="华文中宋"/>' in xml


def test_page_numbers_are_a_page_field_between_em_dashes_right_on_odd_left_on_even(tmp_path):
    document = saved(tmp_path)
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert paragraph.alignment == alignment
        assert 'w:fldCharType="begin"' in xml and "> PAGE </w:instrText>" in xml and 'w:fldCharType="end"' in xml
        assert paragraph.text == "— 1 —"
        assert east_asian(paragraph.runs[0]) == "宋体" and paragraph.runs[0].font.size == Pt(14)


def test_table_and_signature(tmp_path):
    document = saved(tmp_path)
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["牵头部门", "任务数"]
    assert [c.text for c in table.rows[2].cells] == ["民二庭", ""]
    assert by_text(document, "表1").text == "表1　各部门任务完成情况"
    org, when = document.paragraphs[-2], document.paragraphs[-1]
    assert (org.text, when.text) == ("测试市中级人民法院", "2026年11月29日")
    assert org.alignment == when.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert when.paragraph_format.right_indent == Pt(64)


def test_outline_is_read_from_the_numbering():
    assert [gongwen.heading_level(t) for t in ("一、基本情况", "（二）做法", "3.成效", "今年以来")] == [1, 2, 3, 0]
    assert gongwen.split_heading("（一）加强组织领导。院党组高度重视。") == ("（一）加强组织领导。", "院党组高度重视。")
    assert gongwen.chinese_date(date(2026, 1, 5)) == "2026年1月5日"
