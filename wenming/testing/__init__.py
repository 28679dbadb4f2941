"""The fixed cast of personas used by every permission test (STYLE.md §5)."""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from wenming.org.models import Department, RoleAssignment, Unit, User
from wenming.org.roles import Role

PASSWORD = "Persona#2026"

PERSONA_NAMES = (
    "admin", "security", "auditor", "office", "leader", "liaison_a", "staff_a", "liaison_b", "evaluator",
    "outsider", "anonymous",
)


@dataclass
class Cast:
    unit: Unit
    other_unit: Unit
    city: Unit
    dept_a: Department
    dept_b: Department
    other_dept: Department
    users: dict[str, User | None] = field(default_factory=dict)

    def __getitem__(self, name: str) -> User | None:
        return self.users[name]


def make_user(username: str, unit: Unit, department: Department | None, roles, real_name: str = "") -> User:
    user = User.objects.create(
        username=username, real_name=real_name or username, unit=unit, department=department,
        password=make_password(PASSWORD),
    )
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=role) for role in roles])
    return user


def build_cast() -> Cast:
    unit = Unit.objects.create(name="测试市中级人民法院")
    other_unit = Unit.objects.create(name="测试区人民法院")
    city = Unit.objects.create(name="测试市文明办", kind=Unit.Kind.OVERSIGHT)
    dept_a = Department.objects.create(unit=unit, name="民一庭", order=1)
    dept_b = Department.objects.create(unit=unit, name="民二庭", order=2)
    office_dept = Department.objects.create(unit=unit, name="机关党委", order=3)
    other_dept = Department.objects.create(unit=other_unit, name="办公室", order=1)
    cast = Cast(unit=unit, other_unit=other_unit, city=city, dept_a=dept_a, dept_b=dept_b, other_dept=other_dept)
    cast.users = {
        "admin": make_user("p_admin", unit, office_dept, [Role.ADMIN], "管理员"),
        "security": make_user("p_security", unit, office_dept, [Role.SECURITY], "安全员"),
        "auditor": make_user("p_auditor", unit, office_dept, [Role.AUDITOR], "审计员"),
        "office": make_user("p_office", unit, office_dept, [Role.OFFICE, Role.STAFF], "创建办"),
        "leader": make_user("p_leader", unit, office_dept, [Role.LEADER, Role.STAFF], "院领导"),
        "liaison_a": make_user("p_liaison_a", unit, dept_a, [Role.LIAISON, Role.STAFF], "联络员甲"),
        "staff_a": make_user("p_staff_a", unit, dept_a, [Role.STAFF], "干警甲"),
        "liaison_b": make_user("p_liaison_b", unit, dept_b, [Role.LIAISON, Role.STAFF], "联络员乙"),
        "evaluator": make_user("p_evaluator", city, None, [Role.EVALUATOR], "测评员"),
        "outsider": make_user("p_outsider", other_unit, other_dept, [Role.OFFICE, Role.ADMIN, Role.STAFF], "外单位"),
        "anonymous": None,
    }
    return cast


# --- Browser journeys (Playwright pages over the live server)

def browser_page(browser, width: int = 1280, height: int = 900, **options):
    """A fresh context and page that records console errors (CSP violations show up there)."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    return context, page


def browser_sign_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real form and wait for the 工作台."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def api_token_for(user) -> str:
    """An API key for `user`, issued as the “API 令牌” screen issues it, for tests that call the API as a system."""
    from wenming.org.services import api_token_issue

    return api_token_issue(actor=user, user=user, name="测试")[1]
