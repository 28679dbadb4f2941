"""Writes of surveys: set up from a template, edit the questionnaire (a new version once answers exist), sampling
points, open and close, take an answer (public or 干警), review flagged answers, accept the proposed score and
file the result as evidence. Keyword-only, atomic, audited; the actor is passed in.

Who may call what is decided by the caller through the querysets (`editable_by`); these functions keep the data's
own rules: one answer per device and per person, quotas and dates, honest-answer flags, phone numbers masked.
"""

import hashlib
import hmac
import json
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenming.audit.services import Origin, assign, audit_record, audited_update
from wenming.campaigns.models import Campaign
from wenming.org.models import User
from wenming.standards.models import Criterion
from wenming.surveys import builtin
from wenming.surveys.models import (
    SATISFIED,
    Answer,
    Audience,
    Group,
    Measure,
    Question,
    Questionnaire,
    Response,
    SamplingPoint,
    ScoreProposal,
    Survey,
    Tally,
)

DEFAULT_POINTS = (gettext_lazy("诉讼服务中心窗口"), gettext_lazy("立案大厅"), gettext_lazy("企业微信/钉钉群链接"))
STRAIGHT_MIN = 6  # this many scale answers, all the same, flag the answer as straight-lined
TEXT_MAX = 500
PHONE = re.compile(r"^1\d{10}$")
SETTINGS_FIELDS = ("title", "welcome", "thanks", "target_size", "opens_at", "closes_at", "min_seconds", "criterion",
                   "measure", "chinese_only")


def answers_per_address_hour() -> int:
    """How many answers one address may send to one survey in an hour (0: no limit). A service hall's Wi-Fi puts
    many phones behind one address, so the default is generous; it stops a script, not a queue of people."""
    return int(getattr(settings, "WENMING_SURVEY_ANSWERS_PER_ADDRESS_HOUR", 120))


# ---------------------------------------------------------------------------------------------- set-up
def _snapshot(survey: Survey) -> dict:
    return {
        "title": survey.title, "audience": survey.audience, "measure": survey.measure, "status": survey.status,
        "target_size": survey.target_size, "group_quotas": survey.group_quotas,
        "opens_at": survey.opens_at.isoformat() if survey.opens_at else None,
        "closes_at": survey.closes_at.isoformat() if survey.closes_at else None,
        "min_seconds": survey.min_seconds, "criterion": survey.criterion.code if survey.criterion_id else None,
        "chinese_only": survey.chinese_only,
    }


def _check_criterion(campaign: Campaign, criterion: Criterion | None) -> None:
    if criterion is not None and criterion.standard_id != campaign.standard_id:
        raise ValidationError({"criterion": _("测评指标“%(code)s”不属于本创建活动采用的测评体系。")
                               % {"code": criterion.code or criterion.title[:20]}})


def _clean_quotas(quotas: dict | None) -> dict:
    cleaned = {}
    labels = dict(Group.choices)
    for group, value in (quotas or {}).items():
        if group not in labels:
            raise ValidationError({"group_quotas": _("受访者类别“%(g)s”不存在。") % {"g": group}})
        if value in (None, "", 0):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({"group_quotas": _("“%(g)s”的配额应为整数。") % {"g": labels[group]}}) from None
        if number < 0 or number > 1_000_000:
            raise ValidationError({"group_quotas": _("“%(g)s”的配额应在 0 到 1000000 之间。") % {"g": labels[group]}})
        cleaned[group] = number
    return cleaned


@transaction.atomic
def survey_create(*, actor: User, campaign: Campaign, title: str = "", template: str = "", audience: str = "",
                  measure: str = "", criterion: Criterion | None = None, origin: Origin | None = None) -> Survey:
    """A new survey in 草稿, from a built-in template (its questions, welcome and thank-you texts) or blank."""
    if template and template not in builtin.TEMPLATES:
        raise ValidationError({"template": _("没有这个问卷模板。")})
    spec = builtin.TEMPLATES.get(template, {})
    _check_criterion(campaign, criterion)
    survey = Survey(
        campaign=campaign, title=(title or "").strip() or str(spec.get("title", "")), template=template,
        audience=audience or spec.get("audience", Audience.PUBLIC),
        measure=measure or spec.get("measure", Measure.SATISFACTION),
        welcome=str(spec.get("welcome", "")), thanks=str(spec.get("thanks", "")) or _("问卷已提交，谢谢！"),
        criterion=criterion, created_by=actor,
    )
    if not survey.title:
        raise ValidationError({"title": _("请填写问卷名称。")})
    survey.full_clean(exclude=["current"])
    survey.save()
    questionnaire = Questionnaire.objects.create(survey=survey, number=1)
    Question.objects.bulk_create([
        Question(questionnaire=questionnaire, key=f"q{index}", order=index * 10, section=str(section), kind=kind,
                 text=str(text), options=[str(o) for o in options], answer_key=[str(a) for a in key], counts=counts,
                 required=required)
        for index, (section, kind, text, options, key, counts, required) in enumerate(spec.get("questions", []), 1)
    ])
    survey.current = questionnaire
    survey.save(update_fields=["current"])
    if survey.audience == Audience.PUBLIC:
        SamplingPoint.objects.bulk_create([SamplingPoint(survey=survey, name=str(name), order=(i + 1) * 10)
                                           for i, name in enumerate(DEFAULT_POINTS)])
    audit_record(actor=actor, verb="surveys.created", obj=survey, unit=campaign.unit,
                 after={**_snapshot(survey), "template": template}, origin=origin)
    return survey


@transaction.atomic
def survey_update(*, actor: User, survey: Survey, values: dict, group_quotas: dict | None = None,
                  expected_version: int | None = None, origin: Origin | None = None) -> Survey:
    """The survey's texts, sampling plan (target, quotas, dates), minimum answering time and linked criterion."""
    with audited_update(Survey.objects.select_related("campaign__unit", "criterion"), survey.pk, actor=actor,
                        verb="surveys.updated", snapshot=_snapshot, expected_version=expected_version, origin=origin,
                        lock_of=("self",)) as survey:
        assign(survey, values, SETTINGS_FIELDS)
        if group_quotas is not None:
            survey.group_quotas = _clean_quotas(group_quotas)
        _check_criterion(survey.campaign, survey.criterion)
        if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
            raise ValidationError({"closes_at": _("截止时间应晚于开始时间。")})
    return survey


# ---------------------------------------------------------------------------------------------- questionnaire
def _editable_questionnaire(survey: Survey) -> tuple[Questionnaire, bool]:
    """The version to change: the current one while nobody has answered it, else a copy as the next version."""
    current = survey.current
    if not Response.objects.filter(questionnaire=current).exists():
        return current, False
    number = (Questionnaire.objects.filter(survey=survey).order_by("-number").values_list("number", flat=True)
              .first() or 0) + 1
    copy = Questionnaire.objects.create(survey=survey, number=number)
    Question.objects.bulk_create([
        Question(questionnaire=copy, key=q.key, order=q.order, section=q.section, kind=q.kind, text=q.text,
                 required=q.required, options=q.options, answer_key=q.answer_key, counts=q.counts)
        for q in current.questions.all()
    ])
    survey.current = copy
    survey.save(update_fields=["current"])
    return copy, True


def _clean_question(values: dict, *, position: str) -> dict:
    kind = values.get("kind")
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": _("%(p)s：请选择题型。") % {"p": position}})
    text = (values.get("text") or "").strip()
    if not text:
        raise ValidationError({"text": _("%(p)s：请填写题目。") % {"p": position}})
    if len(text) > 300:
        raise ValidationError({"text": _("%(p)s：题目不能超过300字。") % {"p": position}})
    options = [o.strip() for o in values.get("options") or [] if o and o.strip()]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if len(options) < 2:
            raise ValidationError({"options": _("%(p)s：选择题至少需要两个选项（每行一个）。") % {"p": position}})
        if len(set(options)) != len(options):
            raise ValidationError({"options": _("%(p)s：选项不能重复。") % {"p": position}})
        if any(len(o) > 200 for o in options) or len(options) > 30:
            raise ValidationError({"options": _("%(p)s：最多30个选项，每个不超过200字。") % {"p": position}})
    else:
        options = []
    answer_key = [a.strip() for a in values.get("answer_key") or [] if a and a.strip()]
    wrong = [a for a in answer_key if a not in options]
    if wrong:
        raise ValidationError({"answer_key": _("%(p)s：正确答案“%(a)s”不在选项中。") % {"p": position, "a": wrong[0]}})
    counts = bool(values.get("counts"))
    if counts and kind in (Question.Kind.TEXT, Question.Kind.PHONE):
        counts = False
    return {"kind": kind, "text": text, "options": options, "answer_key": answer_key, "counts": counts,
            "required": bool(values.get("required")), "section": (values.get("section") or "").strip()[:100]}


@transaction.atomic
def question_save(*, actor: User, survey: Survey, values: dict, key: str | None = None,
                  origin: Origin | None = None) -> Question:
    """Add a question (key None) or change one. Once the version has answers, the change makes a new version."""
    survey = Survey.objects.select_for_update(of=("self",)).select_related("campaign__unit", "current").get(pk=survey.pk)
    questionnaire, forked = _editable_questionnaire(survey)
    questions = list(questionnaire.questions.all())
    if key is None:
        position = _("第 %(n)d 题") % {"n": len(questions) + 1}
        cleaned = _clean_question(values, position=position)
        used = {q.key for q in Question.objects.filter(questionnaire__survey=survey).only("key")}
        number = len(used) + 1
        while f"q{number}" in used:
            number += 1
        question = Question(questionnaire=questionnaire, key=f"q{number}",
                            order=(max((q.order for q in questions), default=0) + 10), **cleaned)
        before = {}
    else:
        question = next((q for q in questions if q.key == key), None)
        if question is None:
            raise ValidationError(_("题目不存在。"))
        position = _("第 %(n)d 题") % {"n": questions.index(question) + 1}
        cleaned = _clean_question(values, position=position)
        before = {name: getattr(question, name) for name in cleaned}
        for name, value in cleaned.items():
            setattr(question, name, value)
    question.full_clean()
    question.save()
    audit_record(actor=actor, verb="surveys.question_saved", obj=survey, unit=survey.campaign.unit, before=before,
                 after={"key": question.key, **cleaned, "version": questionnaire.number, "new_version": forked},
                 origin=origin)
    return question


@transaction.atomic
def question_remove(*, actor: User, survey: Survey, key: str, origin: Origin | None = None) -> None:
    survey = Survey.objects.select_for_update(of=("self",)).select_related("campaign__unit", "current").get(pk=survey.pk)
    questionnaire, forked = _editable_questionnaire(survey)
    question = questionnaire.questions.filter(key=key).first()
    if question is None:
        raise ValidationError(_("题目不存在。"))
    question.delete()
    audit_record(actor=actor, verb="surveys.question_removed", obj=survey, unit=survey.campaign.unit,
                 before={"key": key, "text": question.text}, after={"version": questionnaire.number,
                                                                    "new_version": forked}, origin=origin)


@transaction.atomic
def question_move(*, actor: User, survey: Survey, key: str, up: bool, origin: Origin | None = None) -> None:
    survey = Survey.objects.select_for_update(of=("self",)).select_related("campaign__unit", "current").get(pk=survey.pk)
    questionnaire, _forked = _editable_questionnaire(survey)
    questions = list(questionnaire.questions.all())
    index = next((i for i, q in enumerate(questions) if q.key == key), None)
    if index is None:
        raise ValidationError(_("题目不存在。"))
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for order, question in enumerate(questions, 1):
        question.order = order * 10
    Question.objects.bulk_update(questions, ["order"])
    audit_record(actor=actor, verb="surveys.question_moved", obj=survey, unit=survey.campaign.unit,
                 after={"key": key, "up": up, "version": questionnaire.number}, origin=origin)


# ---------------------------------------------------------------------------------------------- sampling points
@transaction.atomic
def point_add(*, actor: User, survey: Survey, name: str, quota: int | None = None,
              origin: Origin | None = None) -> SamplingPoint:
    last = SamplingPoint.objects.filter(survey=survey).order_by("-order").values_list("order", flat=True).first()
    point = SamplingPoint(survey=survey, name=(name or "").strip(), quota=quota, order=(last or 0) + 10)
    if not point.name:
        raise ValidationError({"name": _("请填写抽样点名称。")})
    point.full_clean()
    point.save()
    audit_record(actor=actor, verb="surveys.point_added", obj=survey, unit=survey.campaign.unit,
                 after={"point": point.name, "quota": quota}, origin=origin)
    return point


@transaction.atomic
def point_update(*, actor: User, point: SamplingPoint, name: str, quota: int | None,
                 origin: Origin | None = None) -> SamplingPoint:
    point = SamplingPoint.objects.select_for_update(of=("self",)).select_related("survey__campaign__unit").get(pk=point.pk)
    before = {"point": point.name, "quota": point.quota}
    point.name, point.quota = (name or "").strip(), quota
    if not point.name:
        raise ValidationError({"name": _("请填写抽样点名称。")})
    point.full_clean()
    point.save()
    audit_record(actor=actor, verb="surveys.point_changed", obj=point.survey, unit=point.survey.campaign.unit,
                 before=before, after={"point": point.name, "quota": quota}, origin=origin)
    return point


# ---------------------------------------------------------------------------------------------- open & close
@transaction.atomic
def survey_open(*, actor: User, survey: Survey, origin: Origin | None = None) -> Survey:
    survey = Survey.objects.select_for_update(of=("self",)).select_related("campaign__unit").get(pk=survey.pk)
    if survey.status == Survey.Status.OPEN:
        return survey
    if not Question.objects.filter(questionnaire_id=survey.current_id).exists():
        raise ValidationError(_("问卷还没有题目，不能开始收集。"))
    if survey.audience == Audience.PUBLIC and not survey.points.exists():
        raise ValidationError(_("请先添加至少一个抽样点（二维码）。"))
    if survey.closes_at and survey.closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("截止时间已过，请先修改截止时间。")})
    before = survey.status
    survey.status, survey.closed_at = Survey.Status.OPEN, None
    survey.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, verb="surveys.opened", obj=survey, unit=survey.campaign.unit,
                 before={"status": before}, after={"status": survey.status}, origin=origin)
    return survey


@transaction.atomic
def survey_close(*, actor: User | None, survey: Survey, reason: str = "", origin: Origin | None = None) -> Survey:
    survey = Survey.objects.select_for_update(of=("self",)).select_related("campaign__unit").get(pk=survey.pk)
    if survey.status == Survey.Status.CLOSED:
        return survey
    before = survey.status
    survey.status, survey.closed_at = Survey.Status.CLOSED, timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, verb="surveys.closed", obj=survey, unit=survey.campaign.unit, before={"status": before},
                 after={"status": survey.status, "reason": reason}, origin=origin,
                 actor_name="" if actor else _("系统（样本已满）"))
    return survey


def close_if_due(survey: Survey) -> Survey:
    """An open survey past its close time is closed now (seen by the next screen or answer that looks at it)."""
    if survey.status == Survey.Status.OPEN and survey.closes_at and timezone.now() >= survey.closes_at:
        return survey_close(actor=None, survey=survey, reason=_("已到截止时间"))
    return survey


# ---------------------------------------------------------------------------------------------- tallies
def _tally_keys(answers) -> Counter:
    """What a set of answer rows adds to the tallies: one per (question, option, group, point, hit), plus one
    "answered" row per question and answer sheet."""
    found: Counter = Counter()
    sheets = set()
    for answer in answers:
        point = answer.point_id or 0
        if answer.choice:
            hit = -1 if answer.hit is None else int(answer.hit)
            found[(answer.key, answer.choice, answer.group, point, hit)] += 1
        elif answer.hit is not None:
            found[(answer.key, "", answer.group, point, int(answer.hit))] += 1
        if (answer.response_id, answer.key) not in sheets:
            sheets.add((answer.response_id, answer.key))
            found[(answer.key, "", answer.group, point, -1)] += 1
        if answer.response_id not in sheets:
            sheets.add(answer.response_id)
            found[("", "", answer.group, point, -1)] += 1
    return found


def sheets_counted(survey: Survey, **filters) -> int:
    """Counted answer sheets of the survey (optionally of one group or point), from the tallies."""
    return Tally.objects.filter(survey=survey, key="", **filters).aggregate(total=Sum("n"))["total"] or 0


def _tally(survey: Survey, answers, delta: int) -> None:
    """Add (or take away) answer rows from the survey's tallies. Callers hold the survey's row lock."""
    for (key, choice, group, point, hit), n in _tally_keys(answers).items():
        lookup = {"survey": survey, "key": key, "choice": choice, "group": group, "point": point, "hit": hit}
        if not Tally.objects.filter(**lookup).update(n=F("n") + n * delta) and delta > 0:
            Tally.objects.create(**lookup, n=n * delta)


@transaction.atomic
def tallies_rebuild(*, survey: Survey) -> int:
    """Recompute a survey's tallies from its counted answers (after a bulk load, or to check them)."""
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    Tally.objects.filter(survey=survey).delete()
    rows = Answer.objects.filter(survey=survey, counted=True).only("response_id", "key", "choice", "group",
                                                                    "point_id", "hit")
    Tally.objects.bulk_create([
        Tally(survey=survey, key=key, choice=choice, group=group, point=point, hit=hit, n=n)
        for (key, choice, group, point, hit), n in _tally_keys(rows.iterator(chunk_size=5000)).items()])
    return Tally.objects.filter(survey=survey).count()


# ---------------------------------------------------------------------------------------------- answering
def address_digest(address: str) -> str:
    """The sender's address as a keyed digest: enough to count answers per address, never the address itself."""
    return hmac.new(settings.SECRET_KEY.encode(), f"surveys:{address}".encode(), hashlib.sha256).hexdigest()[:32]


def mask_phone(value: str) -> str:
    return f"{value[:3]}****{value[-4:]}"


def clean_answers(questions: list[Question], raw: dict) -> dict[str, list[str]]:
    """The answers as given (key → list of values), checked question by question; errors name the question."""
    errors, cleaned = {}, {}
    for number, question in enumerate(questions, 1):
        values = [str(v).strip() for v in raw.get(question.key, []) if v is not None and str(v).strip()]
        label = _("第 %(n)d 题") % {"n": number}
        if not values:
            if question.required:
                errors[question.key] = (_("%(l)s：请填写。") if question.kind in ("text", "phone")
                                        else _("%(l)s：请选择。")) % {"l": label}
            continue
        if question.kind == Question.Kind.MULTIPLE:
            values = list(dict.fromkeys(values))
            if any(v not in question.choices for v in values):
                errors[question.key] = _("%(l)s：所选项不在选项中。") % {"l": label}
                continue
        elif question.kind == Question.Kind.TEXT:
            values = [values[0][:TEXT_MAX]]
        elif question.kind == Question.Kind.PHONE:
            digits = re.sub(r"[\s-]", "", values[0])
            if not PHONE.match(digits):
                errors[question.key] = _("%(l)s：手机号码应为以1开头的11位数字。") % {"l": label}
                continue
            values = [mask_phone(digits)]
        else:
            if len(values) != 1 or values[0] not in question.choices:
                errors[question.key] = _("%(l)s：请选择一项。") % {"l": label}
                continue
        cleaned[question.key] = values
    if errors:
        raise ValidationError(errors)
    return cleaned


def _flags(questions: list[Question], answers: dict, *, seconds: int, minimum: int, duplicate: bool) -> list[str]:
    flags = []
    if seconds < minimum:
        flags.append(Response.Flag.TOO_FAST)
    scale = [answers[q.key][0] for q in questions
             if q.kind in (Question.Kind.RATING, Question.Kind.SATISFACTION) and q.key in answers]
    if len(scale) >= STRAIGHT_MIN and len(set(scale)) == 1:
        flags.append(Response.Flag.STRAIGHT)
    if duplicate:
        flags.append(Response.Flag.DUPLICATE)
    return [str(flag) for flag in flags]


def _hit(survey: Survey, question: Question, values: list[str]) -> bool | None:
    """Whether this answer counts towards the rate (True), against it (False), or not at all (None)."""
    if not question.counts:
        return None
    if survey.measure == Measure.AWARENESS and question.answer_key:
        if question.kind == Question.Kind.MULTIPLE:
            return set(values) == set(question.answer_key)
        return values[0] in question.answer_key
    if survey.measure == Measure.SATISFACTION and question.kind in (Question.Kind.RATING, Question.Kind.SATISFACTION):
        return values[0] in SATISFIED
    return None


def _check_quotas(survey: Survey, point: SamplingPoint | None, group: str) -> None:
    quota = (survey.group_quotas or {}).get(group)
    if quota and sheets_counted(survey, group=group) >= quota:
        raise ValidationError(_("本次调查“%(g)s”类受访者的样本已满，感谢您的参与。") % {"g": Group(group).label})
    if point is not None and point.quota and sheets_counted(survey, point=point.pk) >= point.quota:
        raise ValidationError(_("本抽样点的样本已满，感谢您的参与。"))


@transaction.atomic
def response_submit(
    *, survey: Survey, raw: dict, point: SamplingPoint | None = None, group: str = "", device: str = "",
    address: str = "", seconds: int = 0, respondent: User | None = None, submitted_at=None,
) -> Response:
    """Take one answer. Public answers need a device id (one answer per device) and are limited per address;
    干警 answers need the person (one each). Quotas and dates are checked under a lock on the survey, so the
    count never overshoots; the answer that fills the target closes the survey. Flagged answers are kept."""
    survey = Survey.objects.select_for_update(of=("self",)).select_related("campaign__unit").get(pk=survey.pk)
    problem = survey.not_accepting(now=submitted_at)
    if problem:
        raise ValidationError(problem)
    if survey.audience == Audience.STAFF:
        if respondent is None or respondent.unit_id != survey.campaign.unit_id:
            raise ValidationError(_("本问卷由本单位干警登录后作答。"))
        if Response.objects.filter(survey=survey, respondent=respondent).exists():
            raise ValidationError(_("您已经提交过本问卷，每人只能提交一次。"))
        group, device, address, point = Group.STAFF, "", "", None
    else:
        if not device:
            raise ValidationError(_("无法识别您的设备，请允许浏览器保存 Cookie 后刷新页面再作答。"))
        if Response.objects.filter(survey=survey, device=device).exists():
            raise ValidationError(_("这台设备已经提交过本问卷，每台设备只能提交一次。感谢您的参与！"))
        limit = answers_per_address_hour()
        since = timezone.now() - timezone.timedelta(hours=1)
        if limit and Response.objects.filter(survey=survey, address=address, submitted_at__gte=since).count() >= limit:
            raise ValidationError(_("同一网络提交过于频繁，请稍后再试。"))
        if group not in Group.values or group == Group.STAFF:
            raise ValidationError({"group": _("请选择您的身份。")})
    _check_quotas(survey, point, group)
    questions = list(Question.objects.filter(questionnaire_id=survey.current_id).order_by("order", "id"))
    answers = clean_answers(questions, raw)
    pattern = hashlib.sha256(json.dumps([group, answers], sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    duplicate = bool(address) and Response.objects.filter(survey=survey, address=address, pattern=pattern).exists()
    flags = _flags(questions, answers, seconds=seconds, minimum=survey.min_seconds, duplicate=duplicate)
    by_key = {q.key: q for q in questions}
    hits = {key: _hit(survey, by_key[key], values) for key, values in answers.items()}
    response = Response(
        survey=survey, questionnaire_id=survey.current_id, point=point, group=group, respondent=respondent,
        department_id=respondent.department_id if respondent else None, device=device, address=address,
        pattern=pattern, seconds=max(0, min(int(seconds), 86400)), flags=flags, flagged=bool(flags),
        submitted_at=submitted_at or timezone.now(), correct=sum(1 for hit in hits.values() if hit),
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise ValidationError(_("您已经提交过本问卷。")) from None
    rows = []
    for key, values in answers.items():
        question = by_key[key]
        free = question.kind in (Question.Kind.TEXT, Question.Kind.PHONE)
        for index, value in enumerate(values):
            rows.append(Answer(response=response, survey=survey, key=key, choice="" if free else value,
                               text=value if free else "", group=group, point=point,
                               hit=hits[key] if index == 0 else None))
    Answer.objects.bulk_create(rows)
    _tally(survey, rows, +1)
    if survey.target_size and sheets_counted(survey) >= survey.target_size:
        survey_close(actor=None, survey=survey, reason=_("已达到目标样本量"))
    return response


@transaction.atomic
def response_exclude(*, actor: User, response: Response, excluded: bool, reason: str = "",
                     origin: Origin | None = None) -> Response:
    """Leave an answer out of the results (with a reason), or count it again. The answer itself is kept."""
    Survey.objects.select_for_update(of=("self",)).filter(pk=response.survey_id).first()  # the tallies' lock
    response = Response.objects.select_for_update(of=("self",)).select_related("survey__campaign__unit").get(pk=response.pk)
    reason = (reason or "").strip()
    if excluded and not reason:
        raise ValidationError({"reason": _("剔除答卷须填写原因。")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("原因不能超过200字。")})
    before = {"excluded": response.excluded, "reason": response.exclude_reason}
    changed = response.excluded != excluded
    response.excluded, response.exclude_reason = excluded, reason if excluded else ""
    response.save(update_fields=["excluded", "exclude_reason"])
    Answer.objects.filter(response=response).update(counted=not excluded)
    if changed:
        _tally(response.survey, list(Answer.objects.filter(response=response)), -1 if excluded else +1)
    audit_record(actor=actor, verb="surveys.response_excluded" if excluded else "surveys.response_included",
                 obj=response.survey, unit=response.survey.campaign.unit, before=before,
                 after={"response": response.pk, "excluded": excluded, "reason": response.exclude_reason,
                        "flags": response.flags}, origin=origin)
    return response


# ---------------------------------------------------------------------------------------------- score & evidence
TENTH = Decimal("0.1")


def proposed_points(rate: Decimal, criterion: Criterion) -> Decimal:
    """比率 × 分值, to one decimal (e.g. 满意率 93.5% × 30 分 = 28.1 分)."""
    return (rate / 100 * Decimal(criterion.points or 0)).quantize(TENTH, rounding=ROUND_HALF_UP)


@transaction.atomic
def proposal_accept(*, actor: User, survey: Survey, origin: Origin | None = None) -> ScoreProposal:
    """Write the proposed score on the linked line of the campaign's open self-check, through the assessments
    service (so its rules, version and audit apply), and keep what was accepted."""
    from wenming.assessments.models import Assessment
    from wenming.assessments.services import score_save
    from wenming.surveys.selectors import survey_results

    survey = Survey.objects.select_related("campaign__unit", "criterion").get(pk=survey.pk)
    if survey.criterion_id is None:
        raise ValidationError(_("问卷尚未关联测评指标。"))
    results = survey_results(survey=survey)
    if results.rate is None:
        raise ValidationError(_("还没有可计算%(m)s的有效答卷。") % {"m": survey.get_measure_display()})
    assessment = (Assessment.objects.scorable_by(actor)
                  .filter(campaign=survey.campaign, kind=Assessment.Kind.SELF_CHECK).order_by("-id").first())
    if assessment is None:
        raise ValidationError(_("没有进行中的自查测评，请先在“测评”中建立自查。"))
    points = proposed_points(results.rate, survey.criterion)
    note = _("问卷测评《%(t)s》：%(m)s %(r)s%%（有效样本 %(n)d 份）× 分值 %(p)s 分 = %(s)s 分。") % {
        "t": survey.title, "m": survey.get_measure_display(), "r": results.rate, "n": results.sample,
        "p": survey.criterion.points, "s": points}
    score_save(actor=actor, assessment=assessment, criterion=survey.criterion,
               values={"points": points, "note": note}, origin=origin)
    proposal = ScoreProposal.objects.create(survey=survey, criterion=survey.criterion, rate=results.rate,
                                            points=points, sample=results.sample, assessment=assessment,
                                            accepted_by=actor)
    audit_record(actor=actor, verb="surveys.score_accepted", obj=survey, unit=survey.campaign.unit,
                 after={"criterion": survey.criterion.code, "rate": str(results.rate), "points": str(points),
                        "sample": results.sample, "assessment": assessment.pk}, origin=origin)
    return proposal


@transaction.atomic
def survey_to_evidence(*, actor: User, survey: Survey, origin: Origin | None = None):
    """The result report (Word, 公文) and the raw answers (xlsx) filed as one evidence item of the linked criterion,
    through the evidence service (checked, stored and sent for review like any upload)."""
    from wenming.evidence.models import Evidence
    from wenming.evidence.services import evidence_create
    from wenming.surveys import exports
    from wenming.surveys.selectors import survey_results

    survey = Survey.objects.select_related("campaign__unit", "criterion").get(pk=survey.pk)
    if survey.criterion_id is None:
        raise ValidationError(_("问卷尚未关联测评指标，无法作为创建材料。"))
    results = survey_results(survey=survey)
    if not results.sample:
        raise ValidationError(_("还没有有效答卷。"))
    today = timezone.localdate()
    files = [
        SimpleUploadedFile(f"{survey.title}-结果报告.docx", exports.report_docx(survey, results)),
        SimpleUploadedFile(f"{survey.title}-原始答卷.xlsx", exports.answers_xlsx_bytes(survey)),
    ]
    evidence = evidence_create(
        actor=actor, campaign=survey.campaign, title=_("%(t)s结果报告及原始答卷") % {"t": survey.title},
        occurred_on=min(today, survey.campaign.ends_on) if survey.campaign.ends_on else today,
        kind=Evidence.Kind.LEDGER, criteria=[survey.criterion],
        description=results.summary_text(), files=files, origin=origin)
    survey.evidence.add(evidence)
    audit_record(actor=actor, verb="surveys.filed_as_evidence", obj=survey, unit=survey.campaign.unit,
                 after={"evidence": evidence.pk, "criterion": survey.criterion.code, "sample": results.sample},
                 origin=origin)
    return evidence
