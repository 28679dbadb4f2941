"""Backup and restore (备份与恢复): a portable, checksummed copy of the database and every stored file.

A backup is a directory:

    manifest.json                       what is in it, with a SHA-256 for every file; written last
    db/NNNN-<app>.<model>.jsonl.gz      every row of one model, one JSON object a line, ordered by pk
    files/<storage name>                every file of the default storage, byte for byte

Rows are read inside one snapshot (PostgreSQL REPEATABLE READ READ ONLY; SQLite a deferred read transaction,
which WAL mode turns into a snapshot without blocking writers), so a backup taken while the site runs is
consistent. Rows are written with Django's serializer, except that datetimes keep their microseconds and
references to content types and permissions are written as natural keys: `migrate` creates those on the
target with its own ids. Sessions are left out: they are short-lived sign-in credentials.

Restore only goes into an empty installation. It checks every checksum and the migration state before it
touches anything, builds the schema as it was when the backup was taken, inserts the rows raw (no save(),
no signals, so append-only audit rows and auto_now fields come back as they were) in one transaction,
then migrates to the code's state, writes the files through the storage API and verifies the result.
"""

from __future__ import annotations

import dataclasses
import datetime
import gzip
import hashlib
import json
import os
import time
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

import django
from django.apps import apps as global_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "wenming-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
ROWS_PER_FETCH = 2000

# Created by `migrate` on every installation, with ids of its own: matched by natural key, never by id.
NATURAL_KEY_MODELS = ("contenttypes.contenttype", "auth.permission")
EXCLUDED_MODELS = {"sessions.session": "会话是临时登录凭据，恢复后须重新登录",
                   "core.revision": "数据版本计数只用于内存中的统计结果，恢复时重新计数"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person at the console."""


@dataclasses.dataclass
class ModelDump:
    label: str
    file: str
    rows: int
    sha256: str  # of the .jsonl.gz file as stored
    content_sha256: str  # of the uncompressed rows: equal on any database holding the same data
    size: int


@dataclasses.dataclass
class StoredFile:
    name: str
    sha256: str
    size: int


@dataclasses.dataclass
class Manifest:
    created_at: str
    wenming_version: str
    django_version: str
    database_vendor: str
    migrations: dict[str, list[str]]  # every applied migration, per app
    latest_migrations: dict[str, list[str]]  # the applied leaves per app (usually one)
    models: list[ModelDump]
    files: list[StoredFile]
    excluded: dict[str, str]
    missing_files: list[str]  # named by rows, absent from storage when the backup was taken
    seconds: float = 0.0
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        data = dict(data)
        data["models"] = [ModelDump(**item) for item in data["models"]]
        data["files"] = [StoredFile(**item) for item in data["files"]]
        return cls(**data)

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        path = Path(directory) / MANIFEST
        if not path.is_file():
            raise BackupError(f"{directory} 不是备份目录：缺少 {MANIFEST}（备份未完成或目录有误）。")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("format")
            if data.get("format_version", 0) > FORMAT_VERSION:
                raise BackupError(f"备份格式版本 {data['format_version']} 比本程序新，请先升级程序。")
            return cls.from_dict(data)
        except BackupError:
            raise
        except (ValueError, TypeError, KeyError) as exc:
            raise BackupError(f"{path} 无法识别，不是文明创建管理平台的备份清单（{exc}）。") from exc

    @property
    def row_count(self) -> int:
        return sum(dump.rows for dump in self.models)

    @property
    def file_bytes(self) -> int:
        return sum(item.size for item in self.files)


# --- Backup ------------------------------------------------------------------------------------------


def backup_create(*, out_dir: Path | str, stdout: TextIO | None = None, using: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Write a consistent backup of the database and the default storage into out_dir (new or empty)."""
    started = time.monotonic()
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"备份目录 {out} 已存在且不是空目录；请指定新的目录，避免覆盖已有备份。")
    (out / "db").mkdir(parents=True, exist_ok=True)
    (out / "files").mkdir(exist_ok=True)

    connection = connections[using]
    referenced: set[str] = set()
    with _snapshot(connection):
        _say(stdout, f"开始备份（数据库：{connection.vendor}，快照读取，不影响正在运行的系统）")
        applied = _applied_migrations(connection)
        dumps = []
        natural = _natural_key_maps(using)
        for index, model in enumerate(_models_in_load_order(global_apps, _dumpable_models(connection)), start=1):
            dump = _dump_model(model, out, index, natural, referenced, using)
            dumps.append(dump)
            _say(stdout, f"  已导出 {dump.label}：{dump.rows} 行")

    files, missing = _copy_stored_files(out, referenced, stdout)
    manifest = Manifest(
        created_at=timezone.now().isoformat(),
        wenming_version=_wenming_version(),
        django_version=django.get_version(),
        database_vendor=connection.vendor,
        migrations={app: sorted(names) for app, names in applied.items()},
        latest_migrations=_latest_migrations(applied, connection),
        models=dumps,
        files=files,
        excluded=dict(EXCLUDED_MODELS),
        missing_files=sorted(missing),
        seconds=round(time.monotonic() - started, 3),
    )
    tmp = out / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(out / MANIFEST)  # the manifest appears last: a backup without one is incomplete

    for name in manifest.missing_files:
        _say(stdout, f"  警告：数据中引用的文件 {name} 在存储中不存在，未能备份。")
    _say(
        stdout,
        f"备份完成：{len(dumps)} 个数据表共 {manifest.row_count} 行，{len(files)} 个文件"
        f"（{_human_size(manifest.file_bytes)}），用时 {manifest.seconds:.1f} 秒。备份目录：{out}",
    )
    return manifest


class _snapshot:
    """Read every table from one point in time without holding up writers."""

    def __init__(self, connection):
        self.connection = connection
        self.manual = False

    def __enter__(self):
        connection = self.connection
        if connection.in_atomic_block:
            # Already inside a transaction (a caller's, or a test's): its reads are already consistent.
            self.atomic = None
            return self
        if connection.vendor == "sqlite":
            # Django opens SQLite transactions with BEGIN IMMEDIATE (the write lock). A deferred read
            # transaction gets a WAL snapshot at its first read and lets the site keep writing.
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("BEGIN DEFERRED")
                cursor.execute("SELECT count(*) FROM sqlite_master")
            self.manual = True
            self.atomic = None
            return self
        self.atomic = transaction.atomic(using=connection.alias)
        self.atomic.__enter__()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.manual:
            with self.connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # nothing was written; ending the read releases the snapshot
        elif self.atomic is not None:
            return self.atomic.__exit__(exc_type, exc, tb)
        return False


def _dumpable_models(connection) -> list[type[models.Model]]:
    """Every concrete model with a table in this database, once per table, sessions left out."""
    tables = set(connection.introspection.table_names())
    seen: set[str] = set()
    result = []
    for model in global_apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in EXCLUDED_MODELS:
            continue
        if meta.db_table not in tables or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        result.append(model)
    return result


def _models_in_load_order(registry, models_: list) -> list:
    """Content types and permissions first, then every model after the models it points to."""
    by_label = {model._meta.label_lower: model for model in models_}
    sorter: TopologicalSorter = TopologicalSorter()
    for label, model in by_label.items():
        targets = {
            field.related_model._meta.label_lower
            for field in model._meta.local_concrete_fields
            if field.is_relation and field.related_model is not None
        }
        sorter.add(label, *sorted(t for t in targets if t in by_label and t != label))
    try:
        order = list(sorter.static_order())
    except CycleError:  # constraints are checked at commit, so a cycle only costs the nice order
        order = sorted(by_label)
    natural = [label for label in NATURAL_KEY_MODELS if label in by_label]
    return [by_label[label] for label in natural + [label for label in order if label not in natural]]


def _natural_key_maps(using: str) -> dict[str, dict[Any, list]]:
    """id -> natural key for content types and permissions, read once (they are small)."""
    content_types = {
        pk: [app_label, model]
        for pk, app_label, model in global_apps.get_model("contenttypes", "ContentType")
        ._base_manager.using(using).values_list("pk", "app_label", "model")
    }
    maps: dict[str, dict[Any, list]] = {"contenttypes.contenttype": content_types}
    if global_apps.is_installed("django.contrib.auth"):
        permissions = global_apps.get_model("auth", "Permission")._base_manager.using(using)
        maps["auth.permission"] = {
            pk: [codename, *content_types[content_type_id]]
            for pk, codename, content_type_id in permissions.values_list("pk", "codename", "content_type_id")
        }
    return maps


class _RowEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _RowSerializer(jsonl.Serializer):
    """Django's JSON Lines rows, with content type and permission references as natural keys."""

    def __init__(self, *, natural: dict, file_fields: list[str], referenced: set[str]):
        super().__init__()
        self.natural = natural
        self.file_fields = file_fields
        self.referenced = referenced
        self.rows = 0

    def handle_fk_field(self, obj, field):
        mapping = self.natural.get(field.related_model._meta.label_lower)
        if mapping is None:
            return super().handle_fk_field(obj, field)
        value = getattr(obj, field.attname)
        self._current[field.name] = None if value is None else mapping[value]

    def end_object(self, obj):
        for name in self.file_fields:
            if self._current.get(name):
                self.referenced.add(self._current[name])
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self.rows += 1
        self._current = None


class _HashingSink:
    """The text stream the serializer writes to: UTF-8, hashed, then gzip'd."""

    def __init__(self, gz):
        self.gz = gz
        self.hash = hashlib.sha256()

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.hash.update(data)
        self.gz.write(data)


def _dump_model(model, out: Path, index: int, natural: dict, referenced: set[str], using: str) -> ModelDump:
    label = model._meta.label_lower
    relative = f"db/{index:04d}-{label}.jsonl.gz"
    fields = [f.name for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
    file_fields = [f.name for f in model._meta.local_concrete_fields if isinstance(f, models.FileField)]
    serializer = _RowSerializer(natural=natural, file_fields=file_fields, referenced=referenced)
    rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=ROWS_PER_FETCH)
    with open(out / relative, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        sink = _HashingSink(gz)
        serializer.serialize(
            rows, stream=sink, fields=fields, use_natural_primary_keys=label in NATURAL_KEY_MODELS,
            cls=_RowEncoder, sort_keys=True,
        )
    sha256, size = _file_sha256(out / relative)
    return ModelDump(
        label=label, file=relative, rows=serializer.rows, sha256=sha256,
        content_sha256=sink.hash.hexdigest(), size=size,
    )


def _storage_names(storage, path: str = "") -> Iterator[str]:
    """Every file in a storage, through the Storage API only (the storage may be S3 one day)."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from _storage_names(storage, f"{path}/{directory}" if path else directory)


def _never_backed_up(storage, name: str) -> bool:
    """The secret key and the SQLite database never go into files/, even if MEDIA_ROOT were put over them."""
    try:
        local = Path(storage.path(name)).resolve()
    except (NotImplementedError, AttributeError):
        return False
    if local == Path(settings.DATA_DIR).resolve() / "secret_key":
        return True
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        db_file = Path(str(database["NAME"])).resolve()
        return local.parent == db_file.parent and local.name.startswith(db_file.name)  # with -wal and -shm
    return False


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise BackupError(f"文件名 {name!r} 不安全，拒绝处理。")
    return path


def _copy_stored_files(out: Path, referenced: set[str], stdout) -> tuple[list[StoredFile], set[str]]:
    storage = default_storage
    names = {name for name in _storage_names(storage) if not _never_backed_up(storage, name)}
    missing = {name for name in referenced - names if not storage.exists(name)}
    names |= referenced - missing
    result = []
    for name in sorted(names):
        target = out / "files" / _safe_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with storage.open(name, "rb") as source, open(target, "wb") as copy:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                copy.write(chunk)
                size += len(chunk)
        result.append(StoredFile(name=name, sha256=digest.hexdigest(), size=size))
    if result:
        _say(stdout, f"  已复制存储文件：{len(result)} 个")
    return result, missing


def _applied_migrations(connection) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return applied


def _latest_migrations(applied: dict[str, list[str]], connection) -> dict[str, list[str]]:
    graph = MigrationExecutor(connection).loader.graph
    keys = {(app, name) for app, names in applied.items() for name in names}
    return {app: sorted(name for _, name in leaves) for app, leaves in _leaves_by_app(graph, keys).items()}


def _leaves_by_app(graph, keys: set[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """The applied migrations of each app that no other applied migration of the same app follows."""
    leaves: dict[str, list[tuple[str, str]]] = {}
    for key in sorted(keys):
        node = graph.node_map.get(key)
        if node is None:
            continue
        if not any(child.key in keys and child.key[0] == key[0] for child in node.children):
            leaves.setdefault(key[0], []).append(key)
    return leaves


# --- Verify ------------------------------------------------------------------------------------------


def backup_verify(
    *, source_dir: Path | str, installation: bool = False, stdout: TextIO | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> list[str]:
    """Problems found (empty when all is well): every checksum of the backup, and with installation=True
    also the database rows and stored files of this installation against the manifest."""
    source = Path(source_dir)
    manifest = Manifest.read(source)
    problems = []
    if not installation:
        for dump in manifest.models:
            problems.extend(_check_backup_file(source, dump.file, dump.sha256))
        for item in manifest.files:
            problems.extend(_check_backup_file(source, f"files/{item.name}", item.sha256))
        return problems

    connection = connections[using]
    compare_content = _code_state_matches(manifest, connection)
    natural = _natural_key_maps(using)
    present = {model._meta.label_lower: model for model in _dumpable_models(connection)}
    for dump in manifest.models:
        model = present.get(dump.label)
        if model is None:
            problems.append(f"数据表 {dump.label} 不存在")
            continue
        count = model._base_manager.using(using).count()
        if dump.label in NATURAL_KEY_MODELS:
            if count < dump.rows:  # migrate may have added more on a newer version; none may be missing
                problems.append(f"{dump.label}：备份 {dump.rows} 行，数据库只有 {count} 行")
            continue
        if count != dump.rows:
            problems.append(f"{dump.label}：备份 {dump.rows} 行，数据库 {count} 行")
        elif compare_content:
            serializer = _RowSerializer(natural=natural, file_fields=[], referenced=set())
            sink = _HashingSink(_Discard())
            fields = [f.name for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
            rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=ROWS_PER_FETCH)
            serializer.serialize(rows, stream=sink, fields=fields, cls=_RowEncoder, sort_keys=True)
            if sink.hash.hexdigest() != dump.content_sha256:
                problems.append(f"{dump.label}：行数相同但内容与备份不一致")
    for item in manifest.files:
        if not default_storage.exists(item.name):
            problems.append(f"文件 {item.name} 不在存储中")
            continue
        with default_storage.open(item.name, "rb") as stored:
            if _stream_sha256(stored) != item.sha256:
                problems.append(f"文件 {item.name} 的校验和与备份不符")
    return problems


class _Discard:
    def write(self, data: bytes) -> None:
        pass


def _check_backup_file(source: Path, relative: str, expected: str) -> list[str]:
    try:
        _safe_name(relative)
    except BackupError as exc:
        return [str(exc)]
    path = source / relative
    if not path.is_file():
        return [f"{relative}：备份中缺少此文件"]
    actual, _ = _file_sha256(path)
    if actual != expected:
        return [f"{relative}：校验和不符（清单 {expected[:12]}…，实际 {actual[:12]}…）"]
    return []


# --- Restore -----------------------------------------------------------------------------------------


def backup_restore(
    *, source_dir: Path | str, stdout: TextIO | None = None, using: str = DEFAULT_DB_ALIAS, check_only: bool = False,
) -> Manifest:
    """Bring a backup back into an empty installation, or refuse before changing anything."""
    started = time.monotonic()
    source = Path(source_dir)
    connection = connections[using]
    manifest = Manifest.read(source)
    _say(stdout, f"备份时间 {manifest.created_at}，来源数据库 {manifest.database_vendor}，"
                 f"{manifest.row_count} 行，{len(manifest.files)} 个文件")

    problems = backup_verify(source_dir=source, stdout=stdout, using=using)
    if problems:
        raise BackupError("备份已损坏或被篡改，未做任何恢复：\n  " + "\n  ".join(problems))
    _say(stdout, "  校验和全部相符")
    targets = _backup_migration_targets(manifest, connection)
    _refuse_unless_empty(connection)
    _refuse_conflicting_files(source, manifest)
    if check_only:
        _say(stdout, "检查通过：备份完整，与本程序版本兼容，目标是空的安装。未做任何修改。")
        return manifest

    written = _restore_files(source, manifest)
    _say(stdout, f"  已写回存储文件：{written} 个（已存在且内容相同的跳过）")

    _say(stdout, "  正在按备份时的迁移状态建立数据库结构…")
    executor = MigrationExecutor(connection)
    try:
        state = executor.migrate(targets)
    except IrreversibleError as exc:
        raise BackupError(f"目标数据库的结构比备份新且无法回退到备份时的状态（{exc}）；请使用新建的空数据库。") from exc

    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":  # Django's foreign keys are deferrable: check them all at the end
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        loaded = _load_rows(source, manifest, state.apps, connection, stdout)
        connection.check_constraints(table_names=[model._meta.db_table for model in loaded])
        statements = connection.ops.sequence_reset_sql(no_style(), loaded)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

    _say(stdout, "  正在迁移到本程序的数据库结构…")
    call_command("migrate", database=using, interactive=False, verbosity=0)
    global_apps.get_model("contenttypes", "ContentType").objects.clear_cache()

    problems = backup_verify(source_dir=source, installation=True, stdout=stdout, using=using)
    if problems:
        raise BackupError("恢复后的校验发现不一致：\n  " + "\n  ".join(problems))
    _say(
        stdout,
        f"恢复完成：{len(manifest.models)} 个数据表共 {manifest.row_count} 行、{len(manifest.files)} 个文件"
        f"已恢复并逐一核对无误，用时 {time.monotonic() - started:.1f} 秒。"
        + ("\n所有人须重新登录（会话不在备份中）。" if "sessions.session" in manifest.excluded else ""),
    )
    return manifest


def _backup_migration_targets(manifest: Manifest, connection) -> list[tuple[str, str | None]]:
    """The migration targets that rebuild the schema as the backup had it; refuse a backup newer than the code."""
    loader = MigrationExecutor(connection).loader
    keys: set[tuple[str, str]] = set()
    unknown = []
    squashed_by = {old: new for new, migration in loader.replacements.items() for old in migration.replaces}
    for app, names in manifest.migrations.items():
        for name in names:
            key = (app, name)
            if key in loader.graph.nodes:
                keys.add(key)
            elif key in squashed_by and squashed_by[key] in loader.graph.nodes:
                keys.add(squashed_by[key])
            elif key not in loader.disk_migrations:
                unknown.append(f"{app}.{name}")
    if unknown:
        raise BackupError(
            "备份来自更新（或不同）的程序版本，本程序不认识这些数据库迁移：" + "、".join(sorted(unknown))
            + "。请先升级程序再恢复。"
        )
    leaves = _leaves_by_app(loader.graph, keys)
    targets: list[tuple[str, str | None]] = [key for app_leaves in leaves.values() for key in app_leaves]
    targets += [(app, None) for app in sorted(loader.migrated_apps) if app not in leaves]
    return targets


def _code_state_matches(manifest: Manifest, connection) -> bool:
    """True when the backup was taken at exactly the schema this code migrates to."""
    graph = MigrationExecutor(connection).loader.graph
    code = {app: sorted(name for _, name in leaves) for app, leaves in _leaves_by_app(graph, set(graph.nodes)).items()}
    return code == manifest.latest_migrations


def _refuse_unless_empty(connection) -> None:
    with_data = [
        model._meta.label_lower
        for model in _dumpable_models(connection)
        if model._meta.label_lower not in NATURAL_KEY_MODELS and model._base_manager.using(connection.alias).exists()
    ]
    if with_data:
        raise BackupError(
            "目标数据库不是空的安装，已有数据：" + "、".join(with_data)
            + "。恢复只能导入新建的空安装（为防止覆盖，本命令不提供强制选项）。"
        )


def _refuse_conflicting_files(source: Path, manifest: Manifest) -> None:
    conflicts = []
    for item in manifest.files:
        if default_storage.exists(item.name):
            with default_storage.open(item.name, "rb") as stored:
                if _stream_sha256(stored) != item.sha256:
                    conflicts.append(item.name)
    if conflicts:
        raise BackupError("存储中已有同名但内容不同的文件，未做任何恢复：" + "、".join(conflicts))


def _restore_files(source: Path, manifest: Manifest) -> int:
    written = 0
    for item in manifest.files:
        if default_storage.exists(item.name):
            continue  # checked above: same content
        with open(source / "files" / _safe_name(item.name), "rb") as handle:
            saved = default_storage.save(item.name, File(handle, name=item.name))
        if saved != item.name:
            raise BackupError(f"存储把文件 {item.name} 存成了 {saved}，恢复中止。")
        written += 1
    return written


def _load_rows(source: Path, manifest: Manifest, registry, connection, stdout) -> list:
    """Insert every row raw, in the manifest's order, returning the models loaded."""
    natural_ids = _restore_natural_key_models(source, manifest, registry, connection.alias)
    loaded = []
    for dump in manifest.models:
        if dump.label in NATURAL_KEY_MODELS:
            continue
        try:
            model = registry.get_model(dump.label)
        except LookupError as exc:
            raise BackupError(f"备份中的数据表 {dump.label} 在本程序中不存在。") from exc
        fields = [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
        queryset = model._base_manager.using(connection.alias)
        batch: list = []
        batch_size = max(1, connection.ops.bulk_batch_size(fields, [None] * 1000) or 1000)
        for line_number, row in enumerate(_read_rows(source / dump.file), start=1):
            try:
                batch.append(_build_instance(model, row, natural_ids))
            except (LookupError, ValueError, TypeError, ValidationError) as exc:
                raise BackupError(f"{dump.file} 第 {line_number} 行无法导入：{exc}") from exc
            if len(batch) >= batch_size:
                queryset._insert(batch, fields=fields, raw=True, using=connection.alias)
                batch = []
        if batch:
            queryset._insert(batch, fields=fields, raw=True, using=connection.alias)
        loaded.append(model)
        _say(stdout, f"  已导入 {dump.label}：{dump.rows} 行")
    return loaded


def _restore_natural_key_models(source: Path, manifest: Manifest, registry, using: str) -> dict[str, dict]:
    """Match backed-up content types and permissions to this database's (creating any it lacks)."""
    dumps = {dump.label: dump for dump in manifest.models}
    ids: dict[str, dict] = {"contenttypes.contenttype": {}, "auth.permission": {}}
    if "contenttypes.contenttype" not in dumps:
        return ids
    content_types = registry.get_model("contenttypes", "ContentType")._base_manager.using(using)
    for row in _read_rows(source / dumps["contenttypes.contenttype"].file):
        key = (row["fields"]["app_label"], row["fields"]["model"])
        ids["contenttypes.contenttype"][key] = content_types.get_or_create(app_label=key[0], model=key[1])[0].pk
    if "auth.permission" in dumps:
        permissions = registry.get_model("auth", "Permission")._base_manager.using(using)
        for row in _read_rows(source / dumps["auth.permission"].file):
            fields = row["fields"]
            content_type_id = ids["contenttypes.contenttype"][tuple(fields["content_type"])]
            permission, _ = permissions.get_or_create(
                content_type_id=content_type_id, codename=fields["codename"], defaults={"name": fields["name"]}
            )
            ids["auth.permission"][(fields["codename"], *fields["content_type"])] = permission.pk
    return ids


def _build_instance(model, row: dict, natural_ids: dict[str, dict]):
    meta = model._meta
    data = {meta.pk.attname: meta.pk.to_python(row["pk"])}
    for name, value in row["fields"].items():
        field = meta.get_field(name)
        if field.is_relation and (field.many_to_one or field.one_to_one):
            if value is None:
                data[field.attname] = None
            elif isinstance(value, list):
                data[field.attname] = natural_ids[field.related_model._meta.label_lower][tuple(value)]
            else:
                data[field.attname] = field.target_field.to_python(value)
        else:
            data[field.attname] = field.to_python(value)
    return model(**data)


def _read_rows(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


# --- Small helpers -----------------------------------------------------------------------------------


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
        if hasattr(stdout, "flush"):
            stdout.flush()


def _file_sha256(path: Path) -> tuple[str, int]:
    with open(path, "rb") as handle:
        digest = _stream_sha256(handle)
    return digest, os.path.getsize(path)


def _stream_sha256(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _wenming_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wenming")
    except PackageNotFoundError:
        return "unknown"


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"
