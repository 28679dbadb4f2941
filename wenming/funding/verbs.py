from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "funding.budget_line_created": _("新增经费预算"),
    "funding.budget_line_updated": _("修改经费预算"),
    "funding.expense_created": _("登记经费支出"),
    "funding.expense_updated": _("修改经费支出"),
    "funding.receipt_downloaded": _("下载票据"),
    "funding.ledger_exported": _("导出经费使用台账"),
}
