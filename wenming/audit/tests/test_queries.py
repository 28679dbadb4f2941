"""The audit log list runs the same number of queries for 5 rows or 50 (DESIGN.md §6)."""

import pytest
from django.urls import reverse

from wenming.audit.services import Origin, audit_record
from wenming.org.roles import Role
from wenming.testing import make_user


def add_events(cast, count: int) -> None:
    """`count` audit rows of the unit by several people, with before/after, plus one of another unit."""
    people = [make_user(f"actor{index}", cast.unit, cast.dept_a, [Role.STAFF], f"操作人{index}") for index in range(3)]
    for index in range(count):
        audit_record(actor=people[index % 3], verb="org.user_updated", obj=cast["staff_a"],
                     before={"job_title": f"旧{index}"}, after={"job_title": f"新{index}"},
                     origin=Origin(ip="10.0.0.1", request_id=f"req{index}"))
    audit_record(actor=cast["outsider"], verb="org.user_updated", obj=cast["outsider"])


@pytest.mark.parametrize("size", [5, 50])
def test_audit_list_query_count_does_not_grow_with_rows(cast, client_for, django_assert_num_queries, size):
    add_events(cast, size)
    client = client_for(cast["auditor"])

    # session, user, count, page, the auditor's roles, unit and department tree for the menu, session save
    with django_assert_num_queries(10):
        response = client.get(reverse("audit:events"))

    assert response.status_code == 200
    assert "操作人1" in response.content.decode()


@pytest.mark.parametrize("size", [5, 50])
def test_filtered_audit_partial_query_count_does_not_grow(cast, client_for, django_assert_num_queries, size):
    add_events(cast, size)
    client = client_for(cast["auditor"])

    with django_assert_num_queries(10):
        response = client.get(reverse("audit:events"), {"verb": "org.user_updated", "q": "操作人"},
                              headers={"HX-Request": "true"})

    assert response.status_code == 200
