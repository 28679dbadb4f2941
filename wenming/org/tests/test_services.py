"""Organisation services: 三员分立, audit rows, department tree rules, concurrent edits, passwords."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from wenming.audit.models import AuditEvent
from wenming.core.errors import ConcurrentEditError
from wenming.org import services
from wenming.org.models import Department, RoleAssignment, User
from wenming.org.roles import Role
from wenming.org.validators import ComplexityValidator
from wenming.testing import PASSWORD, make_user

STRONG = "Strong#Pass2026"
STALE = "此记录已被他人修改"


def roles_of(user) -> set[str]:
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


# --- 三员分立 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("roles", "named"), [
    ({Role.ADMIN, Role.SECURITY}, ("系统管理员", "安全管理员")),
    ({Role.ADMIN, Role.AUDITOR}, ("系统管理员", "审计管理员")),
    ({Role.SECURITY, Role.AUDITOR}, ("安全管理员", "审计管理员")),
    ({Role.ADMIN, Role.SECURITY, Role.AUDITOR, Role.STAFF}, ("系统管理员", "安全管理员", "审计管理员")),
])
def test_security_officer_cannot_give_one_person_two_of_the_three_separated_roles(cast, roles, named):
    person = cast["staff_a"]

    with pytest.raises(ValidationError) as caught:
        services.user_set_roles(actor=cast["security"], user=person, roles=roles)

    [message] = caught.value.messages
    assert message.startswith("三员分立：系统管理员、安全管理员、审计管理员须由不同的人担任，不能同时授予：")
    assert all(label in message.split("不能同时授予：")[1] for label in named)
    assert roles_of(person) == {Role.STAFF}
    assert not AuditEvent.objects.filter(verb="org.roles_changed").exists()


def test_security_officer_may_give_one_separated_role_alone(cast):
    person = services.user_set_roles(actor=cast["security"], user=cast["staff_a"], roles={Role.AUDITOR})

    assert roles_of(person) == {Role.AUDITOR}
    assert person.role_set == {Role.AUDITOR}


def test_roles_screen_refuses_two_separated_roles_with_the_chinese_message(cast, client_for):
    person = cast["staff_a"]

    response = client_for(cast["security"]).post(
        reverse("org:person_roles", kwargs={"pk": person.pk}), {"roles": [Role.ADMIN, Role.AUDITOR]}
    )

    assert response.status_code == 200
    assert "三员分立" in response.content.decode()
    assert roles_of(person) == {Role.STAFF}


def test_security_officer_cannot_drop_their_own_security_role(cast):
    with pytest.raises(ValidationError, match="不能撤销自己的安全管理员角色"):
        services.user_set_roles(actor=cast["security"], user=cast["security"], roles={Role.STAFF})

    assert roles_of(cast["security"]) == {Role.SECURITY}


# --- audit rows with before and after -------------------------------------------------------------------------


def test_creating_a_person_writes_an_audit_row_with_the_new_values(cast):
    person = services.user_create(
        actor=cast["admin"], unit=cast.unit, username="wangwu", real_name="王五", password=STRONG,
        department=cast.dept_a, phone="139 1234 5678",
    )

    event = AuditEvent.objects.get(verb="org.user_created")
    assert (event.actor, event.unit, event.object_id) == (cast["admin"], cast.unit, str(person.pk))
    assert event.object_type == "org.user"
    assert event.before is None
    assert event.after == {
        "username": "wangwu", "real_name": "王五", "job_title": "", "phone": "13912345678", "email": "",
        "department_id": cast.dept_a.pk, "is_active": True, "roles": [Role.STAFF],
    }
    assert person.must_change_password is True
    assert person.password not in str(event.after)


def test_updating_a_person_writes_before_and_after(cast):
    person = cast["staff_a"]

    services.user_update(actor=cast["admin"], user=person, real_name="干警甲", department=cast.dept_b,
                         job_title="书记员", expected_version=person.version)

    event = AuditEvent.objects.get(verb="org.user_updated")
    assert event.before["department_id"] == cast.dept_a.pk
    assert event.after["department_id"] == cast.dept_b.pk
    assert (event.before["job_title"], event.after["job_title"]) == ("", "书记员")
    assert event.actor == cast["admin"]


def test_changing_roles_writes_before_and_after(cast):
    services.user_set_roles(actor=cast["security"], user=cast["staff_a"], roles={Role.LIAISON, Role.STAFF})

    event = AuditEvent.objects.get(verb="org.roles_changed")
    assert event.before == {"roles": [Role.STAFF]}
    assert event.after == {"roles": [Role.LIAISON, Role.STAFF]}
    assert event.actor == cast["security"]
    assert event.object_id == str(cast["staff_a"].pk)


def test_resetting_a_password_is_audited_without_the_password_and_forces_a_change(cast):
    person = cast["staff_a"]

    person = services.user_reset_password(actor=cast["admin"], user=person, password=STRONG)

    event = AuditEvent.objects.get(verb="org.password_reset")
    assert (event.actor, event.object_id) == (cast["admin"], str(person.pk))
    assert event.before == {"must_change_password": False}
    assert event.after == {"must_change_password": True}
    person.refresh_from_db()
    assert person.must_change_password is True
    assert person.check_password(STRONG)
    assert STRONG not in str(event.before) + str(event.after)
    assert person.password not in str(event.before) + str(event.after)


def test_resetting_to_a_weak_password_is_refused_and_not_audited(cast):
    with pytest.raises(ValidationError) as caught:
        services.user_reset_password(actor=cast["admin"], user=cast["staff_a"], password="password")

    assert "password" in caught.value.message_dict
    assert cast["staff_a"].check_password(PASSWORD)
    assert not AuditEvent.objects.filter(verb="org.password_reset").exists()


def test_department_changes_are_audited_with_before_and_after(cast):
    department = services.department_create(actor=cast["admin"], unit=cast.unit, name="执行局", order=5)
    services.department_update(actor=cast["admin"], department=department, name="执行局", parent=cast.dept_a,
                               order=5, is_active=False, expected_version=department.version)

    created = AuditEvent.objects.get(verb="org.department_created")
    assert created.after == {"name": "执行局", "parent_id": None, "order": 5, "is_active": True}
    updated = AuditEvent.objects.get(verb="org.department_updated")
    assert (updated.before["parent_id"], updated.after["parent_id"]) == (None, cast.dept_a.pk)
    assert (updated.before["is_active"], updated.after["is_active"]) == (True, False)


# --- departments --------------------------------------------------------------------------------------------


def test_department_with_sub_departments_cannot_be_deleted(cast):
    parent = Department.objects.create(unit=cast.unit, name="政治部")
    Department.objects.create(unit=cast.unit, name="干部科", parent=parent)

    with pytest.raises(ValidationError, match="下还有下级部门"):
        services.department_delete(actor=cast["admin"], department=parent)

    assert Department.objects.filter(pk=parent.pk).exists()
    assert not AuditEvent.objects.filter(verb="org.department_deleted").exists()


def test_department_with_members_cannot_be_deleted(cast):
    with pytest.raises(ValidationError, match="还有人员"):
        services.department_delete(actor=cast["admin"], department=cast.dept_a)

    assert Department.objects.filter(pk=cast.dept_a.pk).exists()


def test_department_with_only_former_members_still_cannot_be_deleted(cast):
    lonely = Department.objects.create(unit=cast.unit, name="研究室")
    former = make_user("p_former", cast.unit, lonely, [Role.STAFF])
    former.is_active = False
    former.save()

    with pytest.raises(ValidationError, match="还有人员"):
        services.department_delete(actor=cast["admin"], department=lonely)


def test_empty_department_is_deleted_and_the_deletion_audited(cast):
    empty = Department.objects.create(unit=cast.unit, name="研究室", order=7)

    services.department_delete(actor=cast["admin"], department=empty)

    assert not Department.objects.filter(pk=empty.pk).exists()
    event = AuditEvent.objects.get(verb="org.department_deleted")
    assert event.before == {"name": "研究室", "parent_id": None, "order": 7, "is_active": True}
    assert event.object_repr == "研究室"


def test_delete_screen_shows_why_a_department_was_not_deleted(cast, client_for):
    response = client_for(cast["admin"]).post(reverse("org:department_delete", kwargs={"pk": cast.dept_a.pk}),
                                              follow=True)

    assert "还有人员" in response.content.decode()
    assert Department.objects.filter(pk=cast.dept_a.pk).exists()


def test_department_cannot_be_moved_under_itself(cast):
    with pytest.raises(ValidationError) as caught:
        services.department_update(actor=cast["admin"], department=cast.dept_a, name="民一庭", parent=cast.dept_a,
                                   order=1, is_active=True)

    assert caught.value.message_dict["parent"] == ["不能把部门放到它自己或它的下级部门之下。"]


def test_department_cannot_be_moved_under_its_own_descendant(cast):
    child = Department.objects.create(unit=cast.unit, name="一组", parent=cast.dept_a)
    grandchild = Department.objects.create(unit=cast.unit, name="一组一队", parent=child)

    with pytest.raises(ValidationError, match="下级部门之下"):
        services.department_update(actor=cast["admin"], department=cast.dept_a, name="民一庭", parent=grandchild,
                                   order=1, is_active=True)

    cast.dept_a.refresh_from_db()
    assert cast.dept_a.parent is None


def test_department_cannot_hang_under_another_units_department(cast):
    with pytest.raises(ValidationError, match="上级部门不属于本单位"):
        services.department_create(actor=cast["admin"], unit=cast.unit, name="新庭", parent=cast.other_dept)


def test_department_names_are_unique_in_a_unit_whatever_the_case(cast):
    services.department_create(actor=cast["admin"], unit=cast.unit, name="IT科")

    with pytest.raises(ValidationError, match="本单位已有同名部门"):
        services.department_create(actor=cast["admin"], unit=cast.unit, name="it科")

    services.department_create(actor=cast["outsider"], unit=cast.other_unit, name="IT科")


# --- concurrent edits ---------------------------------------------------------------------------------------


def test_second_person_editing_from_a_stale_form_does_not_overwrite_the_first(cast):
    person = cast["staff_a"]
    opened_version = person.version
    services.user_update(actor=cast["admin"], user=person, real_name="第一次保存", department=cast.dept_a,
                         expected_version=opened_version)

    with pytest.raises(ConcurrentEditError) as caught:
        services.user_update(actor=cast["admin"], user=person, real_name="第二次保存", department=cast.dept_b,
                             expected_version=opened_version)

    assert STALE in caught.value.messages[0]
    assert caught.value.current.real_name == "第一次保存"
    person.refresh_from_db()
    assert (person.real_name, person.department, person.version) == ("第一次保存", cast.dept_a, opened_version + 1)
    assert AuditEvent.objects.filter(verb="org.user_updated").count() == 1


def test_stale_department_edit_is_refused_and_nothing_overwritten(cast):
    department = cast.dept_a
    opened_version = department.version
    services.department_update(actor=cast["admin"], department=department, name="民事审判第一庭", parent=None,
                               order=1, is_active=True, expected_version=opened_version)

    with pytest.raises(ConcurrentEditError):
        services.department_update(actor=cast["admin"], department=department, name="民一庭（旧名）", parent=None,
                                   order=9, is_active=False, expected_version=opened_version)

    department.refresh_from_db()
    assert (department.name, department.order, department.is_active) == ("民事审判第一庭", 1, True)


def test_person_edit_screen_answers_409_when_someone_saved_first(cast, client_for):
    person = cast["staff_a"]
    stale_version = person.version
    services.user_update(actor=cast["admin"], user=person, real_name="别人先改", department=cast.dept_a,
                         expected_version=stale_version)

    response = client_for(cast["admin"]).post(reverse("org:person_edit", kwargs={"pk": person.pk}), {
        "username": person.username, "real_name": "我后改", "department": cast.dept_b.pk, "version": stale_version,
    })

    assert response.status_code == 409
    assert STALE in response.content.decode()
    person.refresh_from_db()
    assert (person.real_name, person.department) == ("别人先改", cast.dept_a)


def test_department_edit_screen_answers_409_when_someone_saved_first(cast, client_for):
    department = cast.dept_b
    stale_version = department.version
    services.department_update(actor=cast["admin"], department=department, name="别人先改", parent=None, order=2,
                               is_active=True, expected_version=stale_version)

    response = client_for(cast["admin"]).post(reverse("org:department_edit", kwargs={"pk": department.pk}), {
        "name": "我后改", "parent": "", "order": 3, "is_active": "on", "version": stale_version,
    })

    assert response.status_code == 409
    assert STALE in response.content.decode()
    department.refresh_from_db()
    assert (department.name, department.order) == ("别人先改", 2)


def test_person_edit_screen_saves_with_the_current_version(cast, client_for):
    person = cast["staff_a"]

    response = client_for(cast["admin"]).post(reverse("org:person_edit", kwargs={"pk": person.pk}), {
        "username": person.username, "real_name": "新名字", "department": cast.dept_b.pk, "version": person.version,
    })

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.real_name, person.department, person.version) == ("新名字", cast.dept_b, 2)


# --- forced password change ---------------------------------------------------------------------------------


def test_person_with_an_initial_password_is_sent_to_the_password_page_first(cast, client_for):
    person = cast["staff_a"]
    person.must_change_password = True
    person.save()
    client = client_for(person)

    for url in (reverse("home"), reverse("org:people"), reverse("org:departments")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200


def test_changing_the_initial_password_clears_the_flag_and_is_audited(cast, client_for):
    person = cast["staff_a"]
    person = services.user_reset_password(actor=cast["admin"], user=person, password=STRONG)
    client = client_for(person)

    response = client.post(reverse("password_change"), {
        "old_password": STRONG, "new_password1": "Mine#Own2026x", "new_password2": "Mine#Own2026x",
    })

    assert response.status_code == 302
    assert response.url == reverse("home")
    person.refresh_from_db()
    assert person.must_change_password is False
    assert person.check_password("Mine#Own2026x")
    event = AuditEvent.objects.get(verb="auth.password_changed")
    assert (event.actor, event.object_id, event.unit) == (person, str(person.pk), cast.unit)
    assert client.get(reverse("org:people")).status_code == 200, "the session survives the change"


def test_password_page_refuses_a_weak_new_password_and_keeps_the_flag(cast, client_for):
    person = cast["staff_a"]
    person = services.user_reset_password(actor=cast["admin"], user=person, password=STRONG)

    response = client_for(person).post(reverse("password_change"), {
        "old_password": STRONG, "new_password1": "simplepass1", "new_password2": "simplepass1",
    })

    assert response.status_code == 200
    assert "密码须同时包含大写字母、小写字母、数字和特殊符号" in response.content.decode()
    person.refresh_from_db()
    assert person.must_change_password is True
    assert not AuditEvent.objects.filter(verb="auth.password_changed").exists()


# --- password rules -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("password", "missing"), [
    ("abcdefgh", "大写字母、数字、特殊符号"),
    ("ABCDEFG1", "小写字母、特殊符号"),
    ("Abcdefg1", "特殊符号"),
    ("Abcdefg#", "数字"),
    ("!!!!1234", "大写字母、小写字母"),
])
def test_password_complexity_names_what_is_missing(password, missing):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        ComplexityValidator().validate(password)

    assert caught.value.messages == [f"密码须同时包含大写字母、小写字母、数字和特殊符号，缺少：{missing}。"]
    assert caught.value.error_list[0].code == "password_too_simple"


def test_password_with_all_four_kinds_passes_complexity():
    ComplexityValidator().validate("Abcdef1#")


def test_configured_validators_refuse_short_and_common_passwords(db):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password("Ab1#")

    assert any("8" in message for message in caught.value.messages)
    with pytest.raises(ValidationError):
        validate_password("Password1!")  # mixes everything, but is on the common-password list
    validate_password(STRONG)


def test_creating_a_person_with_a_weak_password_names_the_password_field(cast):
    users_before = User.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.user_create(actor=cast["admin"], unit=cast.unit, username="wangwu", real_name="王五",
                             password="wangwu123")

    assert "password" in caught.value.message_dict
    assert User.objects.count() == users_before


def test_changing_ones_own_password_applies_the_password_rules_outside_the_form_too(cast):
    person = cast["staff_a"]

    with pytest.raises(ValidationError) as caught:
        services.user_change_own_password(user=person, password="short")

    assert "password" in caught.value.message_dict
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
