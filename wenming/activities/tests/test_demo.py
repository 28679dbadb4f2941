"""The demo's activities: one of every kind the seed names, each signed in, photographed, summarised and serving
its criteria as evidence; volunteer hours imported through the preview path; running it twice changes nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.activities import demo
from wenming.activities.models import Activity, VolunteerBatch, VolunteerRecord
from wenming.campaigns import demo as campaigns_demo
from wenming.campaigns.models import Campaign
from wenming.evidence.models import Evidence
from wenming.org import demo as org_demo
from wenming.org.models import User
from wenming.standards import demo as standards_demo

pytestmark = pytest.mark.django_db
SEED_KINDS = {"文体活动", "志愿服务", "道德讲堂", "我们的节日", "理论学习", "中心组学习", "党组会议", "干警大会", "部门会议", "帮扶共建"}


def test_demo_activities_cover_every_kind_and_serve_their_criteria(client_for):
    org_demo.load()
    standards_demo.load()
    campaigns_demo.load()
    demo.load()
    demo.load()  # idempotent
    campaign = Campaign.objects.get(title=f"{timezone.localdate().year}年创建市级文明单位")
    held = Activity.objects.filter(campaign=campaign, status=Activity.Status.SUMMARISED)
    assert SEED_KINDS <= set(held.values_list("kind__name", flat=True))
    for activity in held.prefetch_related("criteria", "documents__evidence__criteria"):
        assert activity.attendance.exists() and activity.summary, activity
        assert activity.criteria.exists(), activity
        for document in activity.documents.all():
            assert set(document.evidence.criteria.all()) == set(activity.criteria.all())
            if document.step == "photos":
                assert document.evidence.files.filter(file_type="jpg").exclude(thumbnail="").exists()
        assert {d.step for d in activity.documents.all()} == {"notice", "photos"}
        if activity.kind.is_meeting and activity.kind.name != "部门会议":
            assert activity.minutes and activity.decisions
    assert Activity.objects.filter(campaign=campaign, status=Activity.Status.PLANNED).exists()
    assert VolunteerBatch.objects.count() == 1 and VolunteerRecord.objects.count() > 20
    # the evidence app lists the photos under their criterion without a second upload
    office = User.objects.get(username="office")
    moral = held.get(kind__name="道德讲堂")
    criterion = moral.criteria.first()
    assert Evidence.objects.visible_to(office).filter(criteria=criterion, activity_link__activity=moral).exists()
    page = client_for(office).get(reverse("evidence:list", args=[campaign.pk]), {"criterion": criterion.pk})
    assert moral.title in page.content.decode()
    summary = client_for(office).get(reverse("activities:volunteers")).content.decode()
    assert "志愿者注册率" in summary
