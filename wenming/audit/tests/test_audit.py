"""The audit trail: append-only in code and in the database, read by the unit's auditor, fed by sign-ins."""

import io
from datetime import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wenming.audit.models import AppendOnlyError, AuditEvent
from wenming.audit.services import Origin, audit_record
from wenming.org.roles import Role
from wenming.testing import PASSWORD, make_user

LOGIN = "/accounts/login/"


def record(cast, **kwargs) -> AuditEvent:
    kwargs.setdefault("actor", cast["admin"])
    kwargs.setdefault("verb", "org.user_updated")
    kwargs.setdefault("obj", cast["staff_a"])
    return audit_record(**kwargs)


def insert_dated(unit, when: datetime, verb: str, actor_name: str) -> None:
    """An audit row written on an earlier day: INSERT is the only thing the table allows, so insert it so."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (created_at, actor_name, unit_id, verb, object_type, object_id, object_repr,"
            " request_id) VALUES (%s, %s, %s, %s, '', '', %s, '')",
            [connection.ops.adapt_datetimefield_value(when), actor_name, unit.pk, verb, f"{actor_name}的记录"],
        )


def listed(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- append-only --------------------------------------------------------------------------------------------


def test_saving_an_existing_audit_row_again_is_refused(cast):
    event = record(cast)
    event.verb = "org.nothing_happened"

    with pytest.raises(AppendOnlyError, match="只能追加"):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).verb == "org.user_updated"


def test_deleting_an_audit_row_is_refused(cast):
    event = record(cast)

    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_and_delete_of_audit_rows_are_refused(cast):
    event = record(cast)

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["verb"])

    assert AuditEvent.objects.get(pk=event.pk).verb == "org.user_updated"


def test_database_refuses_a_raw_update_of_an_audit_row(cast):
    event = record(cast)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET verb = %s WHERE id = %s", ["x", event.pk])

    assert AuditEvent.objects.get(pk=event.pk).verb == "org.user_updated"


def test_database_refuses_a_raw_delete_of_an_audit_row(cast):
    event = record(cast)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_row_names_actor_unit_object_and_origin(cast):
    event = record(cast, before={"phone": ""}, after={"phone": "13800000000"},
                   origin=Origin(ip="192.168.1.20", request_id="abc123"))

    event.refresh_from_db()
    assert event.actor_name == "管理员（p_admin）"
    assert event.unit == cast.unit
    assert (event.object_type, event.object_id, event.object_repr) == ("org.user", str(cast["staff_a"].pk), "干警甲")
    assert (event.ip, event.request_id) == ("192.168.1.20", "abc123")
    assert event.verb_label == "修改人员"


# --- the auditor's screen -----------------------------------------------------------------------------------


def test_auditor_filters_the_log_by_verb(cast, client_for):
    record(cast, verb="org.user_created", obj=cast["liaison_b"])
    record(cast, verb="org.department_deleted", obj=cast.dept_b)

    page = listed(client_for(cast["auditor"]).get(reverse("audit:events"), {"verb": "org.department_deleted"}))

    assert "删除部门" in page and "民二庭" in page
    assert "联络员乙" not in page


def test_auditor_filters_the_log_by_text(cast, client_for):
    record(cast, actor=cast["admin"], obj=cast["liaison_b"])
    record(cast, actor=cast["security"], verb="org.roles_changed", obj=cast["leader"])

    page = listed(client_for(cast["auditor"]).get(reverse("audit:events"), {"q": "院领导"}))

    assert "院领导" in page and "角色变更" in page
    assert "联络员乙" not in page


def test_auditor_filters_the_log_by_date(cast, client_for):
    tz = timezone.get_current_timezone()
    insert_dated(cast.unit, datetime(2025, 3, 1, 9, 0, tzinfo=tz), "auth.login", "三月的人")
    insert_dated(cast.unit, datetime(2025, 3, 2, 23, 59, tzinfo=tz), "auth.login", "三月二日深夜的人")
    insert_dated(cast.unit, datetime(2025, 4, 1, 0, 0, 1, tzinfo=tz), "auth.login", "四月的人")
    client = client_for(cast["auditor"])

    march = listed(client.get(reverse("audit:events"), {"date_from": "2025-03-01", "date_to": "2025-03-02"}))
    since_april = listed(client.get(reverse("audit:events"), {"date_from": "2025-04-01"}))

    assert "三月的人" in march and "三月二日深夜的人" in march and "四月的人" not in march
    assert "四月的人" in since_april and "三月的人" not in since_april


def test_auditor_ignores_a_malformed_date(cast, client_for):
    record(cast)

    page = listed(client_for(cast["auditor"]).get(reverse("audit:events"), {"date_from": "2025-13-45"}))

    assert "干警甲" in page


def test_auditor_exports_the_filtered_log_to_excel_and_the_export_is_audited(cast, client_for):
    record(cast, verb="org.user_updated", before={"job_title": "书记员"}, after={"job_title": "法官助理"},
           origin=Origin(ip="10.1.2.3"))
    record(cast, verb="org.department_created", obj=cast.dept_b)

    response = client_for(cast["auditor"]).get(reverse("audit:export"), {"verb": "org.user_updated"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "操作人", "操作", "对象", "对象类型", "对象编号", "IP 地址", "请求编号", "修改前", "修改后")
    assert len(rows) == 2
    row = rows[1]
    assert row[1:7] == ("管理员（p_admin）", "修改人员", "干警甲", "org.user", str(cast["staff_a"].pk), "10.1.2.3")
    assert (row[8], row[9]) == ('{"job_title": "书记员"}', '{"job_title": "法官助理"}')
    exported = AuditEvent.objects.get(verb="audit.exported")
    assert exported.actor == cast["auditor"]
    assert exported.unit == cast.unit
    assert exported.after["filters"]["verb"] == "org.user_updated"


def test_auditor_of_one_unit_never_sees_another_units_rows(cast, client_for):
    record(cast, actor=cast["admin"], obj=cast["staff_a"])
    record(cast, actor=cast["outsider"], obj=cast["outsider"])
    other_auditor = make_user("p_other_auditor", cast.other_unit, cast.other_dept, [Role.AUDITOR], "外单位审计员")

    ours = listed(client_for(cast["auditor"]).get(reverse("audit:events")))
    theirs = listed(client_for(other_auditor).get(reverse("audit:events")))
    exported = load_workbook(io.BytesIO(client_for(cast["auditor"]).get(reverse("audit:export")).content)).active
    all_rows = list(exported.iter_rows(min_row=2, values_only=True))
    exported_rows = [row for row in all_rows if row[2] == "修改人员"]

    assert "干警甲" in ours and "外单位" not in ours
    assert "外单位" in theirs and "干警甲" not in theirs
    assert [row[3] for row in exported_rows] == ["干警甲"]
    assert not any("外单位" in str(cell) for row in all_rows for cell in row)
    assert set(AuditEvent.objects.visible_to(other_auditor).values_list("unit_id", flat=True)) == {cast.other_unit.pk}


@pytest.mark.parametrize("persona", ["admin", "security", "office", "leader", "outsider"])
def test_nobody_but_an_auditor_reads_the_trail(cast, persona):
    record(cast)

    assert not AuditEvent.objects.visible_to(cast[persona]).exists()


# --- sign-in failures and lockout ---------------------------------------------------------------------------


def test_six_wrong_passwords_lock_the_account_even_against_the_right_password(cast):
    client = Client()  # a real sign-in through the form, not force_login
    username = cast["staff_a"].username

    responses = [client.post(LOGIN, {"username": username, "password": f"Wrong#{attempt}"}) for attempt in range(6)]
    rest = client.post(LOGIN, {"username": username, "password": PASSWORD})

    assert all(response.status_code == 200 for response in responses[:4]), "the first failures show the form again"
    assert "该账号连续多次密码错误，已被锁定15分钟" in responses[5].content.decode()
    assert "该账号连续多次密码错误" in rest.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.filter(verb="auth.login_failed", object_id=str(cast["staff_a"].pk))
    assert failed.count() >= 5
    assert failed.first().after == {"username": username}
    locked = AuditEvent.objects.filter(verb="auth.locked_out", object_id=str(cast["staff_a"].pk))
    assert locked.exists()
    assert locked.first().unit == cast.unit
    assert locked.first().ip == "127.0.0.1"


def test_lockout_of_one_account_leaves_colleagues_signing_in(cast):
    for attempt in range(6):
        Client().post(LOGIN, {"username": cast["staff_a"].username, "password": f"Wrong#{attempt}"})

    client = Client()
    response = client.post(LOGIN, {"username": cast["liaison_a"].username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast["liaison_a"].pk)
    assert AuditEvent.objects.filter(verb="auth.login", actor=cast["liaison_a"]).exists()


def test_failed_sign_in_with_an_unknown_username_is_still_recorded(db):
    Client().post(LOGIN, {"username": "nobody-here", "password": "whatever"})

    event = AuditEvent.objects.get(verb="auth.login_failed")
    assert (event.actor, event.actor_name, event.unit) == (None, "nobody-here", None)
