"""Hostile uploads built by the tests themselves (no files checked in): a zip bomb renamed .xlsx, a macro
workbook, a broken file. Every importer must refuse them within a second, in Chinese, without a 500."""

import functools
import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{extra}</Types>"
)
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="测评细则" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>')
VARIED_ROW = '<row><c t="inlineStr"><is><t>第{n}条：开展活动{m}次</t></is></c><c><v>{m}</v></c></row>'
SHEET_TAIL = "</sheetData></worksheet>"
ROW = ('<row><c t="inlineStr"><is><t>测评内容：按要求开展工作并留存材料</t></is></c><c t="inlineStr"><is><t>查阅资料</t></is></c>'
       '<c><v>1</v></c></row>')


def _package(sheet_rows: int, *, dimension: bool, main: str = XLSX_MAIN, extra_parts: dict | None = None,
             extra_types: str = "", declared_rows: int | None = None, varied: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main, extra=extra_types))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            declared = f'<dimension ref="A1:C{declared_rows or sheet_rows}"/>' if dimension else ""
            sheet.write(SHEET_HEAD.format(dimension=declared).encode())
            if varied:  # every row its own text, compressing like a real sheet
                for start in range(0, sheet_rows, 10_000):
                    sheet.write("".join(VARIED_ROW.format(n=n, m=n * 7919 % 100_003)
                                        for n in range(start, min(start + 10_000, sheet_rows))).encode())
            else:
                chunk = (ROW * 10_000).encode()
                for _ in range(sheet_rows // 10_000):
                    sheet.write(chunk)
                sheet.write((ROW * (sheet_rows % 10_000)).encode())
            sheet.write(SHEET_TAIL.encode())
    return buffer.getvalue()


@functools.cache
def zip_bomb(rows: int = 1_000_000, *, dimension: bool = True) -> bytes:
    """A million rows: ~160 MB of sheet XML from about 1 MB, named .xlsx (built once per test process). With `dimension=False` the sheet
    does not declare its size, so only the package's declared unpacked size and ratio give it away."""
    return _package(rows, dimension=dimension)


def macro_workbook() -> bytes:
    """An .xlsm's content (a VBA project inside), renamed .xlsx."""
    return _package(3, dimension=True, main=XLSM_MAIN, extra_parts={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512},
                    extra_types='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>')


def broken_workbook() -> bytes:
    """A real workbook cut in half, as an interrupted download leaves it."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["测评项目", "测评内容", "分值"])
    workbook.active.append(["组织领导", "成立领导小组", 10])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    return data[: len(data) // 2]


HOSTILE = {
    "zip bomb": lambda: zip_bomb(),
    "zip bomb without dimension": lambda: zip_bomb(dimension=False),
    "macro workbook": macro_workbook,
    "broken file": broken_workbook,
}
