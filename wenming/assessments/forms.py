from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.assessments.models import Assessment, Finding, Rectification


class AssessmentForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=Assessment.Kind.choices)
    starts_on = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.MultipleChoiceField(label=_("评分人员"), required=False, widget=forms.CheckboxSelectMultiple,
                                     help_text=_("自查由创建办和所选人员评分；检查验收只能选择测评员。"))
    allow_not_applicable = forms.BooleanField(label=_("允许不适用项（总分按比例折算）"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(p.pk, f"{p.real_name}（{p.unit.short_name or p.unit.name}"
                                              f"{' · ' + p.department.name if p.department_id else ''}）")
                                       for p in people]
        if editing:
            self.fields["kind"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class FindingForm(forms.Form):
    criterion = forms.TypedChoiceField(label=_("测评项"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(label=_("问题描述"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("严重程度"), choices=Finding.Severity.choices, initial=Finding.Severity.MINOR)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", _("（不针对具体测评项）"))] + [
            (c.pk, f"{c.code} {c.title}"[:80]) for c in criteria]


class AssignForm(forms.Form):
    department = forms.TypedChoiceField(label=_("责任部门"), coerce=int)
    due_on = forms.DateField(label=_("整改时限"), widget=forms.DateInput(attrs={"type": "date"}))
    requirement = forms.CharField(label=_("整改要求"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "——")] + [(d.pk, d.name) for d in departments]


class RespondForm(forms.Form):
    measures = forms.CharField(label=_("整改措施及结果"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.TypedMultipleChoiceField(label=_("佐证材料"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=_("在“创建材料”中上传整改后的照片或文件，再在此勾选。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(e.pk, f"{e.title}（{e.occurred_on:%Y-%m-%d} · {e.get_status_display()}）")
                                           for e in evidence]


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(label=_("核验结果"), choices=[("close", _("核验通过，销号")), ("return", _("退回重新整改"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("意见或退回原因"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


STATUS_CHOICES = Rectification.Status.choices
