"""Screens for 工作经费: budget against spending, the expense list, forms and the ledger export. Thin."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl.styles import Font, PatternFill

from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign, Phase
from wenming.campaigns.pages import to_current_campaign
from wenming.core.access import get_for_user
from wenming.core.api import as_id as _int
from wenming.core.forms import add_errors, form_page
from wenming.core.recycle import recycle_page, recycle_view
from wenming.core.xlsx import append_row, build_workbook, xlsx_response
from wenming.files.serving import serve_stored
from wenming.funding import selectors, services
from wenming.funding.forms import BudgetLineForm, ExpenseForm
from wenming.funding.models import BudgetLine, Expense, Receipt
from wenming.org.policy import door

readers = door(BudgetLine)


def _campaign(request, pk) -> tuple[Campaign, bool]:
    campaign, can_edit = get_for_user(Campaign.objects.visible_to(request.user),
                                      Campaign.objects.editable_by(request.user), pk)
    return campaign, can_edit



def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _phases(campaign):
    return list(Phase.objects.filter(campaign=campaign).order_by("order", "starts_on", "id"))


# ---------------------------------------------------------------------------------------------- budget
@readers
def index(request):
    return to_current_campaign(request, "funding:budget", _("工作经费"),
                               _("本单位还没有创建活动。创建办建立创建活动后，即可在这里编制经费预算、登记支出。"))


@readers
def budget(request, pk):
    campaign, can_edit = _campaign(request, pk)
    summary = selectors.budget_summary(user=request.user, campaign=campaign)
    return render(request, "funding/budget.html", {"campaign": campaign, "summary": summary, "can_edit": can_edit})


@readers
def line_create(request, pk):
    campaign, can_edit = _campaign(request, pk)
    if not can_edit:
        raise PermissionDenied
    phases = _phases(campaign)
    form = BudgetLineForm(request.POST or None, phases=phases)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_line_create(
                actor=request.user, campaign=campaign, category=data["category"], title=data["title"],
                amount=data["amount"], phase=next((p for p in phases if p.pk == data["phase"]), None),
                note=data["note"], origin=Origin.from_request(request))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("预算项目已保存。"))
            return redirect("funding:budget", campaign.pk)
    return render(request, "funding/line_form.html", {"form": form, "campaign": campaign, "line": None})


@readers
def line_edit(request, pk):
    line, _can_edit = get_for_user(BudgetLine.objects.visible_to(request.user).select_related("campaign"),
                                   BudgetLine.objects.editable_by(request.user), pk, need_edit=True)
    campaign = line.campaign
    phases = _phases(campaign)
    initial = {"category": line.category, "title": line.title, "amount": line.amount, "phase": line.phase_id,
               "note": line.note, "version": line.version}
    form = BudgetLineForm(request.POST or None, phases=phases, initial=initial)
    return form_page(request, form, lambda data: services.budget_line_update(
        actor=request.user, line=line, expected_version=data["version"], origin=Origin.from_request(request),
        values={"category": data["category"], "title": data["title"], "amount": data["amount"],
                "phase": next((p for p in phases if p.pk == data["phase"]), None), "note": data["note"]}),
        template="funding/line_form.html", context={"campaign": campaign, "line": line},
        then=("funding:budget", campaign.pk), message=_("预算项目已保存。"))


@require_POST
@readers
def line_delete(request, pk):
    return recycle_view(request, BudgetLine, pk, _("预算项目已移入回收站，其下的支出随之隐藏；创建办可以恢复。"),
                        lambda line: ("funding:budget", line.campaign_id))


# ---------------------------------------------------------------------------------------------- expenses
@readers
def expense_list(request, pk):
    campaign, can_edit = _campaign(request, pk)
    get = request.GET
    filters = selectors.ExpenseFilters(
        budget_line=_int(get.get("line")), phase=_int(get.get("phase")),
        category=get.get("category", "") if get.get("category") in BudgetLine.Category.values else "",
        date_from=_date(get.get("from")), date_to=_date(get.get("to")), q=get.get("q", "").strip()[:100])
    items = selectors.expense_list(user=request.user, campaign=campaign, filters=filters)
    page = Paginator(items, 30).get_page(get.get("page"))
    context = {
        "campaign": campaign, "page": page, "filters": filters, "can_edit": can_edit,
        "total": selectors.expense_total(items), "categories": BudgetLine.Category.choices,
        "lines": list(BudgetLine.objects.visible_to(request.user).filter(campaign=campaign).order_by("category", "id")),
        "phases": _phases(campaign),
    }
    template = "funding/expense_list.html#expense-table" if request.htmx else "funding/expense_list.html"
    return render(request, template, context)


def _expense_form(request, campaign, data=None, **kwargs):
    lines = list(BudgetLine.objects.editable_by(request.user).filter(campaign=campaign).order_by("category", "id"))
    return ExpenseForm(data, lines=lines, activities=selectors.activity_choices(campaign=campaign), **kwargs), lines


@readers
def expense_create(request, pk):
    campaign, can_edit = _campaign(request, pk)
    if not can_edit:
        raise PermissionDenied
    initial = {"budget_line": _int(request.GET.get("line")), "spent_on": timezone.localdate()}
    form, lines = _expense_form(request, campaign, request.POST or None, initial=initial)

    def write(data):
        expense = services.expense_create(
            actor=request.user, budget_line=next(line for line in lines if line.pk == data["budget_line"]),
            spent_on=data["spent_on"], amount=data["amount"], payee=data["payee"], purpose=data["purpose"],
            note=data["note"], activity=selectors.activity_of(campaign=campaign, pk=data.get("activity")),
            receipts=request.FILES.getlist("receipts"), origin=Origin.from_request(request))
        return _after_save(request, expense)

    return form_page(request, form, write, template="funding/expense_form.html",
                     context={"campaign": campaign, "expense": None}, then=("funding:expenses", campaign.pk))


def _after_save(request, expense):
    messages.success(request, _("支出已登记。"))
    line = selectors.budget_lines(user=request.user, campaign=expense.budget_line.campaign).get(pk=expense.budget_line_id)
    if line.spent > line.amount:
        messages.warning(request, _("注意：“%(line)s”已支出 %(spent)s 元，超出预算 %(amount)s 元。")
                         % {"line": line.title, "spent": f"{line.spent:,.2f}", "amount": f"{line.amount:,.2f}"})


@readers
def expense_edit(request, pk):
    expense, _can_edit = get_for_user(
        Expense.objects.visible_to(request.user).select_related("budget_line__campaign"),
        Expense.objects.editable_by(request.user), pk, need_edit=True)
    campaign = expense.budget_line.campaign
    initial = {"budget_line": expense.budget_line_id, "spent_on": expense.spent_on, "amount": expense.amount,
               "payee": expense.payee, "purpose": expense.purpose, "note": expense.note, "version": expense.version,
               "activity": expense.activity_id}
    form, lines = _expense_form(request, campaign, request.POST or None, initial=initial)

    def write(data):
        values = {"budget_line": next(line for line in lines if line.pk == data["budget_line"]),
                  "spent_on": data["spent_on"], "amount": data["amount"], "payee": data["payee"],
                  "purpose": data["purpose"], "note": data["note"],
                  "activity": selectors.activity_of(campaign=campaign, pk=data.get("activity"))}
        services.expense_update(actor=request.user, expense=expense, values=values,
                                add_receipts=request.FILES.getlist("receipts"),
                                expected_version=data["version"], origin=Origin.from_request(request))
        return _after_save(request, expense)

    return form_page(request, form, write, template="funding/expense_form.html",
                     context={"campaign": campaign, "expense": expense, "receipts": list(expense.receipts.all())},
                     then=("funding:expenses", campaign.pk))


@require_POST
@readers
def expense_delete(request, pk):
    expense, _can_edit = get_for_user(Expense.objects.visible_to(request.user).select_related("budget_line"),
                                      Expense.objects.editable_by(request.user), pk, need_edit=True)
    return recycle_page(request, expense, _("支出已移入回收站，创建办可以恢复。"), "funding:expenses",
                        expense.budget_line.campaign_id)


@readers
def receipt_download(request, pk):
    receipt, _can_edit = get_for_user(
        Receipt.objects.visible_to(request.user).select_related("expense__budget_line__campaign__unit"), None, pk)
    if not receipt.file.storage.exists(receipt.file.name):
        raise Http404
    services.receipt_opened(actor=request.user, receipt=receipt, origin=Origin.from_request(request))
    inline = receipt.file_type in ("jpg", "png", "gif", "webp") and request.GET.get("inline") == "1"
    return serve_stored(receipt.file, filename=receipt.name, as_attachment=not inline,
                        content_type=receipt.mime if inline else "application/octet-stream")


# ---------------------------------------------------------------------------------------------- export
@readers
def export(request, pk):
    """经费使用台账: the budget lines with spent and remaining, then every expense."""
    campaign, _can_edit = _campaign(request, pk)
    summary = selectors.budget_summary(user=request.user, campaign=campaign)
    rows = [[u.line.get_category_display(), u.line.title, u.line.phase.name if u.line.phase else _("不分阶段"),
             float(u.budget), float(u.spent), float(u.remaining), f"{u.percent}%",
             _("超支") if u.over else ""] for u in summary.lines]
    rows.append([_("合计"), "", "", float(summary.total.budget), float(summary.total.spent),
                 float(summary.total.remaining), f"{summary.total.percent}%", _("超支") if summary.total.over else ""])
    workbook = build_workbook(
        _("预算执行"), [_("类别"), _("预算项目"), _("阶段"), _("预算（元）"), _("已支出（元）"), _("结余（元）"),
                    _("执行率"), _("提示")], rows, widths=[14, 30, 12, 14, 14, 14, 10, 8],
        note=_("%(title)s · 经费使用台账") % {"title": campaign.title})
    sheet = workbook.active
    red = Font(color="B4232A", bold=True)
    for row in sheet.iter_rows(min_row=3):
        if row[7].value:
            for cell in row:
                cell.font = red
        for cell in row[3:6]:
            cell.number_format = "#,##0.00"
    _expense_sheet(workbook, request, campaign)
    services.ledger_exported(actor=request.user, campaign=campaign, origin=Origin.from_request(request))
    return xlsx_response(workbook, f"{campaign.title}-经费使用台账")


def _expense_sheet(workbook, request, campaign):
    headers = [_("支出日期"), _("类别"), _("预算项目"), _("金额（元）"), _("收款方"), _("用途"), _("票据"), _("录入人"),
               _("备注"), _("关联活动")]
    sheet = workbook.create_sheet(_("支出明细"))
    append_row(sheet, headers)
    fill = PatternFill("solid", fgColor="DDE6F0")
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), fill
    for column, width in zip("ABCDEFGHIJ", [12, 12, 28, 12, 20, 36, 24, 10, 20, 24], strict=False):
        sheet.column_dimensions[column].width = width
    for e in selectors.expense_list(user=request.user, campaign=campaign).order_by("spent_on", "id"):
        row = [e.spent_on, e.budget_line.get_category_display(), e.budget_line.title, float(e.amount), e.payee,
               e.purpose, "、".join(r.name for r in e.receipts.all()), e.created_by.real_name, e.note,
               e.activity.title if e.activity_id else ""]
        append_row(sheet, row)
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd"
        sheet.cell(row=sheet.max_row, column=4).number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
