"""The one access path for surveys (DESIGN.md §5).

The 创建办 sets surveys up, distributes them, reviews answers and accepts the proposed score; leaders read every
survey of the unit and its results. Liaisons and 干警 see the 干警 surveys that are open or closed (to answer them,
and a liaison to follow their department's completion); they never see a public survey's answers. The 三员, the
evaluator and other units see nothing. Respondents of a public survey reach only its questionnaire, by the
sampling point's token (no sign-in), and nothing else.
"""

from django.db import models

from wenming.campaigns.querysets import unit_for
from wenming.org.roles import Role

READERS = (Role.OFFICE, Role.LEADER)


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user)
        if not unit_id:
            return self.none()
        surveys = self.filter(campaign__unit_id=unit_id)
        if user.has_role(*READERS):
            return surveys
        return surveys.filter(audience="staff").exclude(status="draft")

    def results_visible_to(self, user):
        """Whose results (counts, rates, answers) the person may read: the 创建办 and leaders."""
        unit_id = unit_for(user, READERS)
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from wenming.surveys.models import Survey

        return self.filter(survey__in=Survey.objects.results_visible_to(user))
