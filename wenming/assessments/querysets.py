"""The access policy of assessments, scores, findings and 整改 (DESIGN.md §5), in `wenming.org.policy` terms.

Inside the unit: every campaign member sees the unit's assessments; the 创建办 sets them up and scores self-checks
with the people it puts on the team. An inspection (检查验收) is scored by the evaluators on its team, and the unit
sees none of their scores or findings until the inspection is submitted. Evaluators (users of a 文明办 holding
Role.EVALUATOR) see only the inspections they are on the team of, once opened (not drafts), and nothing else of
the unit.

整改: the 创建办 and leaders see every item of the unit, liaisons too (they respond for their department),
staff their department's. Liaisons respond for their own department; only the 创建办 assigns, verifies and closes.
"""

from django.db.models import Q

from wenming.core.recycle import RecyclableQuerySet
from wenming.org.policy import (
    CAMPAIGN_ROLES,
    WIDE_ROLES,
    Grant,
    Policy,
    RestrictedQuerySet,
    Via,
    acting_unit,
    evaluator_rule,
    is_evaluator,
    own_department,
)
from wenming.org.roles import Role

SCORING_OPEN = ("draft", "in_progress")
SCORES_PUBLISHED = ("submitted", "locked")
OFFICE = (Role.OFFICE,)


def _assigned_inspections(user, rows):
    """Inspections the evaluator is assigned to (on the team), once opened."""
    return Q(pk__in=rows.model.objects.filter(Q(kind="inspection", team=user) & ~Q(status="draft")).values("pk"))


def _on_the_team(user, rows):
    return Q(pk__in=rows.model.objects.filter(team=user).values("pk"))


class AssessmentQuerySet(RestrictedQuerySet):
    """view · change (set up: title, team, dates, status: the 创建办) · score (enter scores and findings now: the
    team while open — evaluators for inspections; the 创建办 and the team for self-checks and mock assessments) ·
    scores (read scores and findings: an inspection only once submitted for the unit, always for its evaluators)."""

    policy = Policy(unit="campaign__unit_id", actions={
        "view": Grant(CAMPAIGN_ROLES, outside=evaluator_rule(_assigned_inspections)),
        "change": Grant(OFFICE),
        "score": Grant(CAMPAIGN_ROLES, wide=OFFICE, narrow=_on_the_team, inside=~Q(kind="inspection"),
                       outside=evaluator_rule(_assigned_inspections), where=Q(status__in=SCORING_OPEN)),
        "scores": Grant(CAMPAIGN_ROLES, inside=~Q(kind="inspection") | Q(status__in=SCORES_PUBLISHED),
                        outside=evaluator_rule(_assigned_inspections)),
    })

    def scorable_by(self, user):
        return self.restrict(user, "score")

    def scores_visible_to(self, user):
        return self.restrict(user, "scores")


class ScoreQuerySet(RestrictedQuerySet):
    policy = Policy(unit="assessment__campaign__unit_id", actions={
        "view": Via("assessment", "scores"),
        "change": Via("assessment", "score"),
    })


def _findings_editable(rows, user):
    """Findings are written by those who score; the 创建办 also keeps a submitted self-check's findings."""
    from wenming.assessments.models import Assessment

    scorable = Q(assessment__in=Assessment.objects.restrict(user, "score"))
    unit_id = acting_unit(user, OFFICE)
    if unit_id:
        scorable |= Q(assessment__campaign__unit_id=unit_id) & ~Q(assessment__kind="inspection")
    return rows.filter(scorable)


class FindingQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    policy = Policy(unit="assessment__campaign__unit_id", recyclable=True, actions={
        "view": Via("assessment", "scores"),
        "change": _findings_editable,
    })


class RectificationQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    """view · change (assign, change, verify, close, send back: the 创建办) · respond (measures and closing evidence:
    the owner department's liaison and the 创建办, while open)."""

    policy = Policy(unit="campaign__unit_id", recyclable=True, actions={
        "view": Grant(CAMPAIGN_ROLES, wide=WIDE_ROLES, narrow=own_department("department_id")),
        "change": Grant(OFFICE),
        "respond": Grant((Role.OFFICE, Role.LIAISON), wide=OFFICE, narrow=own_department("department_id"),
                         where=~Q(status="closed")),
    })

    def respondable_by(self, user):
        return self.restrict(user, "respond")


__all__ = ["CAMPAIGN_ROLES", "AssessmentQuerySet", "FindingQuerySet", "RectificationQuerySet", "ScoreQuerySet",
           "is_evaluator"]
