"""Reads of surveys: the list, the progress against the sampling plan, the results (grouped queries on the answer
table — a constant number of queries whatever the number of answers) and the answers to review."""

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from wenming.org.models import Department, User
from wenming.org.roles import Role
from wenming.surveys.models import (
    Answer,
    Group,
    Measure,
    Question,
    Response,
    SamplingPoint,
    ScoreProposal,
    Survey,
)

PERCENT = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_UP)


def survey_list(*, user, campaign):
    """The campaign's surveys the person sees, with counted answers and whether the person has answered."""
    mine = Response.objects.filter(survey=OuterRef("pk"), respondent_id=user.pk)
    return (Survey.objects.visible_to(user).filter(campaign=campaign).select_related("criterion")
            .annotate(answers=Count("responses", filter=Q(responses__excluded=False)), answered_by_me=Exists(mine))
            .order_by("-created_at", "-id"))


def questions_of(survey: Survey) -> list[Question]:
    return list(Question.objects.filter(questionnaire_id=survey.current_id).order_by("order", "id"))


def sections_of(questions: list[Question]) -> list[tuple[str, list[tuple[int, Question]]]]:
    """Consecutive questions of the same section, numbered through: [(section, [(number, question)])]."""
    sections: list[tuple[str, list]] = []
    for number, question in enumerate(questions, 1):
        if not sections or sections[-1][0] != question.section:
            sections.append((question.section, []))
        sections[-1][1].append((number, question))
    return sections


# ---------------------------------------------------------------------------------------------- progress
@dataclass
class Progress:
    sample: int = 0
    total: int = 0
    excluded: int = 0
    flagged: int = 0
    target: int | None = None
    groups: list = field(default_factory=list)  # (label, count, quota, percent of quota)
    points: list = field(default_factory=list)  # (point, count, quota, percent of quota)
    by_group: dict = field(default_factory=dict)
    by_point: dict = field(default_factory=dict)

    @property
    def target_percent(self):
        return percent(self.sample, self.target) if self.target else None


def survey_progress(*, survey: Survey, points: list[SamplingPoint] | None = None) -> Progress:
    """Answers against the sampling plan: two queries."""
    progress = Progress(target=survey.target_size)
    rows = (Response.objects.filter(survey=survey).values("group", "point_id", "excluded", "flagged")
            .annotate(n=Count("id")).order_by())
    for row in rows:
        progress.total += row["n"]
        if row["excluded"]:
            progress.excluded += row["n"]
            continue
        if row["flagged"]:
            progress.flagged += row["n"]
        progress.sample += row["n"]
        progress.by_group[row["group"]] = progress.by_group.get(row["group"], 0) + row["n"]
        progress.by_point[row["point_id"]] = progress.by_point.get(row["point_id"], 0) + row["n"]
    quotas = survey.group_quotas or {}
    for value, label in Group.choices:
        count, quota = progress.by_group.get(value, 0), quotas.get(value)
        if count or quota:
            progress.groups.append((label, count, quota, percent(count, quota) if quota else None))
    if points is None:
        points = list(survey.points.all())
    for point in points:
        count = progress.by_point.get(point.pk, 0)
        progress.points.append((point, count, point.quota, percent(count, point.quota) if point.quota else None))
    return progress


def staff_completion(*, survey: Survey) -> list[dict]:
    """For a 干警 survey: per department, its 干警 and how many have answered (three queries)."""
    unit_id = survey.campaign.unit_id
    staff = dict(User.objects.filter(unit_id=unit_id, is_active=True, role_assignments__role=Role.STAFF)
                 .values_list("department_id").annotate(n=Count("id", distinct=True)).order_by())
    done = dict(Response.objects.filter(survey=survey).values_list("department_id").annotate(n=Count("id"))
                .order_by())
    rows = []
    for department in Department.objects.filter(unit_id=unit_id).order_by("order", "id"):
        people, answered = staff.get(department.pk, 0), done.get(department.pk, 0)
        if people or answered:
            rows.append({"department": department, "staff": people, "answered": answered,
                         "percent": percent(answered, people)})
    return rows


# ---------------------------------------------------------------------------------------------- results
@dataclass
class QuestionResult:
    number: int
    question: Question
    answered: int = 0
    rows: list = field(default_factory=list)  # (choice, count, percent, is_key)
    texts: list = field(default_factory=list)
    rate: Decimal | None = None

    @property
    def chart(self) -> str:
        return json.dumps({"labels": [row[0] for row in self.rows],
                           "values": [row[1] for row in self.rows], "name": _("人数")}, ensure_ascii=False)


@dataclass
class RateRow:
    label: str
    sample: int
    good: int
    total: int

    @property
    def rate(self):
        return percent(self.good, self.total)


@dataclass
class Results:
    survey: Survey
    progress: Progress
    questions: list = field(default_factory=list)
    good: int = 0
    total: int = 0
    by_group: list = field(default_factory=list)
    by_point: list = field(default_factory=list)
    proposal_points: Decimal | None = None
    accepted: ScoreProposal | None = None

    @property
    def sample(self) -> int:
        return self.progress.sample

    @property
    def rate(self) -> Decimal | None:
        return percent(self.good, self.total)

    @property
    def measure_label(self) -> str:
        return self.survey.get_measure_display()

    @property
    def formula(self) -> str:
        if self.survey.measure == Measure.AWARENESS:
            return _("知晓率 = 答对题次 ÷ 计分题作答题次 × 100%（计分题：设有正确答案的题；多选题全部选对才算答对）")
        if self.survey.measure == Measure.SATISFACTION:
            return _("满意率 = 计分题中“满意”“基本满意”（评分题4分、5分）的回答数 ÷ 计分题的有效回答数 × 100%")
        return ""

    def summary_text(self) -> str:
        text = _("有效样本 %(n)d 份（共收到 %(t)d 份，剔除 %(x)d 份）。") % {
            "n": self.sample, "t": self.progress.total, "x": self.progress.excluded}
        if self.rate is not None:
            text += _("%(m)s %(r)s%%（%(g)d ÷ %(a)d）。") % {"m": self.measure_label, "r": self.rate, "g": self.good,
                                                          "a": self.total}
        return text


def survey_results(*, survey: Survey) -> Results:
    """Counts and percentages per question, the rate with its formula, by group and by sampling point, and the
    proposed score for the linked criterion. Excluded answers are left out. About ten queries, whatever the size."""
    points = list(survey.points.all())
    results = Results(survey=survey, progress=survey_progress(survey=survey, points=points))
    questions = questions_of(survey)
    counted = Answer.objects.filter(survey=survey, counted=True)
    counts: dict[tuple[str, str], int] = {}
    for row in counted.exclude(choice="").values("key", "choice").annotate(n=Count("id")).order_by():
        counts[(row["key"], row["choice"])] = row["n"]
    many = [q.key for q in questions if q.kind in (Question.Kind.MULTIPLE, Question.Kind.TEXT, Question.Kind.PHONE)]
    respondents = dict(counted.filter(key__in=many).values_list("key").annotate(n=Count("response_id", distinct=True))
                       .order_by()) if many else {}
    texts: dict[str, list[str]] = {}
    free = [q.key for q in questions if q.kind == Question.Kind.TEXT]
    if free:
        for key, text in counted.filter(key__in=free).exclude(text="").order_by("-id").values_list("key", "text")[:500]:
            texts.setdefault(key, []).append(text)
    hits = dict(((row["key"], row["hit"]), row["n"]) for row in
                counted.filter(hit__isnull=False).values("key", "hit").annotate(n=Count("id")).order_by())
    for number, question in enumerate(questions, 1):
        item = QuestionResult(number=number, question=question)
        choices = question.choices
        extra = sorted({choice for (key, choice) in counts if key == question.key} - set(choices))
        if question.key in respondents:
            item.answered = respondents[question.key]
        else:
            item.answered = sum(counts.get((question.key, c), 0) for c in [*choices, *extra])
        for choice in [*choices, *extra]:
            count = counts.get((question.key, choice), 0)
            item.rows.append((choice, count, percent(count, item.answered), choice in (question.answer_key or [])))
        item.texts = texts.get(question.key, [])[:50]
        good, bad = hits.get((question.key, True), 0), hits.get((question.key, False), 0)
        item.rate = percent(good, good + bad)
        results.good += good
        results.total += good + bad
        results.questions.append(item)
    labels = dict(Group.choices)
    for row in (counted.filter(hit__isnull=False).values("group")
                .annotate(good=Count("id", filter=Q(hit=True)), total=Count("id")).order_by("group")):
        results.by_group.append(RateRow(str(labels.get(row["group"], row["group"] or "—")),
                                        results.progress.by_group.get(row["group"], 0), row["good"], row["total"]))
    names = {point.pk: point.name for point in points}
    for row in (counted.filter(hit__isnull=False).values("point_id")
                .annotate(good=Count("id", filter=Q(hit=True)), total=Count("id")).order_by("point_id")):
        results.by_point.append(RateRow(names.get(row["point_id"], _("（登录作答）")),
                                        results.progress.by_point.get(row["point_id"], 0), row["good"], row["total"]))
    if survey.criterion_id and results.rate is not None:
        from wenming.surveys.services import proposed_points

        results.proposal_points = proposed_points(results.rate, survey.criterion)
    results.accepted = ScoreProposal.objects.filter(survey=survey).select_related("accepted_by", "assessment").first()
    return results


# ---------------------------------------------------------------------------------------------- answers
def response_list(*, survey: Survey, show: str = ""):
    """Answers to review, newest first; `show`: flagged / excluded / "" (all). Answers come in one more query."""
    responses = Response.objects.filter(survey=survey).select_related("point", "respondent", "department")
    if show == "flagged":
        responses = responses.filter(flagged=True)
    elif show == "excluded":
        responses = responses.filter(excluded=True)
    return responses.prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("id")))
