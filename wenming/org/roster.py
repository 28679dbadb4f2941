"""The staff roster (人员名册) as xlsx: the template, the import with row-by-row errors, the export."""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from wenming.core.trail import Origin, audit_record
from wenming.core.xlsx import (
    UnreadableWorkbook,
    build_workbook,
    cell_text,
    header_key,
    match_key,
    open_workbook,
)
from wenming.org.models import Department, RoleAssignment, Unit, User
from wenming.org.roles import Role
from wenming.org.validators import normalise_phone

# column key -> (header in the template, words people actually write in that header)
COLUMNS = {
    "username": ("账号", {"账号", "用户名", "登录名", "登录账号", "帐号", "工号"}),
    "real_name": ("姓名", {"姓名", "名字", "人员姓名"}),
    "department": ("部门", {"部门", "所在部门", "庭室", "庭室处队", "部门名称", "所属部门"}),
    "job_title": ("职务", {"职务", "职务职级", "岗位", "职级", "职称"}),
    "phone": ("手机号", {"手机号", "手机", "手机号码", "联系电话", "电话", "联系方式"}),
    "email": ("电子邮箱", {"电子邮箱", "邮箱", "email", "Email", "E-mail"}),
}
REQUIRED = ("username", "real_name", "department")
MAX_ROWS = 5000
TEMPLATE_NOTE = "人员名册导入模板：带 * 的列必填；部门须与系统中的部门名称一致；账号已存在的人员将按名册更新。"


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = (f"第{self.row}行" if self.row else "") + (f"「{self.column}」" if self.column else "")
        return f"{where}：{self.message}" if where else self.message


@dataclass
class RosterResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def roster_template():
    headers = [f"{COLUMNS[key][0]}*" if key in REQUIRED else COLUMNS[key][0] for key in COLUMNS]
    example = ["zhangsan", "张三", "立案庭", "审判员", "13800000000", ""]
    return build_workbook("人员名册", headers, [example], widths=[16, 12, 18, 16, 16, 24], note=TEMPLATE_NOTE)



def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    """The first row (of the first 10) in which the required columns are recognised."""
    for index, row in enumerate(rows[:10]):
        found: dict[str, int] = {}
        for position, value in enumerate(row):
            key = header_key(value)
            for column, (_label, synonyms) in COLUMNS.items():
                if column not in found and (key in synonyms or key.lower() in {s.lower() for s in synonyms}):
                    found[column] = position
        if all(column in found for column in REQUIRED):
            return index, found
    return None


def roster_parse(uploaded) -> tuple[RosterResult, list[dict]]:
    result = RosterResult()
    try:
        workbook = open_workbook(uploaded)
    except UnreadableWorkbook as error:
        result.errors.append(RowError(0, "", str(error)))
        return result, []
    sheet = None
    header = None
    for candidate in workbook.worksheets:
        rows = list(candidate.iter_rows(values_only=True, max_row=MAX_ROWS + 20))
        header = _find_header(rows)
        if header:
            sheet = candidate
            break
    if header is None:
        labels = "、".join(COLUMNS[key][0] for key in REQUIRED)
        result.errors.append(RowError(0, "", f"找不到表头：名册须有“{labels}”这几列（可先下载模板）。"))
        return result, []
    result.sheet = sheet.title
    header_index, positions = header
    records = []
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        values = {key: "" for key in COLUMNS}
        for key, pos in positions.items():
            if pos < len(row):
                values[key] = cell_text(row[pos])
        if not any(values.values()):
            continue
        values["row"] = offset
        records.append(values)
    if len(records) > MAX_ROWS:
        result.errors.append(RowError(0, "", f"一次最多导入 {MAX_ROWS} 人，此文件有 {len(records)} 行。"))
        return result, []
    if not records:
        result.errors.append(RowError(0, "", "名册中没有人员数据。"))
    return result, records


def roster_import(*, actor: User, unit: Unit, uploaded, initial_password: str, origin: Origin | None = None) -> RosterResult:
    """Validate every row; save all of them in one transaction, or none if any row is wrong."""
    result, records = roster_parse(uploaded)
    if result.errors:
        return result
    label = {key: COLUMNS[key][0] for key in COLUMNS}
    departments = {match_key(d.name): d for d in Department.objects.filter(unit=unit)}
    usernames = [r["username"] for r in records if r["username"]]
    existing = {
        u.username.lower(): u
        for u in User.objects.annotate(lower=Lower("username")).filter(lower__in=[name.lower() for name in usernames])
    }
    seen: dict[str, int] = {}
    to_create, to_update = [], []
    for record in records:
        row = record["row"]
        errors_before = len(result.errors)
        for key in REQUIRED:
            if not record[key]:
                result.errors.append(RowError(row, label[key], f"{label[key]}不能为空。"))
        username = record["username"]
        if username:
            if username.lower() in seen:
                result.errors.append(RowError(row, label["username"], f"账号“{username}”与第{seen[username.lower()]}行重复。"))
            else:
                seen[username.lower()] = row
        department = None
        if record["department"]:
            department = departments.get(match_key(record["department"]))
            if department is None:
                result.errors.append(RowError(row, label["department"], f"部门“{record['department']}”不存在，请先在部门管理中添加，或改为已有部门的名称。"))
        try:
            phone = normalise_phone(record["phone"])
        except ValidationError as error:
            result.errors.append(RowError(row, label["phone"], error.messages[0]))
            phone = ""
        person = existing.get(username.lower()) if username else None
        if person is not None and person.unit_id != unit.pk:
            result.errors.append(RowError(row, label["username"], f"账号“{username}”已被其他单位使用，请换一个账号。"))
            continue
        if len(result.errors) > errors_before:
            continue
        if person is None:
            person = User(unit=unit, username=username, must_change_password=True)
        before = {"real_name": person.real_name, "department_id": person.department_id}
        person.real_name, person.department, person.job_title = record["real_name"], department, record["job_title"]
        person.phone, person.email = phone, record["email"]
        try:
            person.full_clean(exclude=["password", "username"] if person.pk else ["password"], validate_unique=False)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                column = {"real_name": label["real_name"], "email": label["email"], "job_title": label["job_title"],
                          "username": label["username"]}.get(field_name, field_name)
                result.errors.append(RowError(row, column, "；".join(messages)))
            continue
        (to_update if person.pk else to_create).append((person, before))
    if to_create and not result.errors:
        try:
            validate_password(initial_password)
        except ValidationError as error:
            result.errors.append(RowError(0, "初始密码", "；".join(error.messages)))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    with transaction.atomic():
        hashed = make_password(initial_password) if to_create else ""
        for person, _before in to_create:
            person.password = hashed
        User.objects.bulk_create([person for person, _ in to_create])
        created = list(User.objects.filter(unit=unit, username__in=[p.username for p, _ in to_create]))
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=Role.STAFF) for user in created])
        for person, _before in to_update:
            person.version += 1
        User.objects.bulk_update([p for p, _ in to_update], ["real_name", "department", "job_title", "phone", "email", "version"])
        result.created, result.updated = len(to_create), len(to_update)
        audit_record(
            actor=actor, verb="org.roster_imported", unit=unit, origin=origin,
            after={"created": [p.username for p, _ in to_create], "updated": [p.username for p, _ in to_update],
                   "file": getattr(uploaded, "name", "")[:100]},
        )
    return result


def roster_export(people) -> "Workbook":  # noqa: F821 (openpyxl type in a string)
    headers = [COLUMNS[key][0] for key in COLUMNS] + ["角色", "状态"]
    rows = (
        [p.username, p.real_name, p.department.name if p.department else "", p.job_title, p.phone, p.email,
         "、".join(str(label) for label in p.role_labels), "在用" if p.is_active else "停用"]
        for p in people
    )
    return build_workbook("人员名册", headers, rows, widths=[16, 12, 18, 16, 16, 24, 24, 8])
