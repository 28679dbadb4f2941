from datetime import date

import pytest

from wenming.campaigns import services as campaign_services
from wenming.evidence import services
from wenming.evidence.tests import files
from wenming.standards.tests.workbooks import make_standard


def make_campaign(cast):
    standard = make_standard(cast.unit, cast["office"], published=True)
    return campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年创建市级文明单位",
                                             year=2021, standard=standard)


def line(campaign, code):
    return campaign.standard.criteria.get(code=code)


def task_of(cast, campaign, department, title="开展道德讲堂活动"):
    return campaign_services.task_create(actor=cast["office"], campaign=campaign, title=title,
                                         lead_department=department, due_on=date(2021, 6, 30))


def upload_photos(cast, campaign, *, actor=None, task=None, codes=("3",), count=1, title="道德讲堂活动照片"):
    actor = actor or cast["staff_a"]
    return services.evidence_create(
        actor=actor, campaign=campaign, title=title, kind="photo", occurred_on=date(2021, 3, 5),
        department=actor.department, task=task, criteria=[line(campaign, code) for code in codes],
        description="3月5日在五楼会议室举办道德讲堂。",
        files=[files.upload(f"现场照片{i + 1}.jpg", files.jpeg()) for i in range(count)],
    )


@pytest.fixture
def campaign(cast):
    return make_campaign(cast)


@pytest.fixture
def task_a(cast, campaign):
    return task_of(cast, campaign, cast.dept_a)
