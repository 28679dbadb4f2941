"""Writes for supervision: settings and the 督办单 flow. Keyword-only, atomic, audited; the actor passed in.

Who may call what is decided by the caller through the querysets (`editable_by`, `answerable_by`); these functions
keep the order's own rules: 待答复/已退回 → 答复 → 已答复待确认 → 办结 or 退回 (with a reason), every round kept.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.audit.services import Origin, audit_record
from wenming.campaigns.models import Task
from wenming.core.errors import check_version
from wenming.org.models import Department, Unit, User
from wenming.org.roles import Role
from wenming.supervision.models import OrderCounter, OrderRound, SupervisionOrder, SupervisionSettings

SETTINGS_FIELDS = ("warn_days", "weight_on_time", "weight_returns", "weight_overdue_days",
                   "weight_open_rectifications")


def settings_for(unit_id: int | None) -> SupervisionSettings:
    """The unit's settings, or the defaults (unsaved) when the office has not changed them: one query."""
    found = SupervisionSettings.objects.filter(unit_id=unit_id).first() if unit_id else None
    return found or SupervisionSettings(unit_id=unit_id)


@transaction.atomic
def settings_update(*, actor: User, unit: Unit, values: dict, expected_version: int | None = None,
                    origin: Origin | None = None) -> SupervisionSettings:
    row, _created = SupervisionSettings.objects.get_or_create(unit=unit)
    row = SupervisionSettings.objects.select_for_update().get(pk=row.pk)
    check_version(row, expected_version if not _created else None)
    before = {name: str(getattr(row, name)) for name in SETTINGS_FIELDS}
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(row, name, values[name])
    row.full_clean()
    row.save()
    audit_record(actor=actor, verb="supervision.settings_updated", obj=row, unit=unit, before=before,
                 after={name: str(getattr(row, name)) for name in SETTINGS_FIELDS}, origin=origin)
    return row


# ---------------------------------------------------------------------------------------------- orders
def _next_number(unit_id: int, year: int) -> int:
    """The next number of the unit's year, taken under a row lock so two issuers never get the same one."""
    counter, _created = OrderCounter.objects.get_or_create(unit_id=unit_id, year=year)
    counter = OrderCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _snapshot(order: SupervisionOrder) -> dict:
    return {"code": order.code, "status": order.status, "department_id": order.department_id,
            "task_id": order.task_id, "rectification_id": order.rectification_id, "deadline": order.deadline.isoformat() if isinstance(order.deadline, date)
            else order.deadline, "request": order.request}


def _liaisons(order: SupervisionOrder):
    return list(User.objects.filter(unit_id=order.unit_id, department_id=order.department_id,
                                    role_assignments__role=Role.LIAISON).business_people().distinct())


def _notify(*, recipients, verb: str, title: str, body: str, order: SupervisionOrder, actor: User) -> None:
    """In-app notice through the notifications app (skipped when that app is not there)."""
    try:
        from wenming.notifications.services import notify
    except ImportError:  # pragma: no cover - the app ships with the project
        return
    notify(recipients=recipients, verb=verb, title=title, body=body,
           url=reverse("supervision:order_detail", args=[order.pk]), actor=actor)


@transaction.atomic
def order_issue(*, actor: User, task: Task | None = None, rectification=None, deadline: date, request: str,
                department: Department | None = None, origin: Origin | None = None,
                today: date | None = None) -> SupervisionOrder:
    """签发督办单 on a task that is not done or a rectification not yet closed (exactly one), to the department
    responsible for it (or the one named)."""
    today = today or timezone.localdate()
    request = (request or "").strip()
    if (task is None) == (rectification is None):
        raise ValidationError(_("督办单须针对一项任务或一项整改（只能选其一）。"))
    if task is not None:
        if task.status == Task.Status.DONE:
            raise ValidationError({"task": _("该任务已完成，无需督办。")})
        campaign, department = task.campaign, department or task.lead_department
    else:
        if rectification.status == "closed":
            raise ValidationError({"rectification": _("该整改事项已销号，无需督办。")})
        campaign, department = rectification.campaign, department or rectification.department
    if department is None:
        raise ValidationError({"department": _("该任务没有牵头部门，请指定承办部门。")})
    if department.unit_id != campaign.unit_id:
        raise ValidationError({"department": _("承办部门不属于本单位。")})
    if not request:
        raise ValidationError({"request": _("请写明督办事项及要求。")})
    if deadline is None or deadline < today:
        raise ValidationError({"deadline": _("办理时限不能早于今天。")})
    year = today.year
    order = SupervisionOrder(unit_id=campaign.unit_id, campaign=campaign, year=year, number=0, task=task,
                             rectification=rectification, department=department, deadline=deadline,
                             request=request, issued_by=actor)
    order.full_clean(exclude=["number"])
    order.number = _next_number(campaign.unit_id, year)
    order.save()
    OrderRound.objects.create(order=order, kind=OrderRound.Kind.ISSUED, text=request, actor=actor)
    audit_record(actor=actor, verb="supervision.order_issued", obj=order, unit=campaign.unit,
                 after=_snapshot(order), origin=origin)
    _notify(recipients=_liaisons(order), verb="supervision.order_issued", order=order, actor=actor,
            title=_("%(code)s：请在 %(date)s 前办理") % {"code": order.code, "date": deadline.isoformat()},
            body=request)
    return order


def _locked(order: SupervisionOrder, expected_version: int | None) -> SupervisionOrder:
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    check_version(order, expected_version)
    return order


@transaction.atomic
def order_answer(*, actor: User, order: SupervisionOrder, text: str, evidence=(), files=(),
                 expected_version: int | None = None, origin: Origin | None = None) -> SupervisionOrder:
    """The department's answer: what was done, with existing evidence of the campaign linked and/or new files
    (filed through the evidence app, for the 创建办's review like any other material)."""
    order = _locked(order, expected_version)
    text = (text or "").strip()
    if order.status not in (SupervisionOrder.Status.ISSUED, SupervisionOrder.Status.RETURNED):
        raise ValidationError(_("该督办单当前为“%(s)s”，不能答复。") % {"s": order.get_status_display()})
    if not text:
        raise ValidationError({"text": _("请写明办理情况。")})
    evidence = list(evidence)
    wrong = [item for item in evidence if item.campaign_id != order.campaign_id]
    if wrong:
        raise ValidationError({"evidence": _("材料“%(t)s”不属于本创建活动。") % {"t": wrong[0].title}})
    files = list(files)
    if files:
        from wenming.evidence.services import evidence_create

        evidence.append(evidence_create(
            actor=actor, campaign=order.campaign, title=_("%(code)s 办理情况佐证") % {"code": order.code},
            occurred_on=timezone.localdate(), department=order.department, task=order.task,
            criteria=list(order.task.criteria.all()) if order.task_id else [], description=text, files=files,
            origin=origin))
    order.status = SupervisionOrder.Status.ANSWERED
    order.answered_at = timezone.now()
    order.save()
    answer = OrderRound.objects.create(order=order, kind=OrderRound.Kind.ANSWERED, text=text, actor=actor)
    answer.evidence.set(evidence)
    audit_record(actor=actor, verb="supervision.order_answered", obj=order, unit=order.unit,
                 after={**_snapshot(order), "text": text, "evidence": [e.pk for e in evidence]}, origin=origin)
    _notify(recipients=[order.issued_by], verb="supervision.order_answered", order=order, actor=actor,
            title=_("%(code)s 已答复，请确认") % {"code": order.code}, body=text)
    return order


@transaction.atomic
def order_close(*, actor: User, order: SupervisionOrder, text: str = "", expected_version: int | None = None,
                origin: Origin | None = None) -> SupervisionOrder:
    """办结: the issuer accepts the answer."""
    order = _locked(order, expected_version)
    if order.status != SupervisionOrder.Status.ANSWERED:
        raise ValidationError(_("只有已答复的督办单可以办结（当前：%(s)s）。") % {"s": order.get_status_display()})
    order.status = SupervisionOrder.Status.CLOSED
    order.closed_at = timezone.now()
    order.save()
    OrderRound.objects.create(order=order, kind=OrderRound.Kind.CLOSED, text=(text or "").strip(), actor=actor)
    audit_record(actor=actor, verb="supervision.order_closed", obj=order, unit=order.unit,
                 before={"status": SupervisionOrder.Status.ANSWERED}, after=_snapshot(order), origin=origin)
    _notify(recipients=_liaisons(order), verb="supervision.order_closed", order=order, actor=actor,
            title=_("%(code)s 已办结") % {"code": order.code}, body=text or "")
    return order


@transaction.atomic
def order_return(*, actor: User, order: SupervisionOrder, reason: str, expected_version: int | None = None,
                 origin: Origin | None = None) -> SupervisionOrder:
    """退回: the answer is not enough; the department answers again."""
    order = _locked(order, expected_version)
    reason = (reason or "").strip()
    if order.status != SupervisionOrder.Status.ANSWERED:
        raise ValidationError(_("只有已答复的督办单可以退回（当前：%(s)s）。") % {"s": order.get_status_display()})
    if not reason:
        raise ValidationError({"reason": _("退回时请写明原因。")})
    order.status = SupervisionOrder.Status.RETURNED
    order.save()
    OrderRound.objects.create(order=order, kind=OrderRound.Kind.RETURNED, text=reason, actor=actor)
    audit_record(actor=actor, verb="supervision.order_returned", obj=order, unit=order.unit,
                 before={"status": SupervisionOrder.Status.ANSWERED}, after={**_snapshot(order), "reason": reason},
                 origin=origin)
    _notify(recipients=_liaisons(order), verb="supervision.order_returned", order=order, actor=actor,
            title=_("%(code)s 的答复被退回") % {"code": order.code}, body=reason)
    return order
