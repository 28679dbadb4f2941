"""Screens for activities and meetings, attendance (QR sign-in) and volunteer hours. Thin: parse, call, render."""

import re
from datetime import date

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.activities import exports, selectors, services, volunteers
from wenming.activities.forms import (
    ActivityForm,
    CodeForm,
    DocumentForm,
    KindEditForm,
    KindForm,
    MinutesForm,
    VolunteerUploadForm,
)
from wenming.activities.models import Activity, ActivityKind, Attendance, VolunteerImportDraft
from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign, Task
from wenming.campaigns.pages import no_campaign
from wenming.campaigns.selectors import campaign_asked_for
from wenming.core.access import get_for_user, role_required
from wenming.core.api import as_id as _int
from wenming.core.forms import act, form_page
from wenming.core.recycle import recycle_page
from wenming.core.xlsx import xlsx_response
from wenming.evidence.selectors import criteria_in_order
from wenming.evidence.services import criteria_for
from wenming.org.models import Department, Unit, User
from wenming.org.policy import door
from wenming.org.roles import Role

members = door(Activity)
office = door(ActivityKind, "change")
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")



def _campaign_or_none(request) -> Campaign | None:
    return campaign_asked_for(user=request.user, pk=_int(request.GET.get("campaign")))


def _activity(request, pk, *, need_edit=False, detail=False) -> tuple[Activity, bool]:
    user = request.user
    visible = selectors.activity_detail(user=user) if detail else (
        Activity.objects.visible_to(user).select_related("campaign__unit", "kind", "department"))
    return get_for_user(visible, Activity.objects.editable_by(user), pk, need_edit=need_edit)


def _no_campaign(request, title):
    return no_campaign(request, title, _("本单位还没有创建活动。创建办建立创建活动后，即可在这里登记活动与会议、组织签到和导入志愿服务时长。"))


# ---------------------------------------------------------------------------------------------- list & calendar
@members
def activity_list(request):
    campaign = _campaign_or_none(request)
    if campaign is None:
        return _no_campaign(request, _("活动与会议"))
    get = request.GET
    month = get.get("month", "") if MONTH.match(get.get("month", "")) else ""
    filters = selectors.ActivityFilters(
        kind=_int(get.get("kind")), status=get.get("status", "") if get.get("status") in Activity.Status.values else "",
        department=_int(get.get("department")), month=month, q=get.get("q", "").strip()[:100])
    page = Paginator(selectors.activity_list(user=request.user, campaign=campaign, filters=filters), 30).get_page(
        get.get("page"))
    context = {
        "campaign": campaign, "page": page, "filters": filters, "statuses": Activity.Status.choices,
        "kinds": selectors.kinds(user=request.user),
        "departments": Department.objects.restrict(request.user).order_by("order", "id"),
        "can_manage_kinds": request.user.has_role(Role.OFFICE),
    }
    template = "activities/activity_list.html#activity-table" if request.htmx else "activities/activity_list.html"
    return render(request, template, context)


@members
def activity_calendar(request):
    campaign = _campaign_or_none(request)
    if campaign is None:
        return _no_campaign(request, _("活动日历"))
    match = MONTH.match(request.GET.get("month", ""))
    today = timezone.localdate()
    year, month = (int(match.group(1)), int(match.group(2))) if match else (today.year, today.month)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        year, month = today.year, today.month
    grid = selectors.activity_calendar(user=request.user, campaign=campaign, year=year, month=month)
    context = {"campaign": campaign, "grid": grid, "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
               "previous": "{:04d}-{:02d}".format(*grid.previous), "next": "{:04d}-{:02d}".format(*grid.next)}
    template = "activities/calendar.html#month" if request.htmx else "activities/calendar.html"
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------- create & edit
def _form(request, campaign, data=None, **kwargs):
    services.kinds_ensure(unit=campaign.unit_id)
    # Offered: the departments the person may file under (创建办: all), plus the one an edited activity already has.
    keep_department = kwargs.pop("keep_department", None)
    departments = Department.objects.restrict(request.user).filter(
        Q(pk__in=Department.objects.ownable_by(request.user).filter(is_active=True)) | Q(pk=keep_department))
    return ActivityForm(
        data, kinds=selectors.kinds(user=request.user, keep=kwargs.pop("keep_kind", None)),
        departments=departments.order_by("order", "id"),
        people=selectors.unit_people(user=request.user),
        criteria=criteria_in_order(campaign.standard_id),
        tasks=Task.objects.visible_to(request.user).filter(campaign=campaign).order_by("number", "id"), **kwargs)


def _picked(request, campaign, data) -> dict:
    kind = ActivityKind.objects.restrict(request.user).filter(pk=data["kind"]).first()
    if kind is None:
        raise ValidationError({"kind": _("请选择活动类型。")})
    department = (Department.objects.restrict(request.user).filter(pk=data["department"]).first()
                  if data.get("department") else None)
    organiser = User.objects.restrict(request.user).business_people().filter(pk=data["organiser"]).first() if data.get("organiser") else None
    if not request.user.has_role(Role.OFFICE) and department is None:
        department = request.user.department
    criteria = criteria_for(campaign, data.get("criteria") or [])
    tasks = list(Task.objects.visible_to(request.user).filter(campaign=campaign, pk__in=data.get("tasks") or []))
    return {"kind": kind, "department": department, "organiser": organiser, "criteria": criteria, "tasks": tasks}


@members
def activity_create(request):
    campaign = _campaign_or_none(request)
    if campaign is None:
        return _no_campaign(request, _("登记活动"))
    initial = {"organiser": request.user.pk, "department": request.user.department_id}
    if request.GET.get("date"):
        initial["starts_at"] = request.GET["date"][:10] + "T09:00"
        initial["ends_at"] = request.GET["date"][:10] + "T11:00"
    form = _form(request, campaign, request.POST or None, initial=initial)
    return form_page(request, form, lambda data: services.activity_create(
        actor=request.user, campaign=campaign, title=data["title"], starts_at=data["starts_at"],
        ends_at=data["ends_at"], place=data["place"], description=data["description"], status=data["status"],
        attendance_expires_at=data["attendance_expires_at"], origin=Origin.from_request(request),
        **_picked(request, campaign, data)),
        template="activities/activity_form.html", context={"campaign": campaign, "activity": None},
        then=lambda activity: ("activities:detail", activity.pk),
        message=_("活动已登记。可在下方按环节上传方案、通知、签到表、照片和总结。"))


@members
def activity_edit(request, pk):
    activity, _can_edit = _activity(request, pk, need_edit=True)
    campaign = Campaign.objects.select_related("standard").get(pk=activity.campaign_id)
    local = timezone.localtime
    initial = {
        "title": activity.title, "kind": activity.kind_id, "starts_at": local(activity.starts_at),
        "ends_at": local(activity.ends_at), "place": activity.place, "department": activity.department_id,
        "organiser": activity.organiser_id, "status": activity.status, "description": activity.description,
        "summary": activity.summary, "criteria": list(activity.criteria.values_list("pk", flat=True)),
        "tasks": list(activity.tasks.values_list("pk", flat=True)), "version": activity.version,
        "attendance_expires_at": local(activity.attendance_expires_at) if activity.attendance_expires_at else None,
    }
    form = _form(request, campaign, request.POST or None, initial=initial, keep_kind=activity.kind_id,
                 keep_department=activity.department_id)

    def write(data):
        picked = _picked(request, campaign, data)
        criteria, tasks = picked.pop("criteria"), picked.pop("tasks")
        values = {name: data[name] for name in ("title", "starts_at", "ends_at", "place", "status", "description",
                                                "summary", "attendance_expires_at")}
        services.activity_update(actor=request.user, activity=activity, values={**values, **picked},
                                 criteria=criteria, tasks=tasks, expected_version=data["version"],
                                 origin=Origin.from_request(request))

    return form_page(request, form, write, template="activities/activity_form.html",
                     context={"campaign": campaign, "activity": activity}, then=("activities:detail", activity.pk),
                     message=_("已保存。"))


@require_POST
@members
def activity_delete(request, pk):
    activity, _can_edit = _activity(request, pk, need_edit=True)
    return recycle_page(request, activity, _("已移入回收站，创建办可以恢复。"), "activities:list")


@office
def kinds(request):
    unit = request.user.unit
    services.kinds_ensure(unit=unit)
    form = KindForm(request.POST or None)
    return form_page(request, form, lambda data: services.kind_create(
        actor=request.user, unit=unit, name=data["name"], is_meeting=data["is_meeting"],
        origin=Origin.from_request(request)), template="activities/kinds.html",
        context={"kinds": ActivityKind.objects.restrict(request.user).order_by("order", "id")}, then="activities:kinds",
        message=_("已新增活动类型。"))


@office
def kind_edit(request, pk):
    kind = get_object_or_404(ActivityKind.objects.restrict(request.user, "change"), pk=pk)
    form = KindEditForm(request.POST or None, initial={"name": kind.name, "is_meeting": kind.is_meeting,
                                                       "is_active": kind.is_active})
    return form_page(request, form, lambda data: services.kind_update(
        actor=request.user, kind=kind, name=data["name"], is_meeting=data["is_meeting"], is_active=data["is_active"],
        origin=Origin.from_request(request)), template="activities/kind_form.html", context={"kind": kind},
        then="activities:kinds", message=_("已保存活动类型。"), invalid_status=400)


# ---------------------------------------------------------------------------------------------- detail
@members
def activity_detail(request, pk):
    activity, can_edit = _activity(request, pk, detail=True)
    rows = selectors.attendance_list(activity=activity)
    return render(request, "activities/activity_detail.html", {
        "activity": activity, "campaign": activity.campaign, "can_edit": can_edit,
        "steps": selectors.steps_of(activity), "attendance": rows,
        "signed_me": any(row.person_id == request.user.pk for row in rows),
        "document_form": DocumentForm(), "criteria": list(activity.criteria.all()), "tasks": list(activity.tasks.all()),
    })


@require_POST
@members
def document_add(request, pk):
    activity, _can_edit = _activity(request, pk, need_edit=True)
    form = DocumentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择环节。"))
        return redirect("activities:detail", activity.pk)
    act(request, lambda: services.activity_document_add(
        actor=request.user, activity=activity, step=form.cleaned_data["step"], title=form.cleaned_data["title"],
        files=request.FILES.getlist("files"), origin=Origin.from_request(request)),
        message=_("已上传，并自动作为本活动所关联测评指标的创建材料，等待创建办审核。"))
    return redirect(reverse("activities:detail", args=[activity.pk]) + "#steps")


@members
def minutes(request, pk):
    activity, _can_edit = _activity(request, pk, need_edit=True)
    if not activity.kind.is_meeting:
        raise Http404
    form = MinutesForm(request.POST or None, initial={
        "minutes": activity.minutes, "decisions": "\n".join(activity.decisions), "version": activity.version})
    return form_page(request, form, lambda data: services.activity_minutes_save(
        actor=request.user, activity=activity, minutes=data["minutes"], decisions=data["decisions"].splitlines(),
        expected_version=data["version"], origin=Origin.from_request(request)),
        template="activities/minutes.html", context={"activity": activity}, then=("activities:detail", activity.pk),
        message=_("会议纪要已保存。"))


# ---------------------------------------------------------------------------------------------- attendance
def sign_in_url(request, activity) -> str:
    return request.build_absolute_uri(reverse("activities:sign_in", args=[activity.attendance_token]))


@members
def attendance(request, pk):
    """The organiser's screen: the QR code to put on the projector, the roster to tick, the live list."""
    activity, _can_edit = _activity(request, pk, need_edit=True)
    url = sign_in_url(request, activity)
    qr = segno.make(url, error="m").svg_inline(scale=7, border=2, dark="#1f2933")
    rows = selectors.attendance_list(activity=activity)
    return render(request, "activities/attendance.html", {
        "activity": activity, "qr": qr, "url": url, "rows": rows, "roster": selectors.roster(user=request.user, activity=activity),
        "code_form": CodeForm(initial={"expires_at": timezone.localtime(activity.attendance_expires_at)
                                       if activity.attendance_expires_at else None}),
        "expired": bool(services.token_usable(activity, activity.attendance_token)),
    })


@members
def attendance_list(request, pk):
    """The live list (polled by htmx on the attendance screen)."""
    activity, _can_edit = _activity(request, pk, need_edit=True)
    return render(request, "activities/partials/attendance_rows.html",
                  {"activity": activity, "rows": selectors.attendance_list(activity=activity)})


@require_POST
@members
def attendance_mark(request, pk):
    """The organiser ticks (or unticks) a name on the roster."""
    activity, _can_edit = _activity(request, pk, need_edit=True)
    person = User.objects.restrict(request.user).business_people().filter(
        pk=_int(request.POST.get("person"))).first()
    if person is None:
        raise Http404
    origin = Origin.from_request(request)
    try:
        if request.POST.get("present") == "0":
            services.attendance_remove(actor=request.user, activity=activity, person=person, origin=origin)
        else:
            services.attendance_sign_in(person=person, activity=activity, recorded_by=request.user,
                                        method=Attendance.Method.ROSTER, origin=origin)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("activities:attendance", args=[activity.pk]) + "#roster")


@require_POST
@members
def attendance_code(request, pk):
    activity, _can_edit = _activity(request, pk, need_edit=True)
    form = CodeForm(request.POST)
    if form.is_valid():
        services.attendance_code_reset(actor=request.user, activity=activity, expires_at=form.cleaned_data["expires_at"],
                                       origin=Origin.from_request(request))
        messages.success(request, _("已更换二维码，旧的二维码不能再签到。"))
    else:
        messages.error(request, _("截止时间格式不正确。"))
    return redirect("activities:attendance", activity.pk)


@members
def attendance_xlsx(request, pk):
    activity, _can_edit = _activity(request, pk)
    rows = selectors.attendance_list(activity=activity)
    return xlsx_response(exports.attendance_workbook(activity, rows), f"{activity.title}-签到表")


@members
def attendance_docx(request, pk):
    activity, _can_edit = _activity(request, pk)
    rows = selectors.attendance_list(activity=activity)
    content = exports.attendance_document(activity, rows, with_minutes=activity.kind.is_meeting)
    name = f"{activity.title}-签到表及会议纪要" if activity.kind.is_meeting else f"{activity.title}-签到表"
    return exports.docx_response(content, name)


@login_required
def sign_in(request, token):
    """The page the QR code opens on a phone: one tap signs the person in. Other units find nothing here."""
    activity = (Activity.objects.alive().select_related("campaign__unit", "kind", "department")
                .filter(attendance_token=token[:64], campaign__unit__in=Unit.objects.restrict(request.user)).first())
    if activity is None or request.user.unit_id is None:
        raise Http404
    problem = services.token_usable(activity, token)
    row = Attendance.objects.filter(activity=activity, person=request.user).first()
    if request.method == "POST" and row is None and not problem:
        try:
            row, _created = services.attendance_sign_in(person=request.user, activity=activity, token=token,
                                                        origin=Origin.from_request(request))
        except ValidationError as error:
            problem = " ".join(error.messages)
    return render(request, "activities/sign_in.html", {"activity": activity, "row": row, "problem": problem})


# ---------------------------------------------------------------------------------------------- volunteers
@members
def volunteer_summary(request):
    campaign = _campaign_or_none(request)
    if campaign is None:
        return _no_campaign(request, _("志愿服务"))
    wide = request.user.has_role(Role.OFFICE, Role.LEADER, Role.LIAISON)
    summary = selectors.volunteer_summary(campaign=campaign) if wide else None
    records = None
    if not wide:
        records = list(selectors.volunteer_records(user=request.user, campaign=campaign)[:200])
    return render(request, "activities/volunteers.html", {
        "campaign": campaign, "summary": summary, "records": records,
        "criteria": selectors.volunteer_criteria(campaign=campaign) if wide else [],
        "can_import": request.user.has_role(Role.OFFICE),
    })


@role_required(Role.OFFICE, Role.LEADER, Role.LIAISON)
def volunteer_export(request):
    campaign = _campaign_or_none(request)
    if campaign is None:
        raise Http404
    return xlsx_response(exports.volunteer_workbook(selectors.volunteer_summary(campaign=campaign)),
                         f"{campaign.title}-志愿服务时长汇总")


@office
def volunteer_upload(request):
    campaign = _campaign_or_none(request)
    if campaign is None:
        return _no_campaign(request, _("导入志愿服务时长"))
    if not Campaign.objects.editable_by(request.user).filter(pk=campaign.pk).exists():
        raise PermissionDenied
    form = VolunteerUploadForm(request.POST or None, request.FILES or None)
    return form_page(request, form, lambda data: services.volunteer_draft_create(
        actor=request.user, campaign=campaign, upload=data["file"]), template="activities/volunteer_upload.html",
        context={"campaign": campaign}, then=lambda draft: ("activities:volunteer_preview", draft.token))


@office
def volunteer_preview(request, token):
    draft = VolunteerImportDraft.objects.visible_to(request.user).select_related("campaign").filter(token=token).first()
    if draft is None:
        raise Http404
    if request.method == "POST" and act(
            request, lambda: services.volunteer_import(actor=request.user, draft=draft, origin=Origin.from_request(request)),
            message=lambda batch: _("已导入 %(n)d 条志愿服务时长记录。") % {"n": batch.rows}):
        return redirect("activities:volunteers")
    try:
        preview = volunteers.check_rows(draft.rows, unit_id=draft.campaign.unit_id, campaign_id=draft.campaign_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("activities:volunteer_import")
    return render(request, "activities/volunteer_preview.html", {
        "draft": draft, "preview": preview, "campaign": draft.campaign, "today": date.today()})
