"""A stale save shows both versions side by side and overwrites nothing (DESIGN.md §6)."""

from django.urls import reverse

from wenming.org import services


def test_stale_person_save_shows_both_versions_and_keeps_the_first_save(cast, client_for):
    person = cast["staff_a"]
    opened_version = person.version
    services.user_update(actor=cast["admin"], user=person, real_name=person.real_name, department=person.department,
                         job_title="审判员（他人先保存）", expected_version=opened_version)

    response = client_for(cast["admin"]).post(reverse("org:person_edit", args=[person.pk]), {
        "real_name": person.real_name, "department": person.department_id, "job_title": "书记员（我的修改）",
        "phone": "", "email": "", "version": opened_version,
    })

    body = response.content.decode()
    assert response.status_code == 409
    assert "此记录已被他人修改" in body
    assert "他人保存的版本" in body and "审判员（他人先保存）" in body and "书记员（我的修改）" in body
    person.refresh_from_db()
    assert person.job_title == "审判员（他人先保存）"
    assert f'name="version" value="{person.version}"' in body, "the form now carries the saved version"


def test_stale_department_save_shows_both_versions(cast, client_for):
    department = cast.dept_a
    services.department_update(actor=cast["admin"], department=department, name="民事审判第一庭", parent=None,
                               order=1, is_active=True, expected_version=department.version)

    response = client_for(cast["admin"]).post(reverse("org:department_edit", args=[department.pk]), {
        "name": "民一庭（我的修改）", "parent": "", "order": 1, "is_active": "on", "version": 1,
    })

    body = response.content.decode()
    assert response.status_code == 409
    assert "民事审判第一庭" in body and "民一庭（我的修改）" in body
    department.refresh_from_db()
    assert department.name == "民事审判第一庭"
