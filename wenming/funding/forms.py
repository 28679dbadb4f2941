from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.funding.models import BudgetLine

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=BudgetLine.Category.choices)
    title = forms.CharField(label=_("预算项目"), max_length=120, help_text=_("如“文明创建宣传展板制作”。"))
    amount = forms.DecimalField(label=_("预算金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0"))
    phase = forms.TypedChoiceField(label=_("阶段"), coerce=int, required=False, empty_value=None,
                                   help_text=_("可不填：不分阶段的预算。"))
    note = forms.CharField(label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", _("（不分阶段）"))] + [(p.pk, p.name) for p in phases]


class ExpenseForm(forms.Form):
    """The expense's particulars; its receipts come from `request.FILES.getlist("receipts")`."""

    budget_line = forms.TypedChoiceField(label=_("预算项目"), coerce=int)
    spent_on = forms.DateField(label=_("支出日期"), widget=DATE)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    payee = forms.CharField(label=_("收款方"), max_length=120)
    purpose = forms.CharField(label=_("用途"), max_length=300, help_text=_("如“道德讲堂活动展板 6 块”。"))
    activity = forms.TypedChoiceField(label=_("关联活动"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, lines=(), activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].choices = [("", "—")] + [
            (line.pk, f"{line.get_category_display()} · {line.title}") for line in lines]
        self.fields["activity"].choices = [("", _("（不关联活动）"))] + list(activities)
