from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.reports.models import Kind


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("模板名称"), max_length=100)
    kind = forms.ChoiceField(label=_("报告类型"), choices=Kind.choices,
                             help_text=_("阶段总结在生成时选择阶段，各章节只统计该阶段。"))
    title = forms.CharField(label=_("标题"), max_length=200,
                            help_text=_("二号小标宋居中；用“|”分行，如“某某市人民法院关于2026年创建|市级文明单位工作情况的报告”。"))
    addressee = forms.CharField(label=_("主送机关"), max_length=100, required=False, help_text=_("如“市文明办”；不填则不写。"))
    body = forms.CharField(label=_("正文"), max_length=50000, widget=forms.Textarea(attrs={"rows": 28, "class": "mono"}),
                           help_text=_("以“一、”“（一）”“1.”开头的行自动作为一、二、三级标题；章节标记单独占一行。"))
    signature = forms.CharField(label=_("发文机关署名"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class GenerateForm(forms.Form):
    template = forms.TypedChoiceField(label=_("模板"), coerce=int)
    phase = forms.TypedChoiceField(label=_("阶段"), coerce=int, required=False, empty_value=None,
                                   help_text=_("阶段总结须选择阶段；创建工作报告不选则统计全年。"))

    def __init__(self, *args, templates=(), phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, f"{t.name}（{t.get_kind_display()}）") for t in templates]
        self.fields["phase"].choices = [("", _("（全年）")), *[(p.pk, p.name) for p in phases]]
