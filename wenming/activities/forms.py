from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.activities.models import Activity, ActivityDocument
from wenming.core.forms import PickerSelectMultiple

DATETIME = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=200, help_text=_("如“2021年3月道德讲堂”“党组会议（第3次）”。"))
    kind = forms.TypedChoiceField(label=_("活动类型"), coerce=int)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    department = forms.TypedChoiceField(label=_("组织部门"), coerce=int, required=False, empty_value=None)
    organiser = forms.TypedChoiceField(label=_("组织人"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("状态"), choices=Activity.Status.choices, initial=Activity.Status.PLANNED)
    description = forms.CharField(label=_("活动内容"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    summary = forms.CharField(label=_("活动总结"), required=False, max_length=10000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("活动结束后填写：参加人数、主要内容、效果。"))
    criteria = forms.TypedMultipleChoiceField(
        label=_("测评指标"), coerce=int, required=False, widget=PickerSelectMultiple,
        help_text=_("活动的方案、通知、签到表、照片和总结自动作为这些指标的创建材料，不必重复上传。"))
    tasks = forms.TypedMultipleChoiceField(label=_("工作任务"), coerce=int, required=False, widget=PickerSelectMultiple)
    attendance_expires_at = forms.DateTimeField(label=_("签到截止时间"), required=False, widget=DATETIME,
                                                input_formats=DATETIME_FORMATS,
                                                help_text=_("留空表示不限；过了这个时间扫码不能再签到。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kinds=(), departments=(), people=(), criteria=(), tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.pk, k.name) for k in kinds]
        self.fields["department"].choices = [("", "—")] + [(d.pk, d.name) for d in departments]
        self.fields["organiser"].choices = [("", "—")] + [
            (p.pk, f"{p.real_name}（{p.department.name if p.department_id else '—'}）") for p in people]
        self.fields["criteria"].choices = [(c.pk, ("　" * (c.depth - 1)) + f"{c.code} {c.title}"[:70]) for c in criteria]
        self.fields["criteria"].widget.attrs["size"] = 10
        self.fields["tasks"].choices = [(t.pk, f"{t.number}. {t.title[:60]}") for t in tasks]
        self.fields["tasks"].widget.attrs["size"] = 6

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("结束时间不能早于开始时间。"))
        return data


class DocumentForm(forms.Form):
    step = forms.ChoiceField(label=_("环节"), choices=ActivityDocument.Step.choices)
    title = forms.CharField(label=_("材料名称"), max_length=200, required=False,
                            help_text=_("留空则用“活动名称（环节）”。"))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("会议纪要"), required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 8}))
    decisions = forms.CharField(label=_("议定事项"), required=False, max_length=10000,
                                widget=forms.Textarea(attrs={"rows": 5}), help_text=_("每行一项。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class KindForm(forms.Form):
    name = forms.CharField(label=_("类型名称"), max_length=40)
    is_meeting = forms.BooleanField(label=_("属于会议（可填写会议纪要）"), required=False)


class KindEditForm(KindForm):
    is_active = forms.BooleanField(label=_("启用（停用后登记新活动时不再列出，已登记的活动不变）"), required=False)


class CodeForm(forms.Form):
    expires_at = forms.DateTimeField(label=_("签到截止时间"), required=False, widget=DATETIME,
                                     input_formats=DATETIME_FORMATS, help_text=_("留空表示不限。"))


class VolunteerUploadForm(forms.Form):
    file = forms.FileField(label=_("志愿服务时长导出文件"),
                           help_text=_("从“志愿汇”或“全国志愿服务信息系统”导出的 .xlsx 或 .csv 文件；"
                                       "需含姓名、服务时长、服务日期，最好含手机号。"))
