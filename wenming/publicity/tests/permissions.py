"""What every publicity URL answers to each persona (DESIGN.md §5; issue #8).

Everyone of the unit with a campaign role reads the ledgers and the practice library; the 三员 and the evaluator
get 403; the outsider (创建办 of another unit) finds none of our objects (404) but has a library of its own. The
创建办 changes everything; a liaison registers and changes publicity items of their own department (the item used is
民一庭's, so 民二庭's liaison gets 403 on it) and adds practices, changing those they added; leaders and staff read.
"""

from wenming.evidence.tests import files
from wenming.publicity.models import PublicityTarget
from wenming.publicity.tests.conftest import make_item, make_practice, make_report, the_campaign
from wenming.testing.matrix import Expect, each

NO_ROLE = ("admin", "security", "auditor", "evaluator")
PEOPLE = ("office", "leader", "liaison_a", "staff_a", "liaison_b")


def statuses(*, people=200, anonymous=302, outsider=404, **overrides) -> dict[str, int]:
    result = {**each(NO_ROLE, 403), **each(PEOPLE, people), "outsider": outsider, "anonymous": anonymous}
    result.update(overrides)
    return result


def office_only(status, **overrides):
    return statuses(people=403, office=status, **overrides)


def campaign(cast):
    return {"pk": the_campaign(cast).pk}


def item(cast):
    return {"pk": make_item(cast).pk}


def report(cast):
    return {"pk": make_report(cast).pk}


def practice(cast):
    return {"pk": make_practice(cast).pk}


def target(cast):
    return {"pk": PublicityTarget.objects.create(campaign=the_campaign(cast), channel="wechat", per_month=1).pk}


def item_data(cast):
    return {"title": "道德讲堂活动", "channel": "intranet", "level": "unit", "published_on": "2021-04-02",
            "screenshot": files.upload("内网截图.png", files.png())}


def report_data(cast):
    return {"recipient": "市文明办", "title": "志愿服务情况", "reported_on": "2021-04-10", "level": "city"}


def practice_data(cast):
    return {"source_unit": "某某市检察院", "title": "道德讲堂四个一", "summary": "唱一首歌、看一部短片。", "tags": "道德讲堂"}


LIAISONS_WRITE = {"office": 200, "liaison_a": 200, "liaison_b": 200}
READ_ONLY = {"leader": 403, "staff_a": 403}
ITEM_EDIT = {"leader": 403, "staff_a": 403, "liaison_b": 403}

MATRIX = [
    Expect("publicity:index", statuses(outsider=200), note="no campaign yet: the page says so"),
    Expect("publicity:ledger", statuses(), kwargs=campaign),
    Expect("publicity:ledger_export", statuses(), kwargs=campaign),
    Expect("publicity:item_create", statuses(**READ_ONLY), kwargs=campaign),
    Expect("publicity:item_create", statuses(people=302, **READ_ONLY), method="post", kwargs=campaign, data=item_data,
           note="liaisons register for their own department"),
    Expect("publicity:item_edit", statuses(**ITEM_EDIT), kwargs=item),
    Expect("publicity:item_delete", statuses(people=302, **ITEM_EDIT), method="post", kwargs=item),
    Expect("publicity:targets", statuses(), kwargs=campaign),
    Expect("publicity:targets", office_only(302), method="post", kwargs=campaign,
           data=lambda cast: {"channel": "wechat", "level": "", "per_month": "1"}),
    Expect("publicity:target_delete", office_only(302), method="post", kwargs=target),
    Expect("publicity:reports_index", statuses(outsider=200)),
    Expect("publicity:reports", statuses(), kwargs=campaign),
    Expect("publicity:reports_export", statuses(), kwargs=campaign),
    Expect("publicity:report_create", office_only(200), kwargs=campaign),
    Expect("publicity:report_create", office_only(302), method="post", kwargs=campaign, data=report_data),
    Expect("publicity:report_edit", office_only(200), kwargs=report),
    Expect("publicity:report_delete", office_only(302), method="post", kwargs=report),
    Expect("publicity:report_file", statuses(), kwargs=report),
    Expect("publicity:practices", statuses(outsider=200), note="the outsider sees its own unit's (empty) library"),
    Expect("publicity:practice_create", statuses(outsider=200, **READ_ONLY)),
    Expect("publicity:practice_create", statuses(people=302, outsider=302, **READ_ONLY), method="post",
           data=practice_data),
    Expect("publicity:practice_edit", statuses(**ITEM_EDIT), kwargs=practice, note="its adder (民一庭's liaison)"),
    Expect("publicity:practice_delete", statuses(people=302, **ITEM_EDIT), method="post", kwargs=practice),
    Expect("publicity:practice_file", statuses(), kwargs=practice),
    # API: DRF answers 403 to anonymous callers (session auth has no challenge header).
    Expect("publicity-item-list", statuses(outsider=200, anonymous=403)),
    Expect("publicity-item-list", statuses(people=201, anonymous=403, **READ_ONLY), method="post",
           data=lambda cast: {"campaign": the_campaign(cast).pk, **item_data(cast)}),
    Expect("publicity-item-detail", statuses(anonymous=403), kwargs=item),
    Expect("publicity-report-list", statuses(outsider=200, anonymous=403)),
    Expect("publicity-report-list", office_only(201, anonymous=403), method="post",
           data=lambda cast: {"campaign": the_campaign(cast).pk, **report_data(cast)}),
    Expect("publicity-report-detail", statuses(anonymous=403), kwargs=report),
    Expect("publicity-practice-list", statuses(outsider=200, anonymous=403)),
    Expect("publicity-practice-list", statuses(people=201, outsider=201, anonymous=403, **READ_ONLY), method="post",
           data=practice_data),
    Expect("publicity-practice-detail", statuses(anonymous=403), kwargs=practice),
]
