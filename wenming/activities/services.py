"""Writes to activities, attendance and volunteer hours. Keyword-only, atomic, audited; the actor is passed in.

Who may call what is decided by the caller through the querysets (`editable_by`); these functions keep the data's
own rules: an activity's documents are evidence carrying the activity's criteria (and follow them when they
change), a person signs in once, the QR code works only with its token and before its expiry, a volunteer import
saves every good row or none.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.activities import volunteers
from wenming.activities.models import (
    DEFAULT_KINDS,
    Activity,
    ActivityDocument,
    ActivityKind,
    Attendance,
    VolunteerBatch,
    VolunteerImportDraft,
    VolunteerRecord,
    new_attendance_token,
)
from wenming.audit.services import Origin, assign, audit_record
from wenming.campaigns.models import Campaign
from wenming.evidence import services as evidence_services
from wenming.evidence.models import Evidence
from wenming.org.models import Department, Unit, User
from wenming.org.services import check_department_owned

ACTIVITY_FIELDS = ("title", "kind", "department", "organiser", "starts_at", "ends_at", "place", "description",
                   "status", "attendance_expires_at", "summary")
STEP_KIND = {
    ActivityDocument.Step.PLAN: Evidence.Kind.FILE,
    ActivityDocument.Step.NOTICE: Evidence.Kind.FILE,
    ActivityDocument.Step.ATTENDANCE: Evidence.Kind.LEDGER,
    ActivityDocument.Step.PHOTOS: Evidence.Kind.PHOTO,
    ActivityDocument.Step.SUMMARY: Evidence.Kind.MINUTES,
}
DRAFT_HOURS = 24
MAX_IMPORT_BYTES = 10 * 1024 * 1024


# ---------------------------------------------------------------------------------------------- kinds
def kinds_ensure(*, unit: Unit | int) -> None:
    """Give a unit the seed's kinds the first time it needs them (the 创建办 may add more afterwards)."""
    unit_id = getattr(unit, "pk", unit)
    if ActivityKind.objects.filter(unit_id=unit_id).exists():
        return
    ActivityKind.objects.bulk_create(
        [ActivityKind(unit_id=unit_id, name=str(name), is_meeting=meeting, order=(i + 1) * 10)
         for i, (name, meeting) in enumerate(DEFAULT_KINDS)], ignore_conflicts=True)


@transaction.atomic
def kind_create(*, actor: User, unit: Unit, name: str, is_meeting: bool = False,
                origin: Origin | None = None) -> ActivityKind:
    kinds_ensure(unit=unit)
    last = ActivityKind.objects.filter(unit=unit).order_by("-order").values_list("order", flat=True).first() or 0
    kind = ActivityKind(unit=unit, name=name.strip(), is_meeting=is_meeting, order=last + 10)
    kind.full_clean()
    kind.save()
    audit_record(actor=actor, verb="activities.kind_created", obj=kind, unit=unit,
                 after={"name": kind.name, "is_meeting": is_meeting}, origin=origin)
    return kind


@transaction.atomic
def kind_update(*, actor: User, kind: ActivityKind, name: str, is_meeting: bool, is_active: bool,
                origin: Origin | None = None) -> ActivityKind:
    """Rename a kind, or stop offering it for new activities (those already registered keep it)."""
    kind = ActivityKind.objects.select_for_update().get(pk=kind.pk)
    before = {"name": kind.name, "is_meeting": kind.is_meeting, "is_active": kind.is_active}
    kind.name, kind.is_meeting, kind.is_active = name.strip(), is_meeting, is_active
    kind.full_clean()
    after = {"name": kind.name, "is_meeting": kind.is_meeting, "is_active": kind.is_active}
    if after == before:
        return kind
    kind.save(update_fields=["name", "is_meeting", "is_active"])
    audit_record(actor=actor, verb="activities.kind_changed", obj=kind, unit=kind.unit, before=before, after=after,
                 origin=origin)
    return kind


# ---------------------------------------------------------------------------------------------- activities
def _snapshot(activity: Activity) -> dict:
    return {
        "title": activity.title, "kind": activity.kind.name, "department_id": activity.department_id,
        "organiser_id": activity.organiser_id, "starts_at": activity.starts_at.isoformat(),
        "ends_at": activity.ends_at.isoformat(), "place": activity.place, "status": activity.status,
        "criteria": sorted(activity.criteria.values_list("code", flat=True)),
        "tasks": sorted(activity.tasks.values_list("pk", flat=True)),
    }


def _check_relations(*, campaign: Campaign, kind: ActivityKind, department, organiser, criteria, tasks) -> None:
    if kind.unit_id != campaign.unit_id:
        raise ValidationError({"kind": _("所选活动类型不属于本单位。")})
    if department is not None and department.unit_id != campaign.unit_id:
        raise ValidationError({"department": _("所选部门不属于本单位。")})
    if organiser is not None and organiser.unit_id != campaign.unit_id:
        raise ValidationError({"organiser": _("组织人须是本单位人员。")})
    wrong = [c for c in criteria if c.standard_id != campaign.standard_id]
    if wrong:
        raise ValidationError({"criteria": _("测评指标“%(code)s”不属于本活动采用的测评体系。")
                               % {"code": wrong[0].code or wrong[0].title[:20]}})
    if any(task.campaign_id != campaign.pk for task in tasks):
        raise ValidationError({"tasks": _("所选任务不属于这个创建活动。")})


def _sync_evidence(activity: Activity, criteria) -> int:
    """The activity's documents serve exactly the activity's criteria."""
    links = list(ActivityDocument.objects.filter(activity=activity).select_related("evidence"))
    for link in links:
        link.evidence.criteria.set(criteria)
    return len(links)


@transaction.atomic
def activity_create(
    *, actor: User, campaign: Campaign, kind: ActivityKind, title: str, starts_at: datetime, ends_at: datetime,
    department: Department | None = None, organiser: User | None = None, place: str = "", description: str = "",
    status: str = Activity.Status.PLANNED, criteria=(), tasks=(), attendance_expires_at: datetime | None = None,
    origin: Origin | None = None,
) -> Activity:
    """A new activity or meeting of the campaign, in 筹备中 unless told otherwise."""
    criteria, tasks = list(criteria), list(tasks)
    _check_relations(campaign=campaign, kind=kind, department=department, organiser=organiser, criteria=criteria,
                     tasks=tasks)
    check_department_owned(actor, department)
    activity = Activity(
        campaign=campaign, kind=kind, title=title.strip(), starts_at=starts_at, ends_at=ends_at,
        department=department, organiser=organiser, place=place.strip(), description=description.strip(),
        status=status, attendance_expires_at=attendance_expires_at, created_by=actor,
    )
    activity.full_clean()
    activity.save()
    activity.criteria.set(criteria)
    activity.tasks.set(tasks)
    audit_record(actor=actor, verb="activities.created", obj=activity, unit=campaign.unit,
                 after=_snapshot(activity), origin=origin)
    return activity


@transaction.atomic
def activity_update(
    *, actor: User, activity: Activity, values: dict | None = None, criteria=None, tasks=None,
    expected_version: int | None = None, origin: Origin | None = None,
) -> Activity:
    """Change an activity. When its criteria change, the criteria of its documents (evidence) follow."""
    from wenming.core.errors import check_version

    activity = Activity.objects.select_for_update().select_related("campaign", "kind").get(pk=activity.pk)
    check_version(activity, expected_version)
    before = _snapshot(activity)
    if values and "department" in values and values["department"] != activity.department:
        check_department_owned(actor, values["department"])
    assign(activity, values or {}, ACTIVITY_FIELDS)
    criteria = list(criteria) if criteria is not None else None
    tasks = list(tasks) if tasks is not None else None
    _check_relations(campaign=activity.campaign, kind=activity.kind, department=activity.department,
                     organiser=activity.organiser, criteria=criteria or [], tasks=tasks or [])
    activity.full_clean()
    activity.save()
    synced = 0
    if criteria is not None:
        changed = {c.pk for c in criteria} != set(activity.criteria.values_list("pk", flat=True))
        activity.criteria.set(criteria)
        if changed:
            synced = _sync_evidence(activity, criteria)
    if tasks is not None:
        activity.tasks.set(tasks)
    audit_record(actor=actor, verb="activities.updated", obj=activity, unit=activity.campaign.unit, before=before,
                 after={**_snapshot(activity), "evidence_synced": synced}, origin=origin)
    return activity


@transaction.atomic
def activity_minutes_save(
    *, actor: User, activity: Activity, minutes: str, decisions: list[str], expected_version: int | None = None,
    origin: Origin | None = None,
) -> Activity:
    """会议纪要: the minutes text and the list of decisions (议定事项) of a meeting."""
    from wenming.core.errors import check_version

    activity = Activity.objects.select_for_update().select_related("campaign", "kind").get(pk=activity.pk)
    check_version(activity, expected_version)
    if not activity.kind.is_meeting:
        raise ValidationError(_("只有会议类活动才填写会议纪要。"))
    before = {"minutes": activity.minutes, "decisions": activity.decisions}
    activity.minutes = minutes.strip()
    activity.decisions = [d.strip() for d in decisions if d and d.strip()]
    activity.full_clean()
    activity.save()
    audit_record(actor=actor, verb="activities.minutes_saved", obj=activity, unit=activity.campaign.unit,
                 before=before, after={"minutes": activity.minutes, "decisions": activity.decisions}, origin=origin)
    return activity


@transaction.atomic
def activity_document_add(
    *, actor: User, activity: Activity, step: str, files, title: str = "", origin: Origin | None = None,
) -> ActivityDocument:
    """Files of one step (方案/通知/签到/照片/总结) stored once as evidence carrying the activity's criteria."""
    if step not in ActivityDocument.Step.values:
        raise ValidationError({"step": _("请选择环节。")})
    activity = Activity.objects.select_related("campaign__unit", "kind").get(pk=activity.pk)
    label = ActivityDocument.Step(step).label
    first_task = activity.tasks.order_by("id").first()
    evidence = evidence_services.evidence_create(
        actor=actor, campaign=activity.campaign, title=(title.strip() or f"{activity.title}（{label}）")[:200],
        occurred_on=timezone.localtime(activity.starts_at).date(), kind=STEP_KIND[step],
        department=activity.department, task=first_task, criteria=list(activity.criteria.all()),
        description=activity.description[:5000], files=files, origin=origin,
    )
    link = ActivityDocument.objects.create(activity=activity, step=step, evidence=evidence)
    audit_record(actor=actor, verb="activities.document_added", obj=activity, unit=activity.campaign.unit,
                 after={"step": step, "evidence_id": evidence.pk, "files": evidence.files.count()}, origin=origin)
    return link


# ---------------------------------------------------------------------------------------------- attendance
def token_usable(activity: Activity, token: str, *, now: datetime | None = None) -> str | None:
    """None when the QR code's token opens sign-in now; else the reason it does not, for the person to read."""
    import secrets as _secrets

    if not token or not _secrets.compare_digest(str(token), activity.attendance_token):
        return _("签到码无效或已更换，请重新扫描现场的二维码。")
    if activity.status == Activity.Status.CANCELLED:
        return _("活动已取消，无需签到。")
    if activity.attendance_expires_at and (now or timezone.now()) > activity.attendance_expires_at:
        return _("签到已于 %(time)s 截止。") % {"time": timezone.localtime(activity.attendance_expires_at)
                                                .strftime("%Y-%m-%d %H:%M")}
    return None


@transaction.atomic
def attendance_sign_in(
    *, person: User, activity: Activity, recorded_by: User | None = None, token: str | None = None,
    method: str = Attendance.Method.QR, origin: Origin | None = None,
) -> tuple[Attendance, bool]:
    """Sign one person in (once; a second scan changes nothing). A QR sign-in needs the activity's token."""
    recorded_by = recorded_by or person
    if person.unit_id != activity.campaign.unit_id or not person.is_active:
        raise ValidationError(_("只有本单位人员可以签到。"))
    if method == Attendance.Method.QR:
        problem = token_usable(activity, token or "")
        if problem:
            raise ValidationError(problem)
    elif activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("活动已取消，无需签到。"))
    existing = Attendance.objects.filter(activity=activity, person=person).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            row = Attendance.objects.create(activity=activity, person=person, method=method, recorded_by=recorded_by)
    except IntegrityError:
        return Attendance.objects.get(activity=activity, person=person), False
    audit_record(actor=recorded_by, verb="activities.signed_in", obj=activity, unit=activity.campaign.unit,
                 after={"person_id": person.pk, "person": person.real_name, "method": method}, origin=origin)
    return row, True


@transaction.atomic
def attendance_remove(*, actor: User, activity: Activity, person: User, origin: Origin | None = None) -> bool:
    deleted, _rows = Attendance.objects.filter(activity=activity, person=person).delete()
    if deleted:
        audit_record(actor=actor, verb="activities.sign_in_removed", obj=activity, unit=activity.campaign.unit,
                     before={"person_id": person.pk, "person": person.real_name}, origin=origin)
    return bool(deleted)


@transaction.atomic
def attendance_code_reset(*, actor: User, activity: Activity, expires_at: datetime | None = None,
                          origin: Origin | None = None) -> Activity:
    """A new QR code (the old one stops working), with an optional closing time."""
    activity = Activity.objects.select_for_update().select_related("campaign").get(pk=activity.pk)
    activity.attendance_token = new_attendance_token()
    activity.attendance_expires_at = expires_at
    activity.save(update_fields=["attendance_token", "attendance_expires_at", "updated_at"])
    audit_record(actor=actor, verb="activities.code_reset", obj=activity, unit=activity.campaign.unit,
                 after={"expires_at": expires_at.isoformat() if expires_at else None}, origin=origin)
    return activity


# ---------------------------------------------------------------------------------------------- volunteer hours
@transaction.atomic
def volunteer_draft_create(*, actor: User, campaign: Campaign, upload) -> VolunteerImportDraft:
    """Keep an uploaded export's rows as read for the preview (never the upload itself); refuse at once what cannot
    be read at all."""
    if (getattr(upload, "size", 0) or 0) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("文件超过 10 MB，请按月份分批导出后再导入。")})
    content = upload.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("文件超过 10 MB，请按月份分批导出后再导入。")})
    name = (getattr(upload, "name", "") or "import.xlsx")[-200:]
    rows = volunteers.read_rows(content, name)
    volunteers.check_rows(rows, unit_id=campaign.unit_id, campaign_id=campaign.pk)  # raises if unreadable
    draft = VolunteerImportDraft.fresh(lifetime=timedelta(hours=DRAFT_HOURS), campaign=campaign, owner=actor,
                                       filename=name, rows=rows)
    draft.save()
    return draft


@transaction.atomic
def volunteer_import(*, actor: User, draft: VolunteerImportDraft, origin: Origin | None = None) -> VolunteerBatch:
    """Save the preview's good rows, all or none; the bad rows are left for the office to fix and import again."""
    campaign = draft.campaign
    preview = volunteers.check_rows(draft.rows, unit_id=campaign.unit_id, campaign_id=campaign.pk)
    if not preview.good:
        raise ValidationError(_("没有可以导入的行。"))
    batch = VolunteerBatch.objects.create(campaign=campaign, filename=draft.filename, rows=len(preview.good),
                                          imported_by=actor)
    records = [VolunteerRecord(campaign=campaign, person_id=row.person_id, hours=row.hours,
                               activity_name=row.activity_name, served_on=row.served_on, batch=batch)
               for row in preview.good]
    for record in records:
        record.full_clean(exclude=["batch", "person", "campaign"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            VolunteerRecord.objects.bulk_create(records)
    except IntegrityError:
        raise ValidationError(_("导入期间数据已变化（有人同时导入了相同记录），请重新上传。")) from None
    draft.delete()
    audit_record(actor=actor, verb="activities.volunteer_imported", obj=batch, unit=campaign.unit,
                 after={"filename": batch.filename, "rows": batch.rows, "skipped": len(preview.bad),
                        "hours": str(sum(r.hours for r in preview.good))}, origin=origin)
    return batch
