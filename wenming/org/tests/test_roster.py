"""人员名册: the xlsx template, the all-or-nothing import with row-by-row Chinese errors, the export."""

import io

import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from wenming.audit.models import AuditEvent
from wenming.org.models import Department, User
from wenming.org.roles import Role
from wenming.org.roster import roster_import
from wenming.testing import PASSWORD, make_user

INITIAL = "Roster#2026a"
HEADER = ["账号", "姓名", "部门", "职务", "手机号", "电子邮箱"]


def xlsx(rows, *, title_rows=(), name="名册.xlsx", sheet_title="人员名册") -> SimpleUploadedFile:
    """A real workbook: optional title rows, then the given rows (the header is one of them)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in [*title_rows, *rows]:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def import_rows(cast, rows, *, password=INITIAL, **kwargs):
    return roster_import(actor=cast["admin"], unit=cast.unit, uploaded=xlsx(rows, **kwargs), initial_password=password)


def messages_of(result) -> list[str]:
    return [str(error) for error in result.errors]


def post_roster(client, upload, password=INITIAL):
    return client.post(reverse("org:roster_import"), {"file": upload, "initial_password": password})


# --- a good file -------------------------------------------------------------------------------------------


def test_admin_imports_a_roster_and_new_people_are_staff_who_must_change_password(cast):
    result = import_rows(cast, [
        HEADER,
        ["wangwu", "王五", "民一庭", "法官助理", "13912345678", "wangwu@example.cn"],
        ["zhaoliu", "赵六", "民二庭", "书记员", "", ""],
    ])

    assert result.ok, messages_of(result)
    assert (result.created, result.updated) == (2, 0)
    wangwu = User.objects.get(username="wangwu")
    assert wangwu.unit == cast.unit
    assert wangwu.department == cast.dept_a
    assert wangwu.real_name == "王五"
    assert wangwu.job_title == "法官助理"
    assert wangwu.email == "wangwu@example.cn"
    assert wangwu.must_change_password is True
    assert wangwu.role_set == {Role.STAFF}
    assert check_password(INITIAL, wangwu.password)
    assert User.objects.get(username="zhaoliu").department == cast.dept_b


def test_roster_department_is_matched_by_name_ignoring_case_and_spaces(cast):
    it_office = Department.objects.create(unit=cast.unit, name="IT科", order=9)

    result = import_rows(cast, [HEADER, ["lisi", "李四", "  it科 ", "", "", ""]])

    assert result.ok, messages_of(result)
    assert User.objects.get(username="lisi").department == it_office


def test_roster_keeps_full_width_brackets_in_names_and_matches_departments_written_either_way(cast):
    court = Department.objects.create(unit=cast.unit, name="立案庭（诉讼服务中心）", order=9)

    result = import_rows(cast, [
        HEADER,
        ["lisi", "李四（借调）", "立案庭（诉讼服务中心）", "审判员（四级）", "", ""],
        ["wangwu", "王五", "立案庭(诉讼服务中心)", "", "", ""],
    ])

    assert result.ok, messages_of(result)
    lisi = User.objects.get(username="lisi")
    assert (lisi.real_name, lisi.job_title, lisi.department) == ("李四（借调）", "审判员（四级）", court)
    assert User.objects.get(username="wangwu").department == court


@pytest.mark.parametrize(("written", "stored"), [
    ("１３８００１３８０００", "13800138000"),  # full-width digits, as typed with a Chinese IME
    ("138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    (13800138000, "13800138000"),  # the cell holds an Excel number, not text
    ("０１０-１２３４５６７８", "010-12345678"),  # a landline with area code
])
def test_roster_phone_is_normalised(cast, written, stored):
    result = import_rows(cast, [HEADER, ["lisi", "李四", "民一庭", "", written, ""]])

    assert result.ok, messages_of(result)
    assert User.objects.get(username="lisi").phone == stored


def test_roster_updates_existing_people_of_the_unit_instead_of_duplicating_them(cast):
    staff = cast["staff_a"]
    users_before = User.objects.count()

    result = import_rows(cast, [
        HEADER,
        [staff.username.upper(), "干警甲（改名）", "民二庭", "审判员", "13700000000", ""],
        ["newcomer", "新同事", "民一庭", "", "", ""],
    ])

    assert result.ok, messages_of(result)
    assert (result.created, result.updated) == (1, 1)
    assert User.objects.count() == users_before + 1
    staff.refresh_from_db()
    assert (staff.real_name, staff.department, staff.job_title, staff.phone) == (
        "干警甲（改名）", cast.dept_b, "审判员", "13700000000")
    assert staff.version == 2
    assert check_password(PASSWORD, staff.password), "an update never touches the password"
    assert staff.must_change_password is False


def test_roster_import_writes_one_audit_row_naming_created_and_updated_accounts(cast):
    import_rows(cast, [HEADER, [cast["staff_a"].username, "干警甲", "民一庭", "", "", ""],
                       ["newcomer", "新同事", "民一庭", "", "", ""]])

    event = AuditEvent.objects.get(verb="org.roster_imported")
    assert event.actor == cast["admin"]
    assert event.unit == cast.unit
    assert event.after["created"] == ["newcomer"]
    assert event.after["updated"] == [cast["staff_a"].username]
    assert event.after["file"] == "名册.xlsx"


def test_roster_with_a_title_row_above_the_header_and_blank_rows_still_imports(cast):
    result = import_rows(
        cast,
        [HEADER, ["wangwu", "王五", "民一庭", "", "", ""], [], [None, None, None], ["zhaoliu", "赵六", "民二庭", "", "", ""]],
        title_rows=[["某某市中级人民法院人员名册（2026年）"], []],
    )

    assert result.ok, messages_of(result)
    assert result.created == 2
    assert set(User.objects.filter(username__in=["wangwu", "zhaoliu"]).values_list("username", flat=True)) == {
        "wangwu", "zhaoliu"}


def test_roster_errors_count_rows_as_excel_does_after_title_and_blank_rows(cast):
    result = import_rows(
        cast,
        [HEADER, ["wangwu", "王五", "民一庭", "", "", ""], [], ["zhaoliu", "赵六", "不存在的庭", "", "", ""]],
        title_rows=[["人员名册"]],
    )

    assert [(error.row, error.column) for error in result.errors] == [(5, "部门")]


def test_roster_header_accepts_the_words_people_actually_write(cast):
    result = import_rows(cast, [
        ["序号", "用户名", "姓名", "所在部门", "手机", "备注"],
        [1, "wangwu", "王五", "民一庭", "13912345678", "新调入"],
    ])

    assert result.ok, messages_of(result)
    wangwu = User.objects.get(username="wangwu")
    assert (wangwu.department, wangwu.phone) == (cast.dept_a, "13912345678")


def test_roster_without_the_optional_columns_imports(cast):
    result = import_rows(cast, [["姓名", "账号", "部门"], ["王五", "wangwu", "民一庭"]])

    assert result.ok, messages_of(result)
    wangwu = User.objects.get(username="wangwu")
    assert (wangwu.real_name, wangwu.job_title, wangwu.phone, wangwu.email) == ("王五", "", "", "")


def test_roster_header_marks_and_notes_are_ignored(cast):
    result = import_rows(cast, [["账号*", "姓名 *", "部门（须与系统一致）", "手机号："], ["wangwu", "王五", "民一庭", ""]])

    assert result.ok, messages_of(result)


# --- errors name the row and the column, and nothing is saved -----------------------------------------------


BAD_ROWS = {
    "duplicate_account": (
        [HEADER, ["wangwu", "王五", "民一庭", "", "", ""], ["WangWu", "王五二", "民二庭", "", "", ""]],
        "第3行「账号」：账号“WangWu”与第2行重复。",
    ),
    "unknown_department": (
        [HEADER, ["wangwu", "王五", "民一庭", "", "", ""], ["zhaoliu", "赵六", "民三庭", "", "", ""]],
        "第3行「部门」：部门“民三庭”不存在",
    ),
    "bad_phone": (
        [HEADER, ["wangwu", "王五", "民一庭", "", "1234", ""]],
        "第2行「手机号」：手机号格式不正确：1234",
    ),
    "missing_name": (
        [HEADER, ["wangwu", "", "民一庭", "", "", ""]],
        "第2行「姓名」：姓名不能为空。",
    ),
    "account_of_another_unit": (
        [HEADER, ["p_outsider", "冒名者", "民一庭", "", "", ""]],
        "第2行「账号」：账号“p_outsider”已被其他单位使用，请换一个账号。",
    ),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_roster_row_error_names_row_and_column_in_chinese_and_saves_nothing(cast, case):
    rows, expected = BAD_ROWS[case]
    good_row = ["goodone", "好人", "民一庭", "", "", ""]
    users_before, staff_before = User.objects.count(), User.objects.get(pk=cast["staff_a"].pk)

    result = import_rows(cast, [rows[0], good_row, [cast["staff_a"].username, "改了名", "民二庭", "", "", ""], *rows[1:]])

    assert not result.ok
    shifted = expected.replace("第2行", "第4行", 1).replace("第3行", "第5行", 1)
    assert any(message.startswith(shifted) for message in messages_of(result)), messages_of(result)
    assert User.objects.count() == users_before
    assert not User.objects.filter(username="goodone").exists()
    assert User.objects.get(pk=cast["staff_a"].pk).real_name == staff_before.real_name
    assert not AuditEvent.objects.filter(verb="org.roster_imported").exists()


def test_roster_reports_every_bad_row_at_once_in_row_order(cast):
    result = import_rows(cast, [
        HEADER,
        ["a1", "", "民三庭", "", "12", ""],
        ["a2", "正常", "民一庭", "", "", ""],
        ["a1", "重复", "民一庭", "", "", ""],
    ])

    assert [(error.row, error.column) for error in result.errors] == [
        (2, "姓名"), (2, "部门"), (2, "手机号"), (4, "账号")]


def test_roster_refuses_a_weak_initial_password_and_saves_nothing(cast):
    users_before = User.objects.count()

    result = import_rows(cast, [HEADER, ["wangwu", "王五", "民一庭", "", "", ""]], password="abc12345")

    assert not result.ok
    [error] = result.errors
    assert error.column == "初始密码"
    assert "大写字母" in error.message and "特殊符号" in error.message
    assert User.objects.count() == users_before


def test_roster_that_only_updates_people_does_not_need_a_strong_initial_password(cast):
    result = import_rows(cast, [HEADER, [cast["staff_a"].username, "干警甲", "民二庭", "", "", ""]], password="x")

    assert result.ok, messages_of(result)
    assert result.updated == 1


def test_roster_refuses_an_old_excel_file_by_its_name(cast):
    upload = SimpleUploadedFile("名册.xls", b"\xd0\xcf\x11\xe0 not really xls")

    result = roster_import(actor=cast["admin"], unit=cast.unit, uploaded=upload, initial_password=INITIAL)

    assert messages_of(result) == ["不支持“名册.xls”的格式，请在 Excel 或 WPS 中另存为 .xlsx 后再上传（可先下载模板）。"]


def test_roster_refuses_a_file_that_is_not_a_workbook(cast):
    upload = SimpleUploadedFile("名册.xlsx", "账号,姓名,部门\nwangwu,王五,民一庭\n".encode())

    result = roster_import(actor=cast["admin"], unit=cast.unit, uploaded=upload, initial_password=INITIAL)

    assert messages_of(result) == ["无法读取该文件：它不是有效的 .xlsx 工作簿（可先下载模板，按模板填写）。"]


def test_roster_refuses_an_empty_upload(cast):
    upload = SimpleUploadedFile("名册.xlsx", b"")

    result = roster_import(actor=cast["admin"], unit=cast.unit, uploaded=upload, initial_password=INITIAL)

    assert messages_of(result) == ["上传的文件是空的。"]


def test_roster_refuses_a_workbook_with_a_header_but_no_people(cast):
    result = import_rows(cast, [HEADER, [], []])

    assert messages_of(result) == ["名册中没有人员数据。"]


def test_roster_refuses_a_workbook_without_the_header(cast):
    result = import_rows(cast, [["名单"], ["王五", "民一庭"], ["赵六", "民二庭"]])

    assert not result.ok
    [message] = messages_of(result)
    assert message.startswith("找不到表头：名册须有“账号、姓名、部门”这几列")


def test_roster_whole_file_errors_do_not_claim_a_row_zero(cast):
    result = import_rows(cast, [["名单"]])

    assert "第0行" not in messages_of(result)[0]


# --- the screen ---------------------------------------------------------------------------------------------


def test_admin_uploads_a_good_roster_and_is_sent_to_the_people_list(cast, client_for):
    upload = xlsx([HEADER, ["wangwu", "王五", "民一庭", "", "", ""]])

    response = post_roster(client_for(cast["admin"]), upload)

    assert response.status_code == 302
    assert response.url == reverse("org:people")
    assert User.objects.filter(username="wangwu", unit=cast.unit).exists()


@pytest.mark.parametrize("case", BAD_ROWS)
def test_import_screen_answers_400_with_the_chinese_error_and_saves_nothing(cast, client_for, case):
    rows, expected = BAD_ROWS[case]
    users_before = User.objects.count()

    response = post_roster(client_for(cast["admin"]), xlsx(rows))

    assert response.status_code == 400
    page = response.content.decode()
    assert "未导入任何人员" in page
    row, _, rest = expected.partition("「")
    column, _, message = rest.partition("」：")
    assert row in page and column in page
    assert message.split("“")[0] in page
    assert User.objects.count() == users_before


@pytest.mark.parametrize(("upload", "password", "expected"), [
    (lambda: xlsx([HEADER, ["wangwu", "王五", "民一庭", "", "", ""]]), "abc12345", "密码须同时包含大写字母"),
    (lambda: SimpleUploadedFile("名册.xls", b"old"), INITIAL, "另存为 .xlsx"),
    (lambda: SimpleUploadedFile("名册.xlsx", b"PK\x03\x04 broken"), INITIAL, "不是有效的 .xlsx 工作簿"),
    (lambda: xlsx([["名单"], ["王五"]]), INITIAL, "找不到表头"),
], ids=["weak-password", "xls", "not-a-workbook", "no-header"])
def test_import_screen_answers_400_for_file_level_errors(cast, client_for, upload, password, expected):
    users_before = User.objects.count()

    response = post_roster(client_for(cast["admin"]), upload(), password=password)

    assert response.status_code == 400
    assert expected in response.content.decode()
    assert User.objects.count() == users_before


def test_import_screen_refuses_an_empty_upload_in_chinese_and_saves_nothing(cast, client_for):
    users_before = User.objects.count()

    response = post_roster(client_for(cast["admin"]), SimpleUploadedFile("名册.xlsx", b""))

    assert "提交的是空文件。" in response.content.decode()
    assert User.objects.count() == users_before


def test_import_screen_answers_400_for_an_empty_upload(cast, client_for):
    response = post_roster(client_for(cast["admin"]), SimpleUploadedFile("名册.xlsx", b""))

    assert response.status_code == 400


def test_downloaded_template_filled_in_imports(cast, client_for):
    client = client_for(cast["admin"])
    response = client.get(reverse("org:roster_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    header_row = next(row for row in range(1, 5) if sheet.cell(row=row, column=1).value == "账号*")
    example_row = header_row + 1
    assert sheet.cell(row=example_row, column=1).value == "zhangsan", "the template shows one example row"
    for column, value in enumerate(["zhangsan", "张三", "民一庭", "审判员", "13800000000", "zs@example.cn"], start=1):
        sheet.cell(row=example_row, column=column, value=value)
    for column, value in enumerate(["lisi", "李四", "民二庭", "书记员", 13900000000, ""], start=1):
        sheet.cell(row=example_row + 1, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = post_roster(client, SimpleUploadedFile("人员名册导入模板.xlsx", buffer.getvalue()))

    assert response.status_code == 302, response.content.decode()
    assert User.objects.get(username="zhangsan").department == cast.dept_a
    assert User.objects.get(username="lisi").phone == "13900000000"


# --- export -------------------------------------------------------------------------------------------------


def test_export_lists_every_person_of_the_unit_and_nobody_else(cast, client_for):
    gone = make_user("p_gone", cast.unit, cast.dept_b, [Role.STAFF], "已调离")
    gone.is_active = False
    gone.save()

    response = client_for(cast["office"]).get(reverse("org:roster_export"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("账号", "姓名", "部门", "职务", "手机号", "电子邮箱")
    exported = {row[0]: row for row in rows[1:]}
    assert set(exported) == set(User.objects.filter(unit=cast.unit).values_list("username", flat=True))
    assert "p_outsider" not in exported and "p_evaluator" not in exported
    assert exported["p_staff_a"][1:3] == ("干警甲", "民一庭")
    assert exported["p_gone"][-1] == "停用"
    assert "创建办" in exported["p_office"][6]


def test_exporting_the_roster_writes_an_audit_row(cast, client_for):
    client_for(cast["admin"]).get(reverse("org:roster_export"))

    event = AuditEvent.objects.get(verb="org.roster_exported")
    assert event.actor == cast["admin"]
    assert event.unit == cast.unit
    assert event.after == {"count": User.objects.filter(unit=cast.unit).count()}


def test_exported_roster_imports_back_unchanged(cast, client_for):
    client = client_for(cast["admin"])
    exported = client.get(reverse("org:roster_export")).content
    users_before = User.objects.count()

    result = roster_import(actor=cast["admin"], unit=cast.unit, uploaded=SimpleUploadedFile("导出.xlsx", exported),
                           initial_password=INITIAL)

    assert result.ok, messages_of(result)
    assert result.created == 0
    assert User.objects.count() == users_before
