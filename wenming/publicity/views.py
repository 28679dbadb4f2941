"""Screens for 宣传报道: the publicity ledger with monthly counts against targets, reports to superiors, the
practice library, forms and xlsx exports. Thin: parse, call, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign
from wenming.campaigns.pages import to_current_campaign
from wenming.campaigns.selectors import current_campaign
from wenming.core.access import get_for_user
from wenming.core.api import as_id as _int
from wenming.core.forms import add_errors, form_page
from wenming.core.recycle import recycle_view
from wenming.evidence import selectors as evidence_selectors
from wenming.evidence.services import criteria_for
from wenming.files.serving import serve_stored
from wenming.org.models import Department
from wenming.org.policy import door
from wenming.org.roles import Role
from wenming.publicity import exports, selectors, services
from wenming.publicity.forms import PracticeForm, PublicityItemForm, PublicityTargetForm, SuperiorReportForm
from wenming.publicity.models import Channel, Level, Practice, PublicityItem, PublicityTarget, SuperiorReport

members = door(PublicityItem)


def _campaign(request, pk) -> Campaign:
    campaign, _can_edit = get_for_user(Campaign.objects.visible_to(request.user).select_related("standard"), None, pk)
    return campaign



def _is_office(request) -> bool:
    return request.user.has_role(Role.OFFICE)


def _can_register(request) -> bool:
    return request.user.has_role(Role.OFFICE) or (request.user.has_role(Role.LIAISON) and
                                                  bool(request.user.department_id))


def _departments(request):
    if not _is_office(request):
        return None
    return [(d.pk, d.name) for d in Department.objects.restrict(request.user).filter(is_active=True)
            .order_by("order", "id")]


def _department(request, picked):
    """The 创建办 names the department; a liaison registers for their own."""
    if _is_office(request):
        if not picked:
            return None
        found = Department.objects.restrict(request.user).filter(pk=picked).first()
        if found is None:
            raise ValidationError({"department": _("所选部门不存在。")})
        return found
    return request.user.department


def _index(request, name, title):
    return to_current_campaign(
        request, name, title, _("本单位还没有创建活动。创建办建立创建活动后，即可在这里登记宣传报道和向上级报送情况。"),
        tabs="publicity/partials/tabs.html")


# ---------------------------------------------------------------------------------------------- ledger
@members
def index(request):
    return _index(request, "publicity:ledger", _("宣传报道"))


@members
def ledger(request, pk):
    campaign = _campaign(request, pk)
    get = request.GET
    filters = selectors.ItemFilters(
        channel=get.get("channel", "") if get.get("channel") in Channel.values else "",
        level=get.get("level", "") if get.get("level") in Level.values else "",
        department=_int(get.get("department")), month=get.get("month", "")[:7], q=get.get("q", "").strip()[:100])
    page = Paginator(selectors.item_list(user=request.user, campaign=campaign, filters=filters), 30).get_page(
        get.get("page"))
    editable = set(PublicityItem.objects.editable_by(request.user).filter(
        pk__in=[item.pk for item in page.object_list]).values_list("pk", flat=True))
    context = {
        "campaign": campaign, "page": page, "filters": filters, "editable": editable,
        "channels": Channel.choices, "levels": Level.choices, "can_register": _can_register(request),
        "is_office": _is_office(request),
        "departments": Department.objects.restrict(request.user).order_by("order", "id"),
    }
    if request.htmx:
        return render(request, "publicity/ledger.html#item-table", context)
    context["table"] = selectors.monthly_table(user=request.user, campaign=campaign)
    return render(request, "publicity/ledger.html", context)


def _item_form(request, campaign, data=None, files=None, **kwargs):
    return PublicityItemForm(data, files, criteria=evidence_selectors.criteria_in_order(campaign.standard_id),
                             departments=_departments(request), **kwargs)


@members
def item_create(request, pk):
    campaign = _campaign(request, pk)
    if not _can_register(request):
        raise PermissionDenied
    form = _item_form(request, campaign, request.POST or None, request.FILES or None,
                      initial={"channel": Channel.WECHAT, "level": Level.UNIT})
    return form_page(request, form, lambda data: services.item_create(
        actor=request.user, campaign=campaign, channel=data["channel"], level=data["level"], title=data["title"],
        published_on=data["published_on"], outlet=data["outlet"], link=data["link"],
        department=_department(request, data.get("department")), author=data["author"],
        criteria=criteria_for(campaign, data["criteria"]), screenshot=data["screenshot"],
        origin=Origin.from_request(request)),
        template="publicity/item_form.html", context={"campaign": campaign, "item": None},
        then=("publicity:ledger", campaign.pk), message=_("宣传报道已登记，截图或链接已同时作为创建材料提交审核。"))


@members
def item_edit(request, pk):
    item, _can_edit = get_for_user(PublicityItem.objects.visible_to(request.user).select_related("campaign__standard"),
                                   PublicityItem.objects.editable_by(request.user), pk, need_edit=True)
    campaign = item.campaign
    initial = {"title": item.title, "channel": item.channel, "level": item.level, "published_on": item.published_on,
               "outlet": item.outlet, "link": item.link, "department": item.department_id, "author": item.author,
               "criteria": list(item.criteria.values_list("pk", flat=True)), "version": item.version}
    form = _item_form(request, campaign, request.POST or None, request.FILES or None, initial=initial)

    def write(data):
        values = {key: data[key] for key in ("title", "channel", "level", "published_on", "outlet", "link", "author")}
        if _is_office(request):
            values["department"] = _department(request, data.get("department"))
        services.item_update(actor=request.user, item=item, values=values,
                             criteria=criteria_for(campaign, data["criteria"]), screenshot=data["screenshot"],
                             expected_version=data["version"], origin=Origin.from_request(request))

    return form_page(request, form, write, template="publicity/item_form.html",
                     context={"campaign": campaign, "item": item}, then=("publicity:ledger", campaign.pk),
                     message=_("已保存。"))


@require_POST
@members
def item_delete(request, pk):
    return recycle_view(request, PublicityItem, pk, _("已移入回收站，创建办可以恢复。对应的创建材料仍保留在“创建材料”中。"),
                        lambda item: ("publicity:ledger", item.campaign_id))


@members
def ledger_export(request, pk):
    campaign = _campaign(request, pk)
    services.exported(actor=request.user, campaign=campaign, what="publicity", origin=Origin.from_request(request))
    return exports.publicity_workbook(user=request.user, campaign=campaign)


# ---------------------------------------------------------------------------------------------- targets
@members
def targets(request, pk):
    campaign = _campaign(request, pk)
    can_edit = _is_office(request)
    form = PublicityTargetForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.target_set(actor=request.user, campaign=campaign, channel=data["channel"],
                                    level=data["level"], per_month=data["per_month"], note=data["note"],
                                    origin=Origin.from_request(request))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("宣传目标已保存。"))
                return redirect("publicity:targets", campaign.pk)
    rows = list(PublicityTarget.objects.visible_to(request.user).filter(campaign=campaign)
                .order_by("channel", "level", "id"))
    return render(request, "publicity/targets.html", {"campaign": campaign, "targets": rows, "form": form,
                                                      "can_edit": can_edit})


@require_POST
@members
def target_delete(request, pk):
    target, _can_edit = get_for_user(PublicityTarget.objects.visible_to(request.user).select_related("campaign__unit"),
                                     PublicityTarget.objects.editable_by(request.user), pk, need_edit=True)
    services.target_remove(actor=request.user, target=target, origin=Origin.from_request(request))
    messages.success(request, _("宣传目标已删除。"))
    return redirect("publicity:targets", target.campaign_id)


# ---------------------------------------------------------------------------------------------- reports
@members
def reports_index(request):
    return _index(request, "publicity:reports", _("向上级报送"))


@members
def reports(request, pk):
    campaign = _campaign(request, pk)
    get = request.GET
    filters = selectors.ReportFilters(
        recipient=get.get("recipient", "")[:100], level=get.get("level", "") if get.get("level") in Level.values
        else "", adopted=get.get("adopted", "") if get.get("adopted") in ("yes", "no") else "",
        q=get.get("q", "").strip()[:100])
    page = Paginator(selectors.report_list(user=request.user, campaign=campaign, filters=filters), 30).get_page(
        get.get("page"))
    context = {"campaign": campaign, "page": page, "filters": filters, "levels": Level.choices,
               "can_edit": _is_office(request),
               "recipients": selectors.recipients(user=request.user, campaign=campaign),
               "counts": selectors.report_counts(user=request.user, campaign=campaign)}
    if request.htmx:
        return render(request, "publicity/reports.html#report-table", context)
    context["months"] = selectors.report_months(user=request.user, campaign=campaign)
    return render(request, "publicity/reports.html", context)


def _report_values(request, data):
    return {"recipient": data["recipient"], "title": data["title"], "reported_on": data["reported_on"],
            "level": data["level"], "adopted": data["adopted"], "adopted_note": data["adopted_note"]}


@members
def report_create(request, pk):
    campaign = _campaign(request, pk)
    if not _is_office(request):
        raise PermissionDenied
    form = SuperiorReportForm(request.POST or None, request.FILES or None, initial={"level": Level.CITY,
                                                                                   "recipient": _("市文明办")})
    return form_page(request, form, lambda data: services.report_create(
        actor=request.user, campaign=campaign, file=data["file"], origin=Origin.from_request(request),
        **_report_values(request, data)), template="publicity/report_form.html", context={
        "campaign": campaign, "report": None, "recipients": selectors.recipients(user=request.user, campaign=campaign)},
        then=("publicity:reports", campaign.pk), message=_("报送情况已登记。"))


@members
def report_edit(request, pk):
    report, _can_edit = get_for_user(SuperiorReport.objects.visible_to(request.user).select_related("campaign"),
                                     SuperiorReport.objects.editable_by(request.user), pk, need_edit=True)
    campaign = report.campaign
    initial = {"recipient": report.recipient, "title": report.title, "reported_on": report.reported_on,
               "level": report.level, "adopted": report.adopted, "adopted_note": report.adopted_note,
               "version": report.version}
    form = SuperiorReportForm(request.POST or None, request.FILES or None, initial=initial)
    return form_page(request, form, lambda data: services.report_update(
        actor=request.user, report=report, values=_report_values(request, data), file=data["file"],
        expected_version=data["version"], origin=Origin.from_request(request)),
        template="publicity/report_form.html", context={
        "campaign": campaign, "report": report, "recipients": selectors.recipients(user=request.user, campaign=campaign)},
        then=("publicity:reports", campaign.pk), message=_("已保存。"))


@require_POST
@members
def report_delete(request, pk):
    return recycle_view(request, SuperiorReport, pk, _("已移入回收站，创建办可以恢复。"),
                        lambda report: ("publicity:reports", report.campaign_id))


@members
def report_file(request, pk):
    report, _can_edit = get_for_user(SuperiorReport.objects.visible_to(request.user).select_related("campaign__unit"),
                                     None, pk)
    return _serve(request, report, report.campaign.unit)


@members
def reports_export(request, pk):
    campaign = _campaign(request, pk)
    services.exported(actor=request.user, campaign=campaign, what="reports", origin=Origin.from_request(request))
    return exports.report_workbook(user=request.user, campaign=campaign)


def _serve(request, obj, unit):
    if not obj.file or not obj.file.storage.exists(obj.file.name):
        raise Http404
    services.file_opened(actor=request.user, obj=obj, unit=unit, origin=Origin.from_request(request))
    return serve_stored(obj.file, filename=obj.file_name or "file", as_attachment=True,
                        content_type="application/octet-stream")


# ---------------------------------------------------------------------------------------------- practices
def _can_add_practice(request) -> bool:
    return request.user.has_role(Role.OFFICE, Role.LIAISON)


@members
def practices(request):
    tag, q = request.GET.get("tag", "").strip()[:20], request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.practice_list(user=request.user, tag=tag, q=q), 20).get_page(request.GET.get("page"))
    editable = set(Practice.objects.editable_by(request.user).filter(
        pk__in=[p.pk for p in page.object_list]).values_list("pk", flat=True))
    context = {"page": page, "tag": tag, "q": q, "editable": editable, "can_add": _can_add_practice(request),
               "tags": selectors.practice_tags(user=request.user), "campaign": current_campaign(user=request.user)}
    template = "publicity/practices.html#practice-list" if request.htmx else "publicity/practices.html"
    return render(request, template, context)


@members
def practice_create(request):
    if not _can_add_practice(request):
        raise PermissionDenied
    form = PracticeForm(request.POST or None, request.FILES or None)
    return form_page(request, form, lambda data: services.practice_create(
        actor=request.user, unit=request.user.unit, source_unit=data["source_unit"], title=data["title"],
        summary=data["summary"], tags=data["tags"], link=data["link"], file=data["file"],
        origin=Origin.from_request(request)), template="publicity/practice_form.html", context={"practice": None},
        then="publicity:practices", message=_("经验做法已加入资料库。"))


@members
def practice_edit(request, pk):
    practice, _can_edit = get_for_user(Practice.objects.visible_to(request.user),
                                       Practice.objects.editable_by(request.user), pk, need_edit=True)
    initial = {"source_unit": practice.source_unit, "title": practice.title, "summary": practice.summary,
               "tags": practice.tags.replace(",", "，"), "link": practice.link, "version": practice.version}
    form = PracticeForm(request.POST or None, request.FILES or None, initial=initial)
    return form_page(request, form, lambda data: services.practice_update(
        actor=request.user, practice=practice, file=data["file"],
        values={k: data[k] for k in ("source_unit", "title", "summary", "tags", "link")},
        expected_version=data["version"], origin=Origin.from_request(request)),
        template="publicity/practice_form.html", context={"practice": practice}, then="publicity:practices",
        message=_("已保存。"))


@require_POST
@members
def practice_delete(request, pk):
    return recycle_view(request, Practice, pk, _("已移入回收站，创建办可以恢复。"), lambda practice: ("publicity:practices",))


@members
def practice_file(request, pk):
    practice, _can_edit = get_for_user(Practice.objects.visible_to(request.user).select_related("unit"), None, pk)
    return _serve(request, practice, practice.unit)
