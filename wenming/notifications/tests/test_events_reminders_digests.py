"""The events other apps report, the deadline reminders and the weekly digest."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from wenming.campaigns import services as campaign_services
from wenming.campaigns.models import Task
from wenming.evidence import services as evidence_services
from wenming.evidence.tests.conftest import make_campaign, upload_photos
from wenming.notifications import services
from wenming.notifications.models import Delivery, Notification, Preference, ReminderLog, UnitSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast):
    return make_campaign(cast)


def test_assigning_a_task_notifies_the_new_owner_once(cast, campaign):
    task = campaign_services.task_create(actor=cast["office"], campaign=campaign, title="开展道德讲堂活动",
                                         lead_department=cast.dept_a, owner=cast["staff_a"], due_on=date(2021, 6, 30))
    note = Notification.objects.get(recipient=cast["staff_a"])
    assert note.verb == "campaigns.task_assigned" and "开展道德讲堂活动" in note.title and "完成时限 2021-06-30" in note.body
    assert note.url == f"/campaigns/tasks/{task.pk}/"
    campaign_services.tasks_assign(actor=cast["office"], tasks=[task], owner=cast["staff_a"])  # unchanged owner
    campaign_services.tasks_assign(actor=cast["office"], tasks=[task], owner=cast["liaison_a"])
    assert Notification.objects.filter(verb="campaigns.task_assigned").count() == 2
    assert Notification.objects.filter(recipient=cast["liaison_a"]).exists()


def test_mentions_by_real_name_or_username_notify_the_people_named(cast, campaign):
    task = campaign_services.task_create(actor=cast["office"], campaign=campaign, title="文明庭室评选")
    campaign_services.task_comment(actor=cast["office"], task=task,
                                   body="@干警甲 请补充照片，@p_liaison_b 请核对，@创建办 自己不提醒")
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"p_staff_a", "p_liaison_b"}


def test_returning_evidence_notifies_its_uploader_with_the_reason(cast, campaign):
    item = upload_photos(cast, campaign)
    evidence_services.evidence_review(actor=cast["office"], evidence=item, approve=False, reason="缺少签到表")
    note = Notification.objects.get(recipient=cast["staff_a"])
    assert note.verb == "evidence.returned" and "缺少签到表" in note.body and note.actor == cast["office"]


def test_reminders_go_to_owners_of_tasks_due_soon_or_overdue_once_a_day(cast, campaign):
    today = date(2021, 6, 28)
    make = lambda title, due, **kw: Task.objects.create(campaign=campaign, title=title, owner=cast["staff_a"],  # noqa: E731
                                                        due_on=due, **kw)
    soon = make("三天后到期", today + timedelta(days=3))
    make("四天后到期", today + timedelta(days=4))
    late = make("已逾期", today - timedelta(days=2))
    make("已完成", today - timedelta(days=2), status=Task.Status.DONE)
    Task.objects.create(campaign=campaign, title="无人负责", due_on=today)
    assert services.reminders_send(today=today) == 2
    titles = sorted(Notification.objects.values_list("title", flat=True))
    assert titles == ["任务已逾期 2 天：已逾期", "任务还有 3 天到期：三天后到期"]
    assert services.reminders_send(today=today) == 0  # once per item and day
    assert ReminderLog.objects.filter(item__in=[f"task:{soon.pk}", f"task:{late.pk}"]).count() == 2
    assert services.reminders_send(today=today + timedelta(days=1)) == 3  # next day: 4-day task enters the window

    UnitSettings.objects.create(unit=cast.unit, reminder_days=0)
    Notification.objects.all().delete()
    assert services.reminders_send(today=today + timedelta(days=2)) == 1  # only the overdue one now


def test_milestones_not_done_remind_the_office_once_a_day(cast, campaign):
    """节点 (the self-check, the inspection) within the unit's days or past and not marked done: the 创建办."""
    from wenming.campaigns.models import Milestone

    today = date(2021, 6, 28)
    Milestone.objects.filter(campaign=campaign).delete()
    inspection = Milestone.objects.create(campaign=campaign, title="迎接市文明办检查验收", due_on=today + timedelta(days=2))
    Milestone.objects.create(campaign=campaign, title="半年总结", due_on=today + timedelta(days=10))
    Milestone.objects.create(campaign=campaign, title="动员大会", due_on=today - timedelta(days=30), done=True)
    missed = Milestone.objects.create(campaign=campaign, title="自查自评", due_on=today - timedelta(days=1))
    assert services.reminders_send(today=today) == 2
    notes = Notification.objects.filter(verb__startswith="notifications.milestone")
    assert set(notes.values_list("recipient", flat=True)) == {cast["office"].pk}
    assert sorted(notes.values_list("title", flat=True)) == ["节点已过 1 天仍未完成：自查自评",
                                                             "节点还有 2 天：迎接市文明办检查验收"]
    assert notes.get(verb="notifications.milestone_due").url == f"/campaigns/{campaign.pk}/"
    assert "标记为已完成" in notes.first().body
    assert services.reminders_send(today=today) == 0  # once per milestone, person and day
    missed.done = True
    missed.save()
    assert services.reminders_send(today=today + timedelta(days=2)) == 1
    assert Notification.objects.filter(title="节点就在今天：迎接市文明办检查验收").exists()
    assert ReminderLog.objects.filter(item=f"milestone:{inspection.pk}").count() == 2


def test_reminders_cover_rounds_of_recurring_tasks(cast, campaign):
    task = campaign_services.task_create(actor=cast["office"], campaign=campaign, title="每月开展志愿服务",
                                         owner=cast["staff_a"], recurrence=Task.Recurrence.MONTHLY,
                                         starts_on=date(2021, 1, 1), due_on=date(2021, 12, 31))
    first = task.occurrences.order_by("due_on").first()
    Notification.objects.all().delete()
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 — runs for real "today"
    assert services.reminders_send(today=first.due_on) >= 1
    assert ReminderLog.objects.filter(item=f"occurrence:{first.pk}", day=first.due_on).exists()


def test_weekly_digest_is_the_default_and_one_mail_per_person(with_email, django_capture_on_commit_callbacks):
    cast = with_email
    Preference.objects.create(user=cast["liaison_b"], email_frequency=Preference.Frequency.OFF)
    Preference.objects.create(user=cast["leader"], email_frequency=Preference.Frequency.IMMEDIATE)
    for title in ("任务分派：道德讲堂", "材料被退回：志愿服务"):
        services.notify(recipients=[cast["staff_a"], cast["liaison_b"], cast["leader"]], verb="x", title=title)
    old = services.notify(recipients=[cast["staff_a"]], verb="x", title="上上周的")
    Notification.objects.filter(pk=old[0].pk).update(created_at=timezone.now() - timedelta(days=9))
    services.notify(recipients=[cast["liaison_a"]], verb="x", title="已读的")
    Notification.objects.filter(recipient=cast["liaison_a"]).update(read_at=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [[cast["staff_a"].email]]
    body = mail.outbox[0].body
    assert "本周您有 2 条未读通知" in body and "道德讲堂" in body and "上上周的" not in body
    assert mail.outbox[0].subject == "【文明创建】每周通知汇总（2 条未读）"
    assert Delivery.objects.get(is_digest=True).status == "sent"
    assert services.digests_send() == 0  # run twice in a week: no second digest
