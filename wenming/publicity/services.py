"""Writes to publicity. Keyword-only, atomic, audited; the acting person is passed in.

A publicity item is also 创建材料: its screenshot (or its link) is filed through the evidence app's own service
for the chosen criteria, in the same transaction, so the office reviews it with the rest and the gap view counts it.
Files are checked by content like every upload (the evidence app's checks); nothing is half-saved.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from wenming.audit.services import Origin, assign, audit_record
from wenming.campaigns.models import Campaign
from wenming.core.errors import check_version
from wenming.evidence import services as evidence_services
from wenming.evidence.models import Evidence
from wenming.files.intake import check_files
from wenming.org.models import Department, Unit, User
from wenming.publicity.models import Channel, Level, Practice, PublicityItem, PublicityTarget, SuperiorReport

DOCUMENT_TYPES = frozenset({"jpg", "png", "gif", "webp", "pdf", "docx", "doc", "xlsx", "xls", "pptx", "ppt"})


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _check_screenshot(screenshot, *, unit_id):
    """The screenshot must really be an image (checked by content)."""
    if screenshot is None:
        return None
    checked = check_files([screenshot], unit_id=unit_id)[0]
    if not checked.file_type.raster:
        raise ValidationError({"screenshot": _("“%(name)s”是%(label)s，截图请上传图片（jpg、png）。")
                               % {"name": checked.name, "label": checked.file_type.label}})
    return checked


def _check_document(upload, *, unit_id, field: str = "file"):
    """An attached document, checked like an evidence upload and kept to office documents, PDFs and images."""
    if upload is None:
        return None
    try:
        checked = check_files([upload], unit_id=unit_id)[0]
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if checked.file_type.key not in DOCUMENT_TYPES:
        raise ValidationError({field: _("“%(name)s”是%(label)s，请上传 PDF、Word、Excel 或图片。")
                               % {"name": checked.name, "label": checked.file_type.label}})
    return checked


def _evidence_description(item: PublicityItem) -> str:
    parts = [f"{item.get_channel_display()}（{item.get_level_display()}）"]
    if item.outlet:
        parts.append(item.outlet)
    if item.author:
        parts.append(_("作者：%(name)s") % {"name": item.author})
    return _("宣传报道：") + "，".join(str(p) for p in parts) + "。"


def _item_snapshot(item: PublicityItem) -> dict:
    return {"channel": item.channel, "level": item.level, "title": item.title, "published_on": _iso(item.published_on),
            "outlet": item.outlet, "link": item.link, "department_id": item.department_id, "author": item.author,
            "criteria": list(item.criteria.order_by("id").values_list("code", flat=True)) if item.pk else [],
            "evidence_id": item.evidence_id}


@transaction.atomic
def item_create(*, actor: User, campaign: Campaign, channel: str, level: str, title: str, published_on: date,
                outlet: str = "", link: str = "", department: Department | None = None, author: str = "",
                criteria=(), screenshot=None, origin: Origin | None = None) -> PublicityItem:
    """Register a published piece; its screenshot or link becomes 创建材料 for `criteria` (待审核)."""
    criteria = list(criteria)
    if screenshot is None and not link.strip():
        raise ValidationError({"screenshot": _("请上传截图，或填写已发布内容的链接。")})
    _check_screenshot(screenshot, unit_id=campaign.unit_id)
    item = PublicityItem(campaign=campaign, channel=channel, level=level, title=title.strip(),
                         published_on=published_on, outlet=outlet.strip(), link=link.strip(), department=department,
                         author=author.strip(), created_by=actor)
    item.full_clean(exclude=["evidence"])
    item.evidence = evidence_services.evidence_create(
        actor=actor, campaign=campaign, title=item.title, occurred_on=published_on,
        kind=Evidence.Kind.SCREENSHOT if screenshot is not None else Evidence.Kind.LINK, department=department,
        criteria=criteria, description=_evidence_description(item), link=item.link,
        files=[screenshot] if screenshot is not None else [], origin=origin)
    item.save()
    item.criteria.set(criteria)
    audit_record(actor=actor, verb="publicity.item_created", obj=item, unit=campaign.unit,
                 after=_item_snapshot(item), origin=origin)
    return item


@transaction.atomic
def item_update(*, actor: User, item: PublicityItem, values: dict, criteria=None, screenshot=None,
                expected_version: int | None = None, origin: Origin | None = None) -> PublicityItem:
    """Change an item; its 创建材料 follows (title, date, link, criteria, a new screenshot)."""
    item = PublicityItem.objects.select_for_update().select_related("campaign__unit").get(pk=item.pk)
    check_version(item, expected_version)
    before = _item_snapshot(item)
    assign(item, values, ("channel", "level", "title", "published_on", "outlet", "link", "department", "author"))
    _check_screenshot(screenshot, unit_id=item.campaign.unit_id)
    item.full_clean(exclude=["evidence"])
    item.save()
    if criteria is not None:
        item.criteria.set(list(criteria))
    evidence = Evidence.objects.alive().filter(pk=item.evidence_id).first() if item.evidence_id else None
    if evidence is not None:
        evidence_services.evidence_update(
            actor=actor, evidence=evidence, criteria=criteria, origin=origin,
            add_files=[screenshot] if screenshot is not None else [],
            values={"title": item.title, "occurred_on": item.published_on, "link": item.link,
                    "department": item.department, "description": _evidence_description(item)})
    audit_record(actor=actor, verb="publicity.item_updated", obj=item, unit=item.campaign.unit, before=before,
                 after=_item_snapshot(item), origin=origin)
    return item


# ---------------------------------------------------------------------------------------------- targets
@transaction.atomic
def target_set(*, actor: User, campaign: Campaign, channel: str = "", level: str = "", per_month: int,
               note: str = "", origin: Origin | None = None) -> PublicityTarget:
    """Set (or change) the monthly target for a channel and/or level."""
    if channel and channel not in Channel.values or level and level not in Level.values:
        raise ValidationError(_("未知的渠道或级别。"))
    target = PublicityTarget.objects.select_for_update().filter(campaign=campaign, channel=channel,
                                                                level=level).first()
    before = {"per_month": target.per_month, "note": target.note} if target else None
    if target is None:
        target = PublicityTarget(campaign=campaign, channel=channel, level=level)
    else:
        target.version += 1
    target.per_month, target.note = per_month, note.strip()
    target.full_clean()
    target.save()
    audit_record(actor=actor, verb="publicity.target_set", obj=target, unit=campaign.unit, before=before,
                 after={"channel": channel, "level": level, "per_month": per_month, "note": target.note},
                 origin=origin)
    return target


@transaction.atomic
def target_remove(*, actor: User, target: PublicityTarget, origin: Origin | None = None) -> None:
    campaign = target.campaign
    audit_record(actor=actor, verb="publicity.target_removed", obj=target, unit=campaign.unit,
                 before={"channel": target.channel, "level": target.level, "per_month": target.per_month},
                 origin=origin)
    target.delete()


# ---------------------------------------------------------------------------------------------- stored files
def _store(row, checked, saved: list[str]) -> None:
    checked.upload.seek(0)
    row.file.save(f"upload.{checked.file_type.ext}", checked.upload, save=False)
    row.file_name, row.file_mime = checked.name, checked.file_type.mime
    saved.append(row.file.name)


def _discard(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------- reports
def _report_snapshot(report: SuperiorReport) -> dict:
    return {"recipient": report.recipient, "title": report.title, "reported_on": _iso(report.reported_on),
            "level": report.level, "adopted": report.adopted, "adopted_note": report.adopted_note,
            "department_id": report.department_id, "file": report.file_name}


@transaction.atomic
def report_create(*, actor: User, campaign: Campaign, recipient: str, title: str, reported_on: date,
                  level: str = Level.CITY, adopted: bool = False, adopted_note: str = "",
                  department: Department | None = None, file=None, origin: Origin | None = None) -> SuperiorReport:
    checked = _check_document(file, unit_id=campaign.unit_id)
    report = SuperiorReport(campaign=campaign, recipient=recipient.strip(), title=title.strip(),
                            reported_on=reported_on, level=level, adopted=adopted, adopted_note=adopted_note.strip(),
                            department=department, created_by=actor)
    saved: list[str] = []
    try:
        if checked:
            _store(report, checked, saved)
        report.full_clean()
        report.save()
        audit_record(actor=actor, verb="publicity.report_created", obj=report, unit=campaign.unit,
                     after=_report_snapshot(report), origin=origin)
    except BaseException:
        _discard(saved)
        raise
    return report


@transaction.atomic
def report_update(*, actor: User, report: SuperiorReport, values: dict, file=None,
                  expected_version: int | None = None, origin: Origin | None = None) -> SuperiorReport:
    report = SuperiorReport.objects.select_for_update().select_related("campaign__unit").get(pk=report.pk)
    check_version(report, expected_version)
    before = _report_snapshot(report)
    assign(report, values, ("recipient", "title", "reported_on", "level", "adopted", "adopted_note", "department"))
    checked = _check_document(file, unit_id=report.campaign.unit_id)
    saved: list[str] = []
    try:
        if checked:
            _store(report, checked, saved)
        report.full_clean()
        report.save()
        audit_record(actor=actor, verb="publicity.report_updated", obj=report, unit=report.campaign.unit,
                     before=before, after=_report_snapshot(report), origin=origin)
    except BaseException:
        _discard(saved)
        raise
    return report


# ---------------------------------------------------------------------------------------------- practices
def clean_tags(raw: str) -> str:
    """“志愿服务，道德讲堂、 志愿服务” → “志愿服务,道德讲堂”: Chinese and Western separators, no repeats."""
    import re

    seen: list[str] = []
    for tag in re.split(r"[,，、;；\s]+", raw or ""):
        tag = tag.strip()[:20]
        if tag and tag not in seen:
            seen.append(tag)
    text = ",".join(seen)
    if len(text) > 200:
        raise ValidationError({"tags": _("标签太多，请精简到 200 字以内。")})
    return text


def _practice_snapshot(practice: Practice) -> dict:
    return {"source_unit": practice.source_unit, "title": practice.title, "summary": practice.summary[:500],
            "tags": practice.tags, "link": practice.link, "file": practice.file_name}


@transaction.atomic
def practice_create(*, actor: User, unit: Unit, source_unit: str, title: str, summary: str, tags: str = "",
                    link: str = "", file=None, origin: Origin | None = None) -> Practice:
    checked = _check_document(file, unit_id=unit.pk)
    practice = Practice(unit=unit, source_unit=source_unit.strip(), title=title.strip(), summary=summary.strip(),
                        tags=clean_tags(tags), link=link.strip(), added_by=actor)
    saved: list[str] = []
    try:
        if checked:
            _store(practice, checked, saved)
        practice.full_clean()
        practice.save()
        audit_record(actor=actor, verb="publicity.practice_created", obj=practice, unit=unit,
                     after=_practice_snapshot(practice), origin=origin)
    except BaseException:
        _discard(saved)
        raise
    return practice


@transaction.atomic
def practice_update(*, actor: User, practice: Practice, values: dict, file=None,
                    expected_version: int | None = None, origin: Origin | None = None) -> Practice:
    practice = Practice.objects.select_for_update().select_related("unit").get(pk=practice.pk)
    check_version(practice, expected_version)
    before = _practice_snapshot(practice)
    for name in ("source_unit", "title", "summary", "link"):
        if name in values:
            setattr(practice, name, values[name].strip())
    if "tags" in values:
        practice.tags = clean_tags(values["tags"])
    checked = _check_document(file, unit_id=practice.unit_id)
    saved: list[str] = []
    try:
        if checked:
            _store(practice, checked, saved)
        practice.full_clean()
        practice.save()
        audit_record(actor=actor, verb="publicity.practice_updated", obj=practice, unit=practice.unit,
                     before=before, after=_practice_snapshot(practice), origin=origin)
    except BaseException:
        _discard(saved)
        raise
    return practice


def file_opened(*, actor: User, obj, unit, origin: Origin | None = None) -> None:
    audit_record(actor=actor, verb="publicity.file_downloaded", obj=obj, unit=unit,
                 after={"name": obj.file_name}, origin=origin)


def exported(*, actor: User, campaign: Campaign, what: str, origin: Origin | None = None) -> None:
    audit_record(actor=actor, verb="publicity.exported", obj=campaign, unit=campaign.unit, after={"ledger": what},
                 origin=origin)
