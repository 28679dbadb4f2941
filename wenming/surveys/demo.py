"""Demo: a 群众满意度测评 with a few hundred answers from four sampling points, linked to the demo standard's
satisfaction line (群众对诉讼服务满意度), and a 干警创建知晓率测试 in progress (idempotent).

Answers go through the same service as a phone's, so the flags, masks and counts are the real ones; a handful are
answered too fast or straight-lined and wait in 答卷审核.
"""

import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from wenming.campaigns.demo import demo_campaign
from wenming.org.models import User
from wenming.standards.models import Criterion
from wenming.surveys import services
from wenming.surveys.models import Question, Survey
from wenming.surveys.selectors import questions_of

SATISFACTION_LINE = "38"
PUBLIC_ANSWERS = 320
POINTS = ("诉讼服务中心窗口", "立案大厅", "企业微信/钉钉群链接")
EXTRA_POINT = ("幸福里社区", 60)
GROUP_WEIGHTS = (("public", 45), ("litigant", 35), ("lawyer", 15), ("deputy", 5))
# how each point's respondents tend to answer (满意, 基本满意, 不满意)
POINT_MOOD = {"诉讼服务中心窗口": (78, 18, 4), "立案大厅": (70, 23, 7), "企业微信/钉钉群链接": (82, 15, 3),
              "幸福里社区": (66, 26, 8)}
SUGGESTIONS = ["希望增加周末预约服务", "导诉志愿者很热情，点赞", "停车位有点紧张", "网上立案很方便",
               "希望多开展普法进社区活动", "窗口排队时间可以再短一些"]


def _answers(questions, rng: random.Random, mood) -> dict:
    raw = {}
    for question in questions:
        if question.kind == Question.Kind.SATISFACTION:
            raw[question.key] = [rng.choices(["满意", "基本满意", "不满意"], weights=mood)[0]]
        elif question.kind == Question.Kind.TEXT and rng.random() < 0.2:
            raw[question.key] = [rng.choice(SUGGESTIONS)]
        elif question.kind == Question.Kind.PHONE and rng.random() < 0.05:
            raw[question.key] = [f"139{rng.randint(10000000, 99999999)}"]
    return raw


def _staff_answers(questions, rng: random.Random) -> dict:
    raw = {}
    for question in questions:
        if question.answer_key and rng.random() < 0.85:
            raw[question.key] = list(question.answer_key if question.kind == Question.Kind.MULTIPLE
                                     else question.answer_key[:1])
        elif question.options:
            raw[question.key] = [rng.choice(question.options)]
    return raw


def load(*, year=None) -> list:
    demo = demo_campaign(year)
    if demo is None or Survey.objects.filter(campaign=demo.campaign).exists():
        return []
    court, office, campaign, _today, year = demo
    now = timezone.now()
    rng = random.Random(2026)
    line = Criterion.objects.filter(standard_id=campaign.standard_id, code=SATISFACTION_LINE).first()
    survey = services.survey_create(actor=office, campaign=campaign, template="public_satisfaction",
                                    title=f"{year}年度群众满意度测评", criterion=line)
    services.survey_update(actor=office, survey=survey, values={"target_size": 400, "min_seconds": 20},
                           group_quotas={"public": 180, "litigant": 140, "lawyer": 60, "deputy": 20})
    services.point_add(actor=office, survey=survey, name=EXTRA_POINT[0], quota=EXTRA_POINT[1])
    services.survey_open(actor=office, survey=survey)
    points = list(survey.points.all())
    questions = questions_of(survey)
    groups, weights = zip(*GROUP_WEIGHTS, strict=True)
    for number in range(PUBLIC_ANSWERS):
        point = points[number % len(points)]
        raw = _answers(questions, rng, POINT_MOOD.get(point.name, (75, 20, 5)))
        seconds = rng.randint(8, 15) if number % 53 == 0 else rng.randint(45, 240)
        try:
            services.response_submit(
                survey=survey, raw=raw, point=point, group=rng.choices(groups, weights=weights)[0],
                device=f"demo-device-{number}", address=services.address_digest(f"10.8.{number // 200}.{number % 200}"),
                seconds=seconds, submitted_at=now - timezone.timedelta(minutes=(PUBLIC_ANSWERS - number) * 37))
        except ValidationError:  # that point's or group's quota is full: the phone is told so
            continue

    test = services.survey_create(actor=office, campaign=campaign, template="staff_awareness",
                                  title=f"{year}年干警创建知晓率测试")
    services.survey_update(actor=office, survey=test, values={"closes_at": now + timezone.timedelta(days=10),
                                                               "min_seconds": 30})
    services.survey_open(actor=office, survey=test)
    staff_questions = questions_of(test)
    people = list(User.objects.filter(unit=court, is_active=True, role_assignments__role="staff")
                  .exclude(username__in=("office", "staff_a")).order_by("id").distinct())
    for person in people[: len(people) * 2 // 3]:  # two in three have answered so far; the rest show as missing
        services.response_submit(survey=test, raw=_staff_answers(staff_questions, rng), respondent=person,
                                 seconds=rng.randint(60, 300))
    return []
