"""The demo: default templates and one generated 创建工作报告 for the demo campaign, idempotent. (The apps in
between are left out to keep this quick: `wenming demo` runs them all.)"""

import io

import pytest
from django.utils import timezone
from docx import Document

from wenming.reports.models import ReportJob, ReportTemplate

pytestmark = pytest.mark.django_db


def test_demo_has_the_default_templates_and_a_generated_report():
    from wenming.campaigns import demo as campaigns_demo
    from wenming.org import demo as org_demo
    from wenming.reports import demo
    from wenming.standards import demo as standards_demo

    org_demo.load()
    standards_demo.load()
    campaigns_demo.load()
    demo.load()
    demo.load()  # idempotent
    assert ReportTemplate.objects.filter(is_default=True).count() == 2
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE and job.created_by.username == "office"
    assert job.title == f"某某市人民法院关于{timezone.localdate().year}年创建市级文明单位工作情况的报告"
    with job.file.open("rb") as handle:
        text = "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)
    assert "市文明办：" in text and "四、存在问题" in text and "将创建工作分解为" in text
