from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import PickerSelectMultiple
from wenming.publicity.models import Channel, Level

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PublicityItemForm(forms.Form):
    """The item's particulars; the screenshot is `request.FILES["screenshot"]`, checked by the service."""

    title = forms.CharField(label=_("标题"), max_length=200)
    channel = forms.ChoiceField(label=_("宣传渠道"), choices=Channel.choices)
    level = forms.ChoiceField(label=_("媒体级别"), choices=Level.choices,
                              help_text=_("本单位内网、公众号选“本单位”。"))
    published_on = forms.DateField(label=_("发布日期"), widget=DATE)
    outlet = forms.CharField(label=_("刊发媒体"), max_length=100, required=False,
                             help_text=_("如“某某日报”“市法院微信公众号”。"))
    link = forms.URLField(label=_("链接"), max_length=1000, required=False, assume_scheme="https",
                          help_text=_("已发布内容的网址；内网稿件可只上传截图。"))
    screenshot = forms.FileField(label=_("截图"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                                 help_text=_("页面截图（图片）。截图或链接会同时作为所选测评指标的创建材料。"))
    department = forms.TypedChoiceField(label=_("供稿部门"), coerce=int, required=False, empty_value=None)
    author = forms.CharField(label=_("作者"), max_length=100, required=False)
    criteria = forms.TypedMultipleChoiceField(label=_("测评指标"), coerce=int, required=False,
                                              widget=PickerSelectMultiple,
                                              help_text=_("这篇报道可作为哪些指标的材料。输入编号或名称筛选，回车添加。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, criteria=(), departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [
            (c.pk, ("　" * (c.depth - 1)) + f"{c.code} {c.title}"[:70]) for c in criteria]
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].choices = [("", "—")] + list(departments)


class PublicityTargetForm(forms.Form):
    channel = forms.ChoiceField(label=_("宣传渠道"), choices=[("", _("（所有渠道）"))] + Channel.choices, required=False)
    level = forms.ChoiceField(label=_("媒体级别"), choices=[("", _("（所有级别）"))] + Level.choices, required=False)
    per_month = forms.IntegerField(label=_("每月至少（篇）"), min_value=1, max_value=999)
    note = forms.CharField(label=_("依据"), max_length=200, required=False,
                           help_text=_("如测评细则中的原文“每月至少1篇”。"))


class SuperiorReportForm(forms.Form):
    recipient = forms.CharField(label=_("报送单位"), max_length=100,
                                widget=forms.TextInput(attrs={"list": "recipient-list"}),
                                help_text=_("如“市文明办”“上级法院”。"))
    title = forms.CharField(label=_("标题"), max_length=200)
    reported_on = forms.DateField(label=_("报送日期"), widget=DATE)
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices)
    adopted = forms.BooleanField(label=_("已被采用"), required=False)
    adopted_note = forms.CharField(label=_("采用情况"), max_length=200, required=False,
                                   help_text=_("如“市文明办《创建简报》第12期采用”。"))
    file = forms.FileField(label=_("文件"), required=False, help_text=_("报送的稿件（PDF、Word 或图片）。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PracticeForm(forms.Form):
    source_unit = forms.CharField(label=_("来源单位"), max_length=100)
    title = forms.CharField(label=_("标题"), max_length=200)
    summary = forms.CharField(label=_("主要做法"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    tags = forms.CharField(label=_("标签"), max_length=200, required=False,
                           help_text=_("用逗号分隔，如“志愿服务,道德讲堂”。"))
    link = forms.URLField(label=_("链接"), max_length=1000, required=False, assume_scheme="https")
    file = forms.FileField(label=_("文件"), required=False, help_text=_("经验材料原文（PDF、Word 或图片）。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
