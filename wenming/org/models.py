"""Organisation and people: the unit (tenant boundary), its department tree, its users and their roles."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

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


class Department(models.Model):
    """部门 (庭室处队): a node of the unit's department tree."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="departments", verbose_name=_("单位"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级部门")
    )
    name = models.CharField(_("部门名称"), max_length=60)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

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


class User(AbstractUser):
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
    version = models.PositiveIntegerField(default=1, editable=False)

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
        """The person's roles, read once per request (or from a prefetch in lists)."""
        if not self.is_authenticated or self.pk is None:
            return frozenset()
        return frozenset(assignment.role for assignment in self.role_assignments.all())

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
