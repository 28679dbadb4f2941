"""预计得分: from the latest submitted self-check, unscored lines estimated from their evidence, its method shown; an
inspection reaches the unit (dashboard, lists, API) only once the evaluators submit it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from wenming.assessments import selectors, services
from wenming.assessments.projection import project, projected_score
from wenming.assessments.scoring import BONUS, VETO, Entry, Line, Sheet
from wenming.assessments.tests.conftest import approve, inspection, line, score, self_check, upload_photos

D = Decimal


def test_scored_lines_stay_and_unscored_lines_are_estimated_from_their_evidence():
    lines = (Line(1, "I", points=D(10)), Line(2, "I", points=D(10)), Line(3, "I", points=D(10)),
             Line(4, "I", points=D(10)), Line(5, "I", points=D(10)), Line(6, "I", kind=BONUS, points=D(2)),
             Line(7, "I", kind=VETO))
    sheet = Sheet(lines=lines, pass_score=D(30))
    estimate = project(sheet, {1: Entry(points=D(6))},
                       {1: "missing", 2: "approved", 3: "pending", 4: "returned"})
    assert estimate.result.total == D("21.0"), "6 scored + 10 approved + 5 pending + 0 returned + 0 nothing"
    assert estimate.scored == 1 and estimate.estimated == 4
    assert estimate.by_state == {"approved": 1, "pending": 1, "returned": 1, "missing": 1}
    assert estimate.result.lines[6].earned is None, "a bonus is earned, never expected"
    assert not estimate.result.vetoed


def test_the_projection_starts_from_the_latest_submitted_self_check(cast, campaign):
    own = self_check(cast, campaign)
    score(cast, own, "1", "0.5")
    first = projected_score(user=cast["leader"], campaign=campaign)
    assert first.source is None, "a self-check still being scored is not a basis"
    assert first.scored == 0 and first.estimated == first.lines and first.total == D("0.0")

    evidence = upload_photos(cast, campaign, codes=("3",), title="专题会议纪要")
    approve(cast, evidence)
    services.assessment_transition(actor=cast["office"], assessment=own, to="submitted")
    projection = projected_score(user=cast["leader"], campaign=campaign)
    assert projection.source == own and projection.source_on is not None
    assert projection.scored == 1 and projection.estimated == projection.lines - 1
    assert projection.by_state.get("approved") == 1
    assert projection.total == D("0.5") + line(campaign, "3").points


def test_the_leaders_dashboard_never_shows_an_unsubmitted_inspection(cast, campaign, client_for):
    """Issue 15/18: the dashboard showed the evaluator's running inspection ("已评 1/58 项") before submission."""
    running = inspection(cast, campaign)
    score(cast, running, "1", "1", actor=cast["evaluator"])
    score(cast, running, "3", "2", actor=cast["evaluator"])
    for persona in ("leader", "office"):
        page = client_for(cast[persona]).get(reverse("supervision:dashboard")).content.decode()
        assert running.title not in page and "已评" not in page, persona
        assert "尚无提交的自查，全部" in page and "按材料情况估算" in page
    assert projected_score(user=cast["leader"], campaign=campaign).total == D("0.0")
    listed = {item.pk: item for item in selectors.assessment_list(user=cast["office"], campaign=campaign)}
    assert listed[running.pk].scored_lines == 0, "the unit does not learn the inspection's progress"
    evaluators = {item.pk: item for item in selectors.assessment_list(user=cast["evaluator"], campaign=campaign)}
    assert evaluators[running.pk].scored_lines == 2
    api = client_for(cast["leader"]).get(reverse("assessment-totals", args=[running.pk]))
    assert api.status_code == 404


def test_the_dashboard_states_its_method(cast, campaign, client_for):
    own = self_check(cast, campaign)
    score(cast, own, "1", "1")
    services.assessment_transition(actor=cast["office"], assessment=own, to="submitted")
    page = client_for(cast["leader"]).get(reverse("supervision:dashboard")).content.decode()
    day = projected_score(user=cast["leader"], campaign=campaign).source_on
    assert f"按 {day.month} 月 {day.day} 日提交的自查，未评分的" in page
    assert "材料已通过按满分，待审核按一半，已退回或无材料按 0 分" in page


@pytest.mark.parametrize("persona", ["liaison_a", "staff_a", "evaluator", "outsider"])
def test_the_projection_reads_only_what_the_person_may_read(cast, campaign, persona):
    running = inspection(cast, campaign)
    score(cast, running, "1", "1", actor=cast["evaluator"])
    projection = projected_score(user=cast[persona], campaign=campaign)
    assert projection is None or projection.source is None
