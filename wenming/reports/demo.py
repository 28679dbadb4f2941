"""Demo: the default report templates of 某某市人民法院 and one 创建工作报告 generated for the demo campaign
(idempotent). The report is generated at once (not queued) so the file exists when the demo finishes; it is built
after the other apps' demos, so its sections draw on their tasks, evidence, self-checks, activities, funding and
publicity."""


from wenming.campaigns.demo import demo_campaign
from wenming.reports import services
from wenming.reports.models import Kind, ReportJob, ReportTemplate


def load(*, year=None) -> list:
    demo = demo_campaign(year)
    if demo is None:
        return []
    court, office, campaign, _today, year = demo
    services.templates_ensure(unit=court)
    if ReportJob.objects.filter(campaign=campaign).exists():
        return []
    template = ReportTemplate.objects.get(unit=court, kind=Kind.WORK_REPORT, is_default=True)
    job = services.report_start(actor=office, campaign=campaign, template=template, background=False)
    services.report_build(job_id=job.pk)
    return []
