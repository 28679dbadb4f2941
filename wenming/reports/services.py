"""Writes for reports: templates (seeded per unit, edited by the 创建办) and report jobs built in the background."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.audit.services import Origin, audit_record
from wenming.campaigns.models import Campaign, Phase
from wenming.core.errors import check_version
from wenming.core.recycle import recycle_delete
from wenming.reports import compose
from wenming.reports.defaults import DEFAULTS
from wenming.reports.models import Kind, ReportJob, ReportTemplate
from wenming.reports.sections import Scope

TEMPLATE_FIELDS = ("name", "kind", "title", "addressee", "body", "signature")


def templates_ensure(*, unit) -> None:
    """Give the unit the default templates it lacks (idempotent; the office's edits are kept)."""
    present = set(ReportTemplate.objects.filter(unit=unit, is_default=True).values_list("kind", flat=True))
    missing = [ReportTemplate(unit=unit, is_default=True, **values) for values in DEFAULTS
               if values["kind"] not in present]
    if missing:
        with transaction.atomic():
            taken = set(ReportTemplate.objects.filter(unit=unit).values_list("name", flat=True))
            for template in missing:
                if template.name in taken:
                    template.name = f"{template.name}（{uuid.uuid4().hex[:4]}）"
            ReportTemplate.objects.bulk_create(missing, ignore_conflicts=True)  # two first visits at once


@transaction.atomic
def template_save(*, actor, unit, template: ReportTemplate | None = None, values: dict,
                  expected_version: int | None = None, origin: Origin | None = None) -> ReportTemplate:
    """Create a template, or change one (`template` given). Unknown placeholders or markers: nothing saved."""
    values = {name: (values.get(name) or "").strip() if name != "body" else (values.get(name) or "").rstrip()
              for name in TEMPLATE_FIELDS}
    compose.check_template(title=values["title"], addressee=values["addressee"], body=values["body"],
                           signature=values["signature"])
    if template is None:
        template, before, verb = ReportTemplate(unit=unit), None, "reports.template_created"
    else:
        template = ReportTemplate.objects.select_for_update().get(pk=template.pk)
        check_version(template, expected_version)
        before, verb = {name: getattr(template, name) for name in TEMPLATE_FIELDS}, "reports.template_updated"
    for name, value in values.items():
        setattr(template, name, value)
    template.updated_by = actor
    template.full_clean()
    template.save()
    audit_record(actor=actor, verb=verb, obj=template, unit=unit, before=before,
                 after={name: getattr(template, name) for name in TEMPLATE_FIELDS}, origin=origin)
    return template


def template_delete(*, actor, template: ReportTemplate, origin: Origin | None = None) -> None:
    """Move one of the office's own templates to the recycle bin; the defaults stay (edit them instead)."""
    if template.is_default:
        raise ValidationError(_("预置模板不能删除，可以直接修改其内容。"))
    recycle_delete(actor=actor, obj=template, origin=origin)


# ---------------------------------------------------------------------------------------------- jobs
@transaction.atomic
def report_start(*, actor, campaign: Campaign, template: ReportTemplate, phase: Phase | None = None,
                 origin: Origin | None = None, background: bool = True) -> ReportJob:
    """Queue a report (the 创建办). A 阶段总结 needs a phase of the campaign. The work runs in the background once
    this transaction commits (or at once with `background=False`, as the demo does)."""
    if template.unit_id != campaign.unit_id:
        raise ValidationError({"template": _("所选模板不属于本单位。")})
    if phase is not None and phase.campaign_id != campaign.pk:
        raise ValidationError({"phase": _("所选阶段不属于这个创建活动。")})
    if template.kind == Kind.PHASE_SUMMARY and phase is None:
        raise ValidationError({"phase": _("阶段总结须选择一个阶段。")})
    compose.check_template(title=template.title, addressee=template.addressee, body=template.body,
                           signature=template.signature)
    job = ReportJob.objects.create(campaign=campaign, template=template, kind=template.kind, phase=phase,
                                   created_by=actor)
    audit_record(actor=actor, verb="reports.started", obj=job, unit=campaign.unit, origin=origin,
                 after={"template": template.name, "phase": phase.name if phase else ""})
    if background:
        from wenming.reports.tasks import build_report

        transaction.on_commit(lambda: build_report.enqueue(job.pk))
    return job


def _update(job: ReportJob, **values) -> None:
    ReportJob.objects.filter(pk=job.pk).update(**values)
    for key, value in values.items():
        setattr(job, key, value)


def report_build(*, job_id: int) -> ReportJob:
    """Build (or rebuild) the job's document. Safe to run again: a finished job is left alone."""
    job = ReportJob.objects.select_related("campaign__unit", "template", "phase", "created_by").get(pk=job_id)
    if job.status == ReportJob.Status.DONE and job.file:
        return job
    _update(job, status=ReportJob.Status.RUNNING, started_at=timezone.now(), progress=5, error="")

    def progress(done, total):
        _update(job, progress=min(90, 10 + done * 80 // max(total, 1)))

    try:
        if job.template is None:
            raise ValueError(_("模板已被删除。"))
        report = compose.outline(job.template, Scope(job.campaign, job.phase), progress=progress)
        data = compose.to_docx(report)
        name = job.file.storage.save(f"reports/{job.campaign_id}/{uuid.uuid4().hex}.docx", ContentFile(data))
    except Exception as error:  # recorded for the office to see
        _update(job, status=ReportJob.Status.FAILED, error=str(error)[:1000], finished_at=timezone.now())
        audit_record(actor=None, verb="reports.failed", obj=job, unit=job.campaign.unit,
                     after={"error": str(error)[:200]})
        return job
    with transaction.atomic():
        _update(job, status=ReportJob.Status.DONE, file=name, size=len(data), progress=100,
                title="".join(report.title)[:300], finished_at=timezone.now())
        audit_record(actor=job.created_by, verb="reports.built", obj=job, unit=job.campaign.unit,
                     after={"size": len(data)})
    return job


def report_downloaded(*, actor, job: ReportJob, origin: Origin | None = None) -> None:
    audit_record(actor=actor, verb="reports.downloaded", obj=job, unit=job.campaign.unit, origin=origin,
                 after={"size": job.size})
