from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import PickerSelectMultiple
from wenming.supervision.models import SupervisionSettings

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class OrderForm(forms.Form):
    """签发督办单: the task, the department (default: the task's lead department), the deadline and the request."""

    target = forms.ChoiceField(label=_("督办事项"), help_text=_("逾期和临近时限的任务、整改排在前面。"))
    department = forms.TypedChoiceField(label=_("承办部门"), coerce=int, required=False, empty_value=None,
                                        help_text=_("不选则为任务的牵头部门。"))
    deadline = forms.DateField(label=_("办理时限"), widget=DATE_WIDGET)
    request = forms.CharField(label=_("督办事项及要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("写明要办什么、达到什么要求、以什么形式答复。"))

    def __init__(self, *args, tasks=(), rectifications=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        marks = {"red": "【逾期】", "yellow": "【临近】", "green": ""}
        choices = [("", "—"), (_("工作任务"), [
            (f"t{t.pk}", f"{marks.get(t.light, '')}{t.number}. {t.title[:50]}（{t.lead_department.name if t.lead_department else '—'}"
                         f"，{t.light_due or '无时限'}）") for t in tasks])]
        if rectifications:
            choices.append((_("整改事项"), [
                (f"r{r.pk}", f"{marks.get(r.light, '')}{str(r)[:50]}（{r.department.name}，{r.due_on}）")
                for r in rectifications]))
        self.fields["target"].choices = choices
        self.fields["department"].choices = [("", _("（任务的牵头部门）"))] + [(d.pk, d.name) for d in departments]


class AnswerForm(forms.Form):
    """The department's answer; its new files come from `request.FILES.getlist("files")`."""

    text = forms.CharField(label=_("办理情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.TypedMultipleChoiceField(label=_("关联已有材料"), coerce=int, required=False,
                                              widget=PickerSelectMultiple, help_text=_("可多选；也可以在下方上传新的佐证文件。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(e.pk, f"{e.occurred_on:%Y-%m-%d} {e.title}") for e in evidence]
        self.fields["evidence"].widget.attrs["size"] = min(max(len(self.fields["evidence"].choices), 2), 8)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("close", _("办结")), ("return", _("退回"))])
    text = forms.CharField(label=_("意见（退回时必填）"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SupervisionSettings
        fields = ["warn_days", "weight_on_time", "weight_returns", "weight_overdue_days",
                  "weight_open_rectifications"]
