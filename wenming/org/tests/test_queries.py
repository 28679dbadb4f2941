"""Every org list page and list endpoint runs the same number of queries for 5 people or 50 (DESIGN.md §6)."""

import pytest
from django.urls import reverse

from wenming.org.models import Department
from wenming.org.roles import Role
from wenming.testing import make_user

SIZES = [5, 50]
# Every signed-in page also reads the session and the user, and saves the session (the idle timeout slides);
# pages add the person's roles, unit and department tree for the menu.


def add_people(cast, count: int) -> None:
    """`count` more colleagues spread over new departments (a sub-department each), with a role or two."""
    departments = []
    for index in range(max(1, count // 5)):
        parent = Department.objects.create(unit=cast.unit, name=f"庭室{index}", order=10 + index)
        departments += [parent, Department.objects.create(unit=cast.unit, name=f"庭室{index}组", parent=parent)]
    for index in range(count):
        roles = [Role.STAFF, Role.LIAISON] if index % 3 == 0 else [Role.STAFF]
        make_user(f"extra{index}", cast.unit, departments[index % len(departments)], roles, f"人员{index}")
    make_user("extra_other_unit", cast.other_unit, cast.other_dept, [Role.STAFF])


@pytest.mark.parametrize("size", SIZES)
def test_people_list_query_count_does_not_grow_with_people(cast, client_for, django_assert_num_queries, size):
    add_people(cast, size)
    client = client_for(cast["admin"])

    with django_assert_num_queries(12):
        response = client.get(reverse("org:people"))

    assert response.status_code == 200
    assert "人员1" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_people_list_filtered_partial_query_count_does_not_grow(cast, client_for, django_assert_num_queries, size):
    add_people(cast, size)
    client = client_for(cast["office"])

    with django_assert_num_queries(12):
        response = client.get(reverse("org:people"), {"role": Role.STAFF, "q": "人员", "active": ""},
                              headers={"HX-Request": "true"})

    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_department_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries, size):
    add_people(cast, size)
    client = client_for(cast["admin"])

    with django_assert_num_queries(9):
        response = client.get(reverse("org:departments"))

    assert response.status_code == 200
    assert "庭室0组" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_api_department_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries, size):
    add_people(cast, size)
    client = client_for(cast["staff_a"])

    with django_assert_num_queries(7):
        response = client.get("/api/v1/departments/")

    assert response.status_code == 200
    assert response.json()["count"] == Department.objects.filter(unit=cast.unit).count()


@pytest.mark.parametrize("size", SIZES)
def test_api_user_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries, size):
    add_people(cast, size)
    client = client_for(cast["staff_a"])

    with django_assert_num_queries(8):
        response = client.get("/api/v1/users/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 9 + size - 1  # the unit's cast (evaluator and outsider are elsewhere) plus the extras
    assert all(row["roles"] for row in body["results"])
