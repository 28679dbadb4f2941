"""What every surveys URL answers to each persona (DESIGN.md §5).

The 创建办 sets surveys up, distributes them, reviews answers and accepts the score; leaders read every survey and
its results (403 on changes). Liaisons and 干警 see only the 干警 surveys (to answer them): a public survey is out of
their scope (404), and results are not theirs (403). The 三员 and the evaluator hold no campaign role: 403. The
outsider (创建办 of another unit) finds none of our surveys: 404 (its own unit has no campaign: the list pages show
that). The public answering page opens for anyone, signed in or not; a submission without the device cookie the
page sets is refused (400) for everyone alike.
"""

from wenming.surveys.tests.conftest import make_survey, the_campaign
from wenming.testing.matrix import Expect, each

NO_ROLE = ("admin", "security", "auditor", "evaluator")
PEOPLE = ("office", "leader", "liaison_a", "staff_a", "liaison_b")
NARROW = ("liaison_a", "staff_a", "liaison_b")


def statuses(*, people=200, anonymous=302, outsider=404, **overrides) -> dict[str, int]:
    result = {**each(NO_ROLE, 403), **each(PEOPLE, people), "outsider": outsider, "anonymous": anonymous}
    result.update(overrides)
    return result


def public(cast):
    return {"pk": make_survey(cast).pk}


def staff(cast):
    return {"pk": make_survey(cast, template="staff_awareness", code=None).pk}


def question(cast):
    survey = make_survey(cast)
    return {"pk": survey.pk, "key": survey.current.questions.order_by("order").first().key}


def point(cast):
    survey = make_survey(cast)
    return {"pk": survey.pk, "point_pk": survey.points.first().pk}


def response(cast):
    from wenming.surveys.tests.conftest import submit

    survey = make_survey(cast)
    return {"pk": survey.pk, "response_pk": submit(survey, device="matrix").pk}


def token(cast):
    return {"token": make_survey(cast).points.first().token}


def campaign_ready(cast):
    the_campaign(cast)
    return {}


def with_answers(cast):
    from wenming.assessments import services as assessment_services
    from wenming.surveys.tests.conftest import submit

    survey = make_survey(cast)
    submit(survey, device="matrix")
    assessment_services.assessment_create(actor=cast["office"], campaign=survey.campaign, kind="self_check",
                                          title="自查", team=[cast["office"]])
    return {"pk": survey.pk}


OFFICE = statuses(people=403, office=200)
OFFICE_POST = statuses(people=403, office=302)
READERS = statuses(people=403, office=200, leader=200)

MATRIX = [
    Expect("surveys:list", statuses(outsider=200), kwargs=campaign_ready, note="outsider: its unit has no campaign"),
    Expect("surveys:create", statuses(people=403, office=200, outsider=200), kwargs=campaign_ready),
    Expect("surveys:create", statuses(people=403, office=302, outsider=200), method="post", kwargs=campaign_ready,
           data=lambda cast: {"template": "public_satisfaction"}),
    Expect("surveys:detail", statuses(**each(NARROW, 404)), kwargs=public, note="a public survey is not theirs"),
    Expect("surveys:detail", statuses(), kwargs=staff, note="a 干警 survey: everyone of the unit answers it"),
    Expect("surveys:settings", OFFICE, kwargs=public),
    Expect("surveys:settings", OFFICE_POST, method="post", kwargs=public,
           data=lambda cast: {"title": "群众满意度测评问卷（2026）", "measure": "satisfaction", "min_seconds": 20}),
    Expect("surveys:question_add", OFFICE, kwargs=public),
    Expect("surveys:question_add", OFFICE_POST, method="post", kwargs=public,
           data=lambda cast: {"kind": "satisfaction", "text": "您对食堂是否满意？", "required": "on"}),
    Expect("surveys:question_edit", OFFICE, kwargs=question),
    Expect("surveys:question_edit", OFFICE_POST, method="post", kwargs=question,
           data=lambda cast: {"kind": "satisfaction", "text": "您对窗口服务是否满意？", "required": "on"}),
    Expect("surveys:question_remove", OFFICE_POST, method="post", kwargs=question),
    Expect("surveys:question_move", OFFICE_POST, method="post", kwargs=question, data=lambda cast: {"up": "0"}),
    Expect("surveys:point_add", OFFICE_POST, method="post", kwargs=public, data=lambda cast: {"name": "幸福里社区"}),
    Expect("surveys:point_update", OFFICE_POST, method="post", kwargs=point,
           data=lambda cast: {"name": "立案大厅", "quota": 50}),
    Expect("surveys:poster", OFFICE, kwargs=point),
    Expect("surveys:poster_pdf", OFFICE, kwargs=point),
    Expect("surveys:open", OFFICE_POST, method="post", kwargs=public),
    Expect("surveys:close", OFFICE_POST, method="post", kwargs=public),
    Expect("surveys:results", READERS, kwargs=public),
    Expect("surveys:responses", READERS, kwargs=public),
    Expect("surveys:response_exclude", statuses(people=403, office=302), method="post", kwargs=response,
           data=lambda cast: {"excluded": "on", "reason": "重复填写"}),
    Expect("surveys:report", READERS, kwargs=public),
    Expect("surveys:answers_xlsx", READERS, kwargs=public),
    Expect("surveys:accept_score", statuses(people=403, office=302), method="post", kwargs=with_answers),
    Expect("surveys:evidence", statuses(people=403, office=302), method="post", kwargs=with_answers),
    Expect("surveys:answer", statuses(), kwargs=staff),
    Expect("surveys:answer", statuses(people=400, office=400), method="post", kwargs=staff,
           note="an empty submission: every required question is named (400)"),
    Expect("surveys:public", each((*NO_ROLE, *PEOPLE, "outsider", "anonymous"), 200), kwargs=token,
           note="the one page without sign-in: nothing but the questionnaire"),
    Expect("surveys:public", each((*NO_ROLE, *PEOPLE, "outsider", "anonymous"), 400), method="post", kwargs=token,
           note="no device cookie yet (the page sets it): refused alike for everyone"),
]

API = statuses(anonymous=403)
MATRIX += [
    Expect("survey-list", statuses(anonymous=403, outsider=200)),
    Expect("survey-detail", statuses(anonymous=403, **each(NARROW, 404)), kwargs=public),
    Expect("survey-results", statuses(anonymous=403, people=404, office=200, leader=200), kwargs=public),
    Expect("survey-answers", statuses(anonymous=403, people=404, office=200, leader=200), kwargs=public),
]
