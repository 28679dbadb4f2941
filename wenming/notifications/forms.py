from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.notifications.models import Preference, UnitSettings, WebhookEndpoint
from wenming.notifications.verbs import EVENT_LABELS
from wenming.org.models import Department


class PreferenceForm(forms.Form):
    email_frequency = forms.ChoiceField(label=_("邮件通知"), choices=Preference.Frequency.choices,
                                        widget=forms.RadioSelect,
                                        help_text=_("站内通知始终开启。默认每周一封汇总邮件，避免邮件过多。"))
    review_notice = forms.ChoiceField(label=_("材料提交审核的通知"), choices=Preference.ReviewNotice.choices,
                                      widget=forms.RadioSelect, required=False,
                                      help_text=_("有部门提交或重新提交材料待您审核时：默认每天汇总通知一次；选“即时”则每次提交都通知。"))

    def __init__(self, *args, reviewer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not reviewer:  # only the 创建办 reviews evidence
            del self.fields["review_notice"]


class UnitSettingsForm(forms.ModelForm):
    class Meta:
        model = UnitSettings
        fields = ["reminder_days"]


class WebhookForm(forms.ModelForm):
    verbs = forms.MultipleChoiceField(label=_("推送的事件"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=list(EVENT_LABELS.items()), help_text=_("不选表示推送全部事件。"))
    url = forms.URLField(label=_("Webhook 地址"), max_length=500, assume_scheme="https",
                         help_text=_("在群机器人设置中复制，如 https://oapi.dingtalk.com/robot/send?access_token=…"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "platform", "url", "secret", "verbs", "is_active"]
        widgets = {"secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.secret:  # never sent back to the browser
            self.fields["secret"].help_text = _("已设置加签密钥；留空表示不修改。")

    def clean_secret(self):
        secret = self.cleaned_data["secret"].strip()
        if not secret and self.instance.pk:
            return WebhookEndpoint.objects.filter(pk=self.instance.pk).values_list("secret", flat=True).first() or ""
        return secret

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.startswith(("http://", "https://")):
            raise forms.ValidationError(_("Webhook 地址须以 http:// 或 https:// 开头。"))
        return url


class CorrectionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    notify_again = forms.BooleanField(label=_("再次提醒所有接收人（标题前注明“更正”）"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    departments = forms.ModelMultipleChoiceField(
        label=_("发送范围"), queryset=Department.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("不选表示发送给全单位。"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.restrict(user).filter(is_active=True).order_by(
            "order", "id")
