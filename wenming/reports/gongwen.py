"""公文 layout (GB/T 9704-2012) for Word documents, with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm); 22 lines of 28 characters;
body 三号 (16 pt) 仿宋_GB2312; title 二号 (22 pt) 方正小标宋简体, centred; headings 一、(黑体) （一）(楷体_GB2312)
1.(仿宋 bold); first-line indent of two characters; page numbers “— 1 —” in 四号 (14 pt) 宋体 under the text
area, odd pages on the right and even pages on the left, one character in from the edge; the issuing body
(发文机关署名) and date (成文日期, Arabic numerals) at the end on the right.

The fonts the standard names are often missing on a reader's machine; each is declared in the document's font
table with an alternative (`w:altName`) that Word and LibreOffice use instead: 仿宋_GB2312 → 仿宋 (FangSong),
方正小标宋简体 → 华文中宋 / 宋体, 楷体_GB2312 → 楷体 (KaiTi).

    doc = gongwen.document()
    doc.title("某某市人民法院2026年创建市级文明单位工作报告")
    doc.heading(1, "一、基本情况")
    doc.paragraph("……")
    doc.table(["部门", "任务数"], [["民一庭", 3]])
    doc.signature("某某市人民法院", date(2026, 11, 29))
    data = doc.to_bytes()
"""

import io
import re
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm, Pt

from wenming.core.text import printable

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# Each font the standard names, with what to use when the reader's machine lacks it.
FALLBACKS = {
    BODY_FONT: ("仿宋", "FangSong"),
    TITLE_FONT: ("华文中宋", "宋体"),
    KAI_FONT: ("楷体", "KaiTi"),
    HEI_FONT: ("SimHei",),
    PAGE_NUMBER_FONT: ("SimSun",),
}

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四
# 225 mm of text area over 22 lines = 28.95 pt a line (579 twips); 156 mm over 28 characters.
LINE_PITCH_TWIPS = 579
LINE_SPACING = Pt(LINE_PITCH_TWIPS / 20)
TITLE_LINE_SPACING = Pt(35)
TEXT_WIDTH = Mm(156)
CHARACTER_SPACING_TWENTIETHS = -5  # -0.25 pt
INDENT = Pt(32)  # two characters of 三号

LEVEL_FONTS = {1: (HEI_FONT, False), 2: (KAI_FONT, False), 3: (BODY_FONT, True)}


def set_font(run, east_asian: str, *, size=None, bold: bool | None = None, latin: str | None = None) -> None:
    """The East Asian font goes in `w:rFonts w:eastAsia` (python-docx's `font.name` sets only the Latin ones)."""
    run.font.name = latin or east_asian
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold


# Children of w:rPr that the schema puts after w:spacing (Word rejects elements out of order).
AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                 "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                 "w:specVanish", "w:oMath")


def _insert_in_order(parent, element, later_tags) -> None:
    for child in parent:
        if child.tag in {qn(tag) for tag in later_tags}:
            child.addprevious(element)
            return
    parent.append(element)


# Children of w:pPr that the schema puts after w:snapToGrid.
AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
              "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
              "w:rPr", "w:sectPr", "w:pPrChange")


def off_grid(paragraph) -> None:
    """Lines of their own height (the title, table cells) rather than snapped to the page's 22-line grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _insert_in_order(paragraph._p.get_or_add_pPr(), snap, AFTER_SNAP)


def chinese_date(day: date) -> str:
    """成文日期 in Arabic numerals, without leading zeros: 2026年11月29日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _width(text: str) -> float:
    """Width in characters of 三号: ASCII letters and digits are half-width."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


class GongwenDocument:
    """A Word document laid out as a 公文."""

    def __init__(self):
        self.docx = Document()
        self._tables = 0
        self._page_setup()
        self._styles()
        self._font_table()
        self._footers()

    # ------------------------------------------------------------------ set-up
    def _page_setup(self) -> None:
        section = self.docx.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance = Mm(15)
        # The page number sits 7 mm below the text area (35 mm from the bottom edge).
        section.footer_distance = Mm(22)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))

    def _styles(self) -> None:
        normal = self.docx.styles["Normal"]
        normal.font.name = LATIN_FONT
        normal.font.size = BODY_SIZE
        r_pr = normal.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            r_pr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), BODY_FONT)
        # 28 characters of 16 pt fill 448 pt but the text area is 442 pt wide: each character gives up 0.25 pt.
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CHARACTER_SPACING_TWENTIETHS))
        _insert_in_order(r_pr, spacing, AFTER_SPACING)
        # Chinese text: Word applies Chinese line-breaking and punctuation rules.
        r_pr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="zh-CN"/>'))
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_SPACING
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False
        # A table cell is not a paragraph of the text: single spacing, no indent.
        table_style = self.docx.styles["Table Grid"]
        table_style.font.size = TABLE_SIZE

    def _font_table(self) -> None:
        """Declare each standard font with its alternative, so a machine without it uses the next best."""
        part = next(rel.target_part for rel in self.docx.part.rels.values() if rel.reltype.endswith("/fontTable"))
        root = parse_xml(part.blob)
        known = {el.get(qn("w:name")) for el in root.findall(qn("w:font"))}
        for name, alternatives in FALLBACKS.items():
            if name in known:
                continue
            root.append(parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternatives[0]}"/>'
                f'<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'))
        from lxml import etree

        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _footers(self) -> None:
        """“— 1 —”: odd pages on the right, even pages on the left, one character in from the text edge."""
        self.docx.settings.odd_and_even_pages_header_footer = True
        section = self.docx.sections[0]
        self._page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    def _page_number(self, paragraph, alignment) -> None:
        paragraph.alignment = alignment
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = PAGE_NUMBER_SIZE
        else:
            fmt.left_indent = PAGE_NUMBER_SIZE

        def run(text=None):
            made = paragraph.add_run(printable(text))
            set_font(made, PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE, latin=PAGE_NUMBER_FONT)
            return made

        run("— ")
        begin = run()
        begin._element.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
        code = run()
        code._element.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
        separate = run()
        separate._element.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
        run("1")
        end = run()
        end._element.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
        run(" —")

    # ------------------------------------------------------------------ content
    def _paragraph(self, *, indent: bool = True, alignment=WD_ALIGN_PARAGRAPH.JUSTIFY):
        paragraph = self.docx.add_paragraph()
        paragraph.alignment = alignment
        paragraph.paragraph_format.first_line_indent = INDENT if indent else Pt(0)
        return paragraph

    def title(self, text: str) -> None:
        """标题: 二号小标宋, centred, over one or more lines (split on line breaks), then an empty line."""
        for line in [part.strip() for part in text.splitlines() if part.strip()] or [""]:
            paragraph = self._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.paragraph_format.line_spacing = TITLE_LINE_SPACING
            off_grid(paragraph)
            set_font(paragraph.add_run(printable(line)), TITLE_FONT, size=TITLE_SIZE)
        self.blank()

    def addressee(self, text: str) -> None:
        """主送机关: flush left, ending in a full-width colon."""
        text = text.strip().rstrip("：:")
        if text:
            paragraph = self._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.LEFT)
            set_font(paragraph.add_run(printable(f"{text}：")), BODY_FONT, size=BODY_SIZE)

    def heading(self, level: int, text: str, rest: str = "") -> None:
        """一级 黑体 “一、”, 二级 楷体 “（一）”, 三级 仿宋 bold “1.”; `rest` continues the paragraph in the body
        font (a heading that ends in “。” is often followed by its text in the same paragraph)."""
        font, bold = LEVEL_FONTS.get(level, LEVEL_FONTS[3])
        paragraph = self._paragraph()
        paragraph.paragraph_format.keep_with_next = not rest  # never the last line of a page
        set_font(paragraph.add_run(printable(text)), font, size=BODY_SIZE, bold=bold)
        if rest:
            set_font(paragraph.add_run(printable(rest)), BODY_FONT, size=BODY_SIZE, bold=False)

    def paragraph(self, text: str) -> None:
        """正文: 三号仿宋, first line indented two characters."""
        paragraph = self._paragraph()
        set_font(paragraph.add_run(printable(text)), BODY_FONT, size=BODY_SIZE)

    def blank(self) -> None:
        self._paragraph(indent=False)

    def table(self, headers: list[str], rows: list[list], *, caption: str = "") -> None:
        """A table over the text width: 小四仿宋, header row bold and repeated on every page."""
        if caption:
            self._tables += 1
            paragraph = self._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.paragraph_format.keep_with_next = True
            set_font(paragraph.add_run(printable(f"表{self._tables}　{caption}")), HEI_FONT, size=Pt(14))
        table = self.docx.add_table(rows=1, cols=len(headers))
        table.style = self.docx.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = self._column_widths(len(headers))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # w:gridCol, which LibreOffice follows
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for cell, text, width in zip(header.cells, headers, widths, strict=True):
            cell.width = width
            self._cell(cell, text, bold=True, center=True)
        for values in rows:
            cells = table.add_row().cells
            for index, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
                cell.width = width
                self._cell(cell, "" if value is None else str(value), center=index > 0)
        self._paragraph(indent=False)  # the text after a table starts on a fresh line

    @staticmethod
    def _column_widths(count: int) -> list:
        """The first column (a name) takes a quarter of the text width when there are three columns or more."""
        if count < 3:
            return [Emu(int(TEXT_WIDTH / count))] * count
        first = Emu(int(TEXT_WIDTH * 0.25))
        return [first] + [Emu(int((TEXT_WIDTH - first) / (count - 1)))] * (count - 1)

    def _cell(self, cell, text: str, *, bold: bool = False, center: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(20)
        off_grid(paragraph)
        set_font(paragraph.add_run(printable(text)), BODY_FONT, size=TABLE_SIZE, bold=bold)

    def signature(self, org: str, day: date) -> None:
        """发文机关署名 and 成文日期 at the end: the date four characters in from the right, the name centred over
        the date (GB/T 9704-2012 7.3.5.2), after two empty lines."""
        when = chinese_date(day)
        self.blank()
        self.blank()
        date_indent = 4
        org_indent = max(date_indent + (_width(when) - _width(org)) / 2, 0)
        for text, chars in ((org, org_indent), (when, date_indent)):
            paragraph = self._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * chars)
            set_font(paragraph.add_run(printable(text)), BODY_FONT, size=BODY_SIZE)

    # ------------------------------------------------------------------ output
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.docx.save(buffer)
        return buffer.getvalue()

    def save(self, path) -> None:
        self.docx.save(path)


def document() -> GongwenDocument:
    return GongwenDocument()


# ---------------------------------------------------------------------------------------------- outline
HEADING_PATTERNS = [
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.．、]")),
]


def heading_level(line: str) -> int:
    """0 for body text, else 1/2/3 from the line's numbering (“一、”, “（一）”, “1.”)."""
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(line):
            return level
    return 0


def split_heading(line: str) -> tuple[str, str]:
    """A heading line and what follows its first “。” in the same paragraph."""
    head, mark, rest = line.partition("。")
    if mark and rest.strip():
        return head + mark, rest.strip()
    return line, ""
