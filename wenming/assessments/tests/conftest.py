from datetime import date

import pytest

from wenming.assessments import services
from wenming.assessments.models import Assessment
from wenming.evidence import services as evidence_services
from wenming.evidence.tests.conftest import make_campaign, upload_photos  # noqa: F401


def the_campaign(cast):
    from wenming.campaigns.models import Campaign

    return Campaign.objects.filter(unit=cast.unit).first() or make_campaign(cast)


def line(campaign, code):
    return campaign.standard.criteria.get(code=code)


def self_check(cast, campaign=None, *, status=Assessment.Status.IN_PROGRESS, team=()):
    campaign = campaign or the_campaign(cast)
    found = Assessment.objects.filter(campaign=campaign, kind=Assessment.Kind.SELF_CHECK).first()
    if found:
        return found
    made = services.assessment_create(actor=cast["office"], campaign=campaign, kind=Assessment.Kind.SELF_CHECK,
                                      title="2021年度自查", team=list(team), starts_on=date(2021, 9, 1))
    Assessment.objects.filter(pk=made.pk).update(status=status)
    made.refresh_from_db()
    return made


def inspection(cast, campaign=None, *, status=Assessment.Status.IN_PROGRESS):
    campaign = campaign or the_campaign(cast)
    found = Assessment.objects.filter(campaign=campaign, kind=Assessment.Kind.INSPECTION).first()
    if found:
        return found
    made = services.assessment_create(actor=cast["office"], campaign=campaign, kind=Assessment.Kind.INSPECTION,
                                      title="市文明办检查验收", team=[cast["evaluator"]])
    Assessment.objects.filter(pk=made.pk).update(status=status)
    made.refresh_from_db()
    return made


def score(cast, assessment, code, points, *, actor=None, **values):
    criterion = line(assessment.campaign, code)
    return services.score_save(actor=actor or cast["office"], assessment=assessment, criterion=criterion,
                               values={"points": points, **values})


def approve(cast, evidence):
    return evidence_services.evidence_review(actor=cast["office"], evidence=evidence, approve=True)


@pytest.fixture
def campaign(cast):
    return the_campaign(cast)
