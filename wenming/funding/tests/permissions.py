"""What every funding URL answers to each persona (DESIGN.md §5; issue #8).

Only the 创建办 and leaders see the money: liaisons, staff, the 三员 and the evaluator get 403 at the door. The
leader reads (403 on every change); the outsider (创建办 of another unit) passes the door but finds none of our
objects: 404.
"""

from wenming.evidence.tests import files
from wenming.funding.tests.conftest import make_expense, make_line, the_campaign
from wenming.testing.matrix import Expect, each

OTHERS = ("admin", "security", "auditor", "evaluator", "liaison_a", "staff_a", "liaison_b")


def statuses(*, office=200, leader=200, outsider=404, anonymous=302, **overrides) -> dict[str, int]:
    result = {**each(OTHERS, 403), "office": office, "leader": leader, "outsider": outsider, "anonymous": anonymous}
    result.update(overrides)
    return result


def campaign(cast):
    return {"pk": the_campaign(cast).pk}


def line(cast):
    return {"pk": make_line(cast).pk}


def expense(cast):
    return {"pk": make_expense(cast).pk}


def receipt(cast):
    made = make_expense(cast, receipts=[files.upload("发票.jpg", files.jpeg())])
    return {"pk": made.receipts.get().pk}


def line_data(cast):
    return {"category": "culture", "title": "运动会", "amount": "5000.00"}


def expense_data(cast):
    return {"budget_line": make_line(cast).pk, "spent_on": "2021-05-01", "amount": "120.50", "payee": "某某超市",
            "purpose": "饮用水", "receipts": files.upload("发票.pdf", files.pdf(1))}


WRITE = {"leader": 403}

MATRIX = [
    Expect("funding:index", statuses(outsider=200), note="no campaign yet: the page says so"),
    Expect("funding:budget", statuses(), kwargs=campaign),
    Expect("funding:expenses", statuses(), kwargs=campaign),
    Expect("funding:export", statuses(), kwargs=campaign),
    Expect("funding:line_create", statuses(**WRITE), kwargs=campaign),
    Expect("funding:line_create", statuses(office=302, **WRITE), method="post", kwargs=campaign, data=line_data),
    Expect("funding:line_edit", statuses(**WRITE), kwargs=line),
    Expect("funding:line_delete", statuses(office=302, **WRITE), method="post", kwargs=line),
    Expect("funding:expense_create", statuses(**WRITE), kwargs=campaign),
    Expect("funding:expense_create", statuses(office=302, **WRITE), method="post", kwargs=campaign, data=expense_data),
    Expect("funding:expense_edit", statuses(**WRITE), kwargs=expense),
    Expect("funding:expense_delete", statuses(office=302, **WRITE), method="post", kwargs=expense),
    Expect("funding:receipt", statuses(), kwargs=receipt),
    # API: DRF answers 403 to anonymous callers (session auth has no challenge header).
    Expect("funding-budget-line-list", statuses(outsider=200, anonymous=403)),
    Expect("funding-budget-line-list", statuses(office=201, anonymous=403, **WRITE), method="post",
           data=lambda cast: {"campaign": the_campaign(cast).pk, **line_data(cast)}),
    Expect("funding-budget-line-detail", statuses(anonymous=403), kwargs=line),
    Expect("funding-expense-list", statuses(outsider=200, anonymous=403)),
    Expect("funding-expense-list", statuses(office=201, anonymous=403, **WRITE), method="post", data=expense_data),
    Expect("funding-expense-detail", statuses(anonymous=403), kwargs=expense),
]
