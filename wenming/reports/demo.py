"""Demo: the default report templates of 某某市人民法院 and one 创建工作报告 generated for the demo campaign
(idempotent). The report is generated at once (not queued) so the file exists when the demo finishes; it is built
after the other apps' demos, so its sections draw on their tasks, evidence, self-checks, activities, funding and
publicity."""

from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.org.demo import COURT
from wenming.org.models import Unit, User
from wenming.reports import services
from wenming.reports.models import Kind, ReportJob, ReportTemplate


def load(*, year=None) -> list:
    court = Unit.objects.filter(name=COURT).first()
    office = User.objects.filter(username="office", unit=court).first() if court else None
    if court is None or office is None:
        return []
    services.templates_ensure(unit=court)
    year = year or timezone.localdate().year
    campaign = Campaign.objects.filter(unit=court, title=f"{year}年创建市级文明单位").select_related("unit").first()
    if campaign is None or ReportJob.objects.filter(campaign=campaign).exists():
        return []
    template = ReportTemplate.objects.get(unit=court, kind=Kind.WORK_REPORT, is_default=True)
    job = services.report_start(actor=office, campaign=campaign, template=template, background=False)
    services.report_build(job_id=job.pk)
    return []
