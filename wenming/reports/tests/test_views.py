"""The screens: generate and download, the template editor (errors named, nothing saved), the preview, the API;
list pages and list endpoints run a fixed number of queries."""

from datetime import UTC

import pytest

from wenming.audit.models import AuditEvent
from wenming.reports import services
from wenming.reports.models import ReportJob, ReportTemplate
from wenming.reports.tests.conftest import template_of

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def form_of(template, **changes):
    data = {name: getattr(template, name) for name in services.TEMPLATE_FIELDS}
    data["version"] = template.version
    data.update(changes)
    return data


def test_office_generates_and_leader_downloads(cast, campaign, client_for, django_capture_on_commit_callbacks):
    template = template_of(cast)
    office = client_for(cast["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(f"/reports/campaigns/{campaign.pk}/", {"template": template.pk, "phase": ""})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE
    row = office.get(f"/reports/jobs/{job.pk}/", **HTMX).content.decode()
    assert row.startswith("<tr") and "hx-trigger" not in row and "下载 Word" in row
    page = client_for(cast["leader"]).get(f"/reports/campaigns/{campaign.pk}/").content.decode()
    assert "生成报告" not in page.split("已生成的报告")[0].split("</h1>")[1] and "下载 Word" in page
    response = client_for(cast["leader"]).get(f"/reports/jobs/{job.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(verb="reports.downloaded", actor=cast["leader"]).count() == 1


def test_a_running_job_is_polled(cast, campaign, client_for):
    job = ReportJob.objects.create(campaign=campaign, template=template_of(cast), created_by=cast["office"])
    row = client_for(cast["office"]).get(f"/reports/jobs/{job.pk}/", **HTMX).content.decode()
    assert 'hx-trigger="every 2s"' in row and "排队中" in row


def test_a_phase_summary_without_a_phase_is_refused_with_a_message(cast, campaign, client_for):
    from wenming.reports.models import Kind

    template = template_of(cast, Kind.PHASE_SUMMARY)
    response = client_for(cast["office"]).post(f"/reports/campaigns/{campaign.pk}/", {"template": template.pk})
    assert response.status_code == 400 and "阶段总结须选择一个阶段" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_unknown_placeholders_are_named_and_nothing_is_saved(cast, client_for):
    template = template_of(cast)
    body = template.body + "\n本单位{{ 单位简称 }}共有{{干警人数}}人。\n[[先进典型]]"
    response = client_for(cast["office"]).post(f"/reports/templates/{template.pk}/edit/", form_of(template, body=body))
    page = response.content.decode()
    assert response.status_code == 400
    assert "未知的占位符：{{ 单位简称 }}、{{ 干警人数 }}" in page and "未知的章节标记：[[先进典型]]" in page
    template.refresh_from_db()
    assert "单位简称" not in template.body and template.version == 1


def test_a_marker_inside_a_sentence_is_refused(cast, client_for):
    template = template_of(cast)
    body = "一、基本情况\n详见[[任务完成情况]]。"
    response = client_for(cast["office"]).post(f"/reports/templates/{template.pk}/edit/", form_of(template, body=body))
    assert "第2行：章节标记须单独占一行" in response.content.decode()


def test_edit_saves_audits_and_detects_a_stale_form(cast, client_for):
    template = template_of(cast)
    office = client_for(cast["office"])
    response = office.post(f"/reports/templates/{template.pk}/edit/", form_of(template, addressee="市精神文明建设办公室"))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.addressee == "市精神文明建设办公室" and template.version == 2
    assert AuditEvent.objects.filter(verb="reports.template_updated").count() == 1
    stale = office.post(f"/reports/templates/{template.pk}/edit/", form_of(template, addressee="市文明办", version=1))
    assert stale.status_code == 409
    template.refresh_from_db()
    assert template.addressee == "市精神文明建设办公室"


def test_preview_renders_the_outline_from_the_current_campaign(cast, campaign, client_for):
    template = template_of(cast)
    response = client_for(cast["office"]).post(f"/reports/templates/{template.pk}/edit/",
                                               {**form_of(template), "preview": "1"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and 'class="outline"' in page and "<html" not in page
    assert "测试市中级人民法院关于2021年创建" in page and "分解为3项具体任务" in page
    assert 'class="outline-h1"' in page and "[[任务完成情况]]" in page
    bad = client_for(cast["office"]).post(f"/reports/templates/{template.pk}/edit/",
                                          {**form_of(template, title="{{ 院长 }}"), "preview": "1"}, **HTMX)
    assert "未知的占位符：{{ 院长 }}" in bad.content.decode()
    template.refresh_from_db()
    assert template.version == 1


def test_new_template_starts_from_the_default_wording(cast, client_for):
    office = client_for(cast["office"])
    page = office.get("/reports/templates/new/?kind=phase_summary").content.decode()
    assert "阶段总结（副本）" in page and "[[任务完成情况]]" in page and "{{ 单位名称 }}" in page
    data = {"name": "半年工作小结", "kind": "phase_summary", "title": "{{ 单位名称 }}{{ 阶段 }}阶段小结",
            "addressee": "", "body": "一、工作情况\n[[任务完成情况]]", "signature": "{{ 单位名称 }}"}
    assert office.post("/reports/templates/new/", data).status_code == 302
    assert ReportTemplate.objects.filter(unit=cast.unit, name="半年工作小结", is_default=False).exists()


def _jobs(cast, campaign, count):
    template = template_of(cast)
    ReportJob.objects.bulk_create([ReportJob(campaign=campaign, template=template, created_by=cast["office"])
                                   for _ in range(count)])


def test_list_page_and_endpoints_run_a_fixed_number_of_queries(cast, campaign, client_for,
                                                               django_assert_num_queries):
    office = client_for(cast["office"])
    _jobs(cast, campaign, 2)
    urls = [f"/reports/campaigns/{campaign.pk}/", "/reports/templates/", "/api/v1/report-jobs/",
            "/api/v1/report-templates/"]
    counts = {}
    for url in urls:
        office.get(url)  # warm the session and the default templates
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert office.get(url).status_code == 200
        counts[url] = len(captured)
    _jobs(cast, campaign, 8)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            assert office.get(url).status_code == 200


def test_api_starts_a_job_and_lists_it(cast, campaign, client_for, django_capture_on_commit_callbacks):
    template = template_of(cast)
    office = client_for(cast["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post("/api/v1/report-jobs/", {"campaign": campaign.pk, "template": template.pk},
                               content_type="application/json")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    listed = office.get(f"/api/v1/report-jobs/?campaign={campaign.pk}").json()
    results = listed["results"] if isinstance(listed, dict) else listed
    assert results[0]["status"] == "done" and results[0]["download_url"].endswith("/download/")
    download = office.get(results[0]["download_url"])
    assert download.status_code == 200 and download.getvalue()[:2] == b"PK"
    refused = office.post("/api/v1/report-jobs/", {"campaign": campaign.pk, "template": template.pk, "phase": 999999},
                          content_type="application/json")
    assert refused.status_code == 404 and "阶段" in refused.json()["phase"][0]  # a record named but not found


def test_own_templates_go_to_the_recycle_bin_and_the_defaults_stay(cast, client_for):
    default = template_of(cast)
    own = ReportTemplate.objects.create(unit=cast.unit, name="半年小结", kind="phase_summary", title="小结",
                                        body="一、情况")
    office = client_for(cast["office"])
    office.post(f"/reports/templates/{default.pk}/delete/")
    default.refresh_from_db()
    assert default.deleted_at is None
    assert office.post(f"/reports/templates/{own.pk}/delete/").status_code == 302
    own.refresh_from_db()
    assert own.in_bin and own.deleted_by == cast["office"]
    page = office.get("/reports/templates/").content.decode()
    assert "半年小结" not in page and "预置" in page
    assert office.get(f"/reports/templates/{own.pk}/edit/").status_code == 404


def test_the_report_file_name_carries_beijing_time(cast, campaign, client_for, django_capture_on_commit_callbacks):
    """A report made at 14:50 in Beijing was named …-202612020650.docx (UTC)."""
    from datetime import datetime

    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast["office"]).post(f"/reports/campaigns/{campaign.pk}/", {"template": template_of(cast).pk,
                                                                               "phase": ""})
    job = ReportJob.objects.get()
    ReportJob.objects.filter(pk=job.pk).update(finished_at=datetime(2026, 12, 2, 6, 50, tzinfo=UTC))
    response = client_for(cast["leader"]).get(f"/reports/jobs/{job.pk}/download/")
    assert "202612021450" in response["Content-Disposition"] and "0650" not in response["Content-Disposition"]
