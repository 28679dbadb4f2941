"""Screens for campaigns and tasks. Thin: parse, call a service or selector, render."""

import re
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.audit.services import Origin, audit_record
from wenming.campaigns import annex, extras, selectors, services
from wenming.campaigns.forms import (
    BulkAssignForm,
    CampaignForm,
    CommentForm,
    ImportUploadForm,
    MilestoneForm,
    PhaseForm,
    ProgressForm,
    RosterForm,
    TaskForm,
    TransitionForm,
)
from wenming.campaigns.models import (
    Campaign,
    Milestone,
    Phase,
    RosterEntry,
    Task,
    TaskImportDraft,
    TaskOccurrence,
)
from wenming.campaigns.timelimits import UnreadableTimeLimit, parse_time_limit
from wenming.core.access import get_for_user
from wenming.core.api import as_id
from wenming.core.forms import add_errors, form_page
from wenming.core.memo import memoized, paginate
from wenming.core.recycle import recycle_page
from wenming.core.tables import UnreadableFile, read_upload
from wenming.core.xlsx import download_response, xlsx_response
from wenming.org.models import Department, User
from wenming.org.policy import door
from wenming.org.roles import Role
from wenming.org.selectors import department_choices
from wenming.standards.models import Criterion, ImportTemplate, Standard
from wenming.standards.services import import_template_matching, import_template_save
from wenming.standards.tree import tree_order

members = door(Task)
office = door(Campaign, "change")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMPORT_HOURS = 12


# ---------------------------------------------------------------------------------------------- lookups
def _campaign(request, pk, *, need_edit=False) -> tuple[Campaign, bool]:
    return get_for_user(Campaign.objects.visible_to(request.user), Campaign.objects.editable_by(request.user), pk,
                        need_edit=need_edit)


def _task(request, pk, *, editable=None, need_edit=False, detail=False) -> tuple[Task, bool]:
    user = request.user
    visible = selectors.task_detail(user=user, pk=pk) if detail else Task.objects.visible_to(user).select_related(
        "campaign__unit")
    return get_for_user(visible, Task.objects.editable_by(user) if editable is None else editable, pk,
                        need_edit=need_edit)


def _pick(queryset, pk):
    """An object chosen in a form, re-read through the access path (a forged id gives a form error, not a leak)."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ValidationError(_("所选的内容不存在或无权使用。"))
    return obj


def _people(request):
    # plain tuples, no model instances: the choices of a 300-person unit cost under a millisecond
    return [(pk, f"{name}（{department or '—'}）")
            for pk, name, department in User.objects.visible_to(request.user).business_people()
            .order_by("department__order", "id").values_list("pk", "real_name", "department__name")]


def _leaders(request):
    return [(pk, f"{name}（{job_title}）" if job_title else name)
            for pk, name, job_title in User.objects.visible_to(request.user).business_people()
            .filter(role_assignments__role=Role.LEADER).order_by("id")
            .values_list("pk", "real_name", "job_title")]


def _phases(campaign):
    return [(p.pk, f"{p.name}（{p.starts_on:%m.%d}–{p.ends_on:%m.%d}）") for p in campaign.phases.all()]


def _criteria(campaign):
    if not campaign.standard_id:
        return []
    return [(pk, ("　" * (depth - 1)) + f"{code} {title}"[:80])
            for pk, _parent_id, depth, code, title in _criteria_in_order(campaign.standard_id)]


def _criteria_in_order(standard_id):
    """(pk, parent_id, depth, code, title) of the standard's lines in tree order (tuples: 500 lines in ~1 ms)."""
    nodes = Criterion.objects.filter(standard_id=standard_id).order_by("order", "id").values_list(
        "pk", "parent_id", "depth", "code", "title")
    return tree_order(nodes, key=lambda node: node[0], parent=lambda node: node[1])[0]


def _standards(request):
    return [(s.pk, str(s)) for s in Standard.objects.visible_to(request.user).filter(status=Standard.Status.PUBLISHED)
            .order_by("-created_at")]


def _origin(request):
    return Origin.from_request(request)


# ---------------------------------------------------------------------------------------------- campaigns
@members
def campaign_list(request):
    campaigns = list(selectors.campaign_list(user=request.user))
    return render(request, "campaigns/campaign_list.html",
                  {"campaigns": campaigns, "can_edit": request.user.has_role(Role.OFFICE)})


@office
def campaign_create(request):
    year = timezone.localdate().year
    form = CampaignForm(request.POST or None, standard_choices=_standards(request),
                        initial={"year": year, "title": _("%(year)d年创建市级文明单位") % {"year": year}})
    return form_page(request, form, lambda data: services.campaign_create(
        actor=request.user, unit=request.user.unit, title=data["title"], year=data["year"], level=data["level"],
        standard=_pick(Standard.objects.visible_to(request.user), data["standard"]), pass_score=data["pass_score"],
        starts_on=data["starts_on"], ends_on=data["ends_on"], origin=_origin(request)),
        template="campaigns/campaign_form.html", context={"creating": True},
        then=lambda campaign: _url("campaigns:home", campaign.pk),
        message=lambda campaign: _("已建立“%(title)s”，并按实施方案设好了四个阶段，可在下方调整。") % {"title": campaign.title})


@require_POST
@members
def campaign_choose(request):
    """The header's switcher: remember the campaign this person works on, then show the same page for it."""
    raw = request.POST.get("campaign", "")
    if not raw.isdigit():
        raise Http404
    campaign, _can_edit = _campaign(request, int(raw))
    services.campaign_choose(user=request.user, campaign=campaign)
    messages.success(request, _("已切换到“%(title)s”。") % {"title": campaign.title})
    return redirect(_same_page_for(request, campaign))


def _same_page_for(request, campaign) -> str:
    """The page the person was on, for the newly chosen campaign: `…/campaigns/<id>/…` gets the new id, a
    filter is dropped; a page of one object (a task, an item of evidence) or an address off this site
    falls back to the campaign's home; index pages (材料, 查漏补缺, 驾驶舱, 我的工作) stay as they are."""
    from urllib.parse import urlsplit

    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return _url("campaigns:home", campaign.pk)
    parts = urlsplit(target)
    path = re.sub(r"(^|/)campaigns/\d+/", rf"\g<1>campaigns/{campaign.pk}/", parts.path)
    if re.search(r"/\d+/", path.replace(f"campaigns/{campaign.pk}/", "")):
        return _url("campaigns:home", campaign.pk)
    return path  # the filters (a phase, a criterion, a page number) belonged to the other campaign


@members
def campaign_home(request, pk):
    campaign, can_edit = _campaign(request, pk)
    tasks = Task.objects.visible_to(request.user).filter(campaign=campaign)
    context = {
        "campaign": campaign, "can_edit": can_edit,
        "timeline": selectors.campaign_timeline(campaign),
        "counts": selectors.status_counts(tasks),
        "overdue": selectors.overdue_count(tasks),
        "milestone_form": MilestoneForm(),
    }
    return render(request, "campaigns/campaign_home.html", context)


@members
def campaign_edit(request, pk):
    campaign, _can_edit = _campaign(request, pk, need_edit=True)
    initial = {name: getattr(campaign, name) for name in ("title", "year", "level", "pass_score", "starts_on",
                                                           "ends_on", "status", "document_title", "document_number",
                                                           "version")}
    initial["standard"] = campaign.standard_id
    form = CampaignForm(request.POST or None, request.FILES or None, initial=initial,
                        standard_choices=_standards(request), editing=True)

    def write(cleaned):
        data = dict(cleaned)
        document = data.pop("document", None)
        data["standard"] = _pick(Standard.objects.visible_to(request.user), data["standard"])
        data["starts_on"] = data["starts_on"] or campaign.starts_on
        data["ends_on"] = data["ends_on"] or campaign.ends_on
        services.campaign_update(actor=request.user, campaign=campaign, values=data, document=document,
                                 expected_version=data.pop("version"), origin=_origin(request))

    return form_page(request, form, write, template="campaigns/campaign_form.html", context={"campaign": campaign},
                     then=_url("campaigns:home", campaign.pk), message=_("已保存。"))


@members
def campaign_document(request, pk):
    campaign, _can_edit = _campaign(request, pk)
    if not campaign.document:
        raise Http404
    name = campaign.document.name.rsplit("/", 1)[-1]
    return FileResponse(campaign.document.open("rb"), as_attachment=True, filename=name)


# ---------------------------------------------------------------------------------------------- phases, milestones
@members
def phase_create(request, pk):
    campaign, _can_edit = _campaign(request, pk, need_edit=True)
    form = PhaseForm(request.POST or None, initial={"order": campaign.phases.count() + 1,
                                                    "starts_on": campaign.starts_on, "ends_on": campaign.ends_on})
    return form_page(request, form, lambda data: services.phase_save(
        actor=request.user, campaign=campaign, name=data["name"], starts_on=data["starts_on"], ends_on=data["ends_on"],
        order=data["order"], summary=data["summary"], origin=_origin(request)),
        template="campaigns/phase_form.html", context={"campaign": campaign, "creating": True},
        then=_url("campaigns:home", campaign.pk), message=lambda phase: _("已新增阶段“%(name)s”。") % {"name": phase.name})


@members
def phase_edit(request, pk):
    phase, _can_edit = get_for_user(Phase.objects.visible_to(request.user).select_related("campaign"),
                                    Phase.objects.editable_by(request.user), pk, need_edit=True)
    campaign = phase.campaign
    initial = {name: getattr(phase, name) for name in ("name", "starts_on", "ends_on", "order", "summary", "version")}
    form = PhaseForm(request.POST or None, initial=initial)
    return form_page(request, form, lambda data: services.phase_save(
        actor=request.user, campaign=campaign, phase=phase, name=data["name"], starts_on=data["starts_on"],
        ends_on=data["ends_on"], order=data["order"], summary=data["summary"], expected_version=data["version"],
        origin=_origin(request)), template="campaigns/phase_form.html", context={"campaign": campaign, "phase": phase},
        then=_url("campaigns:home", campaign.pk), message=lambda _saved: _("已保存阶段“%(name)s”。") % {"name": form.cleaned_data["name"]})


@require_POST
@members
def phase_delete(request, pk):
    phase, _can_edit = get_for_user(Phase.objects.visible_to(request.user).select_related("campaign__unit"),
                                    Phase.objects.editable_by(request.user), pk, need_edit=True)
    services.phase_delete(actor=request.user, phase=phase, origin=_origin(request))
    messages.success(request, _("已删除阶段“%(name)s”；原属该阶段的任务保留，阶段一栏变为空。") % {"name": phase.name})
    return redirect("campaigns:home", pk=phase.campaign_id)


@require_POST
@members
def milestone_create(request, pk):
    campaign, _can_edit = _campaign(request, pk, need_edit=True)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_create(actor=request.user, campaign=campaign, origin=_origin(request), **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已添加节点。"))
    else:
        messages.error(request, _("请填写节点名称和日期。"))
    return redirect("campaigns:home", pk=campaign.pk)


def _milestone(request, pk):
    milestone, _can_edit = get_for_user(Milestone.objects.visible_to(request.user).select_related("campaign__unit"),
                                        Milestone.objects.editable_by(request.user), pk, need_edit=True)
    return milestone


@require_POST
@members
def milestone_done(request, pk):
    milestone = _milestone(request, pk)
    services.milestone_set_done(actor=request.user, milestone=milestone, done=request.POST.get("done") == "1",
                                origin=_origin(request))
    return redirect("campaigns:home", pk=milestone.campaign_id)


@require_POST
@members
def milestone_delete(request, pk):
    milestone = _milestone(request, pk)
    services.milestone_delete(actor=request.user, milestone=milestone, origin=_origin(request))
    messages.success(request, _("已删除节点“%(title)s”。") % {"title": milestone.title})
    return redirect("campaigns:home", pk=milestone.campaign_id)


# ---------------------------------------------------------------------------------------------- roster
@members
def roster(request, pk):
    campaign, can_edit = _campaign(request, pk)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = RosterForm(request.POST or None, people=_people(request),
                      departments=department_choices(user=request.user)) if can_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.roster_add(
                actor=request.user, campaign=campaign, person=_pick(User.objects.visible_to(request.user).business_people(), data["person"]),
                role=data["role"], department=_pick(Department.objects.visible_to(request.user), data["department"]),
                title=data["title"], origin=_origin(request),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("已添加。"))
            return redirect("campaigns:roster", pk=campaign.pk)
    entries = selectors.roster_of(campaign)
    context = {"campaign": campaign, "can_edit": can_edit, "form": form, **_roster_groups(entries)}
    return render(request, "campaigns/roster.html", context)


def _roster_groups(entries):
    return {
        "group": [e for e in entries if e.role in RosterEntry.GROUP_ROLES],
        "office_entries": [e for e in entries if e.role in RosterEntry.OFFICE_ROLES],
        "liaisons": [e for e in entries if e.role == RosterEntry.Role.LIAISON],
    }


@members
def roster_print(request, pk):
    campaign, _can_edit = _campaign(request, pk)
    entries = selectors.roster_of(campaign)
    return render(request, "campaigns/roster_print.html", {"campaign": campaign, **_roster_groups(entries)})


@require_POST
@members
def roster_remove(request, pk):
    entry, _can_edit = get_for_user(RosterEntry.objects.visible_to(request.user).select_related("campaign__unit", "person"),
                                    RosterEntry.objects.editable_by(request.user), pk, need_edit=True)
    services.roster_remove(actor=request.user, entry=entry, origin=_origin(request))
    messages.success(request, _("已移除“%(name)s”。") % {"name": entry.person.real_name})
    return redirect("campaigns:roster", pk=entry.campaign_id)


# ---------------------------------------------------------------------------------------------- task list
def _filter_context(request, campaign):
    # the choices of the filter bar (500 criteria, the department tree) are kept until the data changes
    return memoized("task-filter-choices", (request.user.pk, campaign.pk), lambda: {
        "departments": department_choices(user=request.user),
        "phases": list(campaign.phases.all()),
        "statuses": Task.Status.choices,
        "criteria_choices": _criteria(campaign),
    })


@members
def task_list(request, pk):
    campaign, can_edit = _campaign(request, pk)
    filters = selectors.TaskFilters.from_query(request.GET)
    tasks = selectors.task_list(user=request.user, campaign=campaign, filters=filters, lists=True)
    page = paginate(request, tasks, 50, name=f"tasks:{campaign.pk}")
    context = {
        "campaign": campaign, "page": page, "filters": filters, "today": selectors.today(),
        "can_edit": can_edit, "can_bulk": can_edit,
        **_filter_context(request, campaign),
    }
    if can_edit:
        context["people"], context["leaders"] = memoized(
            "task-bulk-choices", (request.user.pk,), lambda: (_people(request), _leaders(request)))
    template = "campaigns/task_list.html#task-table" if request.htmx else "campaigns/task_list.html"
    return render(request, template, context)


@require_POST
@members
def task_bulk(request, pk):
    """批量分派 of the ticked tasks, or of every task matching the list's filter ("选择全部符合条件的任务")."""
    campaign, _can_edit = _campaign(request, pk, need_edit=True)
    query = request.POST.get("query", "")
    back = redirect(f"{_url('campaigns:tasks', campaign.pk)}?{query}")
    task_ids = [as_id(v) for v in request.POST.getlist("tasks") if as_id(v) is not None]
    departments = department_choices(user=request.user)
    form = BulkAssignForm(request.POST, task_ids=task_ids, departments=departments, people=_people(request),
                          leaders=_leaders(request), phases=_phases(campaign))
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return back
    data = form.cleaned_data
    editable = Task.objects.editable_by(request.user).filter(campaign=campaign)
    if data["all_matching"]:
        filters = selectors.TaskFilters.from_query(QueryDict(query))
        matching = selectors.task_list(user=request.user, campaign=campaign, filters=filters)
        editable = editable.filter(pk__in=matching.order_by().values("pk"))
    else:
        editable = editable.filter(pk__in=data["tasks"])
    try:
        time_limit = None
        if data["due_text"].strip():
            try:
                limit = parse_time_limit(data["due_text"], year=campaign.year)
            except UnreadableTimeLimit as error:
                raise ValidationError(_("完成时限：%(error)s") % {"error": error}) from None
            time_limit = {"starts_on": limit.starts_on, "due_on": limit.due_on, "recurrence": limit.recurrence,
                          "due_text": data["due_text"].strip()}
        co_departments = None
        if data["co_departments"]:
            co_departments = list(Department.objects.visible_to(request.user).filter(pk__in=data["co_departments"]))
        count = services.tasks_assign(
            actor=request.user, tasks=list(editable),
            owner=_pick(User.objects.visible_to(request.user).business_people(), data["owner"]),
            lead_department=_pick(Department.objects.visible_to(request.user), data["lead_department"]),
            co_departments=co_departments, time_limit=time_limit,
            phase=_pick(campaign.phases.all(), data["phase"]),
            supervisor=_pick(User.objects.visible_to(request.user).business_people(), data["supervisor"]),
            origin=_origin(request),
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if count:
            messages.success(request, _("已批量分派 %(count)d 项任务。") % {"count": count})
        else:
            messages.error(request, _("所选的任务都不在您可分派的范围内，没有改动。"))
    return back


def _url(name, pk):
    from django.urls import reverse

    return reverse(name, kwargs={"pk": pk})


@require_POST
@members
def tasks_generate(request, pk):
    campaign, _can_edit = _campaign(request, pk, need_edit=True)
    try:
        count = services.tasks_generate_from_standard(actor=request.user, campaign=campaign, origin=_origin(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if count:
            messages.success(request, _("已按测评体系生成 %(count)d 项任务草稿（每条计分内容一项，牵头部门取“建议提供材料部门”），"
                                        "请逐项核对责任人和完成时限。") % {"count": count})
        else:
            messages.info(request, _("测评体系的每条计分内容都已有任务，没有新增。"))
    return redirect("campaigns:tasks", pk=campaign.pk)


# ---------------------------------------------------------------------------------------------- task form
def _task_form(request, campaign, data=None, initial=None, *, lock_lead=False):
    form = TaskForm(data, initial=initial, criteria=_criteria(campaign), departments=department_choices(user=request.user),
                    people=_people(request), leaders=_leaders(request), phases=_phases(campaign))
    if lock_lead:
        form.fields["lead_department"].disabled = True
        form.fields["lead_department"].help_text = _("牵头部门由创建办调整。")
    return form


def _task_values(request, campaign, form) -> dict:
    data = form.cleaned_data
    user = request.user
    try:
        limit = parse_time_limit(data["due_text"], year=campaign.year)
    except UnreadableTimeLimit as error:
        raise ValidationError({"due_text": str(error)}) from None
    criteria = list(Criterion.objects.visible_to(user).filter(standard_id=campaign.standard_id, pk__in=data["criteria"]))
    return {
        "title": data["title"], "description": data["description"], "criteria": criteria,
        "lead_department": _pick(Department.objects.visible_to(user), data["lead_department"]),
        "co_departments": list(Department.objects.visible_to(user).filter(pk__in=data["co_departments"])),
        "owner": _pick(User.objects.visible_to(user).business_people(), data["owner"]),
        "supervisor": _pick(User.objects.visible_to(user).business_people(), data["supervisor"]),
        "phase": _pick(campaign.phases.all(), data["phase"]) or (campaign.phase_on(limit.due_on) if limit.due_on else None),
        "starts_on": limit.starts_on, "due_on": limit.due_on, "recurrence": limit.recurrence,
        "due_text": data["due_text"],
    }


@members
def task_create(request, pk):
    campaign, _can_edit = _campaign(request, pk, need_edit=True)
    form = _task_form(request, campaign, request.POST or None)
    return form_page(request, form, lambda data: services.task_create(
        actor=request.user, campaign=campaign, origin=_origin(request), **_task_values(request, campaign, form)),
        template="campaigns/task_form.html", context={"campaign": campaign, "creating": True},
        then=lambda task: _url("campaigns:task", task.pk), message=_("已新增任务。"))


@members
def task_edit(request, pk):
    task, _can_edit = _task(request, pk, need_edit=True)
    campaign = task.campaign
    initial = {
        "title": task.title, "description": task.description, "criteria": list(task.criteria.values_list("pk", flat=True)),
        "lead_department": task.lead_department_id, "owner": task.owner_id, "supervisor": task.supervisor_id,
        "co_departments": list(task.co_departments.values_list("pk", flat=True)), "phase": task.phase_id,
        "due_text": annex.due_words(task), "version": task.version,
    }
    lock_lead = not request.user.has_role(Role.OFFICE)
    form = _task_form(request, campaign, request.POST or None, initial, lock_lead=lock_lead)

    def write(data):
        values = _task_values(request, campaign, form)
        if lock_lead:
            values.pop("lead_department")
        services.task_update(actor=request.user, task=task, values=values, expected_version=data["version"],
                             origin=_origin(request))

    return form_page(request, form, write, template="campaigns/task_form.html",
                     context={"campaign": campaign, "task": task}, then=_url("campaigns:task", task.pk),
                     message=_("已保存任务。"))


# ---------------------------------------------------------------------------------------------- task page
@members
def task_detail(request, pk):
    task, can_edit = _task(request, pk, detail=True)
    user = request.user
    can_progress = Task.objects.progress_editable_by(user).filter(pk=task.pk).exists()
    can_approve = Task.objects.approvable_by(user).filter(pk=task.pk).exists()
    today = selectors.today()
    context = {
        "task": task, "campaign": task.campaign, "can_edit": can_edit, "can_progress": can_progress,
        "can_approve": can_approve, "today": today, "overdue": task.is_overdue(today),
        "history": selectors.task_history(task), "comment_form": CommentForm(),
        "progress_form": ProgressForm(initial={"progress": task.progress, "version": task.version}),
        "actions": _actions(task, can_progress, can_approve),
        **extras.task_page(user=user, task=task),  # the task's evidence (wenming.campaigns.extras)
    }
    return render(request, "campaigns/task_detail.html", context)


def _actions(task, can_progress, can_approve) -> list[tuple[str, str, str]]:
    """(action, label, style) the person may take now."""
    labels = {"start": (_("开始办理"), ""), "submit": (_("提交审核"), "primary"),
              "approve": (_("审核通过"), "primary"), "return": (_("退回"), "danger")}
    allowed = []
    for action, (sources, _target) in services.TRANSITIONS.items():
        permitted = can_approve if action in services.APPROVAL_ACTIONS else can_progress
        if permitted and task.status in sources:
            allowed.append((action, *labels[action]))
    return allowed


@require_POST
@members
def task_transition(request, pk):
    action = request.POST.get("action", "")
    queryset = (Task.objects.approvable_by(request.user) if action in services.APPROVAL_ACTIONS
                else Task.objects.progress_editable_by(request.user))
    task, _can_edit = _task(request, pk, editable=queryset, need_edit=True)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未知的操作。"))
        return redirect("campaigns:task", pk=task.pk)
    try:
        services.task_transition(actor=request.user, task=task, action=form.cleaned_data["action"],
                                 reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"],
                                 origin=_origin(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        done = {"start": _("已开始办理。"), "submit": _("已提交审核，等待创建办或分管领导审核。"),
                "approve": _("已审核通过，任务完成。"), "return": _("已退回，责任部门会在“我的工作”中看到退回原因。")}
        messages.success(request, done[form.cleaned_data["action"]])
    return redirect("campaigns:task", pk=task.pk)


@require_POST
@members
def task_progress(request, pk):
    task, _can_edit = _task(request, pk, editable=Task.objects.progress_editable_by(request.user), need_edit=True)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.task_report_progress(actor=request.user, task=task, progress=form.cleaned_data["progress"],
                                          expected_version=form.cleaned_data["version"], origin=_origin(request))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("进度已更新为 %(p)d%%。") % {"p": form.cleaned_data["progress"]})
    else:
        messages.error(request, _("进度须是 0 到 100 之间的整数。"))
    return redirect("campaigns:task", pk=task.pk)


@require_POST
@members
def task_comment(request, pk):
    task, _can_edit = _task(request, pk, editable=Task.objects.commentable_by(request.user), need_edit=True)
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = services.task_comment(actor=request.user, task=task, body=form.cleaned_data["body"],
                                        origin=_origin(request))
        names = "、".join(p.real_name for p in comment.mentions.all())
        messages.success(request, _("已留言，并提醒了%(names)s。") % {"names": names} if names else _("已留言。"))
    else:
        messages.error(request, _("请填写留言内容。"))
    return redirect(f"{_url('campaigns:task', task.pk)}#comments")


@require_POST
@members
def occurrence_done(request, pk):
    occurrence = TaskOccurrence.objects.filter(
        pk=pk, task__in=Task.objects.visible_to(request.user)).select_related("task").first()
    if occurrence is None:
        raise Http404
    if not Task.objects.progress_editable_by(request.user).filter(pk=occurrence.task_id).exists():
        raise PermissionDenied
    services.occurrence_set_done(actor=request.user, occurrence=occurrence, done=request.POST.get("done") == "1",
                                 origin=_origin(request))
    return redirect(f"{_url('campaigns:task', occurrence.task_id)}#rounds")


# ---------------------------------------------------------------------------------------------- my work, board, gantt
@members
def my_work(request):
    """我的工作: the person's items in every open campaign (the chosen one first), or in the one `?campaign=` names."""
    user = request.user
    campaign_id = request.GET.get("campaign", "")
    if as_id(campaign_id) is not None:
        campaign, _can_edit = _campaign(request, as_id(campaign_id))
        campaigns = [campaign]
    else:
        campaigns = selectors.open_campaigns(user=user)
        if not campaigns:
            current = selectors.current_campaign(user=user)
            campaigns = [current] if current else []
        campaign = campaigns[0] if campaigns else None
    # kept until the data changes (wenming.core.memo): people open this page first thing, again and again
    work, added = None, {}
    if campaigns:
        work, added = memoized("my_work", (user.pk, tuple(c.pk for c in campaigns), selectors.today()), lambda: (
            selectors.my_work(user=user, campaign=campaigns),
            extras.my_work(user=user, campaigns=campaigns)))  # returned evidence (wenming.campaigns.extras)
    return render(request, "campaigns/my_work.html", {
        "campaign": campaign, "campaigns": campaigns, "several": len(campaigns) > 1, "work": work, **added,
        "soon": selectors.today() + timedelta(days=selectors.DUE_SOON_DAYS)})


@members
def current_tasks(request):
    """The sidebar's 任务: the task list of the unit's current campaign."""
    campaign = selectors.current_campaign(user=request.user)
    if campaign is None:
        messages.info(request, _("本单位还没有创建活动。"))
        return redirect("campaigns:list")
    return redirect("campaigns:tasks", pk=campaign.pk)


@members
def board(request, pk):
    campaign, _can_edit = _campaign(request, pk)
    rows = selectors.department_board(user=request.user, campaign=campaign)
    return render(request, "campaigns/board.html", {"campaign": campaign, "rows": rows, "statuses": Task.Status.choices})


@members
def gantt(request, pk):
    campaign, _can_edit = _campaign(request, pk)
    filters = selectors.TaskFilters.from_query(request.GET)
    groups, today_pos, months = selectors.gantt(user=request.user, campaign=campaign, filters=filters)
    context = {"campaign": campaign, "groups": groups, "today_pos": today_pos, "months": months, "filters": filters,
               **_filter_context(request, campaign)}
    return render(request, "campaigns/gantt.html", context)


# ---------------------------------------------------------------------------------------------- import
@members
def import_upload(request, pk):
    campaign, _can_edit = _campaign(request, pk, need_edit=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            tables = annex.annex_tables(read_upload(upload), upload.name)
        except UnreadableFile as error:  # damaged, hostile or too big: refused now, nothing kept
            form.add_error("file", str(error))
        else:
            fixes = {}
            template = import_template_matching(unit=campaign.unit, target=ImportTemplate.Target.TASKS, tables=tables)
            if template is not None:
                fixes = {**template[0].mapping, "table": template[1], "template": template[0].name}
            draft = TaskImportDraft.fresh(lifetime=timedelta(hours=IMPORT_HOURS), campaign=campaign,
                                          owner=request.user, filename=upload.name[:200], tables=tables, fixes=fixes)
            draft.save()
            return redirect("campaigns:import_preview", token=draft.token)
    if request.method == "POST":
        status = 400
    return render(request, "campaigns/import_upload.html", {"form": form, "campaign": campaign}, status=status)


def _draft(request, token) -> TaskImportDraft:
    draft = TaskImportDraft.objects.visible_to(request.user).select_related("campaign__unit").filter(token=token).first()
    if draft is None:
        raise Http404
    return draft


def _fixes_from_post(post, draft) -> dict:
    """The office's answers on the preview: names mapped to departments/criteria/people, dates rewritten."""
    fixes = {kind: dict(draft.fixes.get(kind) or {}) for kind in ("department", "criterion", "person", "due")}
    for key in ("table", "columns", "header_row", "template"):
        if key in draft.fixes:
            fixes[key] = draft.fixes[key]
    for key in post:
        for kind in ("department", "criterion", "person"):
            prefix = f"map-{kind}-"
            if key.startswith(prefix):
                name, value = key[len(prefix):], post[key]
                if value == "ignore":
                    fixes[kind][name] = ""
                elif as_id(value) is not None:
                    fixes[kind][name] = as_id(value)
        if key.startswith("due-"):
            row = key[4:]
            if row.isdigit() and post[key].strip():
                fixes["due"][row] = post[key].strip()
    return fixes


def _layout_from_post(post, draft, preview) -> dict:
    """The table chosen, or the columns set by hand, on the preview."""
    fixes = {kind: draft.fixes[kind] for kind in ("department", "criterion", "person", "due") if kind in draft.fixes}
    known = {entry["index"] for entry in preview.tables}
    table = post.get("table", "")
    fixes["table"] = int(table) if table.isdigit() and int(table) in known else preview.table_index
    if post.get("action") == "columns":
        columns = {key[4:]: value for key, value in post.items()
                   if key.startswith("col_") and key[4:].isdigit() and value in annex.COLUMNS}
        if columns:
            fixes["columns"] = columns
            try:
                fixes["header_row"] = max(1, min(10, int(post.get("header_row") or 1)))
            except ValueError:
                fixes["header_row"] = 1
    return fixes


def _column_selects(preview) -> list[dict]:
    from openpyxl.utils import get_column_letter

    assigned = {index: column for column, index in preview.positions.items()}
    width = max((len(row) for row in preview.grid), default=0)
    return [{"index": i, "letter": get_column_letter(i + 1), "field": assigned.get(i, "")} for i in range(width)]


@members
def import_preview(request, token):
    draft = _draft(request, token)
    campaign = draft.campaign
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("table", "columns", "reset"):
            preview = annex.read_annex(draft.tables, campaign=campaign, filename=draft.filename, fixes=draft.fixes)
            draft.fixes = _layout_from_post(request.POST, draft, preview) if action != "reset" else {
                kind: draft.fixes[kind] for kind in ("department", "criterion", "person", "due") if kind in draft.fixes}
        elif action == "template":
            preview = annex.read_annex(draft.tables, campaign=campaign, filename=draft.filename, fixes=draft.fixes)
            columns = {str(index): column for column, index in preview.positions.items()}
            try:
                import_template_save(actor=request.user, unit=campaign.unit, target=ImportTemplate.Target.TASKS,
                                     name=request.POST.get("template_name", ""), signature=preview.signature,
                                     mapping={"header_row": preview.header_row, "columns": columns},
                                     origin=_origin(request))
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            else:
                messages.success(request, _("已保存为导入模板：以后导入表头相同的分解表时自动按此识别。"))
            return redirect("campaigns:import_preview", token=draft.token)
        else:
            draft.fixes = _fixes_from_post(request.POST, draft)
        draft.save(update_fields=["fixes"])
        return redirect("campaigns:import_preview", token=draft.token)
    preview = annex.read_annex(draft.tables, campaign=campaign, filename=draft.filename, fixes=draft.fixes)
    context = {
        "draft": draft, "campaign": campaign, "preview": preview, "applied": _applied_fixes(request, draft),
        "departments": department_choices(user=request.user),
        "people": _people(request), "criteria_choices": _criteria(campaign),
        "column_choices": list(annex.COLUMN_LABELS.items()),
        "column_selects": _column_selects(preview),
    }
    return render(request, "campaigns/import_preview.html", context, status=200 if not preview.error else 400)


def _applied_fixes(request, draft) -> list[str]:
    """The office's answers so far, in words, so the preview says what was mapped or rewritten."""
    names = {
        "department": dict(department_choices(user=request.user)),
        "person": {p.pk: p.real_name for p in User.objects.visible_to(request.user)
                   .filter(pk__in=[v for v in (draft.fixes.get("person") or {}).values() if v])},
        "criterion": {c.pk: f"{c.code} {c.title}"[:40] for c in Criterion.objects.visible_to(request.user)
                      .filter(pk__in=[v for v in (draft.fixes.get("criterion") or {}).values() if v])},
    }
    labels = {"department": _("部门"), "person": _("人员"), "criterion": _("测评指标")}
    lines = []
    for kind, label in labels.items():
        for name, value in (draft.fixes.get(kind) or {}).items():
            target = names[kind].get(value, "").strip("　") if value else _("（留空）")
            lines.append(_("%(label)s“%(name)s” → %(target)s") % {"label": label, "name": name, "target": target})
    for row, text in sorted((draft.fixes.get("due") or {}).items(), key=lambda item: int(item[0])):
        lines.append(_("第%(row)s行完成时限改为“%(text)s”") % {"row": row, "text": text})
    return lines


@require_POST
@members
def import_confirm(request, token):
    draft = _draft(request, token)
    campaign = draft.campaign
    preview = annex.read_annex(draft.tables, campaign=campaign, filename=draft.filename, fixes=draft.fixes)
    if not preview.ok:
        messages.error(request, _("还有未解决的问题，暂不能导入（什么也没有保存）。"))
        return redirect("campaigns:import_preview", token=draft.token)
    try:
        created, updated = services.tasks_import(actor=request.user, campaign=campaign, rows=preview.rows,
                                                 filename=draft.filename, origin=_origin(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("campaigns:import_preview", token=draft.token)
    draft.delete()
    messages.success(request, _("导入完成：新增 %(created)d 项任务，更新 %(updated)d 项。") % {"created": created, "updated": updated})
    return redirect("campaigns:tasks", pk=campaign.pk)


# ---------------------------------------------------------------------------------------------- export
def _export_tasks(request, campaign):
    return list(selectors.task_list(user=request.user, campaign=campaign,
                                    filters=selectors.TaskFilters.from_query(request.GET)))


@members
def export_xlsx(request, pk):
    campaign, _can_edit = _campaign(request, pk)
    tasks = _export_tasks(request, campaign)
    audit_record(actor=request.user, verb="campaigns.annex_exported", obj=campaign,
                 after={"format": "xlsx", "count": len(tasks)}, origin=_origin(request))
    return xlsx_response(annex.annex_workbook(campaign, tasks), _("工作任务分解表"))


@members
def export_docx(request, pk):
    campaign, _can_edit = _campaign(request, pk)
    tasks = _export_tasks(request, campaign)
    audit_record(actor=request.user, verb="campaigns.annex_exported", obj=campaign,
                 after={"format": "docx", "count": len(tasks)}, origin=_origin(request))
    return download_response(annex.annex_docx(campaign, tasks),
                             f"{campaign.title}工作任务分解表-{timezone.localtime():%Y%m%d}.docx", DOCX_TYPE)


@require_POST
@members
def task_delete(request, pk):
    """Move the task to the recycle bin (回收站); the 创建办 can restore it from there."""
    task, _can_edit = _task(request, pk, need_edit=True)
    return recycle_page(request, task, _("已将任务“%(title)s”移入回收站，创建办可在回收站恢复。") % {"title": task.title},
                        "campaigns:tasks", task.campaign_id)
