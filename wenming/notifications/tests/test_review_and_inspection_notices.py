"""Who hears what: the 创建办 hears of evidence submitted for review — a daily summary by default, at once if asked
(a per-person setting) — and an evaluator hears of an inspection assigned to them, finds it on their to-do list,
and their header names its campaign."""

import pytest
from django.urls import reverse

from wenming.assessments import services as assessment_services
from wenming.assessments.models import Assessment
from wenming.evidence import services as evidence_services
from wenming.evidence.tests.conftest import make_campaign, upload_photos
from wenming.notifications import services
from wenming.notifications.models import Notification, Preference


@pytest.fixture
def campaign(cast):
    return make_campaign(cast)


def _notes(person, verb):
    return list(Notification.objects.filter(recipient=person, verb=verb))


def test_by_default_the_office_reads_one_summary_a_day(cast, campaign):
    upload_photos(cast, campaign, actor=cast["liaison_a"], title="道德讲堂照片")
    upload_photos(cast, campaign, actor=cast["staff_a"], title="志愿服务签到表")
    assert _notes(cast["office"], "evidence.submitted") == [], "no notice per submission by default"
    assert services.review_summaries_send() == 1
    summary = _notes(cast["office"], "evidence.review_summary")
    assert len(summary) == 1 and "待审核材料 2 份（近一天新提交 2 份）" in summary[0].title
    assert campaign.title in summary[0].body and summary[0].url.endswith("?status=pending")
    assert services.review_summaries_send() == 0, "once a day"
    assert _notes(cast["leader"], "evidence.review_summary") == [], "the 创建办 reviews, not the leaders"


def test_an_office_member_may_ask_to_hear_at_once(cast, campaign, client_for):
    office = client_for(cast["office"])
    page = office.get(reverse("notifications:preferences")).content.decode()
    assert "材料提交审核的通知" in page and "每日汇总一次（默认）" in page
    office.post(reverse("notifications:preferences"), {"email_frequency": "weekly", "review_notice": "immediate"})
    assert Preference.objects.get(user=cast["office"]).review_notice == Preference.ReviewNotice.IMMEDIATE
    item = upload_photos(cast, campaign, actor=cast["liaison_a"], title="道德讲堂照片")
    notes = _notes(cast["office"], "evidence.submitted")
    assert [n.title for n in notes] == ["新材料待审核：道德讲堂照片"]
    assert notes[0].url == reverse("evidence:detail", args=[item.pk])
    assert services.review_summaries_send() == 0, "who hears at once gets no summary"
    item = evidence_services.evidence_review(actor=cast["office"], evidence=item, approve=False, reason="照片模糊")
    evidence_services.evidence_update(actor=cast["liaison_a"], evidence=item, values={"title": "道德讲堂照片（清晰）"})
    assert "材料重新提交待审核：道德讲堂照片（清晰）" in [n.title for n in _notes(cast["office"], "evidence.submitted")]


def test_the_review_setting_is_offered_to_the_office_only(cast, client_for):
    page = client_for(cast["liaison_a"]).get(reverse("notifications:preferences")).content.decode()
    assert "材料提交审核的通知" not in page


def test_an_evaluator_hears_of_an_inspection_when_it_opens(cast, campaign, client_for):
    inspection = assessment_services.assessment_create(
        actor=cast["office"], campaign=campaign, kind=Assessment.Kind.INSPECTION, title="市文明办检查验收",
        team=[cast["evaluator"]])
    assert _notes(cast["evaluator"], "assessments.inspection_assigned") == [], "a draft assigns nothing yet"
    assessment_services.assessment_transition(actor=cast["office"], assessment=inspection, to="in_progress")
    notes = _notes(cast["evaluator"], "assessments.inspection_assigned")
    assert len(notes) == 1 and "市文明办检查验收" in notes[0].title
    assert notes[0].url == reverse("assessments:detail", args=[inspection.pk])

    evaluator = client_for(cast["evaluator"])
    todo = evaluator.get(reverse("assessments:index")).content.decode()
    assert 'id="my-inspections"' in todo and "市文明办检查验收" in todo
    assert campaign.title in todo and "尚未建立创建活动" not in todo, "the header names the assigned campaign"


def test_an_evaluator_added_to_an_opened_inspection_hears_of_it(cast, campaign):
    from wenming.org.roles import Role
    from wenming.testing import make_user

    inspection = assessment_services.assessment_create(
        actor=cast["office"], campaign=campaign, kind=Assessment.Kind.INSPECTION, title="市文明办检查验收",
        team=[cast["evaluator"]])
    assessment_services.assessment_transition(actor=cast["office"], assessment=inspection, to="in_progress")
    second = make_user("p_evaluator_2", cast.city, None, [Role.EVALUATOR], "测评员乙")
    assessment_services.assessment_update(actor=cast["office"], assessment=inspection, values={},
                                          team=[cast["evaluator"], second])
    assert len(_notes(second, "assessments.inspection_assigned")) == 1
    assert len(_notes(cast["evaluator"], "assessments.inspection_assigned")) == 1, "no second notice"
