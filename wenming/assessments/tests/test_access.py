"""Inspection by evaluators: assigned campaigns only, approved evidence only, scores hidden from the unit until the
inspection is submitted — on the screens and through the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wenming.assessments import services
from wenming.assessments.models import Assessment, Score
from wenming.assessments.tests.conftest import approve, inspection, line, score, self_check, upload_photos
from wenming.campaigns import services as campaign_services
from wenming.campaigns.models import Campaign
from wenming.evidence import services as evidence_services
from wenming.evidence.tests.conftest import make_campaign


@pytest.fixture
def scored_inspection(cast, campaign):
    found = inspection(cast, campaign)
    score(cast, found, "1", "0.5", actor=cast["evaluator"], note="会议记录不全")
    services.finding_create(actor=cast["evaluator"], assessment=found, criterion=line(campaign, "1"),
                            description="领导小组文件未加盖公章。")
    return found


def test_evaluator_sees_only_the_campaign_of_its_opened_inspection(cast, campaign):
    evaluator = cast["evaluator"]
    assert not Campaign.objects.visible_to(evaluator).exists()
    draft = inspection(cast, campaign, status=Assessment.Status.DRAFT)
    assert not Campaign.objects.visible_to(evaluator).exists(), "a draft inspection assigns nothing yet"
    assert not Assessment.objects.visible_to(evaluator).exists()
    Assessment.objects.filter(pk=draft.pk).update(status=Assessment.Status.IN_PROGRESS)
    assert list(Campaign.objects.visible_to(evaluator)) == [campaign]
    assert list(Assessment.objects.visible_to(evaluator)) == [draft]
    self_check(cast, campaign)
    assert list(Assessment.objects.visible_to(evaluator)) == [draft], "never the unit's own self-check"


def test_evaluator_cannot_open_drafts_other_campaigns_or_self_checks(cast, campaign, client_for):
    draft = inspection(cast, campaign, status=Assessment.Status.DRAFT)
    own = self_check(cast, campaign)
    other_standard_campaign = campaign_services.campaign_create(
        actor=cast["office"], unit=cast.unit, title="2022年复查", year=2022, standard=campaign.standard)
    client = client_for(cast["evaluator"])
    assert client.get(reverse("assessments:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("assessments:detail", args=[own.pk])).status_code == 404
    assert client.get(reverse("assessments:list", args=[other_standard_campaign.pk])).status_code == 404
    assert client.get(reverse("assessment-detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("assessment-list")).json()["results"] == []


def test_evaluator_of_another_campaign_sees_nothing_of_this_one(cast, client_for):
    ours = make_campaign(cast)
    theirs = campaign_services.campaign_create(actor=cast["outsider"], unit=cast.other_unit, title="区法院创建",
                                               year=2021, standard=None)
    inspection(cast, ours)
    client = client_for(cast["evaluator"])
    assert client.get(reverse("assessments:list", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("assessments:list", args=[ours.pk])).status_code == 200


def test_evaluator_scoring_screen_shows_approved_evidence_only(cast, campaign, client_for, settings):
    approved = upload_photos(cast, campaign, title="已通过的道德讲堂照片", codes=("1",))
    approve(cast, approved)
    upload_photos(cast, campaign, title="待审核的签到表照片", codes=("1",))
    evidence_services.thumbnails_make(list(approved.files.values_list("pk", flat=True)))
    found = inspection(cast, campaign)
    page = client_for(cast["evaluator"]).get(reverse("assessments:detail", args=[found.pk])).content.decode()
    assert "已通过的道德讲堂照片" in page
    assert "待审核的签到表照片" not in page
    office_page = client_for(cast["office"]).get(reverse("assessments:detail", args=[found.pk])).content.decode()
    assert "待审核的签到表照片" in office_page, "the unit sees its own pending material"


def test_unit_cannot_read_evaluator_scores_before_submission(cast, campaign, scored_inspection, client_for):
    office = client_for(cast["office"])
    page = office.get(reverse("assessments:detail", args=[scored_inspection.pk])).content.decode()
    assert "会议记录不全" not in page and "提交前本单位看不到评分" in page
    assert office.get(reverse("assessments:findings", args=[scored_inspection.pk])).status_code == 403
    assert office.get(reverse("assessments:export_xlsx", args=[scored_inspection.pk])).status_code == 403
    assert office.get(reverse("assessment-totals", args=[scored_inspection.pk])).status_code == 404
    assert office.get(reverse("assessment-score-list"), {"assessment": scored_inspection.pk}).json()["results"] == []
    assert office.get(reverse("assessment-finding-list")).json()["results"] == []
    compare = office.get(reverse("assessments:compare", args=[campaign.pk])).content.decode()
    assert "检查验收提交后，才能与自查逐项对比" in compare
    assert not Score.objects.visible_to(cast["leader"]).filter(assessment=scored_inspection).exists()


def test_after_submission_the_unit_reads_the_inspection_side_by_side(cast, campaign, scored_inspection, client_for):
    own = self_check(cast, campaign)
    score(cast, own, "1", "1")
    services.assessment_transition(actor=cast["evaluator"], assessment=scored_inspection, to="submitted")
    office = client_for(cast["office"])
    assert office.get(reverse("assessment-totals", args=[scored_inspection.pk])).json()["total"] == "0.5"
    assert office.get(reverse("assessment-score-list"), {"assessment": scored_inspection.pk}).json()["count"] == 1
    compare = office.get(reverse("assessments:compare", args=[campaign.pk])).content.decode()
    assert 'class="differs"' in compare and "-0.5" in compare
    with pytest.raises(ValidationError):  # the 文明办's verdict: the unit cannot reopen it
        services.assessment_transition(actor=cast["office"], assessment=scored_inspection, to="in_progress")


def test_evaluator_scores_independently_and_cannot_touch_the_self_check(cast, campaign, client_for):
    own = self_check(cast, campaign)
    found = inspection(cast, campaign)
    criterion = line(campaign, "2")
    client = client_for(cast["evaluator"])
    response = client.post(reverse("assessments:line", args=[found.pk, criterion.pk]), {"points": "1", "version": 0})
    assert response.status_code == 200
    assert client.post(reverse("assessments:line", args=[own.pk, criterion.pk]),
                       {"points": "1", "version": 0}).status_code == 404
    office = client_for(cast["office"])
    assert office.post(reverse("assessments:line", args=[found.pk, criterion.pk]),
                       {"points": "0", "version": 0}).status_code == 403
    assert Score.objects.get(assessment=found).points == 1


def test_evaluator_cannot_download_a_file_of_a_superseded_evidence_version(cast, campaign, client_for):
    """Issue 18: the scoring sheet's file path skipped the retired-file rule of the evidence pages."""
    from wenming.evidence.tests import files

    item = upload_photos(cast, campaign, title="道德讲堂照片", codes=("1",))
    first = item.files.get()
    item = evidence_services.evidence_review(actor=cast["office"], evidence=item, approve=False, reason="照片模糊")
    item = evidence_services.evidence_update(actor=cast["staff_a"], evidence=item, retire_files=[first.pk],
                                             add_files=[files.upload("清晰照片.jpg", files.jpeg())])
    approve(cast, item)
    current = item.files.get(retired_in__isnull=True)
    found = inspection(cast, campaign)
    evaluator = client_for(cast["evaluator"])
    assert evaluator.get(reverse("assessments:file", args=[found.pk, current.pk])).status_code == 200
    assert evaluator.get(reverse("assessments:file", args=[found.pk, first.pk])).status_code == 404
    assert evaluator.get(reverse("assessments:thumbnail", args=[found.pk, first.pk])).status_code == 404
    assert evaluator.get(reverse("evidence:file", args=[first.pk])).status_code in (403, 404)


def test_the_policy_gives_evaluators_current_files_of_approved_evidence_only(cast, campaign):
    """Issue 18: the evaluator's material is the evidence policy's `inspect`, not a second path beside it."""
    from wenming.evidence.models import Evidence, EvidenceFile

    approved = upload_photos(cast, campaign, title="已通过的照片", codes=("1",))
    approve(cast, approved)
    pending = upload_photos(cast, campaign, title="待审核的照片", codes=("1",))
    evaluator = cast["evaluator"]
    assert not Evidence.objects.restrict(evaluator, "inspect").exists(), "no opened inspection: nothing"
    inspection(cast, campaign)
    assert list(Evidence.objects.restrict(evaluator, "inspect")) == [approved]
    assert not Evidence.objects.restrict(evaluator, "view").exists(), "the evidence pages stay closed"
    files = EvidenceFile.objects.restrict(evaluator, "inspect")
    assert set(files) == set(approved.files.all())
    EvidenceFile.objects.filter(evidence=approved).update(retired_in=1)
    assert not EvidenceFile.objects.restrict(evaluator, "inspect").exists(), "a retired file is history"
    assert pending in Evidence.objects.restrict(cast["office"], "inspect")


def test_the_units_dashboard_and_api_never_show_an_inspections_scores_before_submission(
        cast, campaign, scored_inspection, client_for):
    """Issue 18: the dashboard's projected score and the API read only scores the unit may read; an inspection's
    (0.5 on line 1) reaches the unit only once the evaluator submits it."""
    from wenming.assessments.projection import projected_score

    for persona in ("office", "leader", "liaison_a", "staff_a"):
        user = cast[persona]
        projection = projected_score(user=user, campaign=campaign)
        assert projection is None or projection.source is None, persona
        client = client_for(user)
        assert client.get(reverse("assessment-totals", args=[scored_inspection.pk])).status_code in (403, 404)
        assert client.get(reverse("assessment-score-list"), {"assessment": scored_inspection.pk}).json()[
            "results"] == [], persona
        assert client.get(reverse("assessment-finding-list")).json()["results"] == [], persona
    page = client_for(cast["office"]).get(reverse("supervision:dashboard"), {"campaign": campaign.pk})
    assert page.status_code == 200
    assert "会议记录不全" not in page.content.decode()
    assert page.context["board"].projected is None or page.context["board"].projected.source is None
    services.assessment_transition(actor=cast["evaluator"], assessment=scored_inspection, to="submitted")
    assert client_for(cast["office"]).get(reverse("assessment-score-list"), {"assessment": scored_inspection.pk}
                                          ).json()["count"] == 1
