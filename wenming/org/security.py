"""The unit's security policy (等保 2.0) applied at sign-in and on every request."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.org.models import PasswordHistory, SecurityPolicy, Unit
from wenming.org.roles import SEPARATED_ROLES

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


def totp_required(user, policy: SecurityPolicy) -> bool:
    """三员 (system, security and audit administrators) sign in with a TOTP when the unit's policy says so."""
    return policy.totp_required_for_admins and user.has_role(*SEPARATED_ROLES)


def account_locked(user) -> bool:
    """django-axes has locked the account: the unit policy's number of failed sign-ins within its lockout minutes
    (the same count axes keeps per username, AXES_LOCKOUT_PARAMETERS)."""
    from axes.models import AccessAttempt

    policy = policy_for(user.unit)
    since = timezone.now() - timedelta(minutes=policy.lockout_minutes)
    failures = (AccessAttempt.objects.filter(username=user.get_username(), attempt_time__gte=since)
                .aggregate(total=Sum("failures_since_start"))["total"] or 0)
    return failures >= policy.lockout_failures


def api_access_refusal(user) -> str | None:
    """Why an account may not use the API right now (None when it may): disabled, locked, a password it must
    change first, or a required authenticator it does not hold (never enrolled, or removed since). Asked for every
    token request and before a token is issued."""
    if not user.is_active:
        return _("账号已停用。")
    if account_locked(user):
        return _("账号因连续登录失败已被锁定，请稍后再试。")
    if user.must_change_password:
        return _("须先修改初始密码（网页登录后按提示修改），才能使用接口。")
    policy = policy_for(user.unit)
    if password_expired(user, policy):
        return _("密码已超过 %(days)d 天未修改，须先在网页上修改密码，才能使用接口。") % {
            "days": policy.password_expiry_days}
    if totp_required(user, policy) and not has_confirmed_totp(user):
        return _("本单位要求三员使用动态口令登录：请先绑定动态口令，才能使用接口。")
    return None


def has_confirmed_totp(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def api_refusal(status: int, detail: str, code: str) -> JsonResponse:
    """The API's answer when a sign-in rule stops a request: JSON like DRF's errors, not a redirect to a page."""
    response = JsonResponse({"detail": detail, "code": code}, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = "Token"
    return response


class SecurityPolicyMiddleware:
    """Per request a session authenticates — pages and API alike: idle timeout, one session per account, forced or
    expired password change, required 2FA. Pages redirect to the step that is missing; the API answers 401/403 JSON
    naming it. Token requests are checked by `ApiTokenAuthentication` (the same rules)."""

    EXEMPT_PREFIXES = ("/static/", "/healthz", "/health.json")
    API_PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.EXEMPT_PREFIXES):
            return self.get_response(request)
        api = request.path.startswith(self.API_PREFIX)
        policy = policy_for(user.unit)
        request.session.set_expiry(policy.idle_minutes * 60)
        if policy.single_session and user.current_session_key and user.current_session_key != request.session.session_key:
            logout(request)
            message = _("您的账号已在别处登录，本处登录已失效。如非本人操作，请立即修改密码。")
            if api:
                return api_refusal(401, message, "session_displaced")
            messages.warning(request, message)
            return redirect("login")
        allowed = {reverse("password_change"), reverse("logout"), reverse("set_language"), reverse("otp_verify"),
                   reverse("otp_setup")}
        if request.path in allowed:
            return self.get_response(request)
        if user.must_change_password:
            if api:
                return api_refusal(403, _("须先修改初始密码：请在网页上登录并按提示修改密码。"), "password_change_required")
            return redirect("password_change")
        if password_expired(user, policy):
            message = _("您的密码已超过 %(days)d 天未修改，请设置新密码。") % {"days": policy.password_expiry_days}
            if api:
                return api_refusal(403, message, "password_expired")
            messages.warning(request, message)
            return redirect("password_change")
        if not user.is_verified():
            if self._has_authenticator(request, user, api):
                if api:
                    return api_refusal(401, _("登录尚未完成：请先输入动态口令。"), "otp_required")
                return redirect(f"{reverse('otp_verify')}?next={request.get_full_path()}")
            if totp_required(user, policy):
                message = _("本单位要求系统管理员、安全管理员和审计管理员使用动态口令登录，请先绑定动态口令。")
                if api:
                    return api_refusal(403, message, "otp_setup_required")
                messages.warning(request, message)
                return redirect("otp_setup")
        return self.get_response(request)

    @staticmethod
    def _has_authenticator(request, user, api: bool) -> bool:
        """Pages ask once per session (enrolling later verifies the session, so the answer cannot go stale); the API
        reads what the backend loaded with the person, and asks the database only if it did not."""
        if api and hasattr(user, "has_authenticator"):
            return user.has_authenticator
        key = "wenming_has_authenticator"
        if key not in request.session:
            request.session[key] = user.totpdevice_set.filter(confirmed=True).exists()
        return request.session[key]
