"""Steps of install.sh that need Django: run with the installation's Python and environment.

    install_helper.py accounts      the unit and its first 系统管理员, 安全管理员 and 审计管理员 (三员分立)
    install_helper.py has-accounts  exit 0 when the 三员 accounts exist already, 1 when they are still to be made
    install_helper.py database      "sqlite <path>" or the vendor name: how install.sh sets a failed upgrade aside
    install_helper.py empty-database    drop every table (PostgreSQL), before restoring the backup of a failed upgrade

Account names come from WENMING_UNIT_NAME, WENMING_ADMIN, WENMING_SECURITY, WENMING_AUDITOR and their passwords
from WENMING_ADMIN_PASSWORD, WENMING_SECURITY_PASSWORD, WENMING_AUDITOR_PASSWORD (never from the command line,
where other users of the machine could read them). Each person must change the password at first sign-in.
"""

import os
import sys


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")
    import django

    django.setup()


def accounts() -> int:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from wenming.audit.services import audit_record
    from wenming.org.models import RoleAssignment, Unit, User
    from wenming.org.roles import Role
    from wenming.org.services import USER_AUDIT_FIELDS

    existing = User.objects.filter(role_assignments__role__in=[Role.ADMIN, Role.SECURITY, Role.AUDITOR])
    if existing.exists():
        names = "、".join(sorted(existing.values_list("username", flat=True).distinct()))
        print(f"已有三员账号（{names}），不再创建。")
        return 0
    unit_name = os.environ.get("WENMING_UNIT_NAME", "").strip()
    wanted = [
        (Role.ADMIN, os.environ.get("WENMING_ADMIN", "").strip(), os.environ.get("WENMING_ADMIN_PASSWORD", "")),
        (Role.SECURITY, os.environ.get("WENMING_SECURITY", "").strip(),
         os.environ.get("WENMING_SECURITY_PASSWORD", "")),
        (Role.AUDITOR, os.environ.get("WENMING_AUDITOR", "").strip(), os.environ.get("WENMING_AUDITOR_PASSWORD", "")),
    ]
    missing = [flag for flag, value in (("--unit-name", unit_name),) if not value] + [
        item for (role, username, password), flag in zip(wanted, ("admin", "security", "auditor"), strict=True)
        for item in ((f"--{flag}",) if not username else ()) + ((f"WENMING_{flag.upper()}_PASSWORD",) if not password else ())
    ]
    if missing:
        print("缺少三员账号信息（无终端时须用选项和环境变量给出）：" + "、".join(missing), file=sys.stderr)
        return 2
    usernames = [username for _, username, _ in wanted]
    if len(set(usernames)) != 3:
        print("三员分立：系统管理员、安全管理员、审计管理员须是三个不同的账号名。", file=sys.stderr)
        return 2
    problems = []
    with transaction.atomic():
        unit, _ = Unit.objects.get_or_create(name=unit_name, defaults={"kind": Unit.Kind.UNIT})
        for role, username, password in wanted:
            label = str(Role(role).label)
            if User.objects.filter(username__iexact=username).exists():
                problems.append(f"{label}：账号名 {username} 已被使用")
                continue
            user = User(unit=unit, username=username, real_name=label, must_change_password=True)
            try:
                user.full_clean(exclude=["password"])
                validate_password(password, user)
            except ValidationError as error:
                problems.append(f"{label}（{username}）：" + " ".join(error.messages))
                continue
            user.set_password(password)
            user.save()
            RoleAssignment.objects.create(user=user, role=role)
            audit_record(actor=None, actor_name="install.sh", verb="org.user_created", obj=user, unit=unit,
                         after={**{f: getattr(user, f) for f in USER_AUDIT_FIELDS}, "roles": [role]})
        if problems:
            transaction.set_rollback(True)
    if problems:
        print("未创建任何账号：\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    print(f"已创建单位“{unit_name}”和三员账号：" + "、".join(
        f"{Role(role).label} {username}" for role, username, _ in wanted) + "（首次登录须修改密码）。")
    return 0


def has_accounts() -> int:
    from wenming.org.models import User
    from wenming.org.roles import Role

    return 0 if User.objects.filter(role_assignments__role__in=[Role.ADMIN, Role.SECURITY, Role.AUDITOR]).exists() else 1


def database() -> int:
    from django.db import connection

    if connection.vendor == "sqlite":
        print(f"sqlite {connection.settings_dict['NAME']}")
    else:
        print(connection.vendor)
    return 0


def empty_database() -> int:
    from django.db import connection

    if connection.vendor == "sqlite":
        print("SQLite：请移走数据库文件，而不是清空。", file=sys.stderr)
        return 2
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    print("已清空数据库中的数据表。")
    return 0


COMMANDS = {"accounts": accounts, "has-accounts": has_accounts, "database": database, "empty-database": empty_database}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    setup()
    sys.exit(COMMANDS[sys.argv[1]]())
