from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import PickerSelectMultiple
from wenming.evidence.models import Evidence


class EvidenceForm(forms.Form):
    """The item's particulars; its files come from `request.FILES.getlist("files")` and are checked by the service."""

    title = forms.CharField(label=_("材料名称"), max_length=200,
                            help_text=_("如“2021年3月道德讲堂活动”。"))
    kind = forms.ChoiceField(label=_("材料类型"), choices=Evidence.Kind.choices)
    occurred_on = forms.DateField(label=_("形成日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                                  help_text=_("会议、活动举办或文件印发的日期。"))
    task = forms.TypedChoiceField(label=_("工作任务"), coerce=int, required=False, empty_value=None)
    criteria = forms.TypedMultipleChoiceField(
        label=_("测评指标"), coerce=int, required=False, widget=PickerSelectMultiple,
        help_text=_("一份材料可以同时用于多个指标，不必重复上传。输入编号或名称筛选，回车添加。"))
    department = forms.TypedChoiceField(label=_("提供部门"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(label=_("情况说明"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("活动的时间、地点、参加人员和主要内容；部分指标要求一定字数。"))
    link = forms.URLField(label=_("链接"), required=False, max_length=1000, assume_scheme="https",
                          help_text=_("已在微信公众号、内外网发布的，可直接填写网址。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, tasks=(), criteria=(), departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [("", _("（不关联任务）"))] + [
            (t.pk, f"{t.number}. {t.title[:60]}（{t.lead_department.name if t.lead_department else '—'}）")
            for t in tasks]
        self.fields["criteria"].choices = [
            (c.pk, ("　" * (c.depth - 1)) + f"{c.code} {c.title}"[:70]) for c in criteria]
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].choices = [("", "—")] + list(departments)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("通过")), ("return", _("退回"))])
    reason = forms.CharField(label=_("退回原因"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
