"""The screens and endpoints: the import wizard, the tree, publish and versions, the API."""

import json
import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from wenming.standards.models import Criterion, ImportDraft, Standard
from wenming.standards.tests.workbooks import make_standard, sample_rows, sample_workbook


def upload(client, content, name="细则.xlsx"):
    return client.post(reverse("standards:import"), {"file": SimpleUploadedFile(name, content)})


def test_import_wizard_previews_then_saves_only_on_confirm(cast, client_for):
    client = client_for(cast["office"])

    response = upload(client, sample_workbook())
    preview = client.get(response["Location"])

    assert response.status_code == 302 and preview.status_code == 200
    page = preview.content.decode()
    assert "创建机制" in page and "第3级" in page and "确认导入" in page
    assert not Standard.objects.exists()  # nothing saved before the confirmation
    draft = ImportDraft.objects.get()
    confirmed = client.post(reverse("standards:import_confirm", args=[draft.token]),
                            {"name": "市文明单位测评细则", "level": "city", "year": 2025, "pass_score": "80"})
    standard = Standard.objects.get()
    assert confirmed["Location"] == reverse("standards:detail", args=[standard.pk])
    assert (standard.name, standard.pass_score, standard.criteria.count()) == ("市文明单位测评细则", 80, 19)
    assert not ImportDraft.objects.exists()


def test_a_bad_file_lists_its_problems_and_cannot_be_confirmed(cast, client_for):
    client = client_for(cast["office"])
    rows = sample_rows()
    rows[2][4] = "三分"

    preview = client.get(upload(client, sample_workbook(rows))["Location"])
    draft = ImportDraft.objects.get()
    refused = client.post(reverse("standards:import_confirm", args=[draft.token]), {"name": "x", "level": "city"})

    page = preview.content.decode()
    assert 'id="import-problems"' in page and "第3行" in page and "B列（测评指标）" in page
    assert "标注 6 分，下级合计 7 分" in page and "确认导入" not in page
    assert refused.status_code == 400 and not Standard.objects.exists()


def test_a_non_xlsx_upload_gets_a_chinese_message_and_saves_nothing(cast, client_for):
    client = client_for(cast["office"])
    refused = upload(client, b"%PDF-1.4 not a workbook", "细则.pdf")
    assert refused.status_code == 400 and "无法读取该文件" in refused.content.decode()
    assert not Standard.objects.exists() and not ImportDraft.objects.exists()


def test_columns_the_importer_cannot_recognise_are_mapped_on_the_preview(cast, client_for):
    from openpyxl import Workbook

    from wenming.standards.tests.workbooks import to_bytes

    workbook = Workbook()
    workbook.active.append(["大类", "事项", "权数"])
    workbook.active.append(["组织（100分）", "成立机构", 100])
    client = client_for(cast["office"])
    location = upload(client, to_bytes(workbook))["Location"]
    first = client.get(location).content.decode()

    client.post(location, {"sheet": "Sheet", "header_row": "1", "col_0": "level1", "col_1": "level3", "col_2": "points"})
    second = client.get(location).content.decode()

    assert "找不到表头" in first and 'name="col_2"' in first
    assert "找不到表头" not in second and "成立机构" in second and "确认导入" in second


def test_another_persons_upload_is_not_found(cast, client_for):
    draft = ImportDraft.objects.create(owner=cast["office"], unit=cast.unit, filename="a.xlsx", tables={},
                                       expires_at="2000-01-01T00:00:00Z")
    assert client_for(cast["office"]).get(reverse("standards:import_preview", args=[draft.token])).status_code == 404


def test_tree_search_and_filters_answer_with_the_partial(cast, client_for):
    standard = make_standard(cast.unit, cast["office"])
    client = client_for(cast["staff_a"])
    url = reverse("standards:detail", args=[standard.pk])

    full = client.get(url).content.decode()
    by_method = client.get(url, {"method": "网上申报"}, headers={"HX-Request": "true", "HX-Target": "criteria-tree"})
    by_department = client.get(url, {"department": "行装科"}, headers={"HX-Request": "true",
                                                                      "HX-Target": "criteria-tree"}).content.decode()

    assert "<details" in full and "材料要求" in full and "编辑" not in full  # staff read only
    body = by_method.content.decode()
    assert "<html" not in body and "找到 3 条" in body and "年度创建工作总结" in body and "行装科" not in body
    assert "预算及支出凭证" in by_department and "年度创建工作总结" not in by_department


def test_office_publishes_then_edits_through_a_new_version(cast, client_for):
    standard = make_standard(cast.unit, cast["office"])
    client = client_for(cast["office"])

    client.post(reverse("standards:publish", args=[standard.pk]), {"version": standard.version})
    standard.refresh_from_db()
    line = standard.criteria.get(code="1")
    blocked = client.get(reverse("standards:criterion_edit", args=[line.pk]))
    created = client.post(reverse("standards:new_version", args=[standard.pk]))
    draft = Standard.objects.get(revision=2)
    copied = draft.criteria.get(code="1")
    saved = client.post(reverse("standards:criterion_edit", args=[copied.pk]), {
        "code": "1", "title": copied.title, "kind": "scored", "points": "1", "methods": ["查阅资料", "实地考察"],
        "other_methods": "专家评议", "materials": "新的材料要求", "department": "政治部", "version": copied.version})
    compare = client.get(reverse("standards:compare", args=[draft.pk])).content.decode()

    assert standard.is_published and blocked.status_code == 302
    assert created["Location"] == reverse("standards:detail", args=[draft.pk])
    assert saved.status_code == 302
    copied.refresh_from_db()
    assert copied.methods == ["查阅资料", "实地考察", "专家评议"] and copied.materials == "新的材料要求"
    assert "修改（1）" in compare and "新的材料要求" in compare


def test_refine_form_on_a_published_standard_says_a_draft_will_be_made(cast, client_for):
    standard = make_standard(cast.unit, cast["office"], published=True)
    line = standard.criteria.get(code="3")
    client = client_for(cast["office"])

    form = client.get(reverse("standards:criterion_refine", args=[line.pk])).content.decode()
    response = client.post(reverse("standards:criterion_refine", args=[line.pk]),
                           {"title": "每季度研究一次", "points": "1", "materials": "纪要"})

    assert "自动创建新版本草稿" in form
    local = Criterion.objects.get(is_local=True)
    assert response["Location"].startswith(reverse("standards:detail", args=[local.standard_id]))
    assert local.standard.revision == 2


def test_exports_download_xlsx_and_yaml(cast, client_for):
    standard = make_standard(cast.unit, cast["office"], published=True)
    client = client_for(cast["office"])

    xlsx = client.get(reverse("standards:export_xlsx", args=[standard.pk]))
    yaml_response = client.get(reverse("standards:export_yaml", args=[standard.pk]))

    assert xlsx["Content-Disposition"].endswith(".xlsx") and xlsx.content[:2] == b"PK"
    assert "format: wenming-standard/1" in yaml_response.content.decode()


def test_api_import_previews_and_confirms_and_refines(cast, client_for):
    client = client_for(cast["office"])
    rows = sample_rows()
    rows[0][4] = "?"

    bad = client.post("/api/v1/standards/import/", {"file": SimpleUploadedFile("a.xlsx", sample_workbook(rows)),
                                                    "confirm": "true"})
    preview = client.post("/api/v1/standards/import/", {"file": SimpleUploadedFile("a.xlsx", sample_workbook())})
    saved = client.post("/api/v1/standards/import/", {"file": SimpleUploadedFile("a.xlsx", sample_workbook()),
                                                      "confirm": "true", "name": "接口导入"})

    assert bad.status_code == 400 and bad.json()["problems"][0]["row"] == 3
    assert preview.status_code == 200 and preview.json()["summary"]["total_points"] == "100"
    assert not Standard.objects.filter(name="接口导入").exclude(pk=saved.json()["standard"]["id"]).exists()
    standard = Standard.objects.get(name="接口导入")
    parent = standard.criteria.get(code="5")
    refined = client.post(f"/api/v1/criteria/{parent.pk}/refine/", data=json.dumps({"title": "细化", "points": "0.5"}),
                          content_type="application/json")
    assert refined.status_code == 201 and refined.json()["is_local"] is True
    listed = client.get("/api/v1/criteria/", {"standard": standard.pk}).json()
    assert listed["count"] == 20


def test_command_line_import_prints_the_summary_and_fails_on_errors(cast, tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(sample_workbook())
    rows = sample_rows()
    rows[0][4] = "许多"
    bad.write_bytes(sample_workbook(rows))

    call_command("import_standard", str(good), "--dry-run")
    dry = capsys.readouterr().out
    with pytest.raises(CommandError, match="未保存任何内容"):
        call_command("import_standard", str(bad), "--unit", cast.unit.name)
    errors = capsys.readouterr().err
    call_command("import_standard", str(good), "--unit", cast.unit.name, "--name", "命令行导入")

    assert "一级：4 项" in dry and "总分：100 分" in dry and "加分项：1 条（最高加 5 分）" in dry
    assert "一票否决项：1 条" in dry and "--dry-run" in dry
    assert "第3行 E列（分值）" in errors and "无法识别分值“许多”" in errors
    assert Standard.objects.get().name == "命令行导入"


def test_command_line_exit_status(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    completed = subprocess.run([sys.executable, "-m", "wenming", "import_standard", str(broken), "--dry-run"],
                               capture_output=True, text=True, env={**os.environ, "WENMING_DATA_DIR": str(tmp_path)})
    assert completed.returncode != 0
    assert "无法读取该文件" in completed.stderr
