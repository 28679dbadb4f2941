"""Writes to evidence. Keyword-only, atomic, audited; the acting person is passed in.

Who may call what is decided by the caller through the querysets (`editable_by`, `reviewable_by`); these
functions keep the data's own rules: every file checked by content before anything is stored, nothing half-saved,
the review flow (待审核 → 已通过 / 已退回 → 重新提交 → 待审核), every version kept.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.audit.services import Origin, assign, audit_record
from wenming.campaigns.models import Campaign, Task
from wenming.core.errors import check_version
from wenming.core.events import tell
from wenming.evidence.models import Evidence, EvidenceFile, Review
from wenming.files import conf
from wenming.files.intake import CheckedFile, check_files, clean_name, exif_time  # noqa: F401  (the evidence API)
from wenming.org.models import Department, User
from wenming.org.roles import Role
from wenming.standards.models import Criterion

EVIDENCE_FIELDS = ("title", "kind", "occurred_on", "department_id", "task_id", "description", "link", "status",
                   "revision")
def _store(*, evidence: Evidence, checked: list[CheckedFile], actor: User, saved: list[str]) -> list[EvidenceFile]:
    rows = []
    for item in checked:
        row = EvidenceFile(
            evidence=evidence, name=item.name, sha256=item.sha256, size=item.size, file_type=item.file_type.key,
            mime=item.file_type.mime, page_count=item.page_count, taken_at=item.taken_at,
            added_in=evidence.revision, uploaded_by=actor,
        )
        item.upload.seek(0)
        row.file.save(f"upload.{item.file_type.ext}", item.upload, save=False)
        saved.append(row.file.name)
        row.save()
        rows.append(row)
    return rows


def _discard(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass


def _after_commit_thumbnails(rows: list[EvidenceFile]) -> None:
    ids = [row.pk for row in rows if row.is_raster]
    if ids:
        from wenming.evidence.tasks import make_thumbnails

        transaction.on_commit(lambda: make_thumbnails.enqueue(ids))


# ---------------------------------------------------------------------------------------------- evidence
def _snapshot(evidence: Evidence) -> dict:
    return {
        "title": evidence.title, "kind": evidence.kind, "occurred_on": evidence.occurred_on.isoformat()
        if isinstance(evidence.occurred_on, date) else evidence.occurred_on,
        "department_id": evidence.department_id, "task_id": evidence.task_id, "description": evidence.description,
        "link": evidence.link, "status": evidence.status, "revision": evidence.revision,
        "criteria": list(evidence.criteria.order_by("id").values_list("code", flat=True)),
        "files": [{"id": f.pk, "name": f.name, "sha256": f.sha256}
                  for f in evidence.files.filter(retired_in__isnull=True).order_by("id")],
    }


def _check_relations(*, campaign: Campaign, task: Task | None, criteria) -> None:
    if task is not None and task.campaign_id != campaign.pk:
        raise ValidationError({"task": _("所选任务不属于这个创建活动。")})
    wrong = [c for c in criteria if c.standard_id != campaign.standard_id]
    if wrong:
        raise ValidationError({"criteria": _("测评指标“%(code)s”不属于本活动采用的测评体系。")
                               % {"code": wrong[0].code or wrong[0].title[:20]}})


EARLIEST_DAY = date(2000, 1, 1)  # no 文明创建 material predates this; earlier is a typing slip (1921 for 2021)
FUTURE_DAYS = 366  # a plan or notice may be dated ahead, never more than a year


def _check_date(day) -> None:
    if not isinstance(day, date):
        return
    latest = timezone.localdate() + timedelta(days=FUTURE_DAYS)
    if day < EARLIEST_DAY or day > latest:
        raise ValidationError({"occurred_on": _(
            "形成日期 %(day)s 不合理：应在 %(earliest)s 至 %(latest)s 之间（不早于 2000 年，不晚于一年后），请核对。")
            % {"day": day.isoformat(), "earliest": EARLIEST_DAY.isoformat(), "latest": latest.isoformat()}})


def _check_content(evidence: Evidence, *, has_files: bool) -> None:
    _check_date(evidence.occurred_on)
    if evidence.kind == Evidence.Kind.LINK and not evidence.link:
        raise ValidationError({"link": _("材料类型为“链接”时，请填写链接地址。")})
    if not has_files and not evidence.link:
        raise ValidationError({"files": _("请至少上传一个文件，或填写已发布内容的链接。")})


@transaction.atomic
def evidence_create(
    *, actor: User, campaign: Campaign, title: str, occurred_on: date, kind: str = Evidence.Kind.FILE,
    department: Department | None = None, task: Task | None = None, criteria=(), description: str = "",
    link: str = "", files=(), origin: Origin | None = None,
) -> Evidence:
    """A new item with its files (or a link), waiting for the 创建办's review. Every file is checked first."""
    criteria = list(criteria)
    _check_relations(campaign=campaign, task=task, criteria=criteria)
    checked = check_files(files, unit_id=campaign.unit_id)
    evidence = Evidence(
        campaign=campaign, task=task, title=title.strip(), kind=kind, occurred_on=occurred_on,
        department=department, description=description.strip(), link=link.strip(), uploader=actor,
    )
    _check_content(evidence, has_files=bool(checked))
    evidence.full_clean()
    saved: list[str] = []
    try:
        evidence.save()
        evidence.criteria.set(criteria)
        rows = _store(evidence=evidence, checked=checked, actor=actor, saved=saved)
        Review.objects.create(evidence=evidence, revision=1, action=Review.Action.SUBMITTED, actor=actor,
                              snapshot=_snapshot(evidence))
        audit_record(actor=actor, verb="evidence.created", obj=evidence, unit=campaign.unit,
                     after=_snapshot(evidence), origin=origin)
        tell("evidence_submitted", evidence=evidence, actor=actor)
    except BaseException:
        _discard(saved)
        raise
    _after_commit_thumbnails(rows)
    return evidence


@transaction.atomic
def evidence_update(
    *, actor: User, evidence: Evidence, values: dict | None = None, criteria=None, add_files=(),
    retire_files=(), expected_version: int | None = None, origin: Origin | None = None,
) -> Evidence:
    """Change an item, add files or take some out. A returned item comes back as a new version for review
    (重新提交); the earlier version stays in the history with its files."""
    evidence = Evidence.objects.select_for_update().select_related("campaign").get(pk=evidence.pk)
    check_version(evidence, expected_version)
    if evidence.status == Evidence.Status.APPROVED and not actor.has_role(Role.OFFICE):
        raise ValidationError(_("材料已审核通过，不能再修改；如需更正，请联系创建办退回。"))
    before = _snapshot(evidence)
    assign(evidence, values or {}, ("title", "kind", "occurred_on", "department", "task", "description", "link"))
    criteria = list(criteria) if criteria is not None else None
    _check_relations(campaign=evidence.campaign, task=evidence.task, criteria=criteria or [])
    checked = check_files(add_files, unit_id=evidence.campaign.unit_id)
    resubmit = evidence.status == Evidence.Status.RETURNED
    if resubmit:
        evidence.revision += 1
        evidence.status = Evidence.Status.PENDING
    retire_ids = {int(pk) for pk in retire_files}
    current = evidence.files.filter(retired_in__isnull=True)
    remaining = current.exclude(pk__in=retire_ids).count()
    _check_content(evidence, has_files=bool(remaining or checked))
    evidence.full_clean()
    saved: list[str] = []
    try:
        evidence.save()
        if criteria is not None:
            evidence.criteria.set(criteria)
        retired = current.filter(pk__in=retire_ids).update(retired_in=evidence.revision)
        rows = _store(evidence=evidence, checked=checked, actor=actor, saved=saved)
        after = _snapshot(evidence)
        if resubmit:
            Review.objects.create(evidence=evidence, revision=evidence.revision, action=Review.Action.RESUBMITTED,
                                  actor=actor, snapshot=after)
        verb = "evidence.resubmitted" if resubmit else "evidence.files_added" if rows and not values else "evidence.updated"
        audit_record(actor=actor, verb=verb, obj=evidence, unit=evidence.campaign.unit, before=before,
                     after={**after, "files_added": len(rows), "files_retired": retired}, origin=origin)
        if resubmit:
            tell("evidence_submitted", evidence=evidence, actor=actor, resubmitted=True)
    except BaseException:
        _discard(saved)
        raise
    _after_commit_thumbnails(rows)
    return evidence


@transaction.atomic
def evidence_review(
    *, actor: User, evidence: Evidence, approve: bool, reason: str = "", expected_version: int | None = None,
    origin: Origin | None = None,
) -> Evidence:
    """通过 or 退回 (a return needs its reason, which the uploader sees under 退回给我)."""
    evidence = Evidence.objects.select_for_update().select_related("campaign").get(pk=evidence.pk)
    check_version(evidence, expected_version)
    reason = reason.strip()
    if approve and evidence.status != Evidence.Status.PENDING:
        raise ValidationError(_("只有待审核的材料可以通过（当前：%(s)s）。") % {"s": evidence.get_status_display()})
    if not approve:
        if evidence.status == Evidence.Status.RETURNED:
            raise ValidationError(_("这份材料已退回，正等待重新提交。"))
        if not reason:
            raise ValidationError({"reason": _("退回时请写明原因，便于上传人修改。")})
    before = {"status": evidence.status}
    evidence.status = Evidence.Status.APPROVED if approve else Evidence.Status.RETURNED
    evidence.return_reason = "" if approve else reason
    evidence.reviewed_by, evidence.reviewed_at = actor, timezone.now()
    evidence.save()
    Review.objects.create(evidence=evidence, revision=evidence.revision, actor=actor, reason=reason,
                          action=Review.Action.APPROVED if approve else Review.Action.RETURNED,
                          snapshot=_snapshot(evidence))
    audit_record(actor=actor, verb="evidence.approved" if approve else "evidence.returned", obj=evidence,
                 unit=evidence.campaign.unit, before=before,
                 after={"status": evidence.status, "reason": reason, "revision": evidence.revision}, origin=origin)
    if not approve:
        tell("evidence_returned", evidence=evidence, actor=actor)
    return evidence


def evidence_file_opened(*, actor: User, file: EvidenceFile, inline: bool, origin: Origin | None = None) -> None:
    """Every download (and inline view) of a file goes into the audit log."""
    audit_record(actor=actor, verb="evidence.downloaded", obj=file, unit=file.evidence.campaign.unit,
                 after={"evidence_id": file.evidence_id, "name": file.name, "sha256": file.sha256,
                        "inline": inline}, origin=origin)


# ---------------------------------------------------------------------------------------------- thumbnails
def thumbnails_make(file_ids) -> int:
    """Thumbnails for raster photos (background work). A file that cannot be decoded simply gets none."""
    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps, UnidentifiedImageError

    made = 0
    size = conf.thumbnail_size()
    for row in EvidenceFile.objects.filter(pk__in=list(file_ids), thumbnail=""):
        if not row.is_raster:
            continue
        try:
            with row.file.open("rb") as handle, Image.open(handle) as image:
                image.draft("RGB", (size * 2, size * 2))
                image = ImageOps.exif_transpose(image)
                image.thumbnail((size, size))
                import io

                buffer = io.BytesIO()
                image.convert("RGB").save(buffer, "JPEG", quality=80)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            continue
        row.thumbnail.save("thumb.jpg", ContentFile(buffer.getvalue()), save=False)
        EvidenceFile.objects.filter(pk=row.pk).update(thumbnail=row.thumbnail.name)
        made += 1
    return made


def criteria_for(campaign: Campaign, ids) -> list[Criterion]:
    """Criteria picked in a form or an API call, re-read within the campaign's standard."""
    ids = [int(pk) for pk in ids]
    found = list(Criterion.objects.filter(standard_id=campaign.standard_id, pk__in=ids)) if ids else []
    if len(found) != len(set(ids)):
        raise ValidationError({"criteria": _("所选测评指标不存在或不属于本活动的测评体系。")})
    return found
