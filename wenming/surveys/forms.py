from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.surveys import builtin
from wenming.surveys.models import Audience, Group, Measure, Question, Survey

DATETIME = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def criterion_choices(criteria) -> list:
    """The scoring lines (leaves) of the standard, as a person reads them."""
    return [("", "—")] + [(c.pk, f"{c.code} {c.title}"[:80]) for c in criteria if not c.child_count]


class SurveyCreateForm(forms.Form):
    template = forms.ChoiceField(label=_("问卷模板"), required=False, choices=builtin.choices,
                                 help_text=_("内置模板的题目、欢迎语和结束语都可以再修改。"))
    title = forms.CharField(label=_("问卷名称"), max_length=200, required=False, help_text=_("留空则用模板名称。"))
    audience = forms.ChoiceField(label=_("作答对象"), required=False, choices=[("", _("按模板"))] + Audience.choices)
    criterion = forms.TypedChoiceField(label=_("关联测评指标"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = criterion_choices(criteria)

    def clean(self):
        data = super().clean()
        if not data.get("template") and not data.get("title"):
            self.add_error("title", _("从空白问卷开始时请填写问卷名称。"))
        return data


class SurveySettingsForm(forms.Form):
    title = forms.CharField(label=_("问卷名称"), max_length=200)
    welcome = forms.CharField(label=_("欢迎语"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    thanks = forms.CharField(label=_("结束语"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.ChoiceField(label=_("计算指标"), choices=Measure.choices)
    criterion = forms.TypedChoiceField(label=_("关联测评指标"), coerce=int, required=False, empty_value=None,
                                       help_text=_("结果按“比率 × 该项分值”建议自查得分。"))
    target_size = forms.IntegerField(label=_("目标样本量"), required=False, min_value=1, max_value=1_000_000,
                                     help_text=_("达到后自动结束收集；留空表示不限。"))
    opens_at = forms.DateTimeField(label=_("开始时间"), required=False, widget=DATETIME, input_formats=DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label=_("截止时间"), required=False, widget=DATETIME, input_formats=DATETIME_FORMATS,
                                    help_text=_("到时自动结束收集。"))
    min_seconds = forms.IntegerField(label=_("最短作答时间（秒）"), min_value=0, max_value=3600,
                                     help_text=_("少于这个时间提交的答卷标记为“作答过快”，留待审核。"))
    chinese_only = Survey._meta.get_field("chinese_only").formfield()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = criterion_choices(criteria)
        for value, label in Group.choices:
            self.fields[f"quota_{value}"] = forms.IntegerField(
                label=_("“%(g)s”配额") % {"g": label}, required=False, min_value=0, max_value=1_000_000)

    def quota_fields(self):
        return [self[f"quota_{value}"] for value in Group.values]

    def quotas(self) -> dict:
        return {value: self.cleaned_data.get(f"quota_{value}") for value in Group.values}

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("截止时间应晚于开始时间。"))
        return data


class QuestionForm(forms.Form):
    section = forms.CharField(label=_("所属部分"), max_length=100, required=False,
                              help_text=_("同一部分的题目排在一起显示，如“满意度评价”“意见建议”。"))
    kind = forms.ChoiceField(label=_("题型"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("题目"), max_length=300)
    options = forms.CharField(label=_("选项"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("单选题、多选题填写，每行一个。"))
    answer_key = forms.CharField(label=_("正确答案"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("知晓率测试填写，每行一个，须与选项一致。"))
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    counts = forms.BooleanField(label=_("计入比率"), required=False,
                                help_text=_("满意度题计入满意率；有正确答案的题计入知晓率。"))

    def values(self) -> dict:
        data = self.cleaned_data
        return {**data, "options": data["options"].splitlines(), "answer_key": data["answer_key"].splitlines()}


class PointForm(forms.Form):
    name = forms.CharField(label=_("抽样点"), max_length=100, help_text=_("如“诉讼服务中心窗口”“幸福里社区”。"))
    quota = forms.IntegerField(label=_("配额"), required=False, min_value=1, max_value=1_000_000,
                               help_text=_("留空表示不限。"))


class ExcludeForm(forms.Form):
    excluded = forms.BooleanField(required=False)
    reason = forms.CharField(label=_("剔除原因"), max_length=200, required=False)
