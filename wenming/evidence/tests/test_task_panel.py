"""The task page's 佐证材料 panel: the task's evidence the person may see, and an upload button pre-filled with it."""

import pytest
from django.urls import reverse

from wenming.evidence import services
from wenming.evidence.tests.conftest import line, task_of, upload_photos

pytestmark = pytest.mark.django_db


def test_task_page_lists_its_evidence_with_status_uploader_and_thumbnail(cast, campaign, task_a, client_for):
    photos = upload_photos(cast, campaign, task=task_a, count=2, title="道德讲堂活动照片")
    services.thumbnails_make([f.pk for f in photos.files.all()])
    returned = upload_photos(cast, campaign, task=task_a, actor=cast["liaison_a"], title="签到表")
    services.evidence_review(actor=cast["office"], evidence=returned, approve=False, reason="签到表缺少签名")
    upload_photos(cast, campaign, task=task_of(cast, campaign, cast.dept_a, title="别的任务"), title="别的任务的材料")

    page = client_for(cast["staff_a"]).get(reverse("campaigns:task", args=[task_a.pk])).content.decode()
    panel = page.split('id="evidence"')[1].split('class="card"')[0]
    assert "道德讲堂活动照片" in panel and "签到表" in panel and "别的任务的材料" not in panel
    assert "已退回" in panel and "签到表缺少签名" in panel and "待审核" in panel
    assert cast["staff_a"].real_name in panel and cast["liaison_a"].real_name in panel
    first = photos.files.order_by("id").first()
    assert reverse("evidence:thumbnail", args=[first.pk]) in panel
    assert f'{reverse("evidence:create", args=[campaign.pk])}?task={task_a.pk}' in panel


def test_task_page_shows_only_evidence_the_person_may_see(cast, campaign, client_for):
    """A task of 民二庭 seen by 民一庭's liaison: the panel follows `Evidence.objects.visible_to`, not the task."""
    task_b = task_of(cast, campaign, cast.dept_b, title="民二庭的任务")
    upload_photos(cast, campaign, task=task_b, actor=cast["liaison_b"], title="民二庭上传的照片")
    assert "民二庭上传的照片" in client_for(cast["office"]).get(
        reverse("campaigns:task", args=[task_b.pk])).content.decode()
    response = client_for(cast["staff_a"]).get(reverse("campaigns:task", args=[task_b.pk]))
    assert response.status_code == 404  # 民一庭's 干警 does not see 民二庭's task at all


def test_upload_page_from_a_task_is_prefilled_with_the_task_and_its_criteria(cast, campaign, client_for):
    from wenming.campaigns import services as campaign_services

    task = campaign_services.task_create(actor=cast["office"], campaign=campaign, title="举办道德讲堂",
                                         lead_department=cast.dept_a, criteria=[line(campaign, "3")])
    response = client_for(cast["staff_a"]).get(reverse("evidence:create", args=[campaign.pk]), {"task": task.pk})
    form = response.context["form"]
    assert form.initial["task"] == task.pk and form.initial["criteria"] == [line(campaign, "3").pk]
    page = response.content.decode()
    assert f'<option value="{task.pk}" selected>' in page
