"""The 工作台 is the person's to-do list by role, with counts and one link each, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.assessments.models import Assessment
from wenming.campaigns import services
from wenming.campaigns.models import Task
from wenming.core import memo
from wenming.evidence.models import Evidence

pytestmark = pytest.mark.django_db


def fill(cast, size: int):
    """A running campaign with `size` tasks (some due this week, some late, some in review) and evidence of each
    state, uploaded by 民一庭's 干警."""
    today = timezone.localdate()
    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{today.year}年创建市级文明单位",
                                        year=today.year)
    statuses = [Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS, Task.Status.IN_REVIEW]
    Task.objects.bulk_create([
        Task(campaign=campaign, number=i, title=f"任务{i}", lead_department=(cast.dept_a, cast.dept_b)[i % 2],
             status=statuses[i % 3], due_on=today + timedelta(days=(i % 9) - 4)) for i in range(size)])
    Evidence.objects.bulk_create([
        Evidence(campaign=campaign, title=f"材料{i}", occurred_on=today, department=cast.dept_a,
                 uploader=cast["staff_a"], status=(Evidence.Status.PENDING, Evidence.Status.RETURNED)[i % 2])
        for i in range(size)])
    return campaign


def todos(client):
    return {item.label: item for item in client.get("/").context["todos"]}


@pytest.mark.parametrize("size", [5, 300])
@pytest.mark.parametrize(("persona", "queries"), [
    # the shell (session, person, header) takes 8; each to-do line is one COUNT, the gap view's read is kept per revision
    ("liaison_a", 14), ("staff_a", 13), ("office", 14), ("leader", 12), ("evaluator", 11), ("admin", 8),
])
def test_the_home_page_runs_the_same_queries_for_5_or_300_tasks(cast, client_for, django_assert_num_queries,
                                                              persona, queries, size):
    fill(cast, size)
    client = client_for(cast[persona])
    memo.clear()
    with django_assert_num_queries(queries):
        assert client.get("/").status_code == 200


def test_a_liaison_sees_this_weeks_tasks_returned_evidence_and_open_orders(cast, client_for):
    fill(cast, 30)
    items = todos(client_for(cast["liaison_a"]))
    week_end = timezone.localdate() + timedelta(days=6 - timezone.localdate().weekday())
    expected = Task.objects.filter(lead_department=cast.dept_a, due_on__lte=week_end).exclude(
        status__in=[Task.Status.DONE, Task.Status.IN_REVIEW]).count()
    assert items["本周到期和已逾期的任务"].count == expected > 0
    assert items["本周到期和已逾期的任务"].url == "/campaigns/my/#due-soon"
    assert items["被退回的材料"].count == 15  # the department's
    assert items["本部门待答复的督办单"].count == 0
    assert items["本部门未销号的整改"].count == 0
    assert "近7天要参加签到的会议" in items
    assert "待审核的材料" not in items and "逾期任务" not in items
    assert todos(client_for(cast["liaison_b"]))["被退回的材料"].count == 0


def test_the_office_sees_evidence_to_review_overdue_tasks_and_answers(cast, client_for):
    campaign = fill(cast, 30)
    items = todos(client_for(cast["office"]))
    assert items["待审核的材料"].count == 15
    assert items["待审核的材料"].url == f"/evidence/campaigns/{campaign.pk}/?status=pending"
    assert items["逾期任务"].count == Task.objects.filter(due_on__lt=timezone.localdate()).count()
    assert items["逾期任务"].url == f"/campaigns/{campaign.pk}/tasks/?overdue=1"
    assert items["待我审核的任务"].count == 10
    assert items["督办单已答复，待确认办结"].count == 0
    assert "被退回的材料" not in items
    page = client_for(cast["office"]).get("/").content.decode()
    assert 'class="tile"' not in page  # no wall of tiles


def test_the_leader_sees_red_lights_decisions_and_the_dashboard(cast, client_for):
    fill(cast, 30)
    items = todos(client_for(cast["leader"]))
    assert items["亮红灯的任务"].count > 0 and items["亮红灯的任务"].url == "/supervision/?light=red"
    assert items["待我审核的任务"].count == 10
    assert items["领导驾驶舱：得分预测、各部门进度"].count is None


def test_the_evaluator_sees_each_assigned_inspection_with_its_deadline(cast, client_for):
    campaign = fill(cast, 3)
    inspection = Assessment.objects.create(campaign=campaign, kind=Assessment.Kind.INSPECTION, title="年度检查验收",
                                           status=Assessment.Status.IN_PROGRESS,
                                           ends_on=timezone.localdate() + timedelta(days=3))
    inspection.team.add(cast["evaluator"])
    [item] = client_for(cast["evaluator"]).get("/").context["todos"]
    assert item.label == "检查验收评分：测试市中级人民法院 · 年度检查验收"
    assert item.url == f"/assessments/{inspection.pk}/" and item.note.startswith("截止 ")


def test_the_three_administrators_get_their_places_not_an_empty_page(cast, client_for):
    page = client_for(cast["auditor"]).get("/").content.decode()
    assert "目前没有需要您处理的事项" in page and "/audit/" in page
