"""Demo organisation from the seed: 某某市人民法院, its departments, one account per persona."""

from django.contrib.auth.hashers import make_password

from wenming.org.models import Department, RoleAssignment, SecurityPolicy, Unit, User
from wenming.org.roles import Role

COURT = "某某市人民法院"
CITY_OFFICE = "某某市精神文明建设办公室"
OTHER_COURT = "某某区人民法院"
DEPARTMENTS = [
    "立案庭", "民一庭", "民二庭", "刑事审判庭", "行政审判庭", "执行局", "审判管理办公室", "政治部", "办公室",
    "机关党委", "司法警察支队", "研究室", "纪检监察组", "行装科", "工会",
]
PASSWORD = "Wenming@2026"

# username, real name, unit, department, job title, roles, label printed by `make run`
PEOPLE = [
    ("admin", "系统管理员", COURT, "办公室", "信息技术员", [Role.ADMIN], "系统管理员"),
    ("security", "安全管理员", COURT, "政治部", "保密干部", [Role.SECURITY], "安全管理员"),
    ("auditor", "审计管理员", COURT, "纪检监察组", "审计员", [Role.AUDITOR], "审计管理员"),
    ("office", "李文明", COURT, "机关党委", "机关党委专职副书记（创建办副主任）", [Role.OFFICE, Role.STAFF], "创建办"),
    ("leader", "王院长", COURT, "办公室", "党组书记、院长", [Role.LEADER, Role.STAFF], "领导"),
    ("deputy", "陈志远", COURT, "办公室", "党组成员、副院长", [Role.LEADER, Role.STAFF], "领导（副院长，领导小组副组长）"),
    ("liaison_a", "张联络", COURT, "民一庭", "书记员", [Role.LIAISON, Role.STAFF], "民一庭联络员"),
    ("staff_a", "赵干警", COURT, "民一庭", "法官助理", [Role.STAFF], "民一庭干警"),
    ("liaison_b", "陈联络", COURT, "民二庭", "书记员", [Role.LIAISON, Role.STAFF], "民二庭联络员"),
    ("evaluator", "孙测评", CITY_OFFICE, None, "测评员", [Role.EVALUATOR], "市文明办测评员"),
    ("outsider", "周外单位", OTHER_COURT, "办公室", "干警", [Role.STAFF, Role.OFFICE], "其他单位（看不到本院数据）"),
]


# A few more 干警 so lists look like a real court's; accounts demo01… with the same password.
STAFF = [
    ("刘洋", "立案庭", "审判员"), ("黄敏", "立案庭", "书记员"), ("吴磊", "民一庭", "审判员"), ("郑静", "民一庭", "书记员"),
    ("冯涛", "民二庭", "审判员"), ("何丽", "民二庭", "法官助理"), ("许强", "刑事审判庭", "庭长"),
    ("林芳", "刑事审判庭", "审判员"), ("高峰", "行政审判庭", "审判员"), ("罗娟", "执行局", "执行员"),
    ("梁超", "执行局", "执行员"), ("宋佳", "审判管理办公室", "主任"), ("唐亮", "政治部", "主任"),
    ("韩雪", "办公室", "秘书"), ("曹阳", "机关党委", "干事"), ("彭勇", "司法警察支队", "支队长"),
    ("董洁", "研究室", "副主任"), ("袁明", "纪检监察组", "组长"), ("邓辉", "行装科", "科长"), ("蒋琳", "工会", "干事"),
]


def load() -> list[tuple[str, str, str]]:
    court, _ = Unit.objects.get_or_create(name=COURT, defaults={"short_name": "市法院"})
    city, _ = Unit.objects.get_or_create(name=CITY_OFFICE, defaults={"short_name": "市文明办", "kind": Unit.Kind.OVERSIGHT})
    other, _ = Unit.objects.get_or_create(name=OTHER_COURT, defaults={"short_name": "区法院"})
    for order, name in enumerate(DEPARTMENTS, start=1):
        Department.objects.get_or_create(unit=court, name=name, defaults={"order": order})
    Department.objects.get_or_create(unit=other, name="办公室", defaults={"order": 1})
    # A new installation asks the 三员 for a TOTP; the demo relaxes that explicitly so it can be tried without a
    # phone (the security administrator turns it back on under 安全策略).
    for unit in (court, city, other):
        SecurityPolicy.objects.get_or_create(unit=unit, defaults={"totp_required_for_admins": False})
    units = {unit.name: unit for unit in (court, city, other)}
    hashed = make_password(PASSWORD)
    accounts = []
    for username, real_name, unit_name, department_name, job_title, roles, label in PEOPLE:
        unit = units[unit_name]
        department = Department.objects.get(unit=unit, name=department_name) if department_name else None
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"real_name": real_name, "unit": unit, "department": department, "job_title": job_title,
                      "password": hashed},
        )
        if created:
            RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=role) for role in roles])
        accounts.append((username, PASSWORD, label))
    departments = {d.name: d for d in Department.objects.filter(unit=court)}
    for number, (real_name, department_name, job_title) in enumerate(STAFF, start=1):
        user, created = User.objects.get_or_create(
            username=f"demo{number:02d}",
            defaults={"real_name": real_name, "unit": court, "department": departments[department_name],
                      "job_title": job_title, "password": hashed, "phone": f"1390000{number:04d}"},
        )
        if created:
            RoleAssignment.objects.create(user=user, role=Role.STAFF)
    return accounts
