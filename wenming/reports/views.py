"""Screens for reports: generate and download, the history per campaign, and the template editor with a preview.
The 创建办 does everything; leaders read and download. Thin: parse, call, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign
from wenming.campaigns.pages import to_current_campaign
from wenming.campaigns.selectors import current_campaign
from wenming.core.access import get_for_user
from wenming.core.forms import act, form_page, form_save
from wenming.files.serving import serve_stored
from wenming.org.policy import door
from wenming.org.roles import Role
from wenming.reports import compose, selectors, services
from wenming.reports.defaults import DEFAULTS
from wenming.reports.forms import GenerateForm, TemplateForm
from wenming.reports.models import Kind, ReportJob, ReportTemplate
from wenming.reports.sections import SECTIONS, Scope

office = door(ReportTemplate, "change")
office_or_leader = door(ReportJob)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _campaign(request, pk) -> Campaign:
    campaign, _can_edit = get_for_user(Campaign.objects.visible_to(request.user).select_related("unit"), None, pk)
    return campaign


@office_or_leader
def index(request):
    return to_current_campaign(request, "reports:list", _("创建报告"),
                               _("本单位还没有创建活动。创建办建立创建活动后，即可在这里生成创建工作报告和阶段总结。"))


@office_or_leader
def report_list(request, pk):
    """The campaign's generated reports (the history) and, for the 创建办, the form to generate one."""
    campaign = _campaign(request, pk)
    can_generate = request.user.has_role(Role.OFFICE)
    if request.method == "POST" and not can_generate:
        raise PermissionDenied
    services.templates_ensure(unit=campaign.unit)
    templates = list(selectors.report_templates(user=request.user))
    phases = list(campaign.phases.all())
    form = GenerateForm(request.POST or None, templates=templates, phases=phases)
    return form_page(request, form, lambda data: services.report_start(
        actor=request.user, campaign=campaign, template=next(t for t in templates if t.pk == data["template"]),
        phase=next((p for p in phases if p.pk == data["phase"]), None), origin=Origin.from_request(request)),
        template="reports/report_list.html", context=lambda: {
            "campaign": campaign, "can_generate": can_generate, "templates": templates,
            "page": Paginator(selectors.report_jobs(user=request.user, campaign=campaign), 20).get_page(
                request.GET.get("page"))},
        then=("reports:list", campaign.pk), message=_("已开始生成报告，完成后可在下方下载。"), invalid_status=400)


@office_or_leader
def job_status(request, pk):
    """One report: its row (polled by htmx while it is being generated) or the full page."""
    job, _can_edit = get_for_user(selectors.report_jobs(user=request.user).select_related("campaign"), None, pk)
    if request.htmx:
        return render(request, "reports/partials/job_row.html", {"job": job})
    return render(request, "reports/job_detail.html", {"job": job, "campaign": job.campaign})


@office_or_leader
def job_download(request, pk):
    job, _can_edit = get_for_user(ReportJob.objects.visible_to(request.user).select_related("campaign__unit"),
                                  None, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    services.report_downloaded(actor=request.user, job=job, origin=Origin.from_request(request))
    name = f"{job.title or job.get_kind_display()}-{timezone.localtime(job.finished_at):%Y%m%d%H%M}.docx"
    return serve_stored(job.file, filename=name, as_attachment=True, content_type=DOCX)


# ---------------------------------------------------------------------------------------------- templates
@office_or_leader
def template_list(request):
    services.templates_ensure(unit=request.user.unit)
    return render(request, "reports/template_list.html", {
        "templates": selectors.report_templates(user=request.user),
        "can_edit": request.user.has_role(Role.OFFICE), "campaign": current_campaign(user=request.user),
    })


def _preview(request, form):
    """The outline the report would have, filled from the current campaign's data; errors named."""
    data = {name: form.data.get(name, "") for name in ("title", "addressee", "body", "signature", "kind")}
    try:
        compose.check_template(title=data["title"], addressee=data["addressee"], body=data["body"],
                               signature=data["signature"])
    except ValidationError as error:
        return render(request, "reports/partials/preview.html", {"errors": error.messages})
    campaign = current_campaign(user=request.user)
    scope = None
    if campaign is not None:
        phase = campaign.phases.first() if data["kind"] == Kind.PHASE_SUMMARY else None
        scope = Scope(Campaign.objects.select_related("unit").get(pk=campaign.pk), phase)
    report = compose.outline(ReportTemplate(**{k: v for k, v in data.items() if k != "kind"}), scope)
    return render(request, "reports/partials/preview.html", {"report": report, "campaign": campaign, "scope": scope})


def _template_page(request, form, template, *, conflict=None, status=200):
    return render(request, "reports/template_form.html", {
        "form": form, "template": template, "conflict": conflict, "placeholders": compose.PLACEHOLDERS,
        "sections": [(name, description) for name, (_f, description) in SECTIONS.items()],
    }, status=status)


def _save_template(request, form, template):
    """Validate, save, and answer: the list on success, the form with errors (or the conflict) otherwise."""
    if request.htmx and "preview" in request.POST:
        return _preview(request, form)

    def write(cleaned):
        data = dict(cleaned)
        version = data.pop("version")
        services.template_save(actor=request.user, unit=request.user.unit, template=template, values=data,
                               expected_version=version, origin=Origin.from_request(request))

    saved = form_save(request, form, write)
    if not saved.ok:
        return _template_page(request, form, template, conflict=saved.conflict, status=409 if saved.conflict else 400)
    messages.success(request, _("模板已保存。"))
    return redirect("reports:templates")


@office
def template_create(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else Kind.WORK_REPORT
    base = next(values for values in DEFAULTS if values["kind"] == kind)
    initial = {**base, "name": _("%(name)s（副本）") % {"name": base["name"].split("（")[0]}}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        return _save_template(request, form, None)
    return _template_page(request, form, None)


@require_POST
@office
def template_delete(request, pk):
    template, _can_edit = get_for_user(ReportTemplate.objects.visible_to(request.user),
                                       ReportTemplate.objects.editable_by(request.user), pk, need_edit=True)
    act(request, lambda: services.template_delete(actor=request.user, template=template,
                                                  origin=Origin.from_request(request)),
        message=_("已移入回收站，创建办可以恢复。"))
    return redirect("reports:templates")


@office
def template_edit(request, pk):
    template, _can_edit = get_for_user(ReportTemplate.objects.visible_to(request.user),
                                       ReportTemplate.objects.editable_by(request.user), pk, need_edit=True)
    initial = {name: getattr(template, name) for name in services.TEMPLATE_FIELDS}
    form = TemplateForm(request.POST or None, initial={**initial, "version": template.version})
    if request.method == "POST":
        return _save_template(request, form, template)
    return _template_page(request, form, template)
