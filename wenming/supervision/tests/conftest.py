from datetime import date, timedelta

import pytest
from django.utils import timezone

from wenming.campaigns import services as campaign_services
from wenming.campaigns.models import Campaign, Task
from wenming.standards.tests.workbooks import make_standard
from wenming.supervision import services


def make_campaign(cast):
    """This year's campaign (so today falls inside the plan) with the sample standard."""
    found = Campaign.objects.filter(unit=cast.unit).first()
    if found:
        return found
    year = timezone.localdate().year
    standard = make_standard(cast.unit, cast["office"], published=True)
    return campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{year}年创建市级文明单位",
                                             year=year, standard=standard)


def make_task(cast, campaign, *, department=None, due_on=None, days=None, title="开展道德讲堂活动", status=None):
    if days is not None:
        due_on = timezone.localdate() + timedelta(days=days)
    task = campaign_services.task_create(actor=cast["office"], campaign=campaign, title=title,
                                         lead_department=department or cast.dept_a, due_on=due_on)
    if status:
        Task.objects.filter(pk=task.pk).update(status=status)
        task.refresh_from_db()
    return task


def late_task(cast, campaign=None, department=None):
    campaign = campaign or make_campaign(cast)
    return make_task(cast, campaign, department=department, days=-5, title="组建志愿服务队")


def issue(cast, *, task=None, department=None, actor=None):
    task = task or late_task(cast, department=department)
    return services.order_issue(actor=actor or cast["office"], task=task, deadline=timezone.localdate() + timedelta(7),
                                request="请于一周内完成并报送材料。")


def answered(cast, **kwargs):
    order = issue(cast, **kwargs)
    actor = cast["liaison_a"] if order.department_id == cast.dept_a.pk else cast["liaison_b"]
    return services.order_answer(actor=actor, order=order, text="已完成，材料见附件。")


@pytest.fixture
def campaign(cast):
    return make_campaign(cast)


def today() -> date:
    return timezone.localdate()

