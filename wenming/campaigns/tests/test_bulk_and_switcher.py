"""批量分派 (only what is filled changes, all in one transaction, audited; every task matching a filter), the header's
campaign switcher (remembered per person, every campaign page follows) and My work across the open campaigns."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from wenming.audit.models import AuditEvent
from wenming.campaigns import selectors, services
from wenming.campaigns.models import Campaign, CampaignChoice, Task
from wenming.evidence.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast):
    year = timezone.localdate().year
    return services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{year}年创建市级文明单位", year=year)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def bulk(client, campaign, **data):
    return client.post(f"/campaigns/{campaign.pk}/tasks/bulk/", data)


def test_bulk_assign_sets_lead_co_departments_owner_and_time_limit_and_leaves_the_rest(cast, campaign, client_for):
    phase = campaign.phases.first()
    tasks = [services.task_create(actor=cast["office"], campaign=campaign, title=f"任务{i}", phase=phase,
                                  supervisor=cast["leader"], due_text="年底前") for i in range(3)]
    response = bulk(client_for(cast["office"]), campaign, tasks=[tasks[0].pk, tasks[1].pk],
                    lead_department=cast.dept_a.pk, co_departments=[cast.dept_a.pk, cast.dept_b.pk],
                    owner=cast["liaison_a"].pk, due_text="6月30日", query="status=not_started")
    assert response.status_code == 302 and response["Location"].endswith("?status=not_started")
    assert messages_of(response) == ["已批量分派 2 项任务。"]
    year = campaign.year
    for task in Task.objects.filter(pk__in=[tasks[0].pk, tasks[1].pk]):
        assert (task.lead_department, task.owner, task.due_on, task.due_text) == (
            cast.dept_a, cast["liaison_a"], date(year, 6, 30), "6月30日")
        assert list(task.co_departments.all()) == [cast.dept_b]  # the lead department is not its own co-department
        assert (task.phase, task.supervisor) == (phase, cast["leader"])  # left at （不变）
    untouched = Task.objects.get(pk=tasks[2].pk)
    assert (untouched.owner, untouched.lead_department, untouched.due_text) == (None, None, "年底前")
    events = AuditEvent.objects.filter(verb="campaigns.task_assigned").order_by("id")
    assert events.count() == 2
    assert events[0].before["co_departments"] == [] and events[0].after["co_departments"] == ["民二庭"]


def test_bulk_assign_takes_every_task_matching_the_filter_on_the_server(cast, campaign, client_for):
    for i in range(1, 61):
        services.task_create(actor=cast["office"], campaign=campaign, title=f"任务{i:02d}",
                             lead_department=cast.dept_a if i % 2 else cast.dept_b)
    response = bulk(client_for(cast["office"]), campaign, all_matching="1", owner=cast["staff_a"].pk,
                    query=f"department={cast.dept_a.pk}")
    assert messages_of(response) == ["已批量分派 30 项任务。"]
    assert Task.objects.filter(owner=cast["staff_a"]).count() == 30
    assert not Task.objects.filter(owner=cast["staff_a"], lead_department=cast.dept_b).exists()


def test_bulk_assign_with_an_unreadable_time_limit_changes_nothing_and_says_why(cast, campaign, client_for):
    tasks = [services.task_create(actor=cast["office"], campaign=campaign, title=f"任务{i}") for i in range(2)]
    response = bulk(client_for(cast["office"]), campaign, tasks=[t.pk for t in tasks], owner=cast["staff_a"].pk,
                    due_text="尽快")
    [message] = messages_of(response)
    assert message.startswith("完成时限：") and "尽快" in message
    assert not Task.objects.filter(owner__isnull=False).exists()


def test_bulk_assign_without_a_tick_or_without_a_field_asks_for_it(cast, campaign, client_for):
    task = services.task_create(actor=cast["office"], campaign=campaign, title="任务")
    client = client_for(cast["office"])
    assert messages_of(bulk(client, campaign, owner=cast["staff_a"].pk)) == ["请先勾选要分派的任务。"]
    assert "请至少选择一项" in messages_of(bulk(client, campaign, tasks=[task.pk]))[-1]


def test_a_chosen_campaign_is_remembered_per_person_and_every_campaign_page_opens_it(cast, campaign, client_for):
    old = services.campaign_create(actor=cast["office"], unit=cast.unit, title="2020年创建市级文明单位", year=2020)
    liaison, staff = client_for(cast["liaison_a"]), client_for(cast["staff_a"])
    assert selectors.current_campaign(user=cast["liaison_a"]) == campaign
    response = liaison.post("/campaigns/choose/", {"campaign": old.pk, "next": f"/campaigns/{campaign.pk}/tasks/?page=2"})
    assert response["Location"] == f"/campaigns/{old.pk}/tasks/"
    assert messages_of(response) == ["已切换到“2020年创建市级文明单位”。"]
    assert CampaignChoice.objects.get(user=cast["liaison_a"]).campaign == old
    assert selectors.current_campaign(user=cast["liaison_a"]) == old
    assert selectors.current_campaign(user=cast["staff_a"]) == campaign  # someone else's choice is theirs
    assert liaison.get("/evidence/")["Location"] == f"/evidence/campaigns/{old.pk}/"
    assert liaison.get("/campaigns/tasks/")["Location"] == f"/campaigns/{old.pk}/tasks/"
    page = liaison.get("/").content.decode()
    assert f'<option value="{old.pk}" selected>' in page and f'<option value="{campaign.pk}">' in page
    assert 'id="campaign-switch"' in staff.get("/").content.decode()


@pytest.mark.parametrize(("next_url", "expected"), [
    ("/evidence/", "/evidence/"),
    ("/supervision/dashboard/?campaign=1", "/supervision/dashboard/"),
    ("/evidence/campaigns/{old}/archive/", "/evidence/campaigns/{new}/archive/"),
    ("/campaigns/tasks/77/", "/campaigns/{new}/"),  # a page of one object of the other campaign
    ("https://elsewhere.example/", "/campaigns/{new}/"),
])
def test_switching_keeps_the_page_for_the_new_campaign(cast, campaign, client_for, next_url, expected):
    new = services.campaign_create(actor=cast["office"], unit=cast.unit, title="2020年", year=2020)
    response = client_for(cast["office"]).post("/campaigns/choose/", {
        "campaign": new.pk, "next": next_url.format(old=campaign.pk)})
    assert response["Location"] == expected.format(new=new.pk)


def test_nobody_chooses_another_units_campaign(cast, campaign, client_for):
    theirs = services.campaign_create(actor=cast["outsider"], unit=cast.other_unit, title="外单位", year=2021)
    assert client_for(cast["office"]).post("/campaigns/choose/", {"campaign": theirs.pk}).status_code == 404
    assert client_for(cast["office"]).post("/campaigns/choose/", {"campaign": "x"}).status_code == 404
    assert not CampaignChoice.objects.exists()


def test_my_work_lists_every_open_campaign_and_returned_evidence(cast, campaign, client_for):
    old = services.campaign_create(actor=cast["office"], unit=cast.unit, title="2020年", year=2020)
    closed = services.campaign_create(actor=cast["office"], unit=cast.unit, title="2019年", year=2019)
    Campaign.objects.filter(pk=closed.pk).update(status=Campaign.Status.CLOSED)
    for each, title in ((campaign, "今年的任务"), (old, "去年的任务"), (closed, "前年的任务")):
        services.task_create(actor=cast["office"], campaign=each, title=title, lead_department=cast.dept_a)
    returned = Evidence.objects.create(campaign=old, title="去年的会议记录", occurred_on=date(2020, 3, 1),
                                       department=cast.dept_a, uploader=cast["staff_a"],
                                       status=Evidence.Status.RETURNED, return_reason="缺少签到表")
    page = client_for(cast["liaison_a"]).get("/campaigns/my/").content.decode()
    assert "今年的任务" in page and "去年的任务" in page and "前年的任务" not in page
    assert "去年的会议记录" in page and "缺少签到表" in page and f"/evidence/{returned.pk}/edit/" in page
    staff_page = client_for(cast["staff_a"]).get("/campaigns/my/").content.decode()
    assert "去年的会议记录" in staff_page  # the uploader sees it too
    assert "去年的会议记录" not in client_for(cast["liaison_b"]).get("/campaigns/my/").content.decode()
