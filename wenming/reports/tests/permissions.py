"""What every reports URL answers to each persona (DESIGN.md §5).

The 创建办 generates reports and edits templates; leaders read the list, the templates and download reports (403 on
changes). Liaisons, staff, the 三员 and the evaluator get 403 from the role check. The outsider (创建办 of another
unit) passes the role check but finds none of our objects: 404; its own unit's pages (no campaign yet, its own
templates) answer 200.
"""

from wenming.reports import services
from wenming.reports.models import ReportJob, ReportTemplate
from wenming.testing.matrix import Expect, each

NO_ROLE = ("admin", "security", "auditor", "evaluator")
OTHERS = ("liaison_a", "staff_a", "liaison_b")


def statuses(*, office=200, leader=200, outsider=404, anonymous=302, others=403, **overrides) -> dict[str, int]:
    result = {**each(NO_ROLE, 403), **each(OTHERS, others), "office": office, "leader": leader,
              "outsider": outsider, "anonymous": anonymous}
    result.update(overrides)
    return result


def the_campaign(cast):
    from wenming.campaigns.models import Campaign
    from wenming.evidence.tests.conftest import make_campaign

    return Campaign.objects.filter(unit=cast.unit).first() or make_campaign(cast)


def campaign(cast):
    return {"pk": the_campaign(cast).pk}


def the_template(cast) -> ReportTemplate:
    services.templates_ensure(unit=cast.unit)
    return ReportTemplate.objects.filter(unit=cast.unit, kind="work_report").first()


def template(cast):
    return {"pk": the_template(cast).pk}


def generate_data(cast):
    the_campaign(cast)
    return {"template": the_template(cast).pk}


def own_template(cast):
    services.templates_ensure(unit=cast.unit)
    made = ReportTemplate.objects.create(unit=cast.unit, name="简明报告", kind="work_report", title="报告",
                                         body="一、基本情况")
    return {"pk": made.pk}


def template_data(cast):
    return {"name": "简明报告", "kind": "work_report", "title": "{{ 单位名称 }}工作报告", "addressee": "",
            "body": "一、基本情况\n[[任务完成情况]]", "signature": "{{ 单位名称 }}"}


def edit_data(cast):
    found = the_template(cast)
    return {**template_data(cast), "name": found.name, "version": found.version}


def job(cast):
    return {"pk": ReportJob.objects.create(campaign=the_campaign(cast), template=the_template(cast),
                                           created_by=cast["office"]).pk}


def built_job(cast):
    created = services.report_start(actor=cast["office"], campaign=the_campaign(cast), template=the_template(cast),
                                     background=False)
    services.report_build(job_id=created.pk)
    return {"pk": created.pk}


READ = statuses()
OFFICE_ONLY = statuses(leader=403)

MATRIX = [
    Expect("reports:index", statuses(outsider=200), note="no campaign yet: the page says so"),
    Expect("reports:list", READ, kwargs=campaign),
    Expect("reports:list", statuses(office=302, leader=403), method="post", kwargs=campaign, data=generate_data,
           note="only the 创建办 generates"),
    Expect("reports:job", READ, kwargs=job),
    Expect("reports:download", READ, kwargs=built_job),
    Expect("reports:templates", statuses(outsider=200), note="the outsider sees its own unit's templates"),
    Expect("reports:template_create", statuses(leader=403, outsider=200)),
    Expect("reports:template_create", statuses(office=302, leader=403, outsider=302), method="post",
           data=template_data, note="a template of the person's own unit"),
    Expect("reports:template_edit", OFFICE_ONLY, kwargs=template),
    Expect("reports:template_edit", statuses(office=302, leader=403), method="post", kwargs=template,
           data=edit_data),
    Expect("reports:template_delete", statuses(office=302, leader=403), method="post", kwargs=own_template,
           note="to the recycle bin; the defaults stay"),
    # API: DRF answers 403 to anonymous callers (session auth has no challenge header).
    Expect("report-job-list", statuses(anonymous=403, outsider=200)),
    Expect("report-job-list", statuses(office=202, leader=403, anonymous=403), method="post",
           data=lambda cast: {"campaign": the_campaign(cast).pk, "template": the_template(cast).pk}),
    Expect("report-job-detail", statuses(anonymous=403), kwargs=job),
    Expect("report-job-download", statuses(anonymous=403), kwargs=built_job),
    Expect("report-template-list", statuses(anonymous=403, outsider=200)),
    Expect("report-template-detail", statuses(anonymous=403), kwargs=template),
]
