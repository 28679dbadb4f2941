"""Is the service healthy: the database answers, and the background worker takes the jobs that wait for it.

A job waiting longer than `WENMING_WORKER_STALL_MINUTES` (5 by default) while no job has started recently means no
`db_worker` is running: the office sees “后台任务未在运行” on every page, `wenming health` says so and exits 1, and
`/health.json` answers 503 for monitoring. Nothing here is sensitive: counts and ages only.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

# A job that has run this long is still taken as a sign of a live worker (archives of a few GB take a while); a
# worker killed in the middle of a job leaves it “running” for ever, so older ones count for nothing.
RUNNING_GRACE = timedelta(hours=2)


@dataclass(frozen=True)
class Health:
    database: bool
    waiting: int = 0
    oldest_wait_seconds: int | None = None
    worker_running: bool = True

    @property
    def ok(self) -> bool:
        return self.database and self.worker_running

    def as_json(self) -> dict:
        return {
            "status": "ok" if self.ok else "error",
            "database": "ok" if self.database else "error",
            "background_jobs": {
                "worker": "running" if self.worker_running else "not_running",
                "waiting": self.waiting,
                "oldest_wait_seconds": self.oldest_wait_seconds,
            },
        }

    def lines(self) -> list[str]:
        """The state as a person reads it (`wenming health`)."""
        rows = [_("数据库：正常") if self.database else _("数据库：无法连接")]
        if not self.database:
            return rows
        if self.waiting:
            rows.append(_("后台任务：%(count)d 项等待，最久已等待 %(minutes)d 分钟")
                        % {"count": self.waiting, "minutes": (self.oldest_wait_seconds or 0) // 60})
        else:
            rows.append(_("后台任务：没有等待的任务"))
        if not self.worker_running:
            rows.append(worker_stalled_message())
        return rows


def worker_stalled_message() -> str:
    return _("后台任务未在运行：有任务等待超过 %(minutes)d 分钟仍未开始（归档、报告、导入和提醒都会停下）。"
             "请检查 db_worker 进程：make run 会自动重启它，正式环境请用 wenming run_worker 或 systemd 守护。") % {
        "minutes": settings.WENMING_WORKER_STALL_MINUTES}


def stall_cutoff():
    return timezone.now() - timedelta(minutes=settings.WENMING_WORKER_STALL_MINUTES)


def worker_stalled() -> bool:
    """Jobs have waited past the limit and no job started lately: nobody is taking them (two small queries)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = stall_cutoff()
    overdue = DBTaskResult.objects.ready().filter(enqueued_at__lte=cutoff).filter(
        Q(run_after=get_date_max()) | Q(run_after__lte=cutoff))
    if not overdue.exists():
        return False
    recent = timezone.now() - RUNNING_GRACE
    return not DBTaskResult.objects.filter(Q(started_at__gte=cutoff) | Q(status="RUNNING", started_at__gte=recent)
                                           ).exists()


def health_check() -> Health:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return Health(database=False, worker_running=False)
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    summary = ready.aggregate(oldest=Min("enqueued_at"))
    waiting = ready.count()
    oldest = summary["oldest"]
    return Health(
        database=True, waiting=waiting,
        oldest_wait_seconds=int((timezone.now() - oldest).total_seconds()) if oldest else None,
        worker_running=not worker_stalled(),
    )
