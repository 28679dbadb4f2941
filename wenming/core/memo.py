"""Read models kept in process memory until the data under them changes.

The dashboard, the gap view, the scoring screen and the page header aggregate thousands of rows; a leader reloads
them far more often than anybody writes. `memoized(name, key, compute)` keeps what `compute()` returned under the
current *data revision* and recomputes it once the revision moves on.

The revision moves on whenever any statement writes to an application table (every connection carries an execute
wrapper that watches INSERT / UPDATE / DELETE; sessions, the audit trail, notifications, background jobs and the
login guard are not data a read model shows, so writes to them are ignored). Two counters make it up:

- a process-local counter, bumped at the write itself: the writing process (and a test inside one transaction)
  sees its own write at once;
- the `core.Revision` row, bumped after the transaction commits: every other process (a second gunicorn worker, a
  second machine) sees the write at its next request — nothing is computed from uncommitted data under a new
  number, and a rolled-back transaction bumps nothing.

Writes made outside the application (psql by hand) are not seen: run `wenming shell -c "from wenming.core import
memo; memo.bump()"` after one. What is memoized must be a read of the database as of the revision plus the key —
the user, the day and the filters go into the key.
"""

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.backends.signals import connection_created

MAX_ENTRIES = 256
# a kept entry is computed again after this many seconds whatever the revision says: if publishing a commit to the
# other processes ever fails (see _bump_committed), they serve it at most this long (issue 17, hole 3)
MAX_AGE_SECONDS = 60
BUMP_ATTEMPTS = 5

logger = logging.getLogger(__name__)

# tables written on reads or beside the data (a page view saves its session; a login writes axes' log)
IGNORED_PREFIXES = (
    "django_session", "django_tasks_database", "django_migrations", "axes_", "audit_", "core_revision",
    "notifications_delivery", "notifications_notification", "notifications_readreceipt", "notifications_reminderlog",
    "reports_reportjob", "evidence_archivejob", "org_passwordhistory", "otp_", "authtoken_",
)
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([\w.]+)"?',
                    re.IGNORECASE)

_lock = threading.Lock()
_entries: OrderedDict = OrderedDict()
_local = 0  # writes seen by this process
_current: tuple | None = None  # the revision the entries were last read at


def writes_data(sql: str) -> bool:
    match = _WRITE.match(sql)
    if match is None:
        return False
    table = match.group(1).rsplit(".", 1)[-1].lower()
    return not table.startswith(IGNORED_PREFIXES)


def _bump_committed(alias: str) -> None:
    """Publish a commit to the other processes. Inside a transaction a failure fails it; after a commit it is
    tried again (SQLite answers "database is locked" under a long write) and, should it still fail, logged as an
    error — never swallowed — while what other processes keep expires after MAX_AGE_SECONDS."""
    from django.db import connections
    from django.db.models import F

    from wenming.core.models import Revision

    for attempt in range(BUMP_ATTEMPTS):
        try:
            if not Revision.objects.using(alias).filter(pk=1).update(value=F("value") + 1):
                Revision.objects.using(alias).get_or_create(pk=1, defaults={"value": 1})
            return
        except Exception:
            if connections[alias].in_atomic_block:
                raise
            if attempt == BUMP_ATTEMPTS - 1:
                logger.exception("数据版本号未能更新：其他进程最多在 %s 秒内仍显示旧页面", MAX_AGE_SECONDS)
                return
            time.sleep(0.05 * 2 ** attempt)


def _count_local() -> None:
    global _local
    with _lock:
        _local += 1


def bump(alias: str = "default") -> None:
    """Count a write made outside the application: in this process and in the database, now."""
    _count_local()
    _bump_committed(alias)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes_data(sql):
        _count_local()
        connection = context["connection"]
        if _in_transaction(connection):
            connection.wenming_uncommitted = True  # nothing read from here on is kept until the transaction ends
        pending = getattr(connection, "run_on_commit", None) or ()
        if not any(getattr(func, "wenming_revision", False) for _sids, func, *_rest in pending):
            def committed():
                _bump_committed(connection.alias)
            committed.wenming_revision = True
            transaction.on_commit(committed, using=connection.alias)
    return result


def _in_transaction(connection) -> bool:
    """Inside a transaction that may still roll back (the block a test case wraps every test in aside)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _reads_uncommitted(alias: str = "default") -> bool:
    """Has this connection written in a transaction that is still open? What it reads then may be rolled back, so
    it is computed for this caller and never kept (issue 17, hole 1)."""
    from django.db import connections

    connection = connections[alias]
    if not getattr(connection, "wenming_uncommitted", False):
        return False
    if _in_transaction(connection):
        return True
    connection.wenming_uncommitted = False  # the transaction has ended, committed or rolled back
    return False


def install(sender=None, connection=None, **kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


connection_created.connect(install, dispatch_uid="wenming.core.memo.install")


# within one request the committed count is read once (a page with several memoized parts runs one query)
_request: ContextVar[dict | None] = ContextVar("wenming_memo_request", default=None)
_computing: ContextVar[tuple | None] = ContextVar("wenming_memo_computing", default=None)


def _request_started(**kwargs) -> None:
    _request.set({})


def _request_finished(**kwargs) -> None:
    _request.set(None)


request_started.connect(_request_started, dispatch_uid="wenming.core.memo.request_started")
request_finished.connect(_request_finished, dispatch_uid="wenming.core.memo.request_finished")


def revision(alias: str = "default") -> tuple[int, int]:
    """(committed writes in the database, writes in this process): one primary-key read, once per request."""
    from wenming.core.models import Revision

    scope = _request.get()
    committed = scope.get(alias) if scope is not None else None
    if committed is None:
        committed = Revision.objects.using(alias).filter(pk=1).values_list("value", flat=True).first() or 0
        if scope is not None:
            scope[alias] = committed
    return committed, _local


def memoized(name: str, key, compute: Callable, *, at: tuple | None = None):
    """What compute() returns, kept under (name, key, language, data revision); entries of older revisions are
    dropped when the revision moves on, entries older than MAX_AGE_SECONDS are computed again, and the least
    recently used go past MAX_ENTRIES. Inside a transaction that has written, nothing is kept or served from what
    was kept. Callers must treat the result as read-only: it is shared by every request of the process."""
    global _current
    from django.utils import translation

    if _reads_uncommitted():
        return compute()
    at = at or _computing.get() or revision()
    full = (name, key, translation.get_language(), at)
    now = time.monotonic()
    with _lock:
        if at != _current:  # the data moved on: what was kept for older revisions can never be read again
            _current = at
            for stale in [k for k in _entries if k[3] != at]:
                del _entries[stale]
        if full in _entries:
            kept_at, value = _entries[full]
            if now - kept_at < MAX_AGE_SECONDS:
                _entries.move_to_end(full)
                return value
            del _entries[full]
    token = _computing.set(at)  # what compute() memoizes in turn is read at the same revision, without a query
    try:
        value = compute()
    finally:
        _computing.reset(token)
    with _lock:
        _entries[full] = (now, value)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()


def paginate(request, items, per_page: int, *, name: str):
    """A Paginator page whose total is counted once per data revision, person, day and filter set (the count of a
    filtered list with its annotations is most of the list's queries); the rows are read as usual."""
    from django.core.paginator import Paginator
    from django.utils import timezone

    paginator = Paginator(items, per_page)
    params = request.GET.copy()
    params.pop("page", None)
    paginator.__dict__["count"] = memoized(f"count:{name}", (request.user.pk, params.urlencode(), timezone.localdate()),
                                           lambda: Paginator(items, per_page).count)
    return paginator.get_page(request.GET.get("page"))
