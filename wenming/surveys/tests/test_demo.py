"""The demo's surveys: a 群众满意度测评 with a few hundred answers from several points linked to the satisfaction
line, and a 干警知晓率 test in progress; running it twice changes nothing."""

import pytest
from django.utils import timezone

from wenming.assessments import demo as assessments_demo
from wenming.campaigns import demo as campaigns_demo
from wenming.campaigns.models import Campaign
from wenming.org import demo as org_demo
from wenming.standards import demo as standards_demo
from wenming.surveys import demo
from wenming.surveys.models import Survey
from wenming.surveys.selectors import staff_completion, survey_results

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_satisfaction_survey_and_a_staff_test_in_progress(client_for):
    org_demo.load()
    standards_demo.load()
    campaigns_demo.load()
    assessments_demo.load()
    demo.load()
    demo.load()  # idempotent
    campaign = Campaign.objects.get(title=f"{timezone.localdate().year}年创建市级文明单位")
    public = Survey.objects.get(campaign=campaign, audience="public")
    assert public.status == Survey.Status.OPEN and public.criterion.code == "38"
    results = survey_results(survey=public)
    assert 250 <= results.sample <= 320
    assert len(results.by_point) == 4 and len(results.by_group) >= 3
    assert 80 < results.rate < 100
    assert results.proposal_points is not None and results.progress.flagged > 0
    test = Survey.objects.get(campaign=campaign, audience="staff")
    assert test.status == Survey.Status.OPEN
    completion = staff_completion(survey=test)
    answered = sum(row["answered"] for row in completion)
    assert 0 < answered < sum(row["staff"] for row in completion)
    assert survey_results(survey=test).rate > 50
    office = public.created_by
    assert client_for(office).get(f"/surveys/{public.pk}/results/").status_code == 200
