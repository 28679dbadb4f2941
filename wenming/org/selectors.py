"""Reads of organisation data. Each selector owns its query shape."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from wenming.org.models import Department, RoleAssignment, User


@dataclass
class TreeRow:
    department: Department
    depth: int
    member_count: int


def department_tree(*, user) -> list[TreeRow]:
    """The unit's departments in tree order (parents before children), with head counts: one query."""
    departments = list(
        Department.objects.visible_to(user)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("order", "id")
    )
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    rows: list[TreeRow] = []

    def walk(parent_id, depth):
        for department in children.get(parent_id, []):
            rows.append(TreeRow(department, depth, department.member_count))
            walk(department.pk, depth + 1)

    walk(None, 0)
    known = {row.department.pk for row in rows}
    rows.extend(TreeRow(d, 0, d.member_count) for d in departments if d.pk not in known)  # orphans, if any
    return rows


def department_choices(*, user) -> list[tuple[int, str]]:
    return [(row.department.pk, "　" * row.depth + row.department.name) for row in department_tree(user=user)]


def people_list(*, user, q: str = "", department_id: int | None = None, role: str = "", active: str = "1"):
    people = (
        User.objects.visible_to(user)
        .select_related("department", "unit")
        .prefetch_related(Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role")))
        .order_by("department__order", "department_id", "id")
    )
    if q:
        people = people.filter(
            Q(real_name__icontains=q) | Q(username__icontains=q) | Q(phone__icontains=q) | Q(job_title__icontains=q)
        )
    if department_id:
        people = people.filter(department_id=department_id)
    if role:
        people = people.filter(role_assignments__role=role)
    if active == "1":
        people = people.filter(is_active=True)
    elif active == "0":
        people = people.filter(is_active=False)
    return people
