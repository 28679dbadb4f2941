"""`wenming backup` and `wenming restore`: a consistent, checksummed copy that comes back whole, or not at all."""

import contextlib
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from wenming.audit.guard import purge_allowed
from wenming.audit.models import AuditEvent
from wenming.audit.services import Origin, audit_record
from wenming.core.backup import BackupError, Manifest, backup_create, backup_restore, backup_verify
from wenming.org.models import Department, RoleAssignment, SecurityPolicy, Unit, User
from wenming.org.services import security_policy_update

REPO = Path(__file__).resolve().parents[3]
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
# Rows whose ids `migrate` hands out itself: compared by natural key, not by id.
NATURAL = {"contenttypes.contenttype", "auth.permission", "auth.group_permissions", "org.user_user_permissions"}

STORED_FILES = {
    "evidence/2026/会议纪要.txt": "第一次创建工作会议纪要\n".encode(),
    "evidence/2026/photos/现场.bin": bytes(range(256)) * 64,
    "readme.txt": b"top level",
}


def project_models():
    from wenming.core.backup import _dumpable_models

    return _dumpable_models(connection)


def all_rows() -> dict[str, list[dict]]:
    """Every row of every backed-up table, by model, in pk order (ids of content types and permissions aside)."""
    rows = {}
    for model in project_models():
        label = model._meta.label_lower
        if label not in NATURAL:
            rows[label] = list(model._base_manager.order_by("pk").values())
    rows["natural:permissions"] = sorted(
        (p.codename, p.content_type.app_label, p.content_type.model) for p in Permission.objects.all()
    )
    rows["natural:user_permissions"] = sorted(
        (u.username, p.codename) for u in User.objects.all() for p in u.user_permissions.all()
    )
    rows["natural:group_permissions"] = sorted(
        (g.name, p.codename) for g in Group.objects.all() for p in g.permissions.all()
    )
    return rows


def wipe_everything() -> None:
    """What an empty database looks like: every table of the backup emptied, content types included."""
    tables = [model._meta.db_table for model in project_models()]
    if connection.vendor == "postgresql":  # TRUNCATE inside the test's transaction: settle deferred checks first
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with purge_allowed():  # emptying the whole database, as `flush` does (SQLite's trigger refuses other deletes)
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, allow_cascade=True))
    ContentType.objects.clear_cache()


def wipe_storage() -> None:
    for name in STORED_FILES:
        default_storage.delete(name)


@pytest.fixture
def populated(cast):
    """The cast, plus rows of every kind the apps have today and a few files in storage."""
    office = cast["office"]
    security_policy_update(actor=cast["security"], unit=cast.unit, values={"lockout_failures": 7, "idle_minutes": 45})
    audit_record(actor=office, verb="org.department_changed", obj=cast.dept_a,
                 before={"名称": "民一庭", "nested": {"b": 1, "a": [1, 2.5]}}, after={"名称": "民事一庭"},
                 origin=Origin(ip="10.1.2.3", request_id="req-1"))
    group = Group.objects.create(name="档案查看")
    group.permissions.set(Permission.objects.filter(codename__in=["view_unit", "view_department"]))
    office.groups.add(group)
    office.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    Department.objects.create(unit=cast.unit, parent=cast.dept_a, name="速裁组", order=9)
    for name, content in STORED_FILES.items():
        assert default_storage.save(name, ContentFile(content)) == name
    return cast


def test_backup_then_restore_into_an_empty_database_brings_back_every_row_and_file(populated, tmp_path):
    before = all_rows()
    output = io.StringIO()

    manifest = backup_create(out_dir=tmp_path / "backup", stdout=output)

    assert "备份完成" in output.getvalue()
    assert {f.name for f in manifest.files} == set(STORED_FILES)
    counts = {dump.label: dump.rows for dump in manifest.models}
    assert counts["org.unit"] == 3 and counts["audit.auditevent"] == AuditEvent.objects.count() >= 2
    assert counts["org.securitypolicy"] == 1 and counts["auth.group_permissions"] == 2
    assert "sessions.session" not in counts
    assert manifest.latest_migrations["org"] and manifest.database_vendor == connection.vendor

    wipe_everything()
    wipe_storage()
    assert Unit.objects.count() == 0 and not default_storage.exists("readme.txt")

    output = io.StringIO()
    backup_restore(source_dir=tmp_path / "backup", stdout=output)

    assert all_rows() == before
    for name, content in STORED_FILES.items():
        with default_storage.open(name, "rb") as stored:
            assert stored.read() == content
    assert "恢复完成" in output.getvalue()
    assert backup_verify(source_dir=tmp_path / "backup", installation=True) == []


def test_restored_rows_keep_their_microseconds_and_audit_rows_stay_append_only(populated, tmp_path):
    event = AuditEvent.objects.order_by("-pk").first()
    backup_create(out_dir=tmp_path / "backup")
    wipe_everything()

    backup_restore(source_dir=tmp_path / "backup")

    restored = AuditEvent.objects.get(pk=event.pk)
    assert restored.created_at == event.created_at and restored.created_at.microsecond == event.created_at.microsecond
    assert restored.before == event.before and restored.ip == "10.1.2.3"
    with pytest.raises(Exception, match="append-only|只能追加"):
        AuditEvent.objects.filter(pk=event.pk).update(verb="tampered")


def test_a_tampered_file_refuses_the_restore_and_names_the_file(populated, tmp_path):
    backup_create(out_dir=tmp_path / "backup")
    wipe_everything()
    wipe_storage()
    tampered = tmp_path / "backup" / "files" / "evidence" / "2026" / "会议纪要.txt"
    tampered.write_bytes(b"changed")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "backup"), stdout=io.StringIO())

    assert "files/evidence/2026/会议纪要.txt" in str(refused.value)
    assert "校验和不符" in str(refused.value)
    assert Unit.objects.count() == 0, "nothing is restored from a damaged backup"
    assert not default_storage.exists("readme.txt")


def test_a_damaged_table_dump_refuses_the_restore(populated, tmp_path):
    manifest = backup_create(out_dir=tmp_path / "backup")
    wipe_everything()
    dump = next(d for d in manifest.models if d.label == "org.user")
    (tmp_path / "backup" / dump.file).write_bytes(gzip.compress(b'{"model": "org.user", "pk": 1, "fields": {}}\n'))

    with pytest.raises(BackupError, match=dump.file):
        backup_restore(source_dir=tmp_path / "backup")

    assert User.objects.count() == 0


def test_restore_into_a_database_that_has_data_is_refused(populated, tmp_path):
    backup_create(out_dir=tmp_path / "backup")
    units_before = Unit.objects.count()

    with pytest.raises(CommandError, match="目标数据库不是空的安装.*org.unit"):
        call_command("restore", str(tmp_path / "backup"), stdout=io.StringIO())

    assert Unit.objects.count() == units_before


def test_a_backup_from_a_newer_program_is_refused(populated, tmp_path):
    backup_create(out_dir=tmp_path / "backup")
    wipe_everything()
    manifest_path = tmp_path / "backup" / "manifest.json"
    data = json.loads(manifest_path.read_text(encoding="utf-8"))
    data["migrations"]["org"].append("0999_from_the_future")
    manifest_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(BackupError, match="更新.*org.0999_from_the_future"):
        backup_restore(source_dir=tmp_path / "backup")

    assert Unit.objects.count() == 0


def test_restore_check_only_changes_nothing(populated, tmp_path):
    backup_create(out_dir=tmp_path / "backup")
    wipe_everything()
    output = io.StringIO()

    call_command("restore", str(tmp_path / "backup"), "--check", stdout=output)

    assert "检查通过" in output.getvalue()
    assert Unit.objects.count() == 0


def test_backup_refuses_a_directory_that_is_not_empty(db, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")

    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", "--out", str(tmp_path / "old"), stdout=io.StringIO())


def test_restore_of_a_directory_without_manifest_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="缺少 manifest.json"):
        call_command("restore", str(tmp_path), stdout=io.StringIO())


def test_the_secret_key_is_never_backed_up_even_under_the_media_root(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "data"
    settings.DATA_DIR = tmp_path / "data"
    default_storage.save("secret_key", ContentFile(b"do not copy"))
    default_storage.save("upload.txt", ContentFile(b"copy me"))

    manifest = backup_create(out_dir=tmp_path / "backup")

    assert [f.name for f in manifest.files] == ["upload.txt"]
    assert not (tmp_path / "backup" / "files" / "secret_key").exists()


# --- Real installations in subprocesses ------------------------------------------------------------------


def run(*args: str, env: dict, check: bool = True, timeout: int = 180) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check:
        assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def installation_env(data_dir: Path, database_url: str | None = None) -> dict:
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT", "SECRET_KEY", "SECRET_KEY_FILE"}}
    env.update(WENMING_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO), WENMING_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def postgres_or_skip():
    import psycopg

    try:
        return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have PostgreSQL at {POSTGRES}: {exc}")
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES}")


@contextlib.contextmanager
def fresh_database(vendor: str, data_dir: Path):
    """An installation's environment on a new SQLite file or a new, uniquely named PostgreSQL database."""
    if vendor == "sqlite":
        yield installation_env(data_dir)
        return
    admin = postgres_or_skip()
    name = f"wenming_bak_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield installation_env(data_dir, f"{POSTGRES}/{name}")
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


ADD_FILES_AND_PERMISSIONS = """
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from wenming.org.models import User
default_storage.save("evidence/2026/会议纪要.txt", ContentFile("创建工作会议纪要".encode()))
default_storage.save("photos/site.bin", ContentFile(bytes(range(256)) * 400))
group = Group.objects.create(name="档案查看")
group.permissions.set(Permission.objects.filter(codename__startswith="view_"))
office = User.objects.get(username="office")
office.groups.add(group)
office.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
"""


def tree_checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file()
    }


def dumpdata(env: dict, manifest: Manifest) -> list[dict]:
    """Django's own dumpdata, as an independent witness: ids of content types and permissions as natural keys.

    Given the models of the backup by name, since apps in the making may have models without tables yet."""
    labels = [dump.label for dump in manifest.models
              if dump.label not in NATURAL and not apps.get_model(dump.label)._meta.auto_created]
    result = run("-m", "wenming", "dumpdata", "--natural-foreign", "--format", "jsonl", *labels, env=env)
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return sorted(rows, key=lambda row: (row["model"], str(row.get("pk"))))


@pytest.mark.slow
def test_a_sqlite_demo_backup_restores_into_postgresql_with_every_row_and_file_equal(tmp_path):
    source = installation_env(tmp_path / "source")
    run("-m", "wenming", "migrate", "--noinput", "-v", "0", env=source)
    run("-m", "wenming", "demo", "--quiet-accounts", env=source)
    run("-m", "wenming", "shell", "-c", ADD_FILES_AND_PERMISSIONS, env=source)

    backup = run("-m", "wenming", "backup", "--out", str(tmp_path / "backup"), env=source)
    assert "备份完成" in backup.stdout
    manifest = Manifest.read(tmp_path / "backup")
    assert manifest.database_vendor == "sqlite"
    # The demo's evidence files and the two added above: every file of the storage, none other.
    stored = sorted(tree_checksums(tmp_path / "source" / "media"))
    assert {"evidence/2026/会议纪要.txt", "photos/site.bin"} < set(stored)
    assert sorted(f.name for f in manifest.files) == stored

    with fresh_database("postgresql", tmp_path / "target") as target:
        restore = run("-m", "wenming", "restore", str(tmp_path / "backup"), env=target)
        assert "恢复完成" in restore.stdout

        assert dumpdata(target, manifest) == dumpdata(source, manifest)
        assert tree_checksums(tmp_path / "target" / "media") == tree_checksums(tmp_path / "source" / "media")
        # A second backup, taken from PostgreSQL, holds the same rows byte for byte.
        run("-m", "wenming", "backup", "--out", str(tmp_path / "again"), env=target)
        again = Manifest.read(tmp_path / "again")
        assert {d.label: d.content_sha256 for d in again.models} == {d.label: d.content_sha256 for d in manifest.models}
        assert {f.name: f.sha256 for f in again.files} == {f.name: f.sha256 for f in manifest.files}
        # And a second restore into it is refused, with a non-zero exit.
        refused = run("-m", "wenming", "restore", str(tmp_path / "backup"), env=target, check=False)
        assert refused.returncode != 0 and "目标数据库不是空的安装" in refused.stderr


WRITE_DURING_BACKUP = """
import json, os, sys, threading
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")
django.setup()
from django.db import connection, transaction
from wenming.audit.models import AuditEvent
from wenming.core.backup import backup_create
from wenming.org.models import Unit

def write_pairs():
    # Another connection commits units with their audit rows while the backup is half way through.
    for i in range(25):
        with transaction.atomic():
            unit = Unit.objects.create(name=f"并发单位{i}")
            AuditEvent.objects.create(verb="org.unit_created", unit=unit, object_repr=unit.name)
    connection.close()

class WritesAfterFirstTable:
    def __init__(self):
        self.started = False
    def write(self, text):
        sys.stderr.write(text)
        if "已导出" in text and not self.started:
            self.started = True
            writer = threading.Thread(target=write_pairs)
            writer.start()
            writer.join(timeout=60)
            assert not writer.is_alive(), "the writer was blocked by the backup"

before = {"org.unit": Unit.objects.count(), "audit.auditevent": AuditEvent.objects.count()}
manifest = backup_create(out_dir=sys.argv[1], stdout=WritesAfterFirstTable())
after = {"org.unit": Unit.objects.count(), "audit.auditevent": AuditEvent.objects.count()}
print(json.dumps({"before": before, "after": after, "dumped": {d.label: d.rows for d in manifest.models}}))
"""


def dumped_rows(backup: Path, label: str) -> list[dict]:
    manifest = Manifest.read(backup)
    dump = next(d for d in manifest.models if d.label == label)
    with gzip.open(backup / dump.file, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.mark.slow
@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_a_backup_taken_while_another_connection_writes_is_one_consistent_snapshot(vendor, tmp_path):
    with fresh_database(vendor, tmp_path / "site") as site:
        run("-m", "wenming", "migrate", "--noinput", "-v", "0", env=site)
        run("-m", "wenming", "demo", "--quiet-accounts", env=site)

        result = run("-c", WRITE_DURING_BACKUP, str(tmp_path / "backup"), env=site, timeout=120)

        counts = json.loads(result.stdout.strip().splitlines()[-1])
        assert counts["after"]["org.unit"] == counts["before"]["org.unit"] + 25, "the writes really happened"
        assert counts["dumped"]["org.unit"] == counts["before"]["org.unit"]
        assert counts["dumped"]["audit.auditevent"] == counts["before"]["audit.auditevent"]
        units = {row["pk"] for row in dumped_rows(tmp_path / "backup", "org.unit")}
        events = dumped_rows(tmp_path / "backup", "audit.auditevent")
        assert len(units) == counts["dumped"]["org.unit"] and len(events) == counts["dumped"]["audit.auditevent"]
        assert all(event["fields"]["unit"] in units for event in events if event["fields"]["unit"])

    with fresh_database("sqlite", tmp_path / "restored") as target:
        restore = run("-m", "wenming", "restore", str(tmp_path / "backup"), env=target)
        assert "恢复完成" in restore.stdout


def test_policy_and_roles_come_back_with_their_versions(populated, tmp_path):
    policy = SecurityPolicy.objects.get(unit=populated.unit)
    roles = set(RoleAssignment.objects.values_list("user__username", "role"))
    backup_create(out_dir=tmp_path / "backup")
    wipe_everything()

    backup_restore(source_dir=tmp_path / "backup")

    restored = SecurityPolicy.objects.get(unit=populated.unit)
    assert (restored.lockout_failures, restored.idle_minutes, restored.version) == (7, 45, policy.version)
    assert restored.updated_at == policy.updated_at
    assert set(RoleAssignment.objects.values_list("user__username", "role")) == roles
