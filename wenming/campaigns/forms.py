from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.campaigns.models import Campaign, RosterEntry, Task
from wenming.core.forms import PickerSelectMultiple

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(empty, pairs):
    return [("", empty), *pairs]


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200, help_text=_("如“2021年创建市级文明单位”。"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("创建级别"), choices=Campaign.Level.choices)
    standard = forms.TypedChoiceField(label=_("测评体系"), coerce=int, required=False, empty_value=None,
                                      help_text=_("只能选择已发布的版本。"))
    pass_score = forms.DecimalField(label=_("达标分数"), max_digits=7, decimal_places=1, required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, required=False,
                                help_text=_("不填则为当年1月1日。"))
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False, help_text=_("不填则为当年12月31日。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, standard_choices=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = _choices(_("（暂不选定）"), standard_choices)
        if editing:
            self.fields["status"] = forms.ChoiceField(label=_("状态"), choices=Campaign.Status.choices)
            self.fields["document_title"] = forms.CharField(label=_("正式文件标题"), max_length=200, required=False)
            self.fields["document_number"] = forms.CharField(label=_("文号"), max_length=60, required=False,
                                                             help_text=_("如“某法党〔2021〕5号”。"))
            self.fields["document"] = forms.FileField(label=_("正式文件（PDF 或 Word）"), required=False,
                                                      help_text=_("成立领导小组的红头文件；重新上传会替换原文件。"))
            self.fields["version"] = self.fields.pop("version")


class PhaseForm(forms.Form):
    name = forms.CharField(label=_("阶段名称"), max_length=60)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
    summary = forms.CharField(label=_("主要工作"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=200)
    due_on = forms.DateField(label=_("日期"), widget=DATE)


class RosterForm(forms.Form):
    person = forms.TypedChoiceField(label=_("人员"), coerce=int)
    role = forms.ChoiceField(label=_("职务"), choices=RosterEntry.Role.choices)
    department = forms.TypedChoiceField(label=_("联络部门"), coerce=int, required=False, empty_value=None,
                                        help_text=_("联络员不填时取本人所在部门。"))
    title = forms.CharField(label=_("现任职务"), max_length=100, required=False,
                            help_text=_("不填时取人员信息中的职务。"))

    def __init__(self, *args, people=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people
        self.fields["department"].choices = _choices(_("（无）"), departments)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("工作任务"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("工作要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    criteria = forms.TypedMultipleChoiceField(label=_("测评指标"), coerce=int, required=False,
                                              widget=PickerSelectMultiple,
                                              help_text=_("可多选：输入编号或名称筛选，回车添加。"))
    lead_department = forms.TypedChoiceField(label=_("牵头部门"), coerce=int, required=False, empty_value=None)
    co_departments = forms.TypedMultipleChoiceField(label=_("配合部门"), coerce=int, required=False,
                                                    widget=PickerSelectMultiple)
    owner = forms.TypedChoiceField(label=_("责任人"), coerce=int, required=False, empty_value=None)
    supervisor = forms.TypedChoiceField(label=_("分管领导"), coerce=int, required=False, empty_value=None)
    phase = forms.TypedChoiceField(label=_("阶段"), coerce=int, required=False, empty_value=None,
                                   help_text=_("不填时按完成时限自动归入阶段。"))
    due_text = forms.CharField(
        label=_("完成时限"), max_length=60, required=False,
        help_text=_("可直接写“2021年6月底前”“9月1日-10月31日”“每月”“每季度”“长期坚持”等，系统自动识别。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, criteria=(), departments=(), people=(), leaders=(), phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = criteria
        self.fields["lead_department"].choices = _choices(_("（未定）"), departments)
        self.fields["co_departments"].choices = departments
        self.fields["owner"].choices = _choices(_("（未定）"), people)
        self.fields["supervisor"].choices = _choices(_("（未定）"), leaders)
        self.fields["phase"].choices = _choices(_("（按时限自动）"), phases)


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("start", "submit", "approve", "return")])
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("留言"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("输入 @姓名 可提醒同事，对方会在“我的工作”中看到。"))


class BulkAssignForm(forms.Form):
    """批量分派: the ticked tasks (or every task matching the filter, `all_matching`) and what to set on them;
    a field left at （不变） changes nothing."""

    tasks = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)
    all_matching = forms.BooleanField(required=False)
    lead_department = forms.TypedChoiceField(label=_("牵头部门"), coerce=int, required=False, empty_value=None)
    co_departments = forms.TypedMultipleChoiceField(label=_("配合部门"), coerce=int, required=False,
                                                    widget=PickerSelectMultiple)
    owner = forms.TypedChoiceField(label=_("责任人"), coerce=int, required=False, empty_value=None)
    due_text = forms.CharField(label=_("完成时限"), max_length=60, required=False)
    phase = forms.TypedChoiceField(label=_("阶段"), coerce=int, required=False, empty_value=None)
    supervisor = forms.TypedChoiceField(label=_("分管领导"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, task_ids=(), departments=(), people=(), leaders=(), phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].choices = [(pk, pk) for pk in task_ids]
        self.fields["owner"].choices = _choices(_("（不变）"), people)
        self.fields["lead_department"].choices = _choices(_("（不变）"), departments)
        self.fields["co_departments"].choices = departments
        self.fields["phase"].choices = _choices(_("（不变）"), phases)
        self.fields["supervisor"].choices = _choices(_("（不变）"), leaders)

    def clean(self):
        data = super().clean()
        if not data.get("tasks") and not data.get("all_matching"):
            raise forms.ValidationError(_("请先勾选要分派的任务。"))
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("工作任务分解表（.xlsx、.xls，或含分解表的实施方案 .docx）"),
                           help_text=_("第一行可以是标题；表头可用“工作任务/工作内容”“牵头部门/责任部门”等常见写法。"))


TASK_STATUS_CHOICES = Task.Status.choices
