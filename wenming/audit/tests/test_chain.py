"""The audit log as a hash chain (issue 19): any row removed or altered behind the application's back is found,
by `wenming audit_verify` and on the auditor's screen; the database refuses DELETE on every backend."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from wenming.audit import chain
from wenming.audit.guard import purge_allowed
from wenming.audit.models import AuditChainHead, AuditEvent
from wenming.audit.services import Origin, audit_record


def record(cast, n: int = 1, **kwargs) -> list[AuditEvent]:
    return [audit_record(actor=cast["admin"], verb="org.user_updated", obj=cast["staff_a"],
                         before={"phone": "", "n": n, "ratio": 1.0, "big": 1e20, "items": (1, "二")},
                         after={"phone": f"1380000000{i}", 3: ["x"], "nested": {"b": None, "a": True}},
                         origin=Origin(ip="::ffff:10.0.0.1", request_id=f"r{i}"), **kwargs) for i in range(n)]


def behind_the_back(sql: str, params=()) -> None:
    """What someone with the database file could do: lift the guards, change rows, put the guards back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks: ALTER TABLE needs none
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            with purge_allowed():
                cursor.execute(sql, params)
            cursor.execute("CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent "
                           "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;")


def test_each_row_is_chained_to_the_one_before(cast):
    events = record(cast, 3)

    assert events[0].chain_prev == ""
    assert [e.chain_prev for e in events[1:]] == [e.chain_hash for e in events[:-1]]
    head = AuditChainHead.objects.get()
    assert (head.last_event_id, head.last_hash) == (events[-1].pk, events[-1].chain_hash)
    state = chain.verify()
    assert state.intact and state.checked == AuditEvent.objects.count()
    assert str(state).startswith("完整")


def test_an_altered_row_is_named(cast):
    events = record(cast, 4)
    behind_the_back("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["别人", events[2].pk])

    state = chain.verify()

    assert state.broken_at == events[2].pk
    assert str(state) == f"第 {events[2].pk} 条起被篡改：该条记录的内容被改动。"


def test_a_row_with_changed_json_is_named(cast):
    events = record(cast, 2)
    behind_the_back("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"phone": "1"}', events[0].pk])

    assert chain.verify().broken_at == events[0].pk


def test_a_removed_row_is_found_at_the_row_after_it(cast):
    events = record(cast, 4)
    behind_the_back("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])

    state = chain.verify()

    assert state.broken_at == events[2].pk
    assert "之前的记录被删除" in str(state)


def test_rows_cut_off_the_end_are_found(cast):
    events = record(cast, 3)
    behind_the_back("DELETE FROM audit_auditevent WHERE id >= %s", [events[1].pk])

    state = chain.verify()

    assert not state.intact
    assert str(state) == f"被篡改：链尾被截断：最后写入的记录（第 {events[-1].pk} 条）已不在日志中。"


def test_a_row_inserted_behind_the_back_is_found(cast):
    record(cast, 2)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_auditevent (created_at, actor_name, verb, object_type, object_id,"
                       " object_repr, request_id) VALUES (%s, 'x', 'org.user_updated', '', '', '', '')",
                       [connection.ops.adapt_datetimefield_value(AuditEvent.objects.first().created_at)])
    assert "不是由系统写入" in chain.verify().reason


def test_database_refuses_delete_even_of_every_row(cast):
    record(cast, 2)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")

    assert AuditEvent.objects.count() >= 2
    assert chain.guards_in_place()


def test_audit_verify_command_reports_and_fails_on_a_break(cast):
    events = record(cast, 3)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "完整" in out.getvalue()

    behind_the_back("UPDATE audit_auditevent SET verb = 'x' WHERE id = %s", [events[1].pk])
    with pytest.raises(SystemExit) as exited:
        call_command("audit_verify", stdout=out, stderr=out)
    assert exited.value.code == 1
    assert f"第 {events[1].pk} 条起被篡改" in out.getvalue()


def test_the_auditor_sees_the_chain_state(cast, client_for):
    events = record(cast, 2)
    client = client_for(cast["auditor"])

    page = client.get("/audit/").content.decode()
    assert "/audit/chain/" in page
    assert "完整" in client.get("/audit/chain/").content.decode()

    behind_the_back("UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [events[0].pk])
    state = client.get("/audit/chain/").content.decode()
    assert f"第 {events[0].pk} 条起被篡改" in state


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_chained_by_the_migration():
    """Rows written before the chain existed are chained, in id order, when the migration runs."""
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_audit_append_only")])
    with connection.cursor() as cursor:
        for number in range(3):
            cursor.execute(
                "INSERT INTO audit_auditevent (created_at, actor_name, verb, object_type, object_id, object_repr,"
                " request_id, after) VALUES (%s, %s, 'org.user_updated', '', '', '坏\x01标题', '', %s)",
                [f"2026-11-0{number + 1} 08:00:00.123456{'+00:00' if connection.vendor == 'postgresql' else ''}",
                 f"老记录{number}", '{"b": 1, "a": [2.0, "x"]}'])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    state = chain.verify()
    assert state.intact and state.checked == 3
    assert chain.guards_in_place()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain(cast):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time (BEGIN IMMEDIATE); the row lock matters on PostgreSQL")
    errors = []

    def write(index):
        try:
            for _ in range(5):
                with transaction.atomic():
                    audit_record(actor=None, verb="org.user_updated", unit=cast.unit, after={"writer": index})
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    state = chain.verify()
    assert state.intact and state.checked == AuditEvent.objects.count()
