"""Tables out of the files people upload — .xlsx, .xls (Excel 97–2003) and Word (.docx) — read safely and the
same way whatever the format.

Every importer (standards, the task annex, volunteer hours, the staff roster) opens uploads here, so the limits
hold at every door: the size of the upload, the unpacked size and compression ratio of a zip package (declared
sizes are checked before anything is inflated; zipfile never inflates past a declared size), macros, the
sheet's declared dimension, rows, columns and time while reading. A refusal is an `UnreadableFile` whose text
is the Chinese message to show; nothing here raises anything else for a bad file.

A `Table` is rows of cell values (str, int, float, datetime or None), the merged ranges, and for a Word table the
paragraphs just above and below it (its title and closing note). `book_to_json` / `book_from_json` turn the
tables into plain JSON, which is what import drafts keep instead of the upload.
"""

import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from wenming.core.text import CONTROL_CHARACTERS

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 80 * 1024 * 1024
MAX_RATIO = 100  # inflated ÷ compressed, checked for parts bigger than RATIO_FLOOR
RATIO_FLOOR = 4 * 1024 * 1024
MAX_PARTS = 2000
MAX_ROWS = 60_000
MAX_COLUMNS = 200
MAX_TABLES = 300
READ_SECONDS = 20.0

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"')
MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')

Merge = tuple[int, int, int, int]  # (min_col, min_row, max_col, max_row), 1-based as Excel counts


class UnreadableFile(Exception):
    """The file cannot be read; str(error) is the message for the person who sent it (in Chinese)."""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _range(ref: str) -> Merge | None:
    match = re.fullmatch(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?", ref)
    if not match:
        return None
    min_col, min_row = _column_number(match.group(1)), int(match.group(2))
    max_col = _column_number(match.group(3)) if match.group(3) else min_col
    max_row = int(match.group(4)) if match.group(4) else min_row
    return min_col, min_row, max_col, max_row


# ---------------------------------------------------------------------------------------------- tables
@dataclass(eq=False)
class Table:
    """One sheet of a workbook or one table of a Word document."""

    name: str
    kind: str = "sheet"  # "sheet" or "table" (a Word table)
    index: int = 0
    before: list[str] = field(default_factory=list)  # paragraphs above a Word table, nearest last
    after: list[str] = field(default_factory=list)  # paragraphs below it, up to the next table
    rows: list[list] | None = None  # None while an xlsx sheet is still streamed
    _merges: list[Merge] | None = None
    _sheet: object = None
    _book: "Book | None" = None
    _dimension: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        if self.kind == "table":
            return f"表格{self.index + 1}" + (f"（{self.before[-1][:30]}）" if self.before else "")
        return f"工作表“{self.name}”"

    @property
    def merges(self) -> list[Merge]:
        if self._merges is None:
            self._merges = self._book._sheet_merges(self) if self._book is not None else []
        return self._merges

    def iter_rows(self, min_row: int = 1, max_row: int | None = None):
        """Rows as tuples from `min_row` (1-based), at most MAX_ROWS, at most MAX_COLUMNS wide."""
        if self.rows is not None:
            stop = len(self.rows) if max_row is None else min(max_row, len(self.rows))
            for index in range(min_row - 1, stop):
                yield tuple(self.rows[index])
            return
        deadline = time.monotonic() + READ_SECONDS
        number = min_row - 1
        try:
            for row in self._sheet.iter_rows(values_only=True, min_row=min_row, max_row=max_row):
                number += 1
                if number > MAX_ROWS:
                    raise UnreadableFile(f"{self.label}超过 {MAX_ROWS:,} 行，超出一次导入的上限，请拆分后再导入。")
                if not number % 2000 and time.monotonic() > deadline:
                    raise UnreadableFile("文件太大，读取超时，请拆分后再导入。")
                yield row if len(row) <= MAX_COLUMNS else row[:MAX_COLUMNS]
        except UnreadableFile:
            raise
        except Exception as error:  # openpyxl raises many kinds for a damaged sheet
            raise UnreadableFile(f"文件已损坏，读取{self.label}时出错。请在 Excel 或 WPS 中打开确认后另存再上传。") from error

    def head(self, count: int) -> list[tuple]:
        return list(self.iter_rows(max_row=count))

    def materialise(self) -> list[list]:
        if self.rows is None:
            self.rows = [list(row) for row in self.iter_rows()]
        return self.rows

    def preview(self, rows: int = 3) -> list[str]:
        """A few lines of the table as text, to tell tables apart on the screen."""
        lines = []
        for row in self.iter_rows(max_row=rows + 5):
            texts = [text_of(value) for value in row if text_of(value)]
            if texts:
                lines.append(" | ".join(texts)[:120])
            if len(lines) >= rows:
                break
        return lines


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if not (value.hour or value.minute) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return CONTROL_CHARACTERS.sub("", str(value)).strip()  # an import is an edge: no control character gets in


@dataclass(eq=False)
class Book:
    format: str  # "xlsx", "xls", "docx" or "json"
    tables: list[Table] = field(default_factory=list)
    _workbook: object = None
    _archive: zipfile.ZipFile | None = None

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def table(self, index: int) -> Table:
        return self.tables[index]

    def _sheet_merges(self, table: Table) -> list[Merge]:
        """Merged ranges from the sheet XML (openpyxl's read-only mode does not expose them). <mergeCells> follows
        the cell data, so only the part after </sheetData> is searched."""
        try:
            xml = self._archive.read(table._sheet._worksheet_path)
        except (AttributeError, KeyError, zipfile.BadZipFile, OSError):
            return []
        start = xml.rfind(b"sheetData>")
        if xml.find(b"mergeCell", max(start, 0)) < 0:
            return []
        merges = []
        for ref in MERGE_RE.findall(xml[max(start, 0):]):
            found = _range(ref.decode())
            if found and (found[3] > found[1] or found[2] > found[0]):
                merges.append(found)
        return merges


# ---------------------------------------------------------------------------------------------- opening
def sniff(data: bytes, filename: str = "") -> str:
    """'xlsx', 'xls' or 'docx', by content; otherwise UnreadableFile with the reason."""
    if not data:
        raise UnreadableFile("上传的文件是空的。")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(f"文件过大（{_mb(len(data))}，上限 {_mb(MAX_UPLOAD_BYTES)}），请拆分后再导入。")
    if data[:4] == ZIP_MAGIC:
        return "zip"
    if data[:8] == OLE_MAGIC:
        if "EncryptedPackage".encode("utf-16-le") in data[:1 << 20]:
            raise UnreadableFile("文件设置了打开密码，无法读取。请取消密码后另存再上传。")
        if "WordDocument".encode("utf-16-le") in data[:1 << 20]:
            raise UnreadableFile("这是旧版 Word（.doc）文件，请在 Word 或 WPS 中“另存为”.docx 后再上传。")
        return "xls"
    if filename.lower().endswith((".csv", ".txt")):
        raise UnreadableFile("不支持 CSV 或文本文件，请在 Excel 或 WPS 中另存为 .xlsx 后再上传。")
    raise UnreadableFile("无法读取该文件：它不是 Excel（.xlsx / .xls）或 Word（.docx）文件。")


def check_package(archive: zipfile.ZipFile) -> str:
    """'xlsx' or 'docx' for a zip package within the limits; refuses bombs and macros before inflating."""
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise UnreadableFile("文件内部结构异常（部件过多），已拒绝读取。")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(f"文件解压后达 {_mb(unpacked)}，超过上限 {_mb(MAX_UNPACKED_BYTES)}，"
                             "可能是异常文件，已拒绝读取。如确是正常表格，请拆分后再导入。")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableFile("文件压缩比异常（疑似“压缩炸弹”），已拒绝读取。")
    names = {info.filename for info in infos}
    lowered = {name.lower() for name in names}
    if any(name.endswith("vbaproject.bin") or "activex" in name for name in lowered):
        raise UnreadableFile("文件含有宏或控件（.xlsm / .docm），为安全起见不能导入。请另存为不含宏的 .xlsx 或 .docx 后再上传。")
    try:
        types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise UnreadableFile("文件已损坏，无法读取。") from error
    if b"macroEnabled" in types:
        raise UnreadableFile("文件含有宏（.xlsm / .docm），为安全起见不能导入。请另存为不含宏的 .xlsx 或 .docx 后再上传。")
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/workbook.bin" in names:
            raise UnreadableFile("这是二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx 后再上传。")
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    raise UnreadableFile("无法读取该文件：它不是 Excel（.xlsx）或 Word（.docx）文件。")


def _check_dimensions(archive: zipfile.ZipFile) -> None:
    """Each sheet declares its extent at the top of its XML: refuse a million rows before reading one."""
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        try:
            with archive.open(info) as stream:
                head = stream.read(4096)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as error:
            raise UnreadableFile("文件已损坏，无法读取。") from error
        match = DIMENSION_RE.search(head)
        if not match or not match.group(4):
            continue
        rows, columns = int(match.group(4)), _column_number(match.group(3).decode())
        if rows > MAX_ROWS:
            raise UnreadableFile(f"工作表有 {rows:,} 行，超过一次导入的上限 {MAX_ROWS:,} 行。请删除空行或拆分后再导入。")
        if columns > MAX_COLUMNS and rows * columns > MAX_ROWS * 20:
            raise UnreadableFile(f"工作表有 {columns:,} 列，超过上限 {MAX_COLUMNS} 列，请删除多余的列后再导入。")


def open_book(data: bytes, filename: str = "") -> Book:
    """Any supported upload → a Book of its tables, or UnreadableFile. Close it (or use `with`) when done."""
    kind = sniff(data, filename)
    if kind == "xls":
        return _open_xls(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnreadableFile("文件已损坏或不完整，无法读取。请在 Excel、WPS 或 Word 中打开确认后另存再上传。") from error
    kind = check_package(archive)
    if kind == "docx":
        return _open_docx(archive)
    _check_dimensions(archive)
    return _open_xlsx(data, archive)


def _open_xlsx(data: bytes, archive: zipfile.ZipFile) -> Book:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for damaged packages
        raise UnreadableFile("文件已损坏或不是有效的 .xlsx 工作簿，无法读取。请在 Excel 或 WPS 中打开确认后另存为 .xlsx 再上传。") from error
    book = Book("xlsx", _workbook=workbook, _archive=workbook._archive if hasattr(workbook, "_archive") else archive)
    for index, sheet in enumerate(workbook.worksheets):
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            continue
        book.tables.append(Table(name=sheet.title, kind="sheet", index=index, _sheet=sheet, _book=book))
    return book


def _open_xls(data: bytes) -> Book:
    import xlrd

    try:
        workbook = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as error:  # xlrd raises XLRDError, struct.error, AssertionError … for damaged files
        raise UnreadableFile("文件已损坏或不是有效的 .xls 工作簿，无法读取。请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传。") from error
    book = Book("xls")
    deadline = time.monotonic() + READ_SECONDS
    try:
        for index in range(min(workbook.nsheets, MAX_TABLES)):
            sheet = workbook.sheet_by_index(index)
            if sheet.nrows > MAX_ROWS:
                raise UnreadableFile(f"工作表“{sheet.name}”有 {sheet.nrows:,} 行，超过一次导入的上限 {MAX_ROWS:,} 行。")
            width = min(sheet.ncols, MAX_COLUMNS)
            rows = []
            for number in range(sheet.nrows):
                values = []
                for column, (kind, value) in enumerate(zip(sheet.row_types(number, 0, width),
                                                           sheet.row_values(number, 0, width), strict=True)):
                    del column
                    if kind == xlrd.XL_CELL_EMPTY or kind == xlrd.XL_CELL_BLANK or value == "":
                        values.append(None)
                    elif kind == xlrd.XL_CELL_DATE:
                        try:
                            values.append(xlrd.xldate_as_datetime(value, workbook.datemode))
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            values.append(value)
                    elif kind == xlrd.XL_CELL_BOOLEAN:
                        values.append(bool(value))
                    elif kind == xlrd.XL_CELL_ERROR:
                        values.append(None)
                    else:
                        values.append(value)
                rows.append(values)
                if time.monotonic() > deadline:
                    raise UnreadableFile("文件太大，读取超时，请拆分后再导入。")
            merges = [(clo + 1, rlo + 1, chi, rhi) for rlo, rhi, clo, chi in sheet.merged_cells
                      if rhi - rlo > 1 or chi - clo > 1]
            book.tables.append(Table(name=sheet.name, kind="sheet", index=index, rows=rows, _merges=merges))
            workbook.unload_sheet(index)
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile("文件已损坏，读取 .xls 工作表时出错。请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传。") from error
    finally:
        workbook.release_resources()
    return book


# ---------------------------------------------------------------------------------------------- Word
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        tag = node.tag
        if tag == f"{W}t":
            parts.append(node.text or "")
        elif tag == f"{W}tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(cell) -> str:
    lines = [_paragraph_text(p) for p in cell.iter(f"{W}p")]
    return "\n".join(line for line in lines if line.strip()).strip()


def _word_table(element, index: int, before: list[str]) -> Table:
    """A w:tbl as rows on the grid: a cell spanning columns (gridSpan) or rows (vMerge) keeps its text in its
    first grid cell and is recorded as a merged range, as Excel would."""
    rows: list[list] = []
    merges: list[list[int]] = []
    open_vertical: dict[int, list[int]] = {}  # grid column → the merge being extended downwards
    for number, tr in enumerate(element.iterchildren(f"{W}tr"), start=1):
        if number > MAX_ROWS:
            raise UnreadableFile(f"Word 表格{index + 1}超过 {MAX_ROWS:,} 行，超出一次导入的上限。")
        values: list = []
        column = 0
        properties = tr.find(f"{W}trPr")
        if properties is not None:
            skipped = properties.find(f"{W}gridBefore")
            if skipped is not None:
                column = int(skipped.get(f"{W}val") or 0)
                values.extend([None] * column)
        seen_columns = set()
        for tc in tr.iterchildren(f"{W}tc"):
            span, vmerge = 1, None
            tc_properties = tc.find(f"{W}tcPr")
            if tc_properties is not None:
                grid_span = tc_properties.find(f"{W}gridSpan")
                if grid_span is not None:
                    span = max(1, min(int(grid_span.get(f"{W}val") or 1), MAX_COLUMNS))
                merge = tc_properties.find(f"{W}vMerge")
                if merge is not None:
                    vmerge = merge.get(f"{W}val") or "continue"
            if column + span > MAX_COLUMNS:
                break
            if vmerge == "continue" and column in open_vertical:
                values.extend([None] * span)
                open_vertical[column][3] = number
            else:
                values.append(_cell_text(tc) or None)
                values.extend([None] * (span - 1))
                if span > 1 or vmerge == "restart":
                    found = [column + 1, number, column + span, number]
                    merges.append(found)
                    if vmerge == "restart":
                        open_vertical[column] = found
                    else:
                        open_vertical.pop(column, None)
                else:
                    open_vertical.pop(column, None)
            seen_columns.add(column)
            column += span
        for stale in [c for c in open_vertical if c not in seen_columns]:
            open_vertical.pop(stale)
        rows.append(values)
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        row.extend([None] * (width - len(row)))
    ranges = [tuple(m) for m in merges if m[3] > m[1] or m[2] > m[0]]
    return Table(name=f"表格{index + 1}", kind="table", index=index, rows=rows, _merges=ranges,
                 before=before[-3:])


def _open_docx(archive: zipfile.ZipFile) -> Book:
    from lxml import etree

    try:
        xml = archive.read("word/document.xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser)
    except Exception as error:
        raise UnreadableFile("文件已损坏或不是有效的 .docx 文档，无法读取。请在 Word 或 WPS 中打开确认后另存再上传。") from error
    body = root.find(f"{W}body")
    book = Book("docx")
    if body is None:
        return book
    paragraphs: list[str] = []
    deadline = time.monotonic() + READ_SECONDS
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            text = _paragraph_text(child).strip()
            if text:
                paragraphs.append(text)
                if book.tables and len(book.tables[-1].after) < 8:
                    book.tables[-1].after.append(text)
        elif child.tag == f"{W}tbl":
            if len(book.tables) >= MAX_TABLES:
                raise UnreadableFile(f"文档中的表格超过 {MAX_TABLES} 个，已拒绝读取。")
            book.tables.append(_word_table(child, len(book.tables), paragraphs[-3:]))
            paragraphs = []
            if time.monotonic() > deadline:
                raise UnreadableFile("文件太大，读取超时，请拆分后再导入。")
    return book


# ---------------------------------------------------------------------------------------------- drafts
def json_value(value):
    """A cell value as JSON keeps it: text, numbers, booleans, None; a date as YYYY-MM-DD."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime | date):
        return text_of(value)
    return str(value)


def book_to_json(book: Book) -> dict:
    """The tables as plain JSON (what an import draft keeps instead of the upload). Reads every row."""
    tables = []
    for table in book.tables:
        rows = []
        for row in table.iter_rows():
            values = [json_value(value) for value in row]
            while values and values[-1] in (None, ""):
                values.pop()
            rows.append(values)
        while rows and not rows[-1]:
            rows.pop()
        tables.append({"name": table.name, "kind": table.kind, "index": table.index, "rows": rows,
                       "merges": [list(m) for m in table.merges], "before": table.before, "after": table.after})
    return {"format": book.format, "tables": tables}


def book_from_json(data: dict) -> Book:
    book = Book(data.get("format") or "json")
    for item in data.get("tables") or []:
        rows = item.get("rows") or []
        width = max((len(row) for row in rows), default=0)
        book.tables.append(Table(
            name=item.get("name") or "", kind=item.get("kind") or "sheet", index=item.get("index") or 0,
            rows=[list(row) + [None] * (width - len(row)) for row in rows],
            _merges=[tuple(m) for m in item.get("merges") or []],
            before=list(item.get("before") or []), after=list(item.get("after") or []),
        ))
    return book


def read_upload(uploaded, *, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of an uploaded file, refusing one over `limit` without reading it all into memory first."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise UnreadableFile(f"文件过大（{_mb(size)}，上限 {_mb(limit)}），请拆分后再导入。")
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile(f"文件过大（超过 {_mb(limit)}），请拆分后再导入。")
    return data


def table_signature(table: Table) -> str:
    """The header's texts (the first row with three or more filled cells), to recognise files of the same shape."""
    for row in table.iter_rows(max_row=15):
        texts = [re.sub(r"\s+", "", text_of(value)) for value in row]
        if sum(1 for text in texts if text) >= 3:
            return "|".join(texts).strip("|")[:500]
    return ""


def check_upload(data: bytes, filename: str = "") -> str:
    """'xlsx', 'xls' or 'docx' for an upload within every limit (size, package, macros, declared dimensions),
    without reading its cells; UnreadableFile otherwise. For importers that open the file themselves."""
    kind = sniff(data, filename)
    if kind == "xls":
        return kind
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnreadableFile("文件已损坏或不完整，无法读取。请在 Excel、WPS 或 Word 中打开确认后另存再上传。") from error
    kind = check_package(archive)
    if kind == "xlsx":
        _check_dimensions(archive)
    return kind
