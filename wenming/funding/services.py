"""Writes to funding. Keyword-only, atomic, audited; the acting person is passed in.

Who may call what is decided by the caller through the querysets (`editable_by`); these functions keep the data's
own rules: a positive amount, the line and the phase of the same campaign, receipts checked by content before
anything is stored (the evidence app's checks: size, real type, no active content), nothing half-saved.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from wenming.audit.services import Origin, assign, audit_record, audited_update
from wenming.campaigns.models import Campaign, Phase
from wenming.core.errors import check_version
from wenming.files import sniffing
from wenming.files.intake import check_files
from wenming.funding.models import BudgetLine, Expense, Receipt
from wenming.org.models import User

RECEIPT_TYPES = frozenset({"jpg", "png", "gif", "webp", "pdf"})


def _money(value) -> str:
    return f"{Decimal(value):.2f}"


def _line_snapshot(line: BudgetLine) -> dict:
    return {"category": line.category, "title": line.title, "amount": _money(line.amount),
            "phase_id": line.phase_id, "note": line.note}


def _expense_snapshot(expense: Expense) -> dict:
    return {"budget_line_id": expense.budget_line_id, "spent_on": expense.spent_on.isoformat()
            if isinstance(expense.spent_on, date) else expense.spent_on, "amount": _money(expense.amount),
            "payee": expense.payee, "purpose": expense.purpose, "note": expense.note,
            "activity_id": expense.activity_id,
            "receipts": [r.name for r in expense.receipts.order_by("id")] if expense.pk else []}


def _check_phase(campaign: Campaign, phase: Phase | None) -> None:
    if phase is not None and phase.campaign_id != campaign.pk:
        raise ValidationError({"phase": _("所选阶段不属于这个创建活动。")})


@transaction.atomic
def budget_line_create(*, actor: User, campaign: Campaign, category: str, title: str, amount: Decimal,
                       phase: Phase | None = None, note: str = "", origin: Origin | None = None) -> BudgetLine:
    _check_phase(campaign, phase)
    line = BudgetLine(campaign=campaign, category=category, title=title.strip(), amount=amount, phase=phase,
                      note=note.strip(), created_by=actor)
    line.full_clean()
    line.save()
    audit_record(actor=actor, verb="funding.budget_line_created", obj=line, unit=campaign.unit,
                 after=_line_snapshot(line), origin=origin)
    return line


@transaction.atomic
def budget_line_update(*, actor: User, line: BudgetLine, values: dict, expected_version: int | None = None,
                       origin: Origin | None = None) -> BudgetLine:
    with audited_update(BudgetLine.objects.select_related("campaign__unit"), line.pk, actor=actor,
                        verb="funding.budget_line_updated", snapshot=_line_snapshot,
                        expected_version=expected_version, origin=origin) as line:
        assign(line, values, ("category", "title", "amount", "phase", "note"))
        _check_phase(line.campaign, line.phase)
    return line


def check_receipts(files, *, unit_id: int | None):
    """Every receipt checked like an evidence upload, then narrowed to scans and photos (PDF or images)."""
    checked = check_files(files, unit_id=unit_id)
    wrong = [item for item in checked if item.file_type.key not in RECEIPT_TYPES]
    if wrong:
        raise ValidationError({"receipts": [
            _("“%(name)s”是%(label)s；票据请上传 PDF 或图片（%(allowed)s）。")
            % {"name": item.name, "label": item.file_type.label, "allowed": sniffing.allowed_text(RECEIPT_TYPES)}
            for item in wrong]})
    return checked


def _store_receipts(*, expense: Expense, checked, actor: User, saved: list[str]) -> list[Receipt]:
    rows = []
    for item in checked:
        row = Receipt(expense=expense, name=item.name, sha256=item.sha256, size=item.size,
                      file_type=item.file_type.key, mime=item.file_type.mime, uploaded_by=actor)
        item.upload.seek(0)
        row.file.save(f"receipt.{item.file_type.ext}", item.upload, save=False)
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


def _check_activity(line: BudgetLine, activity) -> None:
    if activity is not None and activity.campaign_id != line.campaign_id:
        raise ValidationError({"activity": _("所选活动不属于这个创建活动。")})


@transaction.atomic
def expense_create(*, actor: User, budget_line: BudgetLine, spent_on: date, amount: Decimal, payee: str,
                   purpose: str, note: str = "", activity=None, receipts=(),
                   origin: Origin | None = None) -> Expense:
    """One payment out of a budget line, with its receipts (every file checked first; one refusal keeps none)."""
    campaign = budget_line.campaign
    checked = check_receipts(receipts, unit_id=campaign.unit_id)
    _check_activity(budget_line, activity)
    expense = Expense(budget_line=budget_line, spent_on=spent_on, amount=amount, payee=payee.strip(),
                      purpose=purpose.strip(), note=note.strip(), activity=activity, created_by=actor)
    expense.full_clean()
    saved: list[str] = []
    try:
        expense.save()
        _store_receipts(expense=expense, checked=checked, actor=actor, saved=saved)
        audit_record(actor=actor, verb="funding.expense_created", obj=expense, unit=campaign.unit,
                     after=_expense_snapshot(expense), origin=origin)
    except BaseException:
        _discard(saved)
        raise
    return expense


@transaction.atomic
def expense_update(*, actor: User, expense: Expense, values: dict, add_receipts=(),
                   expected_version: int | None = None, origin: Origin | None = None) -> Expense:
    expense = Expense.objects.select_for_update().select_related("budget_line__campaign__unit").get(pk=expense.pk)
    check_version(expense, expected_version)
    before = _expense_snapshot(expense)
    old_campaign = expense.budget_line.campaign_id
    assign(expense, values, ("budget_line", "spent_on", "amount", "payee", "purpose", "note", "activity"))
    if expense.budget_line.campaign_id != old_campaign:
        raise ValidationError({"budget_line": _("所选预算项目不属于这个创建活动。")})
    if "activity" in values:
        _check_activity(expense.budget_line, values["activity"])
    campaign = expense.budget_line.campaign
    checked = check_receipts(add_receipts, unit_id=campaign.unit_id)
    expense.full_clean()
    saved: list[str] = []
    try:
        expense.save()
        _store_receipts(expense=expense, checked=checked, actor=actor, saved=saved)
        audit_record(actor=actor, verb="funding.expense_updated", obj=expense, unit=campaign.unit, before=before,
                     after=_expense_snapshot(expense), origin=origin)
    except BaseException:
        _discard(saved)
        raise
    return expense


def receipt_opened(*, actor: User, receipt: Receipt, origin: Origin | None = None) -> None:
    audit_record(actor=actor, verb="funding.receipt_downloaded", obj=receipt,
                 unit=receipt.expense.budget_line.campaign.unit,
                 after={"expense_id": receipt.expense_id, "name": receipt.name, "sha256": receipt.sha256},
                 origin=origin)


def ledger_exported(*, actor: User, campaign: Campaign, origin: Origin | None = None) -> None:
    audit_record(actor=actor, verb="funding.ledger_exported", obj=campaign, unit=campaign.unit, origin=origin)
