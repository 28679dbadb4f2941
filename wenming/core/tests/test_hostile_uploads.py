"""Issue 19.3 / 16: a zip bomb renamed .xlsx, a macro workbook and a broken file are refused by every importer —
standards (screen, API, command line), the task annex (screen, command line), volunteer hours and the staff
roster — within a second, in Chinese, without a 500, without holding memory, and nothing is stored."""

import time
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from wenming.activities import volunteers
from wenming.campaigns.annex import annex_tables
from wenming.core.tables import (
    MAX_ROWS,
    UnreadableFile,
    book_from_json,
    book_to_json,
    check_upload,
    open_book,
)
from wenming.core.tests.hostile import HOSTILE, _package, zip_bomb
from wenming.org.roster import roster_parse
from wenming.standards.services import read_tables

KINDS = list(HOSTILE)
CHINESE = ("解压后", "压缩比", "含有宏", "已损坏", "行，超过", "不是有效的 .xlsx")


def refused_quickly(call, *, memory: bool = True):
    """Run `call`; it must finish within a second and, when `memory`, allocate little (the bomb is never inflated).
    Memory is traced around the reading only: tracing a whole request would slow it tenfold."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = call()
    finally:
        elapsed = time.perf_counter() - started
        if memory:
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    if memory:
        assert peak < 30 * 1024 * 1024, f"held {peak / 1024 / 1024:.0f} MB"
    return outcome


def post_refused(client, url, data):
    """A request's time is the reading plus the page; on a loaded test machine allow the page a little more.
    A first request with an empty file warms the process (imports, templates) and is not timed."""
    client.post(url, {**data, "file": SimpleUploadedFile("empty.xlsx", b"")})
    started = time.perf_counter()
    response = client.post(url, data)
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0, f"took {elapsed:.2f} s"
    assert response.status_code < 500
    return response


def says_why(text: str) -> bool:
    return any(word in text for word in CHINESE)


# ---------------------------------------------------------------------------------------------- the reader
@pytest.mark.parametrize("kind", KINDS)
def test_the_table_reader_refuses_each_hostile_file_in_chinese(kind):
    data = HOSTILE[kind]()
    with pytest.raises(UnreadableFile) as refused:
        refused_quickly(lambda: open_book(data, "细则.xlsx"))
    assert says_why(str(refused.value)), str(refused.value)


def test_each_layer_holds_alone():
    """A sheet that declares a million rows is stopped by its dimension before a row is read; a bomb that hides
    its size and stays under the unpacked limit is stopped by its compression ratio."""
    with pytest.raises(UnreadableFile, match="行，超过一次导入的上限"):
        refused_quickly(lambda: check_upload(_package(3, dimension=True, declared_rows=1_000_000), "a.xlsx"))
    with pytest.raises(UnreadableFile, match="压缩比异常"):
        refused_quickly(lambda: check_upload(zip_bomb(400_000, dimension=False), "a.xlsx"))


def test_a_sheet_hiding_its_rows_is_cut_off_while_reading():
    data = _package(MAX_ROWS + 10, dimension=False, varied=True)  # within the package limits: read, then cut off
    with pytest.raises(UnreadableFile, match="超出一次导入的上限"), open_book(data, "a.xlsx") as book:
        for _row in book.tables[0].iter_rows():
            pass


def test_tables_survive_the_draft_round_trip():
    from openpyxl import Workbook

    from wenming.standards.tests.workbooks import to_bytes

    workbook = Workbook()
    workbook.active.append(["测评项目", "测评内容", "分值"])
    workbook.active.append(["组织领导", "成立领导小组", 2.5])
    workbook.active.merge_cells("A2:A3")
    with open_book(to_bytes(workbook), "a.xlsx") as book:
        stored = book_to_json(book)
    again = book_from_json(stored).tables[0]
    assert again.rows[1] == ["组织领导", "成立领导小组", 2.5] and again.merges == [(1, 2, 1, 3)]


# ---------------------------------------------------------------------------------------------- every importer
def _standards(data):
    with pytest.raises(ValidationError) as refused:
        read_tables(data, "细则.xlsx")
    return refused.value.messages[0]


def _tasks(data):
    with pytest.raises(UnreadableFile) as refused:
        annex_tables(data, "分解表.xlsx")
    return str(refused.value)


def _volunteers(data):
    with pytest.raises(ValidationError) as refused:
        volunteers.parse(data, "志愿时长.xlsx", unit_id=0, campaign_id=0)
    return refused.value.messages[0]


def _roster(data):
    result, records = roster_parse(SimpleUploadedFile("名册.xlsx", data))
    assert not records
    return str(result.errors[0])


READERS = {"standards": _standards, "tasks": _tasks, "volunteers": _volunteers, "roster": _roster}


@pytest.mark.django_db
@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("kind", KINDS)
def test_every_importer_reads_nothing_of_a_hostile_file(reader, kind):
    data = HOSTILE[kind]()
    message = refused_quickly(lambda: READERS[reader](data))
    assert says_why(message), message


@pytest.mark.parametrize("kind", KINDS)
def test_standard_import_screen_refuses_and_keeps_nothing(kind, cast, client_for):
    from wenming.standards.models import ImportDraft

    client = client_for(cast["office"])
    data = HOSTILE[kind]()
    response = post_refused(client, reverse("standards:import"), {"file": SimpleUploadedFile("细则.xlsx", data)})
    assert response.status_code == 400 and says_why(response.content.decode())
    assert not ImportDraft.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_standard_import_api_refuses(kind, cast, client_for):
    client = client_for(cast["office"])
    data = HOSTILE[kind]()
    response = post_refused(client, "/api/v1/standards/import/", {"file": SimpleUploadedFile("细则.xlsx", data)})
    assert response.status_code in (200, 400) and not response.json()["ok"]
    assert says_why(response.json()["problems"][0]["message"])


def test_standard_command_line_refuses_the_bomb(tmp_path, capsys):
    path = tmp_path / "细则.xlsx"
    path.write_bytes(zip_bomb())
    with pytest.raises(CommandError):
        refused_quickly(lambda: call_command("import_standard", str(path), "--dry-run"))
    assert "解压后" in capsys.readouterr().err


@pytest.mark.parametrize("kind", KINDS)
def test_task_import_screen_refuses_and_keeps_nothing(kind, cast, client_for):
    from wenming.campaigns.models import TaskImportDraft
    from wenming.campaigns.tests.permissions import the_campaign

    campaign = the_campaign(cast)
    client = client_for(cast["office"])
    data = HOSTILE[kind]()
    response = post_refused(client, reverse("campaigns:import", args=[campaign.pk]),
                            {"file": SimpleUploadedFile("分解表.xlsx", data)})
    assert response.status_code == 400 and says_why(response.content.decode())
    assert not TaskImportDraft.objects.exists()


def test_task_command_line_refuses_the_bomb(cast, tmp_path):
    from wenming.campaigns.tests.permissions import the_campaign

    path = tmp_path / "分解表.xlsx"
    path.write_bytes(zip_bomb())
    with pytest.raises(CommandError, match="解压后"):
        refused_quickly(lambda: call_command("import_tasks", str(path), "--campaign", str(the_campaign(cast).pk)))


@pytest.mark.parametrize("kind", KINDS)
def test_volunteer_import_refuses_and_keeps_nothing(kind, cast, client_for):
    from wenming.activities.models import VolunteerImportDraft
    from wenming.activities.tests.conftest import the_campaign

    the_campaign(cast)
    client = client_for(cast["office"])
    data = HOSTILE[kind]()
    response = post_refused(client, reverse("activities:volunteer_import"),
                            {"file": SimpleUploadedFile("志愿时长.xlsx", data)})
    assert response.status_code < 500 and says_why(response.content.decode())
    assert not VolunteerImportDraft.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_roster_import_refuses_and_saves_nobody(kind, cast, client_for):
    from wenming.org.models import User

    people = User.objects.count()
    client = client_for(cast["admin"])
    data = HOSTILE[kind]()
    response = post_refused(client, reverse("org:roster_import"), {
        "file": SimpleUploadedFile("名册.xlsx", data), "initial_password": "Wenming@2026-Init"})
    assert response.status_code == 400 and says_why(response.content.decode())
    assert User.objects.count() == people


def test_the_volunteer_draft_keeps_the_rows_read_never_the_upload(cast, client_for):
    """Issue 19.3: the volunteer importer stored the upload itself (a BinaryField) and parsed it again on every
    preview. Its draft now keeps the rows as read, like the standard and task drafts; no model keeps upload bytes."""
    from django.apps import apps
    from django.db import models

    from wenming.activities.models import VolunteerImportDraft
    from wenming.activities.tests.conftest import the_campaign

    the_campaign(cast)
    text = "姓名,服务时长,服务日期,项目名称\n干警甲,2,2021-04-02,文明餐桌\n"
    response = client_for(cast["office"]).post(reverse("activities:volunteer_import"),
                                               {"file": SimpleUploadedFile("志愿.csv", text.encode())})
    assert response.status_code == 302
    draft = VolunteerImportDraft.objects.get()
    assert draft.rows == [["姓名", "服务时长", "服务日期", "项目名称"], ["干警甲", "2", "2021-04-02", "文明餐桌"]]
    assert not [f"{model.__name__}.{field.name}" for model in apps.get_models() for field in model._meta.fields
                if isinstance(field, models.BinaryField)]


@pytest.mark.parametrize("rows, why", [
    ("姓名,服务时长,服务日期\n" + "干警甲,1,2021-04-02\n" * 200_000, "一次最多导入"),
    ("姓名,服务时长,服务日期" + ",x" * 5000 + "\n", "超过 60 列"),
    ('姓名,服务时长,服务日期\n"' + "a" * 200_000 + "\n", "CSV 文件格式有误"),
])
def test_a_hostile_csv_is_refused_by_the_volunteer_importer_within_a_second(rows, why, cast, campaign_for_volunteers):
    """The CSV path of the volunteer importer holds the same limits as a workbook's (rows, columns, time)."""
    from wenming.activities import services

    with pytest.raises(ValidationError, match=why):
        refused_quickly(lambda: services.volunteer_draft_create(
            actor=cast["office"], campaign=campaign_for_volunteers,
            upload=SimpleUploadedFile("志愿.csv", rows.encode())), memory=False)


@pytest.fixture
def campaign_for_volunteers(cast):
    from wenming.activities.tests.conftest import the_campaign

    return the_campaign(cast)
