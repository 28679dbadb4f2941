"""What every supervision URL answers to each persona (DESIGN.md §5).

督办考核 is for the 创建办, leaders and liaisons; staff, the 三员 and evaluators get 403. The 领导驾驶舱, the ranking
and issuing orders are for the 创建办 and leaders; the settings for the 创建办 only. The outsider (创建办 of another
unit) passes the role checks but has no campaign (the pages say so) and finds none of our orders (404). An order to
民一庭 is seen by its liaison (who answers it) and not by 民二庭's (404); only the issuers close or send back.
"""

from wenming.supervision.models import SupervisionOrder
from wenming.supervision.tests.conftest import answered, issue, make_campaign
from wenming.testing.matrix import Expect, each, newest

NO_ROLE = ("admin", "security", "auditor", "evaluator", "staff_a")


def statuses(*, people=200, anonymous=302, outsider=200, **overrides) -> dict[str, int]:
    result = {**each(NO_ROLE, 403), **each(("office", "leader", "liaison_a", "liaison_b"), people),
              "outsider": outsider, "anonymous": anonymous}
    result.update(overrides)
    return result


ISSUERS = {"liaison_a": 403, "liaison_b": 403}
API = {"anonymous": 403}



def with_campaign(cast):
    make_campaign(cast)
    return {}


def order_a(cast):
    return {"pk": issue(cast, department=cast.dept_a).pk}


def answered_a(cast):
    return {"pk": answered(cast, department=cast.dept_a).pk}


def campaign_pk(cast):
    return {"pk": make_campaign(cast).pk}


def issue_data(cast):
    from django.utils import timezone

    from wenming.supervision.tests.conftest import late_task

    return {"target": f"t{late_task(cast).pk}", "deadline": timezone.localdate().isoformat(), "request": "请办理"}


def api_issue_data(cast):
    data = issue_data(cast)
    return {"task": int(data.pop("target")[1:]), **data}


ORDER = statuses(outsider=404, liaison_b=404)
MATRIX = [
    Expect("supervision:index", statuses(), kwargs=with_campaign),
    Expect("supervision:dashboard", statuses(**ISSUERS), kwargs=with_campaign),
    Expect("supervision:orders", statuses()),
    Expect("supervision:orders_export", statuses()),
    Expect("supervision:order_create", statuses(**ISSUERS), kwargs=with_campaign),
    Expect("supervision:order_create", statuses(people=302, outsider=200, **ISSUERS), method="post",
           data=issue_data, note="the outsider's own unit has no campaign: the page says so"),
    Expect("supervision:order_detail", ORDER, kwargs=order_a),
    Expect("supervision:order_docx", ORDER, kwargs=order_a),
    Expect("supervision:order_answer", {**ORDER, "office": 403, "leader": 403, "liaison_a": 302}, method="post",
           kwargs=order_a, data=lambda cast: {"text": "已办理"}),
    Expect("supervision:order_decide", {**ORDER, "office": 302, "leader": 302, "liaison_a": 403}, method="post",
           kwargs=answered_a, data=lambda cast: {"decision": "close"}),
    Expect("supervision:ranking", statuses(**ISSUERS), kwargs=with_campaign),
    Expect("supervision:ranking_export", statuses(**ISSUERS), kwargs=with_campaign),
    Expect("supervision:settings", statuses(people=403, office=200),
           note="the outsider edits its own unit's settings"),
    Expect("supervision:settings", statuses(people=403, office=302, outsider=302), method="post",
           data=lambda cast: {"warn_days": 4, "weight_on_time": "1", "weight_returns": "1",
                              "weight_overdue_days": "0.2", "weight_open_rectifications": "2"}),
    # API: DRF answers 403 to anonymous callers.
    Expect("supervision-light-list", statuses(outsider=404, **API), kwargs=with_campaign,
           note="no campaign in the outsider's unit"),
    Expect("supervision-order-list", statuses(**API)),
    Expect("supervision-order-list", statuses(people=201, outsider=404, **ISSUERS, **API), method="post",
           data=api_issue_data, content_type="application/json",
           note="another unit's task is not found: 404 naming the field (issue 19.10)"),
    Expect("supervision-order-detail", {**ORDER, **API}, kwargs=order_a),
    Expect("supervision-order-respond", {**ORDER, "office": 403, "leader": 403, **API}, method="post",
           kwargs=order_a, data=lambda cast: {"text": "已办理", "version": newest(SupervisionOrder).version},
           content_type="application/json"),
    Expect("supervision-order-close", {**ORDER, "liaison_a": 403, **API}, method="post", kwargs=answered_a,
           data=lambda cast: {"text": "办结", "version": newest(SupervisionOrder).version},
           content_type="application/json"),
    Expect("supervision-order-send-back", {**ORDER, "liaison_a": 403, **API}, method="post", kwargs=answered_a,
           data=lambda cast: {"reason": "不全", "version": newest(SupervisionOrder).version},
           content_type="application/json"),
    Expect("supervision-ranking-detail", statuses(outsider=404, **ISSUERS, **API), kwargs=campaign_pk),
]
