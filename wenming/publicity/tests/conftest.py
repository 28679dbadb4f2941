from datetime import date

import pytest

from wenming.evidence.tests import files
from wenming.funding.tests.conftest import make_campaign, the_campaign  # noqa: F401  (shared campaign builders)
from wenming.publicity import services


def criterion(campaign):
    return campaign.standard.criteria.get(code="3")


def make_item(cast, campaign=None, *, actor=None, published_on=date(2021, 3, 5), channel="wechat", level="unit",
              screenshot=True, title="我院召开创建动员大会"):
    campaign = campaign or the_campaign(cast)
    actor = actor or cast["liaison_a"]
    return services.item_create(
        actor=actor, campaign=campaign, channel=channel, level=level, title=title, published_on=published_on,
        department=actor.department, criteria=[criterion(campaign)], link="" if screenshot else "https://mp.example.cn/s/1",
        screenshot=files.upload("截图.png", files.png()) if screenshot else None)


def make_report(cast, campaign=None, *, with_file=True):
    return services.report_create(actor=cast["office"], campaign=campaign or the_campaign(cast), recipient="市文明办",
                                  title="创建工作动员部署情况", reported_on=date(2021, 2, 25), adopted=True,
                                  file=files.upload("报送稿.pdf", files.pdf(1)) if with_file else None)


def make_practice(cast, *, actor=None, tags="志愿服务,道德讲堂", with_file=True):
    return services.practice_create(actor=actor or cast["liaison_a"], unit=cast.unit, source_unit="某某区人民法院",
                                    title="法官工作室进网格", summary="每周固定坐班，联合网格员开展诉前调解。", tags=tags,
                                    file=files.upload("做法.pdf", files.pdf(1)) if with_file else None)


@pytest.fixture
def campaign(cast):
    return make_campaign(cast)
