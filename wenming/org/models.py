"""Organisation and people: the unit (tenant boundary), its department tree, its users and their roles."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from wenming.core.models import Versioned
from wenming.org.querysets import DepartmentQuerySet, UnitQuerySet, UserQuerySet
from wenming.org.roles import Role


class Unit(models.Model):
    """单位: a court, a bureau, or a city's 文明办. Every record of a campaign belongs to exactly one."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("创建单位")
        OVERSIGHT = "oversight", _("文明办")

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.UNIT)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(Versioned):
    """部门 (庭室处队): a node of the unit's department tree."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="departments", verbose_name=_("单位"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级部门")
    )
    name = models.CharField(_("部门名称"), max_length=60)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                "unit", Lower("name"), name="org_department_unique_name_per_unit",
                violation_error_message=_("本单位已有同名部门。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WenmingUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser, Versioned):
    """A person who signs in: a 干警 of a unit, or an evaluator of a 文明办."""

    first_name = None
    last_name = None
    real_name = models.CharField(_("姓名"), max_length=40)
    job_title = models.CharField(_("职务"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("单位")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("部门")
    )
    must_change_password = models.BooleanField(_("须修改初始密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    current_session_key = models.CharField(max_length=40, blank=True, editable=False)

    objects = WenmingUserManager()

    REQUIRED_FIELDS = ["real_name"]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["department__order", "id"]

    def __str__(self) -> str:
        return self.real_name or self.username

    def get_full_name(self) -> str:
        return self.real_name

    def get_short_name(self) -> str:
        return self.real_name

    @cached_property
    def role_set(self) -> frozenset[str]:
        """The person's roles: from a prefetch in lists, else read once per data revision (`wenming.core.memo`:
        every page checks them; granting or removing a role is a write, so it counts at once)."""
        if not self.is_authenticated or self.pk is None:
            return frozenset()
        if "role_assignments" in getattr(self, "_prefetched_objects_cache", {}):
            return frozenset(assignment.role for assignment in self.role_assignments.all())
        from wenming.core.memo import memoized

        return memoized("role_set", self.pk, lambda: frozenset(
            RoleAssignment.objects.filter(user_id=self.pk).values_list("role", flat=True)))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.role_set]


class RoleAssignment(models.Model):
    """One role held by one person. 三员分立 is enforced by the service that assigns roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("人员"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"], name="org_role_unique_per_user",
                violation_error_message=_("此人已有该角色。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


def admin_totp_default() -> bool:
    """On in a new installation (等保 level 3); WENMING_ADMIN_TOTP_DEFAULT=0 relaxes it for a trial one."""
    from django.conf import settings

    return settings.WENMING_ADMIN_TOTP_DEFAULT


class SecurityPolicy(Versioned):
    """等保 2.0 controls of one unit, kept by its security administrator (安全管理员)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="security_policy", verbose_name=_("单位"))
    password_min_length = models.PositiveSmallIntegerField(_("密码最短长度"), default=8)
    password_expiry_days = models.PositiveSmallIntegerField(
        _("密码有效期（天）"), default=90, help_text=_("到期后须修改密码；0 表示不过期。")
    )
    password_history = models.PositiveSmallIntegerField(
        _("不得重复使用最近几次的密码"), default=5, help_text=_("0 表示不检查。")
    )
    lockout_failures = models.PositiveSmallIntegerField(_("连续登录失败几次后锁定"), default=5)
    lockout_minutes = models.PositiveSmallIntegerField(_("锁定时长（分钟）"), default=15)
    idle_minutes = models.PositiveSmallIntegerField(_("无操作自动退出（分钟）"), default=30)
    single_session = models.BooleanField(
        _("同一账号只允许一处登录"), default=False, help_text=_("在别处登录后，先前的登录自动失效。")
    )
    totp_required_for_admins = models.BooleanField(
        _("三员（系统管理员、安全管理员、审计管理员）须使用动态口令（双因素）登录"), default=admin_totp_default
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(password_min_length__gte=8) & models.Q(password_min_length__lte=64),
                name="org_policy_password_length_8_to_64",
                violation_error_message=_("密码最短长度须在 8 到 64 之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(lockout_failures__gte=1) & models.Q(lockout_failures__lte=20),
                name="org_policy_lockout_failures_1_to_20",
                violation_error_message=_("锁定前允许的失败次数须在 1 到 20 之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(idle_minutes__gte=5) & models.Q(idle_minutes__lte=480),
                name="org_policy_idle_5_to_480",
                violation_error_message=_("无操作自动退出时间须在 5 到 480 分钟之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(lockout_minutes__gte=1),
                name="org_policy_lockout_minutes_positive",
                violation_error_message=_("锁定时长至少 1 分钟。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self._meta.verbose_name}"


class PasswordHistory(models.Model):
    """Hashes of a person's earlier passwords, so the policy can refuse reuse."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """API 令牌: lets a system act as its owner through the API. Only a hash of the key is kept — the key itself is
    shown once, when it is issued. A token ends at its expiry, when revoked, and works only while the owner's
    account is active, unlocked and meets the unit's sign-in rules."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("人员"))
    name = models.CharField(_("用途"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌开头"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
