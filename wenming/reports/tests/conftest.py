from datetime import date

import pytest

from wenming.campaigns import services as campaign_services
from wenming.campaigns.models import RosterEntry
from wenming.evidence import services as evidence_services
from wenming.evidence.tests.conftest import make_campaign, task_of, upload_photos
from wenming.reports import services
from wenming.reports.models import Kind, ReportTemplate


def campaign_with_work(cast):
    """A campaign with its roster, three tasks (one done on time), and two items of evidence (one approved)."""
    campaign = make_campaign(cast)
    Campaign = type(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(document_title="关于成立创建市级文明单位工作领导小组的通知",
                                                    document_number="测法党〔2021〕3号")
    campaign.refresh_from_db()
    office, leader = cast["office"], cast["leader"]
    campaign_services.roster_add(actor=office, campaign=campaign, person=leader, role=RosterEntry.Role.HEAD,
                                 title="党组书记、院长")
    campaign_services.roster_add(actor=office, campaign=campaign, person=office,
                                 role=RosterEntry.Role.OFFICE_DIRECTOR)
    done = task_of(cast, campaign, cast.dept_a, title="举办道德讲堂")
    task_of(cast, campaign, cast.dept_a, title="开展志愿服务")
    task_of(cast, campaign, cast.dept_b, title="发布以案释法典型案例")
    campaign_services.task_transition(actor=office, task=done, action="submit")
    campaign_services.task_transition(actor=office, task=done, action="approve")
    type(done).objects.filter(pk=done.pk).update(due_on=date(2099, 1, 1))
    approved = upload_photos(cast, campaign, title="道德讲堂照片")
    evidence_services.evidence_review(actor=office, evidence=approved, approve=True)
    upload_photos(cast, campaign, codes=("1",), title="领导小组文件")
    return campaign


def template_of(cast, kind=Kind.WORK_REPORT) -> ReportTemplate:
    services.templates_ensure(unit=cast.unit)
    return ReportTemplate.objects.get(unit=cast.unit, kind=kind, is_default=True)


@pytest.fixture
def campaign(cast):
    return campaign_with_work(cast)
