"""Screens for evidence: the list, upload, review, the gap view and the archive. Thin: parse, call, render."""

from copy import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign, Task
from wenming.campaigns.pages import to_current_campaign
from wenming.core.access import get_for_user
from wenming.core.api import as_id as _int
from wenming.core.forms import act, form_save
from wenming.core.memo import memoized, paginate
from wenming.core.recycle import recycle_page
from wenming.evidence import archive as archives
from wenming.evidence import selectors, services
from wenming.evidence.forms import EvidenceForm, ReviewForm
from wenming.evidence.models import ArchiveJob, Evidence, EvidenceFile
from wenming.files.serving import harden, serve_stored
from wenming.org.models import Department
from wenming.org.policy import door
from wenming.org.roles import Role
from wenming.standards.models import Criterion

members = door(Evidence)
office = door(Evidence, "review")
office_or_leader = door(ArchiveJob)
NO_CAMPAIGN = gettext_lazy("本单位还没有创建活动。创建办建立创建活动并选定测评体系后，即可在这里上传和查看创建材料。")
def _campaign(request, pk) -> Campaign:
    campaign, _can_edit = get_for_user(Campaign.objects.visible_to(request.user).select_related("standard"), None, pk)
    return campaign


def _evidence(request, pk, *, need_edit=False, detail=False) -> tuple[Evidence, bool]:
    user = request.user
    visible = selectors.evidence_detail(user=user, pk=pk) if detail else Evidence.objects.visible_to(user)
    return get_for_user(visible, Evidence.objects.editable_by(user), pk, need_edit=need_edit)



def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _form_errors(form) -> dict:
    """Form errors for the upload script, each field's message prefixed by its label."""
    return {key: [f"{form.fields[key].label}：{m}" if key in form.fields else str(m) for m in messages_]
            for key, messages_ in form.errors.items()}


def _departments(request):
    if not request.user.has_role(Role.OFFICE):
        return None
    return [(d.pk, d.name) for d in Department.objects.restrict(request.user).filter(is_active=True)
            .order_by("order", "id")]


def _form(request, campaign, data=None, **kwargs):
    return EvidenceForm(data, tasks=selectors.task_choices(user=request.user, campaign=campaign),
                        criteria=[c for c in selectors.criteria_in_order(campaign.standard_id)],
                        departments=_departments(request), **kwargs)


def _picked_task(request, campaign, pk):
    if pk is None:
        return None
    task = Task.objects.visible_to(request.user).filter(campaign=campaign, pk=pk).select_related(
        "lead_department").first()
    if task is None:
        raise ValidationError({"task": _("所选任务不存在或无权使用。")})
    return task


def _picked_department(request, data, task):
    """The 创建办 names the department; everyone else files for their own (else the task's lead department)."""
    if request.user.has_role(Role.OFFICE) and data.get("department"):
        department = Department.objects.restrict(request.user).filter(pk=data["department"]).first()
        if department is None:
            raise ValidationError({"department": _("所选部门不存在。")})
        return department
    if request.user.department_id:
        return request.user.department
    return task.lead_department if task else None


# ---------------------------------------------------------------------------------------------- lists
@members
def index(request):
    return to_current_campaign(request, "evidence:list", _("创建材料"), NO_CAMPAIGN)


@members
def gaps_index(request):
    return to_current_campaign(request, "evidence:gaps", _("查漏补缺"), NO_CAMPAIGN)


@members
def evidence_list(request, pk):
    campaign = _campaign(request, pk)
    get = request.GET
    filters = selectors.EvidenceFilters(
        status=get.get("status", "") if get.get("status") in Evidence.Status.values else "",
        department=_int(get.get("department")), criterion=_int(get.get("criterion")),
        kind=get.get("kind", "") if get.get("kind") in Evidence.Kind.values else "", q=get.get("q", "").strip()[:100],
        returned_to_me=get.get("mine") == "returned",
    )
    # the counts and choices around the list are kept until the data changes (wenming.core.memo)
    counts, returned_count, departments = memoized("evidence-list-counts", (request.user.pk, campaign.pk), lambda: (
        selectors.campaign_evidence_counts(user=request.user, campaign=campaign),
        selectors.returned_to_me_count(user=request.user, campaign=campaign),
        list(Department.objects.restrict(request.user).order_by("order", "id"))))
    items = selectors.evidence_list(user=request.user, campaign=campaign, filters=filters)
    if filters.active:
        page = paginate(request, items, 30, name=f"evidence:{campaign.pk}")
    else:  # the status counts already add up to the total: no second COUNT over the campaign
        paginator = Paginator(items, 30)
        paginator.count = sum(counts.values())
        page = paginator.get_page(get.get("page"))
    context = {
        "campaign": campaign, "page": page, "filters": filters, "statuses": Evidence.Status.choices,
        "kinds": Evidence.Kind.choices, "departments": departments, "returned_count": returned_count,
        "counts": counts,
        "criterion": Criterion.objects.filter(standard_id=campaign.standard_id, pk=filters.criterion).first()
        if filters.criterion and campaign.standard_id else None,
    }
    template = "evidence/evidence_list.html#evidence-table" if request.htmx else "evidence/evidence_list.html"
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------- upload
@members
def evidence_create(request, pk):
    campaign = _campaign(request, pk)
    initial = {"kind": Evidence.Kind.PHOTO}
    task_id = _int(request.GET.get("task"))
    if task_id:  # from a task's page: the task and its criteria, if the person can see it
        task = Task.objects.visible_to(request.user).filter(campaign=campaign, pk=task_id).first()
        if task is not None:
            initial["task"] = task.pk
            initial["criteria"] = list(task.criteria.values_list("pk", flat=True))
    if request.GET.get("criterion"):
        initial["criteria"] = [_int(request.GET["criterion"])]
    form = _form(request, campaign, request.POST or None, initial=initial)

    def write(data):
        task = _picked_task(request, campaign, data["task"])
        return services.evidence_create(
            actor=request.user, campaign=campaign, title=data["title"], kind=data["kind"],
            occurred_on=data["occurred_on"], department=_picked_department(request, data, task), task=task,
            criteria=services.criteria_for(campaign, data["criteria"]), description=data["description"],
            link=data["link"], files=request.FILES.getlist("files"), origin=Origin.from_request(request))

    saved = form_save(request, form, write)
    if saved.ok:
        return _saved(request, saved.value, _("材料已提交，等待创建办审核。"))
    if request.method == "POST" and _wants_json(request):
        return JsonResponse({"ok": False, "errors": _form_errors(form)}, status=400)
    return render(request, "evidence/evidence_form.html", {"form": form, "campaign": campaign, "evidence": None})


def _saved(request, evidence, message):
    """After a create or an edit: the message, and the evidence's page (as JSON for the uploader's script)."""
    url = reverse("evidence:detail", args=[evidence.pk])
    messages.success(request, message)
    if _wants_json(request):
        return JsonResponse({"ok": True, "redirect": url, "id": evidence.pk})
    return redirect(url)


@members
def evidence_detail(request, pk):
    evidence, can_edit = _evidence(request, pk, detail=True)
    can_review = Evidence.objects.reviewable_by(request.user).filter(pk=evidence.pk).exists()
    files = list(evidence.files.all())
    return render(request, "evidence/evidence_detail.html", {
        "evidence": evidence, "campaign": evidence.campaign, "can_edit": can_edit, "can_review": can_review,
        "current_files": [f for f in files if f.retired_in is None],
        "retired_files": [f for f in files if f.retired_in is not None],
        "reviews": list(evidence.reviews.all()), "hints": selectors.evidence_hints(evidence),
        "review_form": ReviewForm(initial={"version": evidence.version}),
    })


@members
def evidence_edit(request, pk):
    evidence, _can_edit = _evidence(request, pk, need_edit=True)
    campaign = Campaign.objects.select_related("standard").get(pk=evidence.campaign_id)
    initial = {"title": evidence.title, "kind": evidence.kind, "occurred_on": evidence.occurred_on,
               "task": evidence.task_id, "criteria": list(evidence.criteria.values_list("pk", flat=True)),
               "department": evidence.department_id, "description": evidence.description, "link": evidence.link,
               "version": evidence.version}
    form = _form(request, campaign, request.POST or None, initial=initial)
    current = list(evidence.files.filter(retired_in__isnull=True).order_by("id"))

    def write(data):
        task = _picked_task(request, campaign, data["task"])
        values = {"title": data["title"], "kind": data["kind"], "occurred_on": data["occurred_on"],
                  "task": task, "description": data["description"], "link": data["link"]}
        if request.user.has_role(Role.OFFICE) and data.get("department"):
            values["department"] = _picked_department(request, data, task)
        services.evidence_update(
            actor=request.user, evidence=evidence, values=values,
            criteria=services.criteria_for(campaign, data["criteria"]), add_files=request.FILES.getlist("files"),
            retire_files=[f.pk for f in current if str(f.pk) in request.POST.getlist("retire")],
            expected_version=data["version"], origin=Origin.from_request(request))

    saved = form_save(request, form, write)
    if saved.ok:
        return _saved(request, evidence, _("已保存。") if evidence.status != Evidence.Status.RETURNED
                      else _("已重新提交，等待创建办审核。"))
    if request.method == "POST" and _wants_json(request):
        return JsonResponse({"ok": False, "errors": _form_errors(form)}, status=saved.status if saved.conflict else 400)
    return render(request, "evidence/evidence_form.html",
                  {"form": form, "campaign": campaign, "evidence": evidence, "current_files": current,
                   "conflict": saved.conflict}, status=saved.status)


@require_POST
@members
def evidence_review(request, pk):
    evidence, _can_edit = _evidence(request, pk)
    if not Evidence.objects.reviewable_by(request.user).filter(pk=evidence.pk).exists():
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择通过或退回。"))
        return redirect("evidence:detail", evidence.pk)
    data = form.cleaned_data
    act(request, lambda: services.evidence_review(
        actor=request.user, evidence=evidence, approve=data["decision"] == "approve", reason=data["reason"],
        expected_version=data["version"], origin=Origin.from_request(request)),
        message=_("已通过。") if data["decision"] == "approve" else _("已退回，上传人会在“退回给我”中看到原因。"),
        stale=_("此材料刚被修改过，请查看最新内容后再审核。"))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/evidence/") and "//" not in next_url:
        return redirect(next_url)
    return redirect("evidence:detail", evidence.pk)


@require_POST
@members
def evidence_delete(request, pk):
    evidence, _can_edit = _evidence(request, pk, need_edit=True)
    return recycle_page(request, evidence, _("已移入回收站，创建办可以恢复。"), "evidence:list", evidence.campaign_id)


# ---------------------------------------------------------------------------------------------- files
def _file(request, pk) -> EvidenceFile:
    visible = EvidenceFile.objects.visible_to(request.user).select_related("evidence__campaign__unit")
    row, _can_edit = get_for_user(visible, None, pk)
    return row


@members
def file_download(request, pk):
    """Only through here: access checked, audited, then served (on S3 by a short-lived signed URL); inline only for
    a sniffed raster image, else attachment."""
    row = _file(request, pk)
    inline = request.GET.get("inline") == "1" and row.is_raster
    if not row.file.storage.exists(row.file.name):
        raise Http404
    services.evidence_file_opened(actor=request.user, file=row, inline=inline, origin=Origin.from_request(request))
    return serve_stored(row.file, filename=row.name, as_attachment=not inline,
                        content_type=row.mime if inline else "application/octet-stream")


@members
def file_thumbnail(request, pk):
    row = _file(request, pk)
    if not row.thumbnail:
        raise Http404
    try:
        handle = row.thumbnail.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    harden(response)
    return response


# ---------------------------------------------------------------------------------------------- gap view
@members
def gaps(request, pk):
    campaign = _campaign(request, pk)
    get = request.GET
    status = get.get("status", "")
    filters = selectors.GapFilters(status=status if status in selectors.GAP_STATUSES else "",
                                   category=_int(get.get("category")), department=get.get("department", "")[:100],
                                   q=get.get("q", "").strip()[:100])
    gap = selectors.gap_matrix(user=request.user, campaign=campaign, filters=filters)
    # a city standard has hundreds of scored lines: the summaries count them all, the table shows a page
    page = Paginator(gap.rows, GAP_PAGE_SIZE).get_page(get.get("page"))
    # labels looked up here, not by nested loops in the template; on copies (the matrix is shared, memo)
    page.object_list = [copy(row) for row in page.object_list]
    for row in page.object_list:
        row.label = GAP_LABELS[row.status]
        row.counts_text = " · ".join(f"{GAP_LABELS.get(key, key)} {n}" for key, n in row.counts.items())
    template = "evidence/gaps.html#gap-table" if request.htmx else "evidence/gaps.html"
    return render(request, template, {"campaign": campaign, "gap": gap, "page": page, "filters": filters,
                                      "status_labels": GAP_LABELS})


GAP_PAGE_SIZE = 50


# lazy: built once at import, read in each request's language
GAP_LABELS = {"missing": gettext_lazy("无材料"), "returned": gettext_lazy("已退回"), "pending": gettext_lazy("待审核"),
              "approved": gettext_lazy("已通过")}


# ---------------------------------------------------------------------------------------------- archive
@office_or_leader
def archive_index(request):
    """The menu's 迎检档案: the current campaign's archive page."""
    return to_current_campaign(request, "evidence:archive", _("迎检档案"), NO_CAMPAIGN)


@office_or_leader
def archive(request, pk):
    campaign = _campaign(request, pk)
    can_build = request.user.has_role(Role.OFFICE)
    if request.method == "POST":
        if not can_build:
            raise PermissionDenied
        kind = request.POST.get("kind") or ArchiveJob.Kind.ZIP
        if kind not in ArchiveJob.Kind.values:
            return HttpResponseBadRequest(_("档案形式只能是 ZIP 档案包或 PDF 案卷。"))
        archives.archive_start(actor=request.user, campaign=campaign, kind=kind, origin=Origin.from_request(request))
        messages.success(request, _("已开始生成迎检档案，完成后可在下方下载。"))
        return redirect("evidence:archive", campaign.pk)
    approved = selectors.campaign_evidence_counts(user=request.user, campaign=campaign).get("approved", 0)
    archived, _files = archives.counts(archives.plan(campaign))  # the count the archive's cover will state
    return render(request, "evidence/archive.html", {
        "campaign": campaign, "jobs": selectors.archive_jobs(user=request.user, campaign=campaign),
        "can_build": can_build, "approved": archived, "without_files": max(approved - archived, 0),
        "last_binder": selectors.last_binder(user=request.user, campaign=campaign),
    })


@office_or_leader
def archive_status(request, pk):
    job, _can_edit = get_for_user(ArchiveJob.objects.visible_to(request.user).select_related("requested_by"), None, pk)
    return render(request, "evidence/partials/archive_job.html", {"job": job})


@office_or_leader
def archive_download(request, pk):
    job, _can_edit = get_for_user(ArchiveJob.objects.visible_to(request.user).select_related("campaign__unit"),
                                  None, pk)
    if job.status != ArchiveJob.Status.DONE or not job.file:
        raise Http404
    archives.archive_downloaded(actor=request.user, job=job, origin=Origin.from_request(request))
    pdf = job.kind == ArchiveJob.Kind.BINDER
    name = f"{job.campaign.title}-迎检档案-{timezone.localtime(job.finished_at):%Y%m%d}.{'pdf' if pdf else 'zip'}"
    return serve_stored(job.file, filename=name, as_attachment=True,
                        content_type="application/pdf" if pdf else "application/zip")
