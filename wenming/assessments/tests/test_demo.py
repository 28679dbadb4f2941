"""The demo: a self-check mostly scored with findings and three 整改 items (two closed with evidence, one open),
and an inspection in progress with the demo evaluator on its team; loading twice changes nothing."""

import pytest
from django.utils import timezone

from wenming.assessments import demo, selectors
from wenming.assessments.models import Assessment, Finding, Rectification, Score
from wenming.campaigns import demo as campaigns_demo
from wenming.evidence import demo as evidence_demo
from wenming.org import demo as org_demo
from wenming.org.models import User
from wenming.standards import demo as standards_demo

pytestmark = pytest.mark.django_db


def test_demo_assessments():
    org_demo.load()
    standards_demo.load()
    campaigns_demo.load()
    evidence_demo.load()
    demo.load()
    counts = (Assessment.objects.count(), Score.objects.count(), Finding.objects.count(), Rectification.objects.count())
    demo.load()
    assert counts == (Assessment.objects.count(), Score.objects.count(), Finding.objects.count(),
                      Rectification.objects.count()), "idempotent"

    own = Assessment.objects.get(kind="self_check")
    result = selectors.totals_for(own)
    assert own.status == "in_progress" and result.scored >= result.to_score - 3 and not result.complete
    assert result.passed and result.total >= own.campaign.standard.pass_score
    assert Finding.objects.filter(assessment=own).count() >= 3
    items = Rectification.objects.all()
    assert items.count() >= 3
    closed = items.filter(status="closed")
    assert closed.count() == 2 and all(item.evidence.exists() and item.closed_at for item in closed)
    assert items.filter(status="open").exists()
    liaison = User.objects.get(username="liaison_a")
    assert selectors.open_rectifications_for(liaison), "民一庭's liaison has one to do"

    inspection = Assessment.objects.get(kind="inspection")
    evaluator = User.objects.get(username="evaluator")
    assert inspection.status == "in_progress" and list(inspection.team.all()) == [evaluator]
    assert Assessment.objects.visible_to(evaluator).get() == inspection
    assert not Score.objects.visible_to(User.objects.get(username="office")).filter(assessment=inspection).exists()
    assert own.campaign.title == f"{timezone.localdate().year}年创建市级文明单位"
