"""红黄绿灯 are computed in the database from the deadline and the state — the same on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from wenming.campaigns.models import Task, TaskOccurrence
from wenming.supervision import lights, services
from wenming.supervision.lights import Light
from wenming.supervision.models import SupervisionOrder
from wenming.supervision.tests.conftest import issue, make_task

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 15)


def lit(campaign, warn_days=3):
    tasks = lights.tasks_with_light(Task.objects.filter(campaign=campaign), today=DAY, warn_days=warn_days)
    return {t.title: t.light for t in tasks}


def test_task_lights_follow_the_deadline_and_the_state(cast, campaign):
    for title, due, status in [
        ("昨天到期", DAY - timedelta(1), None), ("今天到期", DAY, None), ("三天后", DAY + timedelta(3), None),
        ("四天后", DAY + timedelta(4), None), ("没有时限", None, None),
        ("逾期但已完成", DAY - timedelta(30), Task.Status.DONE), ("待审核也算未完成", DAY - timedelta(1), Task.Status.IN_REVIEW),
    ]:
        make_task(cast, campaign, title=title, due_on=due, status=status)
    assert lit(campaign) == {
        "昨天到期": Light.RED, "今天到期": Light.YELLOW, "三天后": Light.YELLOW, "四天后": Light.GREEN,
        "没有时限": Light.GREEN, "逾期但已完成": Light.NONE, "待审核也算未完成": Light.RED,
    }
    assert lit(campaign, warn_days=0)["三天后"] == Light.GREEN
    assert lit(campaign, warn_days=5)["四天后"] == Light.YELLOW


def test_a_missed_round_keeps_a_recurring_task_red_and_the_next_round_lights_it_otherwise(cast, campaign):
    monthly = make_task(cast, campaign, title="每月通报", due_on=date(2026, 12, 31))
    TaskOccurrence.objects.bulk_create([TaskOccurrence(task=monthly, due_on=date(2026, m, 28)) for m in (5, 6, 7)])
    assert lit(campaign)["每月通报"] == Light.RED  # May's round is open
    TaskOccurrence.objects.filter(task=monthly, due_on__month=5).update(done_at=timezone.now())
    assert lit(campaign)["每月通报"] == Light.GREEN  # next open round 6-28 is 13 days away
    assert lit(campaign, warn_days=13)["每月通报"] == Light.YELLOW


def test_occurrences_carry_their_own_light(cast, campaign):
    task = make_task(cast, campaign, title="每季度", due_on=date(2026, 12, 31))
    TaskOccurrence.objects.bulk_create([TaskOccurrence(task=task, due_on=d) for d in
                                        (date(2026, 3, 31), date(2026, 6, 16), date(2026, 9, 30))])
    TaskOccurrence.objects.filter(task=task, due_on__month=3).update(done_at=timezone.now())
    rows = lights.occurrences_with_light(TaskOccurrence.objects.filter(task=task), today=DAY, warn_days=3)
    assert [r.light for r in rows.order_by("due_on")] == [Light.NONE, Light.YELLOW, Light.GREEN]


def test_annotate_light_is_generic_and_orders_by_severity(cast, campaign):
    late = issue(cast)
    SupervisionOrder.objects.filter(pk=late.pk).update(deadline=DAY - timedelta(2))
    rows = lights.annotate_light(SupervisionOrder.objects.all(), due_field="deadline",
                                 done_q=Q(status=SupervisionOrder.Status.CLOSED), today=DAY, warn_days=3)
    assert [(r.light, r.light_rank) for r in rows] == [(Light.RED, 0)]


def test_yellow_days_are_set_per_unit(cast, campaign):
    assert services.settings_for(cast.unit.pk).warn_days == 3
    services.settings_update(actor=cast["office"], unit=cast.unit, values={"warn_days": 10})
    assert services.settings_for(cast.unit.pk).warn_days == 10
    assert services.settings_for(cast.other_unit.pk).warn_days == 3
