from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.standards.models import KNOWN_METHODS, Kind, Standard
from wenming.standards.parsing import normalise_methods


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("测评细则文件"),
        help_text=_("Excel 的 .xlsx 或 .xls 文件，或测评细则在表格中的 Word（.docx）文件（也可上传本系统导出的 .yaml 文件）。"
                    "上传后先预览，确认无误才保存。"),
    )


class StandardForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    issuer = forms.CharField(label=_("发布机关"), max_length=100, required=False,
                             help_text=_("如“某某市精神文明建设委员会办公室”。"))
    level = forms.ChoiceField(label=_("级别"), choices=Standard.Level.choices)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    pass_score = forms.DecimalField(label=_("达标分数"), required=False, min_value=0, max_digits=8, decimal_places=2,
                                    help_text=_("如 80：总分达到此分数方可命名。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class _LineFields(forms.Form):
    code = forms.CharField(label=_("编号"), max_length=30, required=False)
    title = forms.CharField(label=_("测评内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    content = forms.CharField(label=_("内容说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    scoring = forms.CharField(label=_("评分标准"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("如“每少1次扣0.5分，扣完为止”。"))
    points = forms.DecimalField(label=_("分值"), required=False, min_value=0, max_digits=7, decimal_places=2,
                                help_text=_("精确到0.01分；一票否决项不填。"))
    methods = forms.MultipleChoiceField(label=_("测评方法"), required=False, widget=forms.CheckboxSelectMultiple,
                                        choices=[(method, method) for method in KNOWN_METHODS])
    other_methods = forms.CharField(label=_("其他测评方法"), required=False, max_length=200,
                                    help_text=_("不在上面的方法，用顿号分隔。"))
    materials = forms.CharField(label=_("材料要求"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("如“通知、签到表、会议记录及2张以上照片”。"))
    department = forms.CharField(label=_("建议提供材料部门"), required=False, max_length=200,
                                 widget=forms.TextInput(attrs={"list": "department-names"}))

    def method_list(self) -> list[str]:
        methods = list(self.cleaned_data.get("methods") or [])
        extra, _unknown = normalise_methods(self.cleaned_data.get("other_methods") or "")
        return methods + [method for method in extra if method not in methods]

    @staticmethod
    def split_methods(methods: list[str]) -> tuple[list[str], str]:
        known = [method for method in methods if method in KNOWN_METHODS]
        return known, "、".join(method for method in methods if method not in KNOWN_METHODS)


class CriterionForm(_LineFields):
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices)
    per_item = forms.BooleanField(label=_("按项计分（如“2分/项”）"), required=False)
    bonus_cap = forms.DecimalField(label=_("加分上限"), required=False, min_value=0, max_digits=7, decimal_places=2,
                                   help_text=_("仅加分项：最多加多少分。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    field_order = ["code", "title", "kind", "points", "per_item", "bonus_cap", "scoring", "content", "methods",
                   "other_methods", "materials", "department"]


class RefineForm(_LineFields):
    field_order = ["code", "title", "points", "scoring", "content", "methods", "other_methods", "materials",
                   "department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("细化内容")
        self.fields["points"].help_text = _("可不填；填写时，同一条下各细化项的分值合计不能超过该条的分值。")
