"""The unit's security policy (等保 2.0) applied at sign-in and on every request."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.org.models import PasswordHistory, SecurityPolicy, Unit
from wenming.org.roles import Role

HISTORY_KEPT = 24


def policy_for(unit: Unit | None) -> SecurityPolicy:
    """The unit's saved policy, or the defaults (unsaved) when the security administrator kept them."""
    if unit is None:
        return SecurityPolicy()
    try:
        return unit.security_policy  # loaded with the signed-in person by UnitModelBackend
    except SecurityPolicy.DoesNotExist:
        return SecurityPolicy(unit=unit)


def _policy_for_username(username: str | None) -> SecurityPolicy:
    if not username:
        return SecurityPolicy()
    user = get_user_model().objects.filter(username=username).select_related("unit").first()
    return policy_for(user.unit if user else None)


def _username(request, credentials=None) -> str | None:
    credentials = credentials or getattr(request, "axes_credentials", None) or {}
    return credentials.get("username") or (request.POST.get("username") if request is not None else None)


def lockout_failure_limit(request, credentials) -> int:
    """django-axes asks this how many failures lock the account (AXES_FAILURE_LIMIT)."""
    return _policy_for_username(_username(request, credentials)).lockout_failures


def lockout_cool_off(request) -> timedelta:
    """django-axes asks this how long a lock lasts (AXES_COOLOFF_TIME)."""
    return timedelta(minutes=_policy_for_username(_username(request)).lockout_minutes)


class PolicyPasswordValidator:
    """Length and no-reuse from the person's unit policy (the fixed complexity rule is ComplexityValidator)."""

    def validate(self, password: str, user=None) -> None:
        policy = policy_for(getattr(user, "unit", None))
        if len(password) < policy.password_min_length:
            raise ValidationError(
                _("密码至少须有 %(count)d 位。") % {"count": policy.password_min_length}, code="password_too_short_policy"
            )
        if user is None or user.pk is None or policy.password_history == 0:
            return
        # The current password plus the ones it replaced: the last N the person has used.
        earlier = [user.password] if user.password else []
        earlier += list(user.password_history.values_list("password", flat=True)[: policy.password_history - 1])
        if any(check_password(password, hashed) for hashed in earlier if hashed):
            raise ValidationError(
                _("不能使用最近 %(count)d 次用过的密码。") % {"count": policy.password_history}, code="password_reused"
            )

    def get_help_text(self) -> str:
        return _("密码长度和不得重复使用的次数由本单位安全策略规定。")


def password_history_record(user, replaced_hash: str) -> None:
    """Keep the hash of the password just replaced, so the policy can refuse it for a while."""
    if not replaced_hash:
        return
    PasswordHistory.objects.create(user=user, password=replaced_hash)
    stale = user.password_history.values_list("pk", flat=True)[HISTORY_KEPT:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def password_expired(user, policy: SecurityPolicy) -> bool:
    if not policy.password_expiry_days:
        return False
    changed = user.password_changed_at or user.date_joined
    return changed + timedelta(days=policy.password_expiry_days) < timezone.now()


class SecurityPolicyMiddleware:
    """Per request: idle timeout, one session per account, forced or expired password change, required 2FA."""

    EXEMPT_PREFIXES = ("/static/", "/api/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.EXEMPT_PREFIXES):
            return self.get_response(request)
        policy = policy_for(user.unit)
        request.session.set_expiry(policy.idle_minutes * 60)
        if policy.single_session and user.current_session_key and user.current_session_key != request.session.session_key:
            logout(request)
            messages.warning(request, _("您的账号已在别处登录，本处登录已失效。如非本人操作，请立即修改密码。"))
            return redirect("login")
        allowed = {reverse("password_change"), reverse("logout"), reverse("set_language"), reverse("otp_verify"),
                   reverse("otp_setup")}
        if request.path in allowed:
            return self.get_response(request)
        if user.must_change_password:
            return redirect("password_change")
        if password_expired(user, policy):
            messages.warning(request, _("您的密码已超过 %(days)d 天未修改，请设置新密码。") % {"days": policy.password_expiry_days})
            return redirect("password_change")
        if not user.is_verified():
            if self._has_authenticator(request, user):
                return redirect(f"{reverse('otp_verify')}?next={request.get_full_path()}")
            if policy.totp_required_for_admins and user.has_role(Role.ADMIN, Role.SECURITY):
                messages.warning(request, _("本单位要求系统管理员和安全管理员使用动态口令登录，请先绑定动态口令。"))
                return redirect("otp_setup")
        return self.get_response(request)

    @staticmethod
    def _has_authenticator(request, user) -> bool:
        """Asked once per session: enrolling later verifies the session, so the answer cannot go stale."""
        key = "wenming_has_authenticator"
        if key not in request.session:
            request.session[key] = user.totpdevice_set.filter(confirmed=True).exists()
        return request.session[key]
