"""Writes to campaign data. Keyword-only, atomic, audited; the acting person is passed in.

Who may call what is decided by the caller through the querysets (`editable_by`, `progress_editable_by`,
`approvable_by`); these functions keep the data's own rules (dates in order, the status flow, one transaction).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.audit.services import Origin, audit_record
from wenming.campaigns.models import (
    DEFAULT_PHASES,
    Campaign,
    CampaignChoice,
    Milestone,
    Phase,
    RosterEntry,
    Task,
    TaskComment,
    TaskOccurrence,
)
from wenming.campaigns.timelimits import month_end
from wenming.core.errors import check_version
from wenming.core.events import tell
from wenming.core.xlsx import match_key
from wenming.org.models import Department, Unit, User
from wenming.standards.models import Criterion, Kind, Standard

CAMPAIGN_FIELDS = ("title", "level", "year", "standard_id", "pass_score", "starts_on", "ends_on", "status",
                   "document_title", "document_number")
PHASE_FIELDS = ("name", "starts_on", "ends_on", "order", "summary")
TASK_FIELDS = ("title", "description", "lead_department_id", "owner_id", "supervisor_id", "supervisor_label",
               "phase_id", "starts_on", "due_on", "recurrence", "due_text", "status", "progress")


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _snapshot(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


# ---------------------------------------------------------------------------------------------- campaign
def _check_standard(standard: Standard | None, unit: Unit) -> None:
    if standard is None:
        return
    if standard.unit_id != unit.pk:
        raise ValidationError({"standard": _("测评体系不属于本单位。")})
    if standard.status != Standard.Status.PUBLISHED:
        raise ValidationError({"standard": _("只能选择已发布的测评体系版本。")})


def default_phases(year: int) -> list[tuple[str, date, date]]:
    """The seed's four phases (动员部署 1月初–6月底 …) placed in `year`."""
    return [(str(name), date(year, *start), date(year, *end)) for name, start, end in DEFAULT_PHASES]


@transaction.atomic
def campaign_create(
    *, actor: User, unit: Unit, title: str, year: int, level: str = Campaign.Level.CITY,
    standard: Standard | None = None, pass_score: Decimal | None = None, starts_on: date | None = None,
    ends_on: date | None = None, with_default_phases: bool = True, origin: Origin | None = None,
) -> Campaign:
    """A new campaign; by default with the seed's four phases in its year, for the office to adjust."""
    _check_standard(standard, unit)
    if pass_score is None and standard is not None:
        pass_score = standard.pass_score
    campaign = Campaign(
        unit=unit, title=title.strip(), year=year, level=level, standard=standard, pass_score=pass_score,
        starts_on=starts_on or date(year, 1, 1), ends_on=ends_on or date(year, 12, 31),
    )
    campaign.full_clean()
    campaign.save()
    if with_default_phases:
        Phase.objects.bulk_create([
            Phase(campaign=campaign, name=name, starts_on=start, ends_on=end, order=index)
            for index, (name, start, end) in enumerate(default_phases(year), start=1)
        ])
    audit_record(actor=actor, verb="campaigns.created", obj=campaign, after=_snapshot(campaign, CAMPAIGN_FIELDS),
                 origin=origin)
    return campaign


@transaction.atomic
def campaign_update(
    *, actor: User, campaign: Campaign, values: dict, document=None, expected_version: int | None = None,
    origin: Origin | None = None,
) -> Campaign:
    """Change the campaign's particulars; `document` (an uploaded file) replaces the founding document."""

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    check_version(campaign, expected_version)
    before = _snapshot(campaign, CAMPAIGN_FIELDS)
    for name in ("title", "level", "year", "standard", "pass_score", "starts_on", "ends_on", "status",
                 "document_title", "document_number"):
        if name in values:
            setattr(campaign, name, values[name].strip() if isinstance(values[name], str) else values[name])
    if "standard" in values and campaign.standard_id != before["standard_id"]:
        _check_standard(campaign.standard, campaign.unit)
        if campaign.tasks.filter(criteria__isnull=False).exists():
            raise ValidationError({"standard": _("已有任务关联了原测评体系的指标，不能更换测评体系。")})
    if document is not None:
        campaign.document = document
    campaign.full_clean()
    campaign.save()
    after = _snapshot(campaign, CAMPAIGN_FIELDS)
    if document is not None:
        after["document"] = campaign.document.name
    audit_record(actor=actor, verb="campaigns.updated", obj=campaign, before=before, after=after, origin=origin)
    return campaign


# ---------------------------------------------------------------------------------------------- phases
@transaction.atomic
def campaign_choose(*, user: User, campaign: Campaign) -> CampaignChoice:
    """Remember the campaign this person works on (the header's switcher). A view preference, like the language:
    it changes no campaign data, so it is not an audited change. The caller checks the person sees the campaign."""
    if campaign.unit_id != user.unit_id:
        raise ValidationError(_("只能选择本单位的创建活动。"))
    choice, _created = CampaignChoice.objects.update_or_create(user=user, defaults={"campaign": campaign})
    return choice


def _check_phase_dates(phase: Phase) -> None:
    campaign = phase.campaign
    if phase.starts_on and phase.ends_on and (phase.starts_on < campaign.starts_on or phase.ends_on > campaign.ends_on):
        raise ValidationError({"starts_on": _("阶段须在活动的起止日期（%(start)s 至 %(end)s）之内。")
                               % {"start": campaign.starts_on, "end": campaign.ends_on}})


@transaction.atomic
def phase_save(
    *, actor: User, campaign: Campaign, phase: Phase | None = None, name: str, starts_on: date, ends_on: date,
    order: int = 0, summary: str = "", expected_version: int | None = None, origin: Origin | None = None,
) -> Phase:
    """Create a phase, or change one (`phase` given)."""

    if phase is None:
        phase, before, verb = Phase(campaign=campaign), None, "campaigns.phase_created"
    else:
        phase = Phase.objects.select_for_update().select_related("campaign").get(pk=phase.pk)
        check_version(phase, expected_version)
        before, verb = _snapshot(phase, PHASE_FIELDS), "campaigns.phase_updated"
    phase.name, phase.starts_on, phase.ends_on, phase.order, phase.summary = (
        name.strip(), starts_on, ends_on, order, summary.strip())
    phase.full_clean()
    _check_phase_dates(phase)
    phase.save()
    audit_record(actor=actor, verb=verb, obj=phase, unit=campaign.unit, before=before,
                 after=_snapshot(phase, PHASE_FIELDS), origin=origin)
    return phase


@transaction.atomic
def phase_delete(*, actor: User, phase: Phase, origin: Origin | None = None) -> None:
    audit_record(actor=actor, verb="campaigns.phase_deleted", obj=phase, unit=phase.campaign.unit,
                 before=_snapshot(phase, PHASE_FIELDS), origin=origin)
    phase.delete()  # tasks keep their dates; their phase becomes empty


@transaction.atomic
def milestone_create(*, actor: User, campaign: Campaign, title: str, due_on: date, origin: Origin | None = None
                     ) -> Milestone:
    milestone = Milestone(campaign=campaign, title=title.strip(), due_on=due_on,
                          phase=campaign.phase_on(due_on))
    milestone.full_clean()
    milestone.save()
    audit_record(actor=actor, verb="campaigns.milestone_created", obj=milestone, unit=campaign.unit,
                 after={"title": milestone.title, "due_on": due_on.isoformat()}, origin=origin)
    return milestone


@transaction.atomic
def milestone_set_done(*, actor: User, milestone: Milestone, done: bool, origin: Origin | None = None) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("campaign__unit").get(pk=milestone.pk)
    before = {"done": milestone.done}
    milestone.done = done
    milestone.version += 1
    milestone.save(update_fields=["done", "version"])
    audit_record(actor=actor, verb="campaigns.milestone_updated", obj=milestone, unit=milestone.campaign.unit,
                 before=before, after={"done": done}, origin=origin)
    return milestone


@transaction.atomic
def milestone_delete(*, actor: User, milestone: Milestone, origin: Origin | None = None) -> None:
    audit_record(actor=actor, verb="campaigns.milestone_deleted", obj=milestone, unit=milestone.campaign.unit,
                 before={"title": milestone.title, "due_on": milestone.due_on.isoformat()}, origin=origin)
    milestone.delete()


# ---------------------------------------------------------------------------------------------- roster
@transaction.atomic
def roster_add(
    *, actor: User, campaign: Campaign, person: User, role: str, department: Department | None = None,
    title: str = "", order: int | None = None, origin: Origin | None = None,
) -> RosterEntry:
    if person.unit_id != campaign.unit_id:
        raise ValidationError({"person": _("人员不属于本单位。")})
    if role == RosterEntry.Role.LIAISON:
        department = department or person.department
        if department is None:
            raise ValidationError({"department": _("联络员须注明联络的部门。")})
    if department is not None and department.unit_id != campaign.unit_id:
        raise ValidationError({"department": _("部门不属于本单位。")})
    if order is None:
        order = (campaign.roster.aggregate(top=Max("order"))["top"] or 0) + 1
    entry = RosterEntry(campaign=campaign, person=person, role=role, department=department,
                        title=title.strip() or person.job_title, order=order)
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, verb="campaigns.roster_added", obj=entry, unit=campaign.unit,
                 after={"person": person.real_name, "role": role, "department_id": entry.department_id},
                 origin=origin)
    return entry


@transaction.atomic
def roster_remove(*, actor: User, entry: RosterEntry, origin: Origin | None = None) -> None:
    audit_record(actor=actor, verb="campaigns.roster_removed", obj=entry, unit=entry.campaign.unit,
                 before={"person": entry.person.real_name, "role": entry.role}, origin=origin)
    entry.delete()


# ---------------------------------------------------------------------------------------------- tasks
def occurrence_dates(*, recurrence: str, starts_on: date, ends_on: date) -> list[date]:
    """The dated rounds of a recurring task between two dates: month ends, quarter ends or half-year ends."""
    step = {Task.Recurrence.MONTHLY: 1, Task.Recurrence.QUARTERLY: 3, Task.Recurrence.HALF_YEARLY: 6}.get(recurrence)
    if step is None or ends_on < starts_on:
        return []
    dates = []
    year, month = starts_on.year, starts_on.month
    while (year, month) <= (ends_on.year, ends_on.month):
        if month % step == 0:
            dates.append(month_end(year, month))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return [day for day in dates if starts_on <= day <= ends_on] or ([ends_on] if step else [])


def _sync_occurrences(task: Task) -> None:
    """Keep the rounds in step with the recurrence; rounds already done are never dropped."""
    campaign = task.campaign
    wanted = set(occurrence_dates(recurrence=task.recurrence, starts_on=task.starts_on or campaign.starts_on,
                                  ends_on=task.due_on or campaign.ends_on))
    existing = {o.due_on: o for o in task.occurrences.all()}
    task.occurrences.filter(done_at__isnull=True).exclude(due_on__in=wanted).delete()
    TaskOccurrence.objects.bulk_create([TaskOccurrence(task=task, due_on=day) for day in sorted(wanted - set(existing))])


def _check_task(task: Task) -> None:
    unit_id = task.campaign.unit_id
    for name in ("lead_department", "owner", "supervisor"):
        related = getattr(task, name)
        if related is not None and related.unit_id != unit_id:
            raise ValidationError({name: _("所选的%(field)s不属于本单位。") % {"field": Task._meta.get_field(name).verbose_name}})
    if task.phase is not None and task.phase.campaign_id != task.campaign_id:
        raise ValidationError({"phase": _("阶段不属于本活动。")})
    if task.starts_on and task.due_on and task.due_on < task.starts_on:
        raise ValidationError({"due_on": _("完成时限不能早于开始日期。")})


def _check_relations(campaign: Campaign, criteria, co_departments) -> None:
    if any(c.standard_id != campaign.standard_id for c in criteria):
        raise ValidationError({"criteria": _("测评指标须来自本活动的测评体系。")})
    if any(d.unit_id != campaign.unit_id for d in co_departments):
        raise ValidationError({"co_departments": _("配合部门须是本单位的部门。")})


def _task_snapshot(task: Task, criteria=None, co_departments=None) -> dict:
    data = _snapshot(task, TASK_FIELDS)
    if criteria is not None:
        data["criteria"] = sorted(c.code or str(c.pk) for c in criteria)
    if co_departments is not None:
        data["co_departments"] = sorted(d.name for d in co_departments)
    return data


@transaction.atomic
def task_create(
    *, actor: User, campaign: Campaign, title: str, lead_department: Department | None = None,
    co_departments=(), criteria=(), owner: User | None = None, supervisor: User | None = None,
    supervisor_label: str = "", phase: Phase | None = None, starts_on: date | None = None, due_on: date | None = None,
    recurrence: str = Task.Recurrence.ONCE, due_text: str = "", description: str = "", number: int | None = None,
    origin: Origin | None = None, audit: bool = True,
) -> Task:
    if number is None:
        number = (campaign.tasks.aggregate(top=Max("number"))["top"] or 0) + 1
    if phase is None and due_on is not None:
        phase = campaign.phase_on(due_on)
    task = Task(
        campaign=campaign, number=number, title=title.strip(), description=description.strip(),
        lead_department=lead_department, owner=owner, supervisor=supervisor, supervisor_label=supervisor_label.strip(),
        phase=phase, starts_on=starts_on, due_on=due_on, recurrence=recurrence, due_text=due_text.strip(),
    )
    criteria, co_departments = list(criteria), [d for d in co_departments if d != lead_department]
    _check_relations(campaign, criteria, co_departments)
    _check_task(task)
    task.full_clean(exclude=["criteria", "co_departments"])
    task.save()
    task.criteria.set(criteria)
    task.co_departments.set(co_departments)
    _sync_occurrences(task)
    if audit:
        audit_record(actor=actor, verb="campaigns.task_created", obj=task, unit=campaign.unit,
                     after=_task_snapshot(task, criteria, co_departments), origin=origin)
        tell("task_assigned", task=task, actor=actor)
    return task


@transaction.atomic
def task_update(
    *, actor: User, task: Task, values: dict, expected_version: int | None = None, origin: Origin | None = None,
) -> Task:
    """Change a task's plan: title, departments, people, phase, dates, recurrence, criteria."""

    task = Task.objects.select_for_update().select_related("campaign__unit").get(pk=task.pk)
    check_version(task, expected_version)
    before = _task_snapshot(task, task.criteria.all(), task.co_departments.all())
    owner_before = task.owner_id
    for name in ("title", "description", "lead_department", "owner", "supervisor", "supervisor_label", "phase",
                 "starts_on", "due_on", "recurrence", "due_text"):
        if name in values:
            setattr(task, name, values[name].strip() if isinstance(values[name], str) else values[name])
    criteria = list(values["criteria"]) if "criteria" in values else list(task.criteria.all())
    co_departments = list(values["co_departments"]) if "co_departments" in values else list(task.co_departments.all())
    co_departments = [d for d in co_departments if d != task.lead_department]
    _check_relations(task.campaign, criteria, co_departments)
    _check_task(task)
    task.full_clean(exclude=["criteria", "co_departments"])
    task.save()
    task.criteria.set(criteria)
    task.co_departments.set(co_departments)
    _sync_occurrences(task)
    audit_record(actor=actor, verb="campaigns.task_updated", obj=task, unit=task.campaign.unit, before=before,
                 after=_task_snapshot(task, criteria, co_departments), origin=origin)
    if task.owner_id != owner_before:
        tell("task_assigned", task=task, actor=actor)
    return task


@transaction.atomic
def tasks_assign(
    *, actor: User, tasks, owner: User | None = None, lead_department: Department | None = None,
    co_departments: list[Department] | None = None, phase: Phase | None = None, supervisor: User | None = None,
    time_limit: dict | None = None, origin: Origin | None = None,
) -> int:
    """批量分派: set the owner, lead department, co-departments, phase, supervising leader or time limit of several
    tasks at once. Only what is given changes (None = unchanged); `co_departments` replaces the task's list (the lead
    department is never its own co-department); `time_limit` is {"starts_on", "due_on", "recurrence", "due_text"} as
    read from the 完成时限 a clerk typed. One transaction: a task that breaks a rule saves none."""
    changes = {name: value for name, value in (("owner", owner), ("lead_department", lead_department),
                                               ("phase", phase), ("supervisor", supervisor)) if value is not None}
    if time_limit is not None:
        changes.update(time_limit)
    if not changes and co_departments is None:
        raise ValidationError(_("请至少选择一项要批量设置的内容（牵头部门、配合部门、责任人、完成时限、阶段或分管领导）。"))
    count = 0
    queryset = Task.objects.select_for_update().select_related("campaign__unit").filter(pk__in=[t.pk for t in tasks])
    if co_departments is not None:
        queryset = queryset.prefetch_related("co_departments")
    for task in queryset.order_by("number", "id"):
        before = _task_snapshot(task, co_departments=task.co_departments.all() if co_departments is not None else None)
        for name, value in changes.items():
            setattr(task, name, value)
        if time_limit is not None and task.starts_on and task.due_on and task.starts_on > task.due_on:
            task.starts_on = None  # a range typed before no longer holds for the new due date
        wanted = None
        if co_departments is not None:
            wanted = [d for d in co_departments if d != task.lead_department]
            _check_relations(task.campaign, [], wanted)
        try:
            _check_task(task)
            task.full_clean(exclude=["criteria", "co_departments"])
        except ValidationError as error:
            raise ValidationError(_("第%(number)s项“%(title)s”：%(errors)s") % {
                "number": task.number, "title": task.title[:30], "errors": "；".join(error.messages)}) from None
        task.version += 1
        task.save()
        if wanted is not None:
            task.co_departments.set(wanted)
        if time_limit is not None:
            _sync_occurrences(task)
        audit_record(actor=actor, verb="campaigns.task_assigned", obj=task, unit=task.campaign.unit, before=before,
                     after=_task_snapshot(task, co_departments=wanted), origin=origin)
        if owner is not None and before.get("owner_id") != owner.pk:
            tell("task_assigned", task=task, actor=actor)
        count += 1
    return count


# The status flow: action → (statuses it starts from, the status it leads to).
TRANSITIONS = {
    "start": ((Task.Status.NOT_STARTED, Task.Status.RETURNED), Task.Status.IN_PROGRESS),
    "submit": ((Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS, Task.Status.RETURNED), Task.Status.IN_REVIEW),
    "approve": ((Task.Status.IN_REVIEW,), Task.Status.DONE),
    "return": ((Task.Status.IN_REVIEW, Task.Status.DONE), Task.Status.RETURNED),
}
APPROVAL_ACTIONS = ("approve", "return")


@transaction.atomic
def task_transition(
    *, actor: User, task: Task, action: str, reason: str = "", expected_version: int | None = None,
    origin: Origin | None = None,
) -> Task:
    """Move a task along 未开始 → 进行中 → 待审核 → 已完成; 退回 needs a reason."""

    if action not in TRANSITIONS:
        raise ValidationError(_("未知的操作。"))
    task = Task.objects.select_for_update().select_related("campaign__unit").get(pk=task.pk)
    check_version(task, expected_version)
    sources, target = TRANSITIONS[action]
    if task.status not in sources:
        raise ValidationError(_("任务当前为“%(status)s”，不能执行此操作。") % {"status": task.get_status_display()})
    before = {"status": task.status, "progress": task.progress}
    task.status = target
    if action == "start" and task.progress == 0:
        task.progress = 10
    elif action == "submit":
        task.progress = max(task.progress, 90)
    elif action == "approve":
        task.progress, task.completed_at, task.return_reason = 100, timezone.now(), ""
    elif action == "return":
        reason = reason.strip()
        if not reason:
            raise ValidationError({"reason": _("退回时请写明原因，便于责任部门整改。")})
        task.return_reason, task.returned_at, task.completed_at = reason, timezone.now(), None
        task.progress = min(task.progress, 90)
    task.save()
    after = {"status": task.status, "progress": task.progress}
    if action == "return":
        after["reason"] = task.return_reason
    audit_record(actor=actor, verb=f"campaigns.task_{action}", obj=task, unit=task.campaign.unit, before=before,
                 after=after, origin=origin)
    return task


@transaction.atomic
def task_report_progress(
    *, actor: User, task: Task, progress: int, expected_version: int | None = None, origin: Origin | None = None,
) -> Task:

    task = Task.objects.select_for_update().select_related("campaign__unit").get(pk=task.pk)
    check_version(task, expected_version)
    if task.status in (Task.Status.DONE, Task.Status.IN_REVIEW):
        raise ValidationError(_("任务“%(status)s”时不能修改进度。") % {"status": task.get_status_display()})
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("进度须在 0 到 100 之间。")})
    before = {"status": task.status, "progress": task.progress}
    task.progress = progress
    if task.status == Task.Status.NOT_STARTED and progress > 0:
        task.status = Task.Status.IN_PROGRESS
    task.save()
    audit_record(actor=actor, verb="campaigns.task_progress", obj=task, unit=task.campaign.unit, before=before,
                 after={"status": task.status, "progress": task.progress}, origin=origin)
    return task


@transaction.atomic
def occurrence_set_done(*, actor: User, occurrence: TaskOccurrence, done: bool, origin: Origin | None = None
                        ) -> TaskOccurrence:
    occurrence = TaskOccurrence.objects.select_for_update().select_related("task__campaign__unit").get(pk=occurrence.pk)
    before = {"due_on": occurrence.due_on.isoformat(), "done": occurrence.done_at is not None}
    occurrence.done_at, occurrence.done_by = (timezone.now(), actor) if done else (None, None)
    occurrence.save(update_fields=["done_at", "done_by"])
    task = occurrence.task
    if done and task.status == Task.Status.NOT_STARTED:
        Task.objects.filter(pk=task.pk).update(status=Task.Status.IN_PROGRESS, version=task.version + 1)
    audit_record(actor=actor, verb="campaigns.occurrence_done" if done else "campaigns.occurrence_reopened",
                 obj=task, unit=task.campaign.unit, before=before,
                 after={"due_on": occurrence.due_on.isoformat(), "done": done}, origin=origin)
    return occurrence


MENTION = re.compile(r"[@＠]")


def find_mentions(body: str, people) -> list[User]:
    """@姓名 or @账号: the longest colleague name the text continues with after each @."""
    by_name = sorted([(p.real_name, p) for p in people if p.real_name] + [(p.username, p) for p in people],
                     key=lambda pair: -len(pair[0]))
    found: dict[int, User] = {}
    for match in MENTION.finditer(body):
        rest = body[match.end():]
        for name, person in by_name:
            if rest.startswith(name):
                found[person.pk] = person
                break
    return list(found.values())


@transaction.atomic
def task_comment(*, actor: User, task: Task, body: str, origin: Origin | None = None) -> TaskComment:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("请填写留言内容。")})
    comment = TaskComment(task=task, author=actor, body=body)
    comment.full_clean()
    comment.save()
    people = list(User.objects.filter(unit_id=task.campaign.unit_id, is_active=True).only("id", "real_name", "username"))
    mentions = find_mentions(body, people)
    comment.mentions.set(mentions)
    audit_record(actor=actor, verb="campaigns.task_commented", obj=task, unit=task.campaign.unit,
                 after={"body": body[:200], "mentions": [p.real_name for p in mentions]}, origin=origin)
    tell("mentioned", comment=comment, people=mentions, actor=actor)
    return comment


# ---------------------------------------------------------------------------------------------- decomposition
DEPARTMENT_SPLIT = re.compile(r"[、,，/／;；\s]+")


def match_departments(text: str, departments: dict[str, Department]) -> tuple[list[Department], list[str]]:
    """Department names in a cell → (matched departments in order, names not found). Matching ignores case,
    bracket width and a trailing 等."""

    matched, missing = [], []
    for name in DEPARTMENT_SPLIT.split(text or ""):
        name = name.strip().removesuffix("等")
        if not name:
            continue
        department = departments.get(match_key(name))
        if department is None:
            missing.append(name)
        elif department not in matched:
            matched.append(department)
    return matched, missing


@transaction.atomic
def tasks_generate_from_standard(*, actor: User, campaign: Campaign, origin: Origin | None = None) -> int:
    """A draft decomposition: one task per scored line of the pinned standard, the line's suggested department
    as 牵头部门 (others named become 配合部门). Lines that already have a task are skipped."""

    if campaign.standard_id is None:
        raise ValidationError(_("本活动尚未选定测评体系，无法生成任务。"))
    criteria = list(Criterion.objects.filter(standard_id=campaign.standard_id, children__isnull=True)
                    .exclude(kind=Kind.VETO).order_by("depth", "order", "id"))
    criteria = [c for c in criteria if c.points is not None or c.kind == Kind.BONUS]
    covered = set(Task.criteria.through.objects.filter(task__campaign=campaign).values_list("criterion_id", flat=True))
    departments = {match_key(d.name): d for d in Department.objects.filter(unit_id=campaign.unit_id)}
    number = campaign.tasks.aggregate(top=Max("number"))["top"] or 0
    created = 0
    for criterion in sorted(criteria, key=_tree_key(campaign.standard_id)):
        if criterion.pk in covered:
            continue
        matched, _missing = match_departments(criterion.department, departments)
        number += 1
        task_create(
            actor=actor, campaign=campaign, title=criterion.title[:500], number=number,
            description=criterion.materials and _("材料要求：%(m)s") % {"m": criterion.materials},
            lead_department=matched[0] if matched else None, co_departments=matched[1:], criteria=[criterion],
            audit=False,
        )
        created += 1
    audit_record(actor=actor, verb="campaigns.tasks_generated", obj=campaign, after={"created": created},
                 origin=origin)
    return created


def _tree_key(standard_id: int):
    """Sort leaves in the standard's reading order (each ancestor's order first)."""
    nodes = {c["id"]: c for c in Criterion.objects.filter(standard_id=standard_id).values("id", "parent_id", "order")}

    def key(criterion):
        path, node, seen = [], nodes.get(criterion.pk), set()
        while node is not None and node["id"] not in seen:
            seen.add(node["id"])
            path.append((node["order"], node["id"]))
            node = nodes.get(node["parent_id"])
        return list(reversed(path))

    return key


@dataclass
class ImportRow:
    """One annex row, resolved: ready to become (or update) a task."""

    row: int
    title: str
    lead_department: Department | None = None
    co_departments: list = field(default_factory=list)
    criteria: list = field(default_factory=list)
    owner: User | None = None
    supervisor: User | None = None
    supervisor_label: str = ""
    phase: Phase | None = None
    starts_on: date | None = None
    due_on: date | None = None
    recurrence: str = Task.Recurrence.ONCE
    due_text: str = ""
    existing: Task | None = None


@transaction.atomic
def tasks_import(*, actor: User, campaign: Campaign, rows: list[ImportRow], filename: str = "",
                 origin: Origin | None = None) -> tuple[int, int]:
    """Create the annex's tasks; a row whose task (same 工作任务 and 牵头部门) exists updates it instead, so the
    same table imported twice gives the same tasks. Returns (created, updated)."""
    created = updated = 0
    for row in rows:
        values = {
            "title": row.title, "lead_department": row.lead_department, "co_departments": row.co_departments,
            "criteria": row.criteria, "owner": row.owner, "supervisor": row.supervisor,
            "supervisor_label": row.supervisor_label, "phase": row.phase, "starts_on": row.starts_on,
            "due_on": row.due_on, "recurrence": row.recurrence, "due_text": row.due_text,
        }
        try:
            if row.existing is not None:
                if row.phase is None:
                    values.pop("phase")
                task_update(actor=actor, task=row.existing, values=values, origin=origin)
                updated += 1
            else:
                task_create(actor=actor, campaign=campaign, audit=False, **values)
                created += 1
        except ValidationError as error:
            raise ValidationError(_("第%(row)d行：%(message)s") % {"row": row.row, "message": "；".join(error.messages)}
                                  ) from None
    audit_record(actor=actor, verb="campaigns.tasks_imported", obj=campaign,
                 after={"file": filename, "created": created, "updated": updated}, origin=origin)
    return created, updated
