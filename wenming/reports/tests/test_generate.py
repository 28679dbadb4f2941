"""The report from the campaign's data: sections filled, placeholders replaced, generated in the background."""

import io

import pytest
from docx import Document

from wenming.audit.models import AuditEvent
from wenming.reports import compose, services
from wenming.reports.models import Kind, ReportJob
from wenming.reports.sections import SECTIONS, Scope, build_section
from wenming.reports.tests.conftest import template_of

pytestmark = pytest.mark.django_db


def text_of(job) -> tuple[str, list]:
    with job.file.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    return "\n".join(p.text for p in document.paragraphs), document.tables


def test_work_report_is_built_in_the_background_from_the_campaigns_data(cast, campaign,
                                                                          django_capture_on_commit_callbacks):
    template = template_of(cast)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_start(actor=cast["office"], campaign=campaign, template=template)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.percent == 100 and job.size > 0
    assert job.title == "测试市中级人民法院关于2021年创建市级文明单位工作情况的报告"
    text, tables = text_of(job)
    assert "市文明办：" in text and "{{" not in text and "[[" not in text
    assert "院领导任组长" in text and "《关于成立创建市级文明单位工作领导小组的通知》（测法党〔2021〕3号）" in text
    assert "分解为3项具体任务" in text and "完成率33.3%" in text and "按期完成率100.0%" in text
    assert "共收集创建材料2份" in text and "审核通过1份" in text
    assert "本阶段暂无自查测评记录。" in text or "自查测评" in text
    assert text.rstrip().endswith("日") and "测试市中级人民法院" in text.splitlines()[-2]
    department_table = next(t for t in tables if t.rows[0].cells[0].text == "牵头部门")
    assert [c.text for c in department_table.rows[1].cells][:3] == ["民一庭", "2", "1"]
    assert {"reports.started", "reports.built"} <= set(AuditEvent.objects.values_list("verb", flat=True))


def test_phase_summary_covers_only_its_phase(cast, campaign):
    template = template_of(cast, Kind.PHASE_SUMMARY)
    phase = campaign.phases.order_by("order").first()
    job = services.report_start(actor=cast["office"], campaign=campaign, template=template, phase=phase,
                                background=False)
    services.report_build(job_id=job.pk)
    job.refresh_from_db()
    text, _tables = text_of(job)
    assert "动员部署阶段工作总结" in job.title
    assert "动员部署阶段（2021年1月1日至2021年6月30日）" in text
    assert "组织实施阶段" not in text


def test_a_phase_summary_needs_a_phase_and_nothing_is_queued_without_one(cast, campaign):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="须选择一个阶段"):
        services.report_start(actor=cast["office"], campaign=campaign,
                              template=template_of(cast, Kind.PHASE_SUMMARY))
    assert not ReportJob.objects.exists()


def test_every_section_runs_on_an_empty_campaign(cast):
    from wenming.evidence.tests.conftest import make_campaign

    scope = Scope(make_campaign(cast))
    for name in SECTIONS:
        section = build_section(name, scope)
        assert section.paragraphs, name
    assert compose.facts(scope)["任务完成率"] == "—"


def test_a_failure_is_recorded_for_the_office(cast, campaign, monkeypatch):
    job = services.report_start(actor=cast["office"], campaign=campaign, template=template_of(cast),
                                background=False)

    def broken(report):
        raise OSError("磁盘已满")

    monkeypatch.setattr(compose, "to_docx", broken)
    services.report_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "磁盘已满" in job.error and not job.file
