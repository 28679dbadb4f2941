"""Reading exports of the volunteer systems (志愿汇, 全国志愿服务信息系统): xlsx or csv (UTF-8 or GBK).

Headers vary between systems and versions, so columns are found by a list of names for each; people are matched
to the unit's staff by mobile number first, then by a name that is unique within the unit. Every row ends up either
good (ready to import) or bad, with its row number and the reason.
"""

import csv
import io
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wenming.core.tables import UnreadableFile, json_value, open_book
from wenming.core.xlsx import cell_text, header_key, match_key

COLUMNS = {
    "name": ("姓名", "志愿者姓名", "真实姓名", "志愿者"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "证件号", "身份证"),
    "phone": ("手机号", "手机号码", "联系电话", "手机", "电话", "联系方式"),
    "hours": ("服务时长", "志愿服务时长", "时长", "服务小时数", "志愿时长", "小时数", "记录时长"),
    "activity": ("活动名称", "项目名称", "服务项目", "活动", "项目"),
    "date": ("服务日期", "活动日期", "日期", "服务时间", "参与日期", "开始时间"),
}
REQUIRED = ("name", "hours", "date")
MAX_ROWS = 20000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
EXCEL_EPOCH = date(1899, 12, 30)


@dataclass
class GoodRow:
    row: int
    person_id: int
    person_name: str
    department: str
    hours: Decimal
    served_on: date
    activity_name: str
    matched_by: str


@dataclass
class BadRow:
    row: int
    name: str
    reason: str


@dataclass
class Preview:
    good: list[GoodRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)

    @property
    def total_hours(self) -> Decimal:
        return sum((row.hours for row in self.good), Decimal(0))


def _digits(value) -> str:
    return re.sub(r"\D", "", cell_text(value))


def _phone(value) -> str:
    digits = _digits(value)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


MAX_COLUMNS = 60  # a volunteer export has a dozen columns; more is not one of them
CSV_SECONDS = 1.0


def _csv_rows(text: str) -> list[list]:
    """A CSV's rows within the same limits as a workbook's: rows, columns (cells beyond are dropped) and time."""
    rows, deadline = [], time.monotonic() + CSV_SECONDS
    try:
        for row in csv.reader(io.StringIO(text)):
            if len(rows) >= MAX_ROWS + 20:
                raise ValidationError(_("一次最多导入 %(n)d 行，请分批上传。") % {"n": MAX_ROWS})
            if len(row) > MAX_COLUMNS:
                raise ValidationError(_("第 %(row)d 行有 %(n)d 列，超过 %(max)d 列，这不是志愿服务时长的导出文件。")
                                      % {"row": len(rows) + 1, "n": len(row), "max": MAX_COLUMNS})
            rows.append(row)
            if time.monotonic() > deadline:
                raise ValidationError(_("文件太大，读取超时，请拆分后再导入。"))
    except csv.Error:
        raise ValidationError(_("CSV 文件格式有误（第 %(row)d 行），请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传。")
                              % {"row": len(rows) + 1}) from None
    return rows


def read_rows(content: bytes, filename: str) -> list[list]:
    """The upload's first table as plain JSON rows (text, numbers; dates as YYYY-MM-DD): what a draft keeps instead
    of the upload. Every limit (size, package, rows, columns, time) holds before a cell is read or while reading."""
    if not content:
        raise ValidationError(_("上传的文件是空的。"))
    if filename.lower().endswith(".csv"):
        if len(content) > MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件超过 10 MB，请按月份分批导出后再导入。"))
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 .xlsx 后再上传。"))
        return _csv_rows(text)
    if filename.lower().endswith(".et"):
        raise ValidationError(_("不支持“%(name)s”的格式，请另存为 .xlsx 或 .csv 后再上传。") % {"name": filename})
    try:  # the limits against hostile files (zip bombs, macros, a million rows) hold in open_book
        with open_book(content, filename) as book:
            if book.format == "docx" or not book.tables:
                raise ValidationError(_("无法读取该文件：它不是有效的 .xlsx 工作簿或 CSV 文件。"))
            return [[json_value(value) for value in row[:MAX_COLUMNS]]
                    for row in book.tables[0].iter_rows(max_row=MAX_ROWS + 20)]
    except UnreadableFile as error:
        raise ValidationError(str(error)) from None


def _find_header(rows) -> tuple[int, dict[str, int]]:
    names = {key: {header_key(n) for n in options} for key, options in COLUMNS.items()}
    for index, row in enumerate(rows[:15]):
        found: dict[str, int] = {}
        for column, cell in enumerate(row):
            key = header_key(cell)
            for field_name, options in names.items():
                if field_name not in found and key in options:
                    found[field_name] = column
        if all(name in found for name in REQUIRED):
            return index, found
    raise ValidationError(_("没有找到表头：需要“姓名”“服务时长”“服务日期”三列（可带手机号或证件号码、活动名称）。"))


def parse_hours(value) -> Decimal | None:
    text = cell_text(value).replace("小时", "").replace("h", "").strip()
    try:
        hours = Decimal(text).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return hours if Decimal(0) < hours <= Decimal(24) else None


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:
        return EXCEL_EPOCH + timedelta(days=int(value))
    text = cell_text(value)
    match = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text)
    if not match:
        match = re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _people(unit_id: int):
    from wenming.org.models import User

    people = list(User.objects.filter(unit_id=unit_id).business_people().select_related("department")
                  .only("id", "real_name", "phone", "department__name"))
    by_phone = {_phone(p.phone): p for p in people if _phone(p.phone)}
    by_name: dict[str, list] = {}
    for person in people:
        by_name.setdefault(match_key(person.real_name), []).append(person)
    return by_phone, by_name


def parse(content: bytes, filename: str, *, unit_id: int, campaign_id: int | None = None) -> Preview:
    """Read and check every row; raise ValidationError only when the file as a whole cannot be read."""
    return check_rows(read_rows(content, filename), unit_id=unit_id, campaign_id=campaign_id)


def check_rows(rows: list[list], *, unit_id: int, campaign_id: int | None = None) -> Preview:
    """Check rows as `read_rows` gives them (or a draft keeps them) against the unit's people and what is saved."""
    from wenming.activities.models import VolunteerRecord

    header_index, columns = _find_header(rows)
    by_phone, by_name = _people(unit_id)
    existing = set()
    if campaign_id:
        existing = set(VolunteerRecord.objects.filter(campaign_id=campaign_id)
                       .values_list("person_id", "served_on", "activity_name"))
    preview = Preview()
    seen = set()

    def cell(row, key):
        column = columns.get(key)
        return row[column] if column is not None and column < len(row) else None

    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        if not any(cell_text(v) for v in row):
            continue
        if len(preview.good) + len(preview.bad) >= MAX_ROWS:
            raise ValidationError(_("一次最多导入 %(n)d 行，请分批上传。") % {"n": MAX_ROWS})
        name = cell_text(cell(row, "name"))
        phone = _phone(cell(row, "phone"))
        person, matched_by, reason = None, "", ""
        if phone and phone in by_phone:
            person, matched_by = by_phone[phone], _("手机号")
        elif not name:
            reason = _("姓名为空")
        else:
            candidates = by_name.get(match_key(name), [])
            if len(candidates) == 1:
                person, matched_by = candidates[0], _("姓名")
            elif len(candidates) > 1:
                reason = _("本单位有 %(n)d 人叫“%(name)s”，请在志愿系统中补全手机号后再导入") % {
                    "n": len(candidates), "name": name}
            else:
                reason = _("本单位人员中没有“%(name)s”") % {"name": name}
        hours = parse_hours(cell(row, "hours"))
        served_on = parse_date(cell(row, "date"))
        if not reason and hours is None:
            reason = _("服务时长“%(v)s”不是 0 到 24 之间的数字") % {"v": cell_text(cell(row, "hours"))}
        if not reason and served_on is None:
            reason = _("服务日期“%(v)s”无法识别（应如 2021-03-05）") % {"v": cell_text(cell(row, "date"))}
        activity_name = cell_text(cell(row, "activity"))[:200]
        if not reason:
            key = (person.pk, served_on, activity_name)
            if key in existing:
                reason = _("这条记录已导入过")
            elif key in seen:
                reason = _("与本文件中前面的一行重复")
            seen.add(key)
        if reason:
            preview.bad.append(BadRow(row=offset, name=name, reason=reason))
            continue
        preview.good.append(GoodRow(
            row=offset, person_id=person.pk, person_name=person.real_name,
            department=person.department.name if person.department_id else "", hours=hours, served_on=served_on,
            activity_name=activity_name, matched_by=matched_by,
        ))
    return preview
