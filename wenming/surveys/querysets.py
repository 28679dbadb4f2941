"""The one access path for surveys (DESIGN.md §5).

The 创建办 sets surveys up, distributes them, reviews answers and accepts the proposed score; leaders read every
survey of the unit and its results. Liaisons and 干警 see the 干警 surveys that are open or closed (to answer them,
and a liaison to follow their department's completion); they never see a public survey's answers. The 三员, the
evaluator and other units see nothing. Respondents of a public survey reach only its questionnaire, by the
sampling point's token (no sign-in), and nothing else.
"""

from django.db.models import Q

from wenming.org.policy import CAMPAIGN_ROLES, Grant, Policy, RestrictedQuerySet, Via
from wenming.org.roles import Role

READERS = (Role.OFFICE, Role.LEADER)


def _open_staff_surveys(user, rows):
    return Q(audience="staff") & ~Q(status="draft")


class SurveyQuerySet(RestrictedQuerySet):
    """view · results (counts, rates, answers: the 创建办 and leaders) · change (the 创建办)."""

    policy = Policy(unit="campaign__unit_id", actions={
        "view": Grant(CAMPAIGN_ROLES, wide=READERS, narrow=_open_staff_surveys),
        "results": Grant(READERS),
        "change": Grant((Role.OFFICE,)),
    })

    def results_visible_to(self, user):
        return self.restrict(user, "results")


class ResponseQuerySet(RestrictedQuerySet):
    policy = Policy(unit="survey__campaign__unit_id", actions={"view": Via("survey", "results")})
