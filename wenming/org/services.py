"""Writes to organisation data. Keyword-only, atomic, audited; the acting person is passed in."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.core.errors import check_version
from wenming.core.trail import Origin, audit_record
from wenming.org.models import ApiToken, Department, RoleAssignment, SecurityPolicy, Unit, User
from wenming.org.roles import SEPARATED_ROLES, Role
from wenming.org.security import api_access_refusal, password_history_record
from wenming.org.validators import normalise_phone

USER_AUDIT_FIELDS = ("username", "real_name", "job_title", "phone", "email", "department_id", "is_active")
DEPARTMENT_AUDIT_FIELDS = ("name", "parent_id", "order", "is_active")


def _snapshot(obj, fields) -> dict:
    return {field: getattr(obj, field) for field in fields}


def _check_parent(department: Department | None, parent: Department | None, unit: Unit) -> None:
    if parent is None:
        return
    if parent.unit_id != unit.pk:
        raise ValidationError({"parent": _("上级部门不属于本单位。")})
    node = parent
    while node is not None:
        if department is not None and node.pk == department.pk:
            raise ValidationError({"parent": _("不能把部门放到它自己或它的下级部门之下。")})
        node = node.parent


@transaction.atomic
def department_create(
    *, actor: User, unit: Unit, name: str, parent: Department | None = None, order: int = 0,
    origin: Origin | None = None,
) -> Department:
    _check_parent(None, parent, unit)
    department = Department(unit=unit, name=name.strip(), parent=parent, order=order)
    department.full_clean()
    department.save()
    audit_record(actor=actor, verb="org.department_created", obj=department,
                 after=_snapshot(department, DEPARTMENT_AUDIT_FIELDS), origin=origin)
    return department


@transaction.atomic
def department_update(
    *, actor: User, department: Department, name: str, parent: Department | None, order: int, is_active: bool,
    expected_version: int | None = None, origin: Origin | None = None,
) -> Department:
    department = Department.objects.select_for_update().get(pk=department.pk)
    check_version(department, expected_version)
    before = _snapshot(department, DEPARTMENT_AUDIT_FIELDS)
    _check_parent(department, parent, department.unit)
    department.name, department.parent, department.order, department.is_active = name.strip(), parent, order, is_active
    department.full_clean()
    department.save()
    audit_record(actor=actor, verb="org.department_updated", obj=department, before=before,
                 after=_snapshot(department, DEPARTMENT_AUDIT_FIELDS), origin=origin)
    return department


@transaction.atomic
def department_delete(*, actor: User, department: Department, origin: Origin | None = None) -> None:
    if department.children.exists():
        raise ValidationError(_("部门“%(name)s”下还有下级部门，请先移走或删除下级部门。") % {"name": department.name})
    if department.members.exists():
        raise ValidationError(_("部门“%(name)s”还有人员，请先调整这些人员的部门，或改为停用。") % {"name": department.name})
    audit_record(actor=actor, verb="org.department_deleted", obj=department,
                 before=_snapshot(department, DEPARTMENT_AUDIT_FIELDS), origin=origin)
    department.delete()


def check_department_owned(actor: User, department: Department | None, field: str = "department") -> None:
    """Work is filed only under a department the actor may own (`Department.objects.ownable_by`): the 创建办 any of the
    unit's, everyone else their own. Services call this, so the screens and the API refuse alike."""
    if department is None or Department.objects.ownable_by(actor).filter(pk=department.pk).exists():
        return
    own = actor.department.name if actor.department_id else None
    raise ValidationError({field: _("只能选择本部门（%(own)s）；其他部门的由创建办登记。") % {"own": own} if own
                           else _("只有创建办可以选择部门。")})


def _validate_person(user: User, unit: Unit) -> None:
    if user.department is not None and user.department.unit_id != unit.pk:
        raise ValidationError({"department": _("部门不属于本单位。")})
    try:
        user.phone = normalise_phone(user.phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
    user.full_clean(exclude=["password"])


@transaction.atomic
def user_create(
    *, actor: User, unit: Unit, username: str, real_name: str, password: str, department: Department | None = None,
    job_title: str = "", phone: str = "", email: str = "", roles: tuple[str, ...] = (Role.STAFF,),
    origin: Origin | None = None,
) -> User:
    """A new account with an initial password the person must change at first sign-in."""
    user = User(
        unit=unit, username=username.strip(), real_name=real_name.strip(), department=department,
        job_title=job_title.strip(), phone=phone, email=email.strip(), must_change_password=True,
    )
    _validate_person(user, unit)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=role) for role in roles])
    audit_record(actor=actor, verb="org.user_created", obj=user, unit=unit,
                 after={**_snapshot(user, USER_AUDIT_FIELDS), "roles": sorted(roles)}, origin=origin)
    return user


@transaction.atomic
def user_update(
    *, actor: User, user: User, real_name: str, department: Department | None, job_title: str = "",
    phone: str = "", email: str = "", expected_version: int | None = None, origin: Origin | None = None,
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    check_version(user, expected_version)
    before = _snapshot(user, USER_AUDIT_FIELDS)
    user.real_name, user.department, user.job_title = real_name.strip(), department, job_title.strip()
    user.phone, user.email = phone, email.strip()
    _validate_person(user, user.unit)
    user.save()
    audit_record(actor=actor, verb="org.user_updated", obj=user, before=before,
                 after=_snapshot(user, USER_AUDIT_FIELDS), origin=origin)
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool, origin: Origin | None = None) -> User:
    if user.pk == actor.pk and not active:
        raise ValidationError(_("不能停用自己的账号。"))
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = active
    user.version += 1
    user.save(update_fields=["is_active", "version"])
    audit_record(actor=actor, verb="org.user_activated" if active else "org.user_deactivated", obj=user,
                 before={"is_active": not active}, after={"is_active": active}, origin=origin)
    return user


@transaction.atomic
def user_reset_password(*, actor: User | None, user: User, password: str, origin: Origin | None = None) -> User:
    """The administrator sets a new initial password; the person must change it at next sign-in. A 三员 account's
    password is reset only on the server's command line (actor None), never by another administrator."""
    if actor is not None:
        refuse_administrator_takeover(user)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"must_change_password": user.must_change_password}
    replaced = user.password
    user.set_password(password)
    user.must_change_password = True
    user.version += 1
    user.save(update_fields=["password", "must_change_password", "version"])
    password_history_record(user, replaced)
    audit_record(actor=actor, actor_name="" if actor else "命令行",
                 verb="org.password_reset" if actor else "org.admin_password_reset", obj=user, before=before,
                 after={"must_change_password": True}, origin=origin)
    return user


@transaction.atomic
def user_change_own_password(*, user: User, password: str, origin: Origin | None = None) -> User:
    """The person replaces their password; the same rules hold whichever screen or client calls this."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    replaced = user.password
    user.set_password(password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    password_history_record(user, replaced)
    audit_record(actor=user, verb="auth.password_changed", obj=user, origin=origin)
    return user


def check_role_separation(roles: set[str]) -> None:
    """三员分立 (等保 2.0): the three administrator roles go to three people, and none of them holds a business role."""
    held = roles & SEPARATED_ROLES
    if len(held) > 1:
        labels = "、".join(str(Role(role).label) for role in sorted(held))
        raise ValidationError(
            _("三员分立：系统管理员、安全管理员、审计管理员须由不同的人担任，不能同时授予：%(roles)s。") % {"roles": labels}
        )
    business = roles - SEPARATED_ROLES
    if held and business:
        [admin_role] = held
        labels = "、".join(str(Role(role).label) for role in Role if role in business)
        raise ValidationError(
            _("三员分立：%(admin)s不能兼任业务角色（%(roles)s）。请为业务工作另设账号。")
            % {"admin": Role(admin_role).label, "roles": labels}
        )


def is_administrator(user: User) -> bool:
    """One of the 三员: their accounts are not reset by one another (no one takes over another's account)."""
    return user.has_role(*SEPARATED_ROLES)


def refuse_administrator_takeover(user: User) -> None:
    if is_administrator(user):
        raise ValidationError(
            _("三员分立：系统管理员、安全管理员、审计管理员的密码和动态口令不能在网页或接口上重置，"
              "须由服务器运维人员在服务器上执行 wenming reset_admin_password %(username)s（记入审计日志）。")
            % {"username": user.username}
        )


@transaction.atomic
def user_set_roles(*, actor: User, user: User, roles: set[str], origin: Origin | None = None) -> User:
    roles = {Role(role).value for role in roles}
    check_role_separation(roles)
    if user.pk == actor.pk and Role.SECURITY in user.role_set and Role.SECURITY not in roles:
        raise ValidationError(_("不能撤销自己的安全管理员角色，请由另一位安全管理员操作。"))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = sorted(user.role_assignments.values_list("role", flat=True))
    user.role_assignments.exclude(role__in=roles).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=role) for role in roles - set(before)]
    )
    audit_record(actor=actor, verb="org.roles_changed", obj=user, before={"roles": before},
                 after={"roles": sorted(roles)}, origin=origin)
    user.__dict__.pop("role_set", None)
    return user


POLICY_FIELDS = (
    "password_min_length", "password_expiry_days", "password_history", "lockout_failures", "lockout_minutes",
    "idle_minutes", "single_session", "totp_required_for_admins",
)


@transaction.atomic
def security_policy_update(
    *, actor: User, unit: Unit, values: dict, expected_version: int | None = None, origin: Origin | None = None
) -> SecurityPolicy:
    """The security administrator changes the unit's sign-in rules."""
    policy, _created = SecurityPolicy.objects.select_for_update().get_or_create(unit=unit)
    check_version(policy, expected_version if not _created else None)
    before = _snapshot(policy, POLICY_FIELDS)
    for field in POLICY_FIELDS:
        if field in values:
            setattr(policy, field, values[field])
    policy.full_clean()
    policy.save()
    audit_record(actor=actor, verb="org.security_policy_changed", obj=policy, unit=unit, before=before,
                 after=_snapshot(policy, POLICY_FIELDS), origin=origin)
    return policy


@transaction.atomic
def api_token_issue(
    *, actor: User | None, user: User, name: str, origin: Origin | None = None
) -> tuple[ApiToken, str]:
    """A new API token for `user` (actor None: the server's command line); returns the token and its key, which is
    shown once and never stored. Only an account that meets the unit's sign-in rules gets one."""
    from wenming.org.tokens import key_hash, new_key, token_lifetime

    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌的用途，例如“办公系统对接”。")})
    refusal = api_access_refusal(user)
    if refusal:
        raise ValidationError(refusal)
    key = new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=key_hash(key), prefix=key[:8],
                                    expires_at=timezone.now() + token_lifetime())
    audit_record(actor=actor, actor_name="" if actor else "命令行", verb="org.api_token_issued", obj=user, unit=user.unit,
                 after={"token": token.pk, "name": name, "prefix": token.prefix,
                        "expires_at": token.expires_at.isoformat()}, origin=origin)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken, origin: Origin | None = None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, actor_name="" if actor else "命令行", verb="org.api_token_revoked", obj=token.user, unit=token.user.unit,
                     after={"token": token.pk, "name": token.name, "prefix": token.prefix}, origin=origin)
    return token
