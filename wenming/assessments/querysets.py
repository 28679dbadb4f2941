"""The one access path for assessments, scores, findings and 整改 (DESIGN.md §5).

Inside the unit: every campaign member sees the unit's assessments; the 创建办 sets them up and scores self-checks
with the people it puts on the team. An inspection (检查验收) is scored by the evaluators on its team, and the unit
sees none of their scores or findings until the inspection is submitted. Evaluators (users of a 文明办 holding
Role.EVALUATOR) see only the inspections they are on the team of, once opened (not drafts), and nothing else of
the unit; they see only approved evidence of those campaigns.

整改: the 创建办 and leaders see every item of the unit, liaisons too (they respond for their department),
staff their department's. Liaisons respond for their own department; only the 创建办 assigns, verifies and closes.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q

from wenming.campaigns.querysets import CAMPAIGN_ROLES, WIDE_ROLES, unit_for
from wenming.core.recycle import RecyclableQuerySet
from wenming.org.roles import Role

SCORING_OPEN = ("draft", "in_progress")
SCORES_PUBLISHED = ("submitted", "locked")


def is_evaluator(user) -> bool:
    """A signed-in, active evaluator of a 文明办 (oversight unit)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    if not user.unit_id or not user.has_role(Role.EVALUATOR):
        return False
    cached = getattr(user, "_assessments_is_evaluator", None)
    if cached is None:
        from wenming.org.models import Unit

        cached = Unit.objects.filter(pk=user.unit_id, kind=Unit.Kind.OVERSIGHT).exists()
        user._assessments_is_evaluator = cached
    return cached


def _evaluator_inspections(user) -> Q:
    """Inspections the evaluator is assigned to (on the team), once opened."""
    return Q(kind="inspection", team=user) & ~Q(status="draft")


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user)
        if unit_id:
            return self.filter(campaign__unit_id=unit_id)
        if is_evaluator(user):
            return self.filter(pk__in=self.model.objects.filter(_evaluator_inspections(user)).values("pk"))
        return self.none()

    def editable_by(self, user):
        """Who may set the assessment up (title, team, dates) and move its status: the 创建办."""
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def scorable_by(self, user):
        """Who may enter scores and findings now: the team (evaluators for inspections; the 创建办 and the team for
        self-checks and mock assessments), while the assessment is open."""
        open_ = self.filter(status__in=SCORING_OPEN)
        unit_id = unit_for(user)
        if unit_id:
            mine = open_.filter(campaign__unit_id=unit_id).exclude(kind="inspection")
            if user.has_role(Role.OFFICE):
                return mine
            return mine.filter(pk__in=self.model.objects.filter(team=user).values("pk"))
        if is_evaluator(user):
            return open_.filter(pk__in=self.model.objects.filter(_evaluator_inspections(user)).values("pk"))
        return self.none()

    def scores_visible_to(self, user):
        """Assessments whose scores and findings the person may read: an inspection only once submitted for the
        unit, always for its own evaluators."""
        visible = self.visible_to(user)
        if unit_for(user):
            return visible.filter(~Q(kind="inspection") | Q(status__in=SCORES_PUBLISHED))
        return visible


class ScoreQuerySet(models.QuerySet):
    def visible_to(self, user):
        from wenming.assessments.models import Assessment

        return self.filter(assessment__in=Assessment.objects.scores_visible_to(user))

    def editable_by(self, user):
        from wenming.assessments.models import Assessment

        return self.filter(assessment__in=Assessment.objects.scorable_by(user))


class FindingQuerySet(RecyclableQuerySet):
    def visible_to(self, user):
        from wenming.assessments.models import Assessment

        return self.alive().filter(assessment__in=Assessment.objects.scores_visible_to(user))

    def editable_by(self, user):
        """Findings are written by those who score; the 创建办 also keeps a submitted self-check's findings."""
        from wenming.assessments.models import Assessment

        scorable = Q(assessment__in=Assessment.objects.scorable_by(user))
        unit_id = unit_for(user, (Role.OFFICE,))
        if unit_id:
            scorable |= Q(assessment__campaign__unit_id=unit_id) & ~Q(assessment__kind="inspection")
        return self.alive().filter(scorable)


class RectificationQuerySet(RecyclableQuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user)
        if not unit_id:
            return self.none()
        items = self.alive().filter(campaign__unit_id=unit_id)
        if user.has_role(*WIDE_ROLES):
            return items
        return items.filter(department_id=user.department_id) if user.department_id else self.none()

    def editable_by(self, user):
        """Assign, change, verify, close or send back: the 创建办."""
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.alive().filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def respondable_by(self, user):
        """Respond with measures and closing evidence: the owner department's liaison (and the 创建办)."""
        unit_id = unit_for(user, (Role.OFFICE, Role.LIAISON))
        if not unit_id:
            return self.none()
        items = self.alive().filter(campaign__unit_id=unit_id).exclude(status="closed")
        if user.has_role(Role.OFFICE):
            return items
        return items.filter(department_id=user.department_id) if user.department_id else self.none()


__all__ = ["CAMPAIGN_ROLES", "AssessmentQuerySet", "FindingQuerySet", "RectificationQuerySet", "ScoreQuerySet",
           "is_evaluator"]
