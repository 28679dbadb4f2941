"""Reads for reports. Each selector owns its query shape, so pages run a constant number of queries."""

from wenming.campaigns.models import Campaign
from wenming.reports.models import ReportJob, ReportTemplate


def report_jobs(*, user, campaign: Campaign | None = None):
    jobs = ReportJob.objects.visible_to(user).select_related("created_by", "phase", "template")
    if campaign is not None:
        jobs = jobs.filter(campaign=campaign)
    return jobs.order_by("-created_at", "-id")


def report_templates(*, user):
    # 创建工作报告 (work_report) before 阶段总结 (phase_summary): the report most often generated comes first.
    return ReportTemplate.objects.visible_to(user).select_related("updated_by").order_by("-kind", "id")
