"""Reads of surveys: the list, the progress against the sampling plan, the results (grouped queries on the answer
table — a constant number of queries whatever the number of answers) and the answers to review."""

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
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
    Tally,
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
            .annotate(answers=sheets_subquery(), answered_by_me=Exists(mine)).order_by("-created_at", "-id"))


def sheets_subquery():
    """Counted answer sheets of each survey in a list (from the tallies)."""
    sheets = (Tally.objects.filter(survey=OuterRef("pk"), key="").order_by().values("survey")
              .annotate(total=Sum("n")).values("total"))
    return Coalesce(Subquery(sheets), 0)


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


def tallies_of(survey: Survey, **filters) -> list[tuple]:
    """The survey's tally rows (key, choice, group, point, hit, n) as they are kept: each combination is one row
    (a unique constraint), so nothing needs grouping."""
    return list(Tally.objects.filter(survey=survey, **filters).exclude(n=0).order_by()
                .values_list("key", "choice", "group", "point", "hit", "n"))


def survey_progress(*, survey: Survey, points: list[SamplingPoint] | None = None,
                    tallies: list[tuple] | None = None) -> Progress:
    """Answers against the sampling plan: the sheet tallies (read here unless the caller already has them) and one
    count of excluded and flagged sheets."""
    progress = Progress(target=survey.target_size)
    if tallies is None:
        tallies = tallies_of(survey, key="")
    for _key, _choice, group, point_id, _hit, n in (row for row in tallies if not row[0]):
        progress.sample += n
        progress.by_group[group] = progress.by_group.get(group, 0) + n
        progress.by_point[point_id or None] = progress.by_point.get(point_id or None, 0) + n
    marks = Response.objects.filter(survey=survey).aggregate(
        n_excluded=Count("id", filter=Q(excluded=True)),
        n_flagged=Count("id", filter=Q(excluded=False, flagged=True)))
    progress.excluded, progress.flagged = marks["n_excluded"], marks["n_flagged"]
    progress.total = progress.sample + progress.excluded
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
    proposed score for the linked criterion. Excluded answers are left out. Six queries whatever the size: the
    tallies (one read of a few hundred rows, shared with the progress), points, questions, excluded and flagged
    counts, free texts, the accepted proposal."""
    points = list(survey.points.all())
    tallies = tallies_of(survey)
    results = Results(survey=survey, progress=survey_progress(survey=survey, points=points, tallies=tallies))
    questions = questions_of(survey)
    counted = Answer.objects.filter(survey=survey, counted=True)
    # The tallies (kept by the writing services) grouped once more by what the page shows: a few hundred rows.
    counts: dict[tuple[str, str], int] = {}
    answered: dict[str, int] = {}
    hits: dict[tuple[str, bool], int] = {}
    by_group: dict[str, list[int]] = {}
    by_point: dict[int, list[int]] = {}
    for key, choice, group, point_id, hit, n in tallies:
        if not key:
            continue
        if choice:
            counts[(key, choice)] = counts.get((key, choice), 0) + n
        elif hit == -1:
            answered[key] = answered.get(key, 0) + n
            continue
        if hit == -1:
            continue
        hits[(key, bool(hit))] = hits.get((key, bool(hit)), 0) + n
        for table, label in ((by_group, group), (by_point, point_id)):
            tally = table.setdefault(label, [0, 0])
            tally[0] += n if hit else 0
            tally[1] += n
    texts: dict[str, list[str]] = {}
    free = [q.key for q in questions if q.kind == Question.Kind.TEXT]
    if free:
        for key, text in (counted.filter(key__in=free).exclude(text="").order_by("key", "-id")
                          .values_list("key", "text")[:500]):
            texts.setdefault(key, []).append(text)
    for number, question in enumerate(questions, 1):
        item = QuestionResult(number=number, question=question)
        choices = question.choices
        extra = sorted({choice for (key, choice) in counts if key == question.key} - set(choices))
        item.answered = answered.get(question.key, 0)
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
    for group in sorted(by_group):
        good, total = by_group[group]
        results.by_group.append(RateRow(str(labels.get(group, group or "—")), results.progress.by_group.get(group, 0),
                                        good, total))
    names = {point.pk: point.name for point in points}
    for point_id in sorted(by_point, key=lambda pk: (pk == 0, pk)):
        good, total = by_point[point_id]
        results.by_point.append(RateRow(names.get(point_id, _("（登录作答）")),
                                        results.progress.by_point.get(point_id or None, 0), good, total))
    if survey.criterion_id and results.rate is not None:
        from wenming.surveys.services import proposed_points

        results.proposal_points = proposed_points(results.rate, survey.criterion)
    results.accepted = ScoreProposal.objects.filter(survey=survey).select_related("accepted_by", "assessment").first()
    return results


# ---------------------------------------------------------------------------------------------- answers
def response_list(*, survey: Survey, show: str = ""):
    """Answers to review, newest first; `show`: flagged (and not yet excluded) / excluded / "" (all). Answers come in
    one more query."""
    responses = Response.objects.filter(survey=survey).select_related("point", "respondent", "department")
    if show == "flagged":  # still to review: an excluded answer has been dealt with (it has its own tab)
        responses = responses.filter(flagged=True, excluded=False)
    elif show == "excluded":
        responses = responses.filter(excluded=True)
    return responses.prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("id")))
