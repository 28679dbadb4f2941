"""Screens for supervision: warnings, the 督办单 register and flow, the department assessment, the dashboard."""

import json
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.audit.services import Origin, audit_record
from wenming.campaigns.models import Task
from wenming.campaigns.pages import no_campaign
from wenming.campaigns.selectors import current_campaign
from wenming.core.access import get_for_user
from wenming.core.api import as_id
from wenming.core.forms import act, form_page, form_save
from wenming.core.memo import memoized
from wenming.core.xlsx import download_response, xlsx_response
from wenming.org.models import Department
from wenming.org.policy import door
from wenming.org.roles import Role
from wenming.supervision import exports, selectors, services
from wenming.supervision.forms import AnswerForm, DecisionForm, OrderForm, SettingsForm
from wenming.supervision.lights import Light
from wenming.supervision.models import SupervisionOrder, SupervisionSettings
from wenming.supervision.querysets import ISSUER_ROLES

members = door(SupervisionOrder)
issuers = door(SupervisionOrder, "change")
office = door(SupervisionSettings, "change")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _campaign_or_page(request, title):
    campaign = current_campaign(user=request.user)
    if campaign is None:
        return None, no_campaign(request, title, _("本单位还没有创建活动。创建办建立创建活动并分解任务后，这里会显示预警、督办和考核情况。"))
    return campaign, None


def _departments(user):
    return list(Department.objects.restrict(user).filter(is_active=True).order_by("order", "id"))


def _origin(request):
    return Origin.from_request(request)


# ---------------------------------------------------------------------------------------------- warnings
@members
def index(request):
    """预警: red and yellow items by department, filterable."""
    campaign, page = _campaign_or_page(request, _("预警"))
    if page:
        return page
    filters = selectors.WarningFilters.from_query(request.GET)
    result = selectors.warnings(user=request.user, campaign=campaign, filters=filters)
    context = {"campaign": campaign, "result": result, "filters": filters, "tab": "warnings",
               "departments": _departments(request.user), "lights": [(Light.RED, _("红灯（已逾期）")),
                                                                          (Light.YELLOW, _("黄灯（临近时限）"))],
               "can_issue": request.user.has_role(*ISSUER_ROLES),
               "has_rectifications": selectors.rectification_model() is not None}
    template = "supervision/warnings.html#warning-list" if request.htmx else "supervision/warnings.html"
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------- orders
@members
def order_list(request):
    filters = selectors.OrderFilters.from_query(request.GET)
    orders = selectors.order_list(user=request.user, filters=filters)
    page = Paginator(orders, 30).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "tab": "orders", "statuses": SupervisionOrder.Status.choices,
               "departments": _departments(request.user), "can_issue": request.user.has_role(*ISSUER_ROLES),
               "years": sorted({timezone.localdate().year, *(
                   SupervisionOrder.objects.visible_to(request.user).values_list("year", flat=True).distinct())},
                   reverse=True)}
    template = "supervision/order_list.html#order-table" if request.htmx else "supervision/order_list.html"
    return render(request, template, context)


@members
def order_export(request):
    filters = selectors.OrderFilters.from_query(request.GET)
    orders = list(selectors.order_list(user=request.user, filters=filters))
    audit_record(actor=request.user, verb="supervision.exported", unit=request.user.unit,
                 after={"what": "orders", "count": len(orders)}, origin=_origin(request))
    return xlsx_response(exports.register_workbook(orders), _("督办单登记簿"))


@issuers
def order_create(request):
    campaign, page = _campaign_or_page(request, _("签发督办单"))
    if page:
        return page
    tasks = selectors.task_choices(user=request.user, campaign=campaign)
    rectifications = selectors.rectification_choices(user=request.user, campaign=campaign)
    departments = _departments(request.user)
    initial = {"deadline": timezone.localdate() + timedelta(days=7)}
    for param, prefix in (("task", "t"), ("rectification", "r")):
        if as_id(request.GET.get(param)) is not None:
            initial["target"] = f"{prefix}{request.GET[param]}"
    form = OrderForm(request.POST or None, tasks=tasks, rectifications=rectifications, departments=departments,
                     initial=initial)

    def write(data):
        task = next((t for t in tasks if f"t{t.pk}" == data["target"]), None)
        if task:
            task = Task.objects.select_related("campaign__unit", "lead_department").get(pk=task.pk)
        return services.order_issue(
            actor=request.user, task=task, rectification=next((r for r in rectifications if f"r{r.pk}" == data["target"]),
                                                              None),
            department=next((d for d in departments if d.pk == data["department"]), None), deadline=data["deadline"],
            request=data["request"], origin=_origin(request))

    return form_page(request, form, write, template="supervision/order_form.html",
                     context={"campaign": campaign, "tab": "orders"},
                     then=lambda order: ("supervision:order_detail", order.pk),
                     message=lambda order: _("已签发 %(code)s，承办部门联络员会收到通知。") % {"code": order.code})


def _order(request, pk):
    order, can_close = get_for_user(selectors.order_detail(user=request.user),
                                    SupervisionOrder.objects.editable_by(request.user), pk)
    can_answer = order.is_open and order.status != SupervisionOrder.Status.ANSWERED and \
        SupervisionOrder.objects.answerable_by(request.user).filter(pk=order.pk).exists()
    return order, can_close and order.status == SupervisionOrder.Status.ANSWERED, can_answer


def _detail(request, order, can_decide, can_answer, *, answer_form=None, decision_form=None, conflict=None,
            status=200):
    if can_answer and answer_form is None:
        answer_form = AnswerForm(evidence=selectors.evidence_choices(user=request.user, order=order),
                                 initial={"version": order.version})
    if can_decide and decision_form is None:
        decision_form = DecisionForm(initial={"version": order.version})
    return render(request, "supervision/order_detail.html", {
        "order": order, "rounds": list(order.rounds.all()), "can_decide": can_decide, "can_answer": can_answer,
        "answer_form": answer_form, "decision_form": decision_form, "conflict": conflict, "tab": "orders",
    }, status=status)


@members
def order_detail(request, pk):
    order, can_decide, can_answer = _order(request, pk)
    return _detail(request, order, can_decide, can_answer)


@require_POST
@members
def order_answer(request, pk):
    order, can_decide, can_answer = _order(request, pk)
    if not SupervisionOrder.objects.answerable_by(request.user).filter(pk=order.pk).exists():
        raise PermissionDenied
    choices = selectors.evidence_choices(user=request.user, order=order)
    form = AnswerForm(request.POST, evidence=choices)
    saved = form_save(request, form, lambda data: services.order_answer(
        actor=request.user, order=order, text=data["text"], evidence=[e for e in choices if e.pk in set(data["evidence"])],
        files=request.FILES.getlist("files"), expected_version=data["version"], origin=_origin(request)))
    if saved.ok:
        messages.success(request, _("已答复，等待督办人确认。"))
        return redirect("supervision:order_detail", order.pk)
    return _detail(request, order, can_decide, True, answer_form=form, conflict=saved.conflict,
                   status=409 if saved.conflict else 400)


@require_POST
@members
def order_decide(request, pk):
    order, can_decide, can_answer = _order(request, pk)
    if not SupervisionOrder.objects.editable_by(request.user).filter(pk=order.pk).exists():
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择办结或退回。"))
        return redirect("supervision:order_detail", order.pk)
    data = form.cleaned_data
    if data["decision"] == "close":
        act(request, lambda: services.order_close(actor=request.user, order=order, text=data["text"],
                                                  expected_version=data["version"], origin=_origin(request)),
            message=_("已办结。"), stale=_("此督办单刚有新的办理记录，请查看后再操作。"))
    else:
        act(request, lambda: services.order_return(actor=request.user, order=order, reason=data["text"],
                                                   expected_version=data["version"], origin=_origin(request)),
            message=_("已退回，承办部门需重新答复。"), stale=_("此督办单刚有新的办理记录，请查看后再操作。"))
    return redirect("supervision:order_detail", order.pk)


@members
def order_docx(request, pk):
    order, _can_decide, _can_answer = _order(request, pk)
    audit_record(actor=request.user, verb="supervision.exported", obj=order, unit=order.unit,
                 after={"what": "order", "format": "docx"}, origin=_origin(request))
    return download_response(exports.order_docx(order, order.unit.name), f"督办单{order.year}-{order.number}.docx",
                             DOCX_TYPE)


# ---------------------------------------------------------------------------------------------- ranking
@issuers
def ranking(request):
    campaign, page = _campaign_or_page(request, _("部门考核"))
    if page:
        return page
    result = selectors.ranking(user=request.user, campaign=campaign)
    return render(request, "supervision/ranking.html", {
        "campaign": campaign, "result": result, "tab": "ranking",
        "can_configure": request.user.has_role(Role.OFFICE)})


@issuers
def ranking_export(request):
    campaign, page = _campaign_or_page(request, _("部门考核"))
    if page:
        return page
    result = selectors.ranking(user=request.user, campaign=campaign)
    audit_record(actor=request.user, verb="supervision.exported", obj=campaign, unit=campaign.unit,
                 after={"what": "ranking"}, origin=_origin(request))
    return xlsx_response(exports.ranking_workbook(result, campaign), _("部门考核"))


@office
def settings_edit(request):
    current = services.settings_for(request.user.unit_id)
    initial = {"version": current.version}
    form = SettingsForm(request.POST or None, instance=current, initial=initial)
    return form_page(request, form, lambda data: services.settings_update(
        actor=request.user, unit=request.user.unit, values={f: data[f] for f in services.SETTINGS_FIELDS},
        expected_version=data["version"], origin=_origin(request)),
        template="supervision/settings_form.html", context={"tab": "ranking"}, then="supervision:ranking",
        message=_("设置已保存。"))


# ---------------------------------------------------------------------------------------------- dashboard
def _chart(kind: str, title: str, bars, *, series=None) -> str:
    """A chart's data for supervision/dashboard.js, as JSON in a data- attribute (CSP: no inline script)."""
    return json.dumps({"kind": kind, "title": title, "labels": [str(b.label) for b in bars],
                       "series": series or [{"name": _("已完成"), "values": [b.done for b in bars]},
                                            {"name": _("未完成"), "values": [b.total - b.done for b in bars]}]},
                      ensure_ascii=False)


@issuers
def dashboard(request):
    campaign, page = _campaign_or_page(request, _("领导驾驶舱"))
    if page:
        return page
    # a dozen grouped queries over the whole campaign: kept until the data changes (wenming.core.memo)
    board = memoized("dashboard", (request.user.pk, campaign.pk, selectors.today()),
                     lambda: selectors.dashboard(user=request.user, campaign=campaign))
    gap_labels = [("approved", _("已通过")), ("pending", _("待审核")), ("returned", _("已退回")), ("missing", _("无材料"))]
    light_labels = [(Light.RED, _("红灯")), (Light.YELLOW, _("黄灯")), (Light.GREEN, _("绿灯")), (Light.NONE, _("已完成"))]
    charts = {
        "phase": _chart("bar", _("各阶段任务完成情况"), board.by_phase),
        "category": _chart("hbar", _("各测评项目任务完成情况"), board.by_category),
        "department": _chart("hbar", _("各部门任务完成情况"), board.by_department),
        "gap": json.dumps({"kind": "pie", "title": _("计分内容材料情况"), "labels": [str(v) for _k, v in gap_labels],
                           "series": [{"name": _("条"), "values": [board.gap.get(k, 0) for k, _v in gap_labels]}],
                           "colors": ["#2e8b57", "#3b74c4", "#d97706", "#c0392b"]}, ensure_ascii=False),
        "lights": json.dumps({"kind": "pie", "title": _("任务预警"), "labels": [str(v) for _k, v in light_labels],
                              "series": [{"name": _("项"), "values": [board.lights.get(k, 0) for k, _v in light_labels]}],
                              "colors": ["#c0392b", "#e0a800", "#2e8b57", "#9aa5b1"]}, ensure_ascii=False),
    }
    return render(request, "supervision/dashboard.html", {
        "campaign": campaign, "board": board, "charts": charts,
        "light_rows": [(label, board.lights.get(key, 0)) for key, label in light_labels],
        "gap_rows": [(label, board.gap.get(key, 0)) for key, label in gap_labels], "tab": "dashboard",
        "gap_total": sum(board.gap.values()) if board.gap else 0,
    })

