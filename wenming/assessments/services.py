"""Writes of assessments: set up, score line by line, submit, findings and 整改 to closure. Atomic and audited."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.assessments import scoring
from wenming.assessments.models import Assessment, Finding, Rectification, Score
from wenming.assessments.selectors import nodes_in_order
from wenming.audit.services import Origin, audit_record
from wenming.campaigns.models import Campaign
from wenming.core.errors import ConcurrentEditError, check_version
from wenming.core.events import tell
from wenming.org.models import Department, User
from wenming.org.roles import Role
from wenming.standards.models import Criterion, Kind

# Allowed status moves: from → {to: who may}. "office" = the 创建办; "team" = a person who may score it.
TRANSITIONS = {
    Assessment.Status.DRAFT: {Assessment.Status.IN_PROGRESS: "office"},
    Assessment.Status.IN_PROGRESS: {Assessment.Status.SUBMITTED: "team", Assessment.Status.DRAFT: "office"},
    Assessment.Status.SUBMITTED: {Assessment.Status.LOCKED: "office", Assessment.Status.IN_PROGRESS: "office"},
    Assessment.Status.LOCKED: {},
}


def allowed_moves(assessment: Assessment) -> dict:
    """The status moves open from here. A submitted inspection is the 文明办's verdict: the unit cannot reopen it."""
    moves = dict(TRANSITIONS.get(assessment.status, {}))
    if assessment.is_inspection and assessment.status == Assessment.Status.SUBMITTED:
        moves.pop(Assessment.Status.IN_PROGRESS, None)
    return moves


def _notify(**kwargs) -> None:
    """Tell people through the notifications app (in-app, then mail and robots after commit), which listens for
    "notify" (`wenming.core.events`)."""
    tell("notify", **kwargs)


def _tell_evaluators(assessment: Assessment, people, actor: User) -> None:
    """An opened inspection is assigned to its team: each evaluator gets a notice (and it is on their to-do list,
    `selectors.inspections_to_score`). A draft assigns nothing yet: evaluators see an inspection once it opens."""
    people = [person for person in people if person.pk != actor.pk]
    if assessment.is_inspection and assessment.status != Assessment.Status.DRAFT and people:
        tell("inspection_assigned", assessment=assessment, people=people, actor=actor)


def _snapshot_team(assessment: Assessment) -> list[int]:
    return sorted(assessment.team.values_list("pk", flat=True))


def _check_team(campaign: Campaign, kind: str, team) -> list[User]:
    team = list(team or [])
    for person in team:
        if kind == Assessment.Kind.INSPECTION:
            if not person.has_role(Role.EVALUATOR):
                raise ValidationError({"team": _("检查验收的评分人员必须是测评员：%(n)s 不是。") % {"n": person}})
        elif person.unit_id != campaign.unit_id:
            raise ValidationError({"team": _("%(n)s 不是本单位人员。") % {"n": person}})
    return team


# ---------------------------------------------------------------------------------------------- assessments
@transaction.atomic
def assessment_create(*, actor: User, campaign: Campaign, kind: str, title: str, team=(), starts_on: date | None = None,
                      ends_on: date | None = None, origin: Origin | None = None) -> Assessment:
    if campaign.standard_id is None:
        raise ValidationError(_("该创建活动尚未选定测评体系，无法开展测评。"))
    team = _check_team(campaign, kind, team)
    assessment = Assessment(campaign=campaign, kind=kind, title=title.strip(), starts_on=starts_on, ends_on=ends_on,
                            created_by=actor)
    assessment.full_clean()
    assessment.save()
    assessment.team.set(team)
    audit_record(actor=actor, verb="assessments.created", obj=assessment, unit=campaign.unit,
                 after={"kind": kind, "title": assessment.title, "team": [p.pk for p in team]}, origin=origin)
    return assessment


@transaction.atomic
def assessment_update(*, actor: User, assessment: Assessment, values: dict, team=None,
                      expected_version: int | None = None, origin: Origin | None = None) -> Assessment:
    assessment = Assessment.objects.select_for_update().select_related("campaign__unit").get(pk=assessment.pk)
    check_version(assessment, expected_version)
    if assessment.status == Assessment.Status.LOCKED:
        raise ValidationError(_("测评已锁定，不能修改。"))
    before = {name: str(getattr(assessment, name)) for name in values}
    before["team"] = _snapshot_team(assessment)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.full_clean()
    assessment.save()
    if team is not None:
        was = set(before["team"])
        assessment.team.set(_check_team(assessment.campaign, assessment.kind, team))
        _tell_evaluators(assessment, [person for person in team if person.pk not in was], actor)
    audit_record(actor=actor, verb="assessments.updated", obj=assessment, unit=assessment.campaign.unit,
                 before=before, after={**{k: str(v) for k, v in values.items()}, "team": _snapshot_team(assessment)},
                 origin=origin)
    return assessment


@transaction.atomic
def assessment_transition(*, actor: User, assessment: Assessment, to: str, expected_version: int | None = None,
                          origin: Origin | None = None) -> Assessment:
    """开始评分 / 提交 / 锁定 / 退回修改. Submitting an inspection is what shows its scores to the unit."""
    assessment = Assessment.objects.select_for_update().select_related("campaign__unit").get(pk=assessment.pk)
    check_version(assessment, expected_version)
    who = allowed_moves(assessment).get(to)
    if who is None:
        raise ValidationError(_("当前状态“%(s)s”不能变更为“%(t)s”。") % {
            "s": assessment.get_status_display(), "t": Assessment.Status(to).label if to in Assessment.Status.values
            else to})
    if who == "office" and not Assessment.objects.editable_by(actor).filter(pk=assessment.pk).exists():
        raise ValidationError(_("只有创建办可以进行此操作。"))
    if who == "team" and not Assessment.objects.scorable_by(actor).filter(pk=assessment.pk).exists():
        raise ValidationError(_("只有评分人员可以提交。"))
    before = {"status": assessment.status}
    assessment.status = to
    if to == Assessment.Status.SUBMITTED:
        assessment.submitted_at, assessment.submitted_by = timezone.now(), actor
    assessment.save()
    if before["status"] == Assessment.Status.DRAFT and to == Assessment.Status.IN_PROGRESS:
        _tell_evaluators(assessment, list(assessment.team.all()), actor)
    audit_record(actor=actor, verb=f"assessments.{to}", obj=assessment, unit=assessment.campaign.unit,
                 before=before, after={"status": to}, origin=origin)
    return assessment


# ---------------------------------------------------------------------------------------------- scores
POINTS_CEILING = Decimal(10000)  # above any line's worth, and what the score column holds (max_digits=6, 2 places)


def _decimal(value, label: str, step: Decimal = scoring.TENTH) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).strip()[:50]
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError({"points": _("%(l)s：“%(v)s”不是数字。") % {"l": label, "v": text}}) from None
    if not number.is_finite():
        raise ValidationError({"points": _("%(l)s：“%(v)s”不是数字。") % {"l": label, "v": text}})
    if abs(number) >= POINTS_CEILING:  # checked before rounding: 1e400 cannot be rounded to 0.1 at all
        raise ValidationError({"points": _("%(l)s：得分“%(v)s”超出范围。") % {"l": label, "v": text}})
    if number != number.quantize(step):
        raise ValidationError({"points": _("%(l)s：得分只能精确到%(s)s分。") % {"l": label, "s": step}})
    return number.quantize(step)


def line_label(criterion: Criterion) -> str:
    """How a message names a line: by its code in the standard (never the database id), else by its title."""
    if criterion.code:
        return _("测评项 %(c)s") % {"c": criterion.code}
    return _("测评项“%(t)s”") % {"t": (criterion.title or "")[:20]}


def score_step(standard_id: int | None) -> Decimal:
    """The step the standard counts in (0.1, or 0.01 when its rules count in hundredths)."""
    return scoring.step_of_nodes(nodes_in_order(standard_id))


def line_limit(criterion: Criterion, *, section_cap=None, step: Decimal = scoring.TENTH) -> Decimal | None:
    """The most a line can earn, as the scoring module sees it (None: no limit of its own)."""
    line = scoring.Line(criterion.pk, None, kind=criterion.kind, points=criterion.points, per_item=criterion.per_item,
                        cap=criterion.bonus_cap if criterion.kind == Kind.BONUS and criterion.parent_id else None)
    return line.limit(section_cap=section_cap, step=step)


def clean_score_values(criterion: Criterion, values: dict, *, scale: scoring.GradeScale,
                       section_cap=None, step: Decimal = scoring.TENTH) -> dict:
    """Check one line's input and name the line (by its code) in every message."""
    label = line_label(criterion)
    points = _decimal(values.get("points"), label, step)
    grade = (values.get("grade") or "").strip().upper()
    missing = values.get("missing")
    if missing in ("", None):
        missing = None
    else:
        try:
            missing = int(missing)
        except (TypeError, ValueError):
            raise ValidationError({"missing": _("%(l)s：项数应为整数。") % {"l": label}}) from None
        if missing < 0 or missing > 10000:
            raise ValidationError({"missing": _("%(l)s：项数应在 0 到 10000 之间。") % {"l": label}})
    if grade and grade not in scale.grades:
        raise ValidationError({"grade": _("%(l)s：等次应为 %(g)s 之一。") % {"l": label, "g": "、".join(scale.grades)}})
    limit = line_limit(criterion, section_cap=section_cap, step=step)
    if points is not None:
        if points < 0:
            raise ValidationError({"points": _("%(l)s：得分不能为负数。") % {"l": label}})
        if limit is not None and points > limit:
            raise ValidationError({"points": _("%(l)s：得分不能超过该项分值 %(m)s 分。") % {"l": label, "m": scoring.plain(limit)}})
    note = (values.get("note") or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("%(l)s：备注不能超过2000字。") % {"l": label}})
    return {"points": points, "grade": grade, "missing": missing, "note": note,
            "triggered": bool(values.get("triggered")) if criterion.kind == Kind.VETO else False,
            "not_applicable": bool(values.get("not_applicable")) if criterion.kind != Kind.VETO else False}


def _score_state(score: Score | None) -> dict:
    if score is None:
        return {}
    return {"points": str(score.points) if score.points is not None else None, "grade": score.grade,
            "missing": score.missing, "triggered": score.triggered, "not_applicable": score.not_applicable,
            "note": score.note}


@transaction.atomic
def score_save(*, actor: User, assessment: Assessment, criterion: Criterion, values: dict,
               expected_version: int | None = None, origin: Origin | None = None) -> Score:
    """Save one line. `expected_version` is the line's version as the person saw it (0 for a line never scored);
    a different one raises ConcurrentEditError carrying the other person's saved line."""
    assessment = Assessment.objects.select_related("campaign__unit").get(pk=assessment.pk)
    if not assessment.is_open:
        raise ValidationError(_("测评已提交或锁定，不能再修改评分。"))
    if criterion.standard_id != assessment.campaign.standard_id:
        raise ValidationError(_("该测评项不属于本次测评所用的测评体系。"))
    if Criterion.objects.filter(parent_id=criterion.pk, is_local=False).exists() or criterion.is_local:
        raise ValidationError(_("“%(c)s”不是评分项（请在其下各条评分）。") % {"c": criterion})
    section_cap = None
    if criterion.kind == Kind.BONUS and criterion.parent_id:
        section_cap = Criterion.objects.filter(pk=criterion.parent_id).values_list("bonus_cap", flat=True).first()
    cleaned = clean_score_values(criterion, values, scale=scoring.GradeScale.from_mapping(assessment.grade_scale),
                                 section_cap=section_cap, step=score_step(criterion.standard_id))
    score = Score.objects.select_for_update().filter(assessment=assessment, criterion=criterion).first()
    if score is None:
        if expected_version not in (None, 0):
            raise ConcurrentEditError(current=Score(assessment=assessment, criterion=criterion, version=0))
        try:
            with transaction.atomic():
                score = Score.objects.create(assessment=assessment, criterion=criterion, scored_by=actor, **cleaned)
        except IntegrityError:
            raise ConcurrentEditError(current=Score.objects.get(assessment=assessment, criterion=criterion)) from None
        before = {}
    else:
        if expected_version is not None and score.version != expected_version:
            raise ConcurrentEditError(current=score)
        before = _score_state(score)
        for name, value in cleaned.items():
            setattr(score, name, value)
        score.scored_by = actor
        score.version += 1
        score.save()
    if assessment.status == Assessment.Status.DRAFT:
        Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT).update(
            status=Assessment.Status.IN_PROGRESS)
    audit_record(actor=actor, verb="assessments.scored", obj=score, unit=assessment.campaign.unit, before=before,
                 after={"criterion": criterion.code, **_score_state(score)}, origin=origin)
    return score


# ---------------------------------------------------------------------------------------------- findings
@transaction.atomic
def finding_create(*, actor: User, assessment: Assessment, criterion: Criterion | None, description: str,
                   severity: str = Finding.Severity.MINOR, origin: Origin | None = None) -> Finding:
    assessment = Assessment.objects.select_related("campaign__unit").get(pk=assessment.pk)
    if criterion is not None and criterion.standard_id != assessment.campaign.standard_id:
        raise ValidationError({"criterion": _("该测评项不属于本次测评所用的测评体系。")})
    finding = Finding(assessment=assessment, criterion=criterion, description=description.strip(),
                      severity=severity, created_by=actor)
    finding.full_clean()
    finding.save()
    audit_record(actor=actor, verb="assessments.finding_created", obj=finding, unit=assessment.campaign.unit,
                 after={"criterion": criterion.code if criterion else None, "severity": severity,
                        "description": finding.description}, origin=origin)
    return finding


# ---------------------------------------------------------------------------------------------- 整改
def _liaisons(department: Department) -> list[User]:
    return list(User.objects.filter(department=department, is_active=True,
                                    role_assignments__role=Role.LIAISON).distinct())


@transaction.atomic
def rectification_assign(*, actor: User, finding: Finding, department: Department, due_on: date,
                         requirement: str = "", origin: Origin | None = None) -> Rectification:
    """交办: a finding becomes an item for a department with a deadline; its liaisons are notified."""
    finding = Finding.objects.select_related("assessment__campaign__unit").get(pk=finding.pk)
    campaign = finding.assessment.campaign
    if department.unit_id != campaign.unit_id:
        raise ValidationError({"department": _("责任部门必须是本单位的部门。")})
    item = Rectification(finding=finding, campaign=campaign, department=department, due_on=due_on,
                         requirement=(requirement or "").strip() or finding.description, created_by=actor)
    item.full_clean()
    item.save()
    audit_record(actor=actor, verb="assessments.rectification_assigned", obj=item, unit=campaign.unit,
                 after={"department": department.name, "due_on": due_on.isoformat(), "finding": finding.pk},
                 origin=origin)
    _notify(recipients=_liaisons(department), verb="assessments.rectification_assigned", actor=actor,
            title=_("新的整改事项：%(t)s") % {"t": str(item)[:60]},
            body=_("责任部门：%(d)s；整改时限：%(due)s。") % {"d": department.name, "due": due_on.isoformat()},
            url=reverse("assessments:rectification", args=[item.pk]))
    return item


@transaction.atomic
def rectification_respond(*, actor: User, rectification: Rectification, measures: str, evidence=(),
                          expected_version: int | None = None, origin: Origin | None = None) -> Rectification:
    """整改反馈: the department's liaison reports the measures taken, attaches evidence, and asks for 核验."""
    item = Rectification.objects.select_for_update().select_related("campaign__unit").get(pk=rectification.pk)
    check_version(item, expected_version)
    if item.status == Rectification.Status.CLOSED:
        raise ValidationError(_("该整改事项已销号。"))
    measures = (measures or "").strip()
    if not measures:
        raise ValidationError({"measures": _("请填写整改措施及结果。")})
    evidence = list(evidence or [])
    for piece in evidence:
        if piece.campaign_id != item.campaign_id:
            raise ValidationError({"evidence": _("佐证材料“%(t)s”不属于本创建活动。") % {"t": piece.title}})
    before = {"status": item.status, "measures": item.measures}
    item.measures, item.status = measures, Rectification.Status.SUBMITTED
    item.responded_by, item.responded_at, item.return_reason = actor, timezone.now(), ""
    item.full_clean()
    item.save()
    if evidence:
        item.evidence.add(*evidence)
    audit_record(actor=actor, verb="assessments.rectification_submitted", obj=item, unit=item.campaign.unit,
                 before=before, after={"status": item.status, "measures": measures,
                                       "evidence": [e.pk for e in evidence]}, origin=origin)
    office = User.objects.filter(unit_id=item.campaign.unit_id, is_active=True,
                                 role_assignments__role=Role.OFFICE).distinct()
    _notify(recipients=list(office), verb="assessments.rectification_submitted", actor=actor,
            title=_("整改待核验：%(t)s") % {"t": str(item)[:60]}, body=measures,
            url=reverse("assessments:rectification", args=[item.pk]))
    return item


def _check_closing_evidence(item: Rectification) -> None:
    """销号 needs closing evidence the 创建办 has approved: material still 待审核 (or sent back) proves nothing yet."""
    pieces = list(item.evidence.filter(deleted_at__isnull=True).only("id", "title", "status").order_by("id"))
    if not pieces:
        raise ValidationError(_("销号前须有整改佐证材料。"))
    if any(piece.status == piece.Status.APPROVED for piece in pieces):
        return
    pending = [piece.title for piece in pieces if piece.status == piece.Status.PENDING]
    if pending:
        raise ValidationError(_("佐证材料“%(t)s”尚待审核，请先在“创建材料”中审核通过，再销号。") % {
            "t": "”“".join(pending)})
    raise ValidationError(_("佐证材料均已退回，请责任部门重新提交并审核通过后再销号。"))


@transaction.atomic
def rectification_verify(*, actor: User, rectification: Rectification, close: bool, reason: str = "",
                         expected_version: int | None = None, origin: Origin | None = None) -> Rectification:
    """核验: the 创建办 closes the item (销号) — closing evidence required — or sends it back with a reason."""
    item = Rectification.objects.select_for_update().select_related("campaign__unit", "department").get(
        pk=rectification.pk)
    check_version(item, expected_version)
    reason = (reason or "").strip()
    if item.status == Rectification.Status.CLOSED:
        raise ValidationError(_("该整改事项已销号。"))
    before = {"status": item.status}
    if close:
        _check_closing_evidence(item)
        item.status, item.closed_at, item.verified_by = Rectification.Status.CLOSED, timezone.now(), actor
    else:
        if item.status != Rectification.Status.SUBMITTED:
            raise ValidationError(_("只有待核验的整改事项可以退回。"))
        if not reason:
            raise ValidationError({"reason": _("退回时请写明原因。")})
        item.status, item.return_reason, item.verified_by = Rectification.Status.OPEN, reason, actor
    item.full_clean()
    item.save()
    audit_record(actor=actor, verb="assessments.rectification_closed" if close else
                 "assessments.rectification_returned", obj=item, unit=item.campaign.unit, before=before,
                 after={"status": item.status, "reason": reason}, origin=origin)
    if not close:
        _notify(recipients=_liaisons(item.department), verb="assessments.rectification_returned", actor=actor,
                title=_("整改事项被退回：%(t)s") % {"t": str(item)[:60]}, body=reason,
                url=reverse("assessments:rectification", args=[item.pk]))
    return item
