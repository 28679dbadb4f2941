"""Two-factor sign-in (TOTP, 等保 level 3) and the unit's security policy screen."""

import base64

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenming.core.access import get_for_user, role_required
from wenming.core.errors import ConcurrentEditError
from wenming.core.forms import add_errors
from wenming.core.trail import Origin, audit_record
from wenming.org import services
from wenming.org.models import SecurityPolicy, User
from wenming.org.roles import Role
from wenming.org.security import policy_for


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("动态口令"), regex=r"^\d{6}$", max_length=6,
        error_messages={"invalid": gettext_lazy("请输入手机验证器上显示的6位数字。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


class PolicyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SecurityPolicy
        fields = list(services.POLICY_FIELDS)


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@never_cache
@login_required
def otp_verify(request):
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect("otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = devices[0]
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_safe_next(request))
        audit_record(actor=request.user, verb="auth.otp_failed", obj=request.user, origin=Origin.from_request(request))
        form.add_error("token", _("动态口令不正确或已过期，请看验证器上最新的数字。") if allowed
                       else _("错误次数过多，请稍候再试。"))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _safe_next(request, "")})


@never_cache
@login_required
def otp_setup(request):
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        messages.info(request, _("您已绑定动态口令。如需更换手机，请联系系统管理员解除后重新绑定。"))
        return redirect("home")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("手机验证器"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(actor=request.user, verb="auth.otp_enrolled", obj=request.user,
                             origin=Origin.from_request(request))
            otp_login(request, device)
            messages.success(request, _("动态口令已绑定。以后登录时须输入验证器上的6位数字。"))
            return redirect("home")
        form.add_error("token", _("动态口令不正确，请确认手机时间准确后重试。"))
    qr_data_uri = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {"form": form, "qr_data_uri": qr_data_uri,
               "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))}
    return render(request, "registration/otp_setup.html", context)


@require_POST
@login_required
def person_otp_reset(request, pk):
    """The system administrator removes a person's authenticator (a lost phone)."""
    person, _can_edit = get_for_user(User.objects.visible_to(request.user), User.objects.editable_by(request.user), pk,
                                     need_edit=True)
    try:
        services.refuse_administrator_takeover(person)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("org:person_edit", pk=person.pk)
    with transaction.atomic():
        removed, _counts = TOTPDevice.objects.filter(user=person).delete()
        audit_record(actor=request.user, verb="auth.otp_removed", obj=person, after={"devices": removed},
                     origin=Origin.from_request(request))
    messages.success(request, _("已解除“%(name)s”的动态口令，本人下次登录时可重新绑定。") % {"name": person.real_name})
    return redirect("org:person_edit", pk=person.pk)


@role_required(Role.SECURITY)
def security_policy(request):
    policy = policy_for(request.user.unit)
    form = PolicyForm(request.POST or None, instance=policy, initial={"version": policy.version})
    if request.method == "POST" and form.is_valid():
        values = {field: form.cleaned_data[field] for field in services.POLICY_FIELDS}
        try:
            services.security_policy_update(
                actor=request.user, unit=request.user.unit, values=values,
                expected_version=form.cleaned_data["version"], origin=Origin.from_request(request),
            )
        except ConcurrentEditError as error:
            form.add_error(None, error)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("安全策略已保存，立即生效。"))
            return redirect("org:security_policy")
    return render(request, "org/security_policy.html", {"form": form})
