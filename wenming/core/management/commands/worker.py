"""`wenming worker`: django-tasks' `db_worker`, steady on SQLite while another process writes for long.

Upstream ignores a locked database only while it claims a task; the same error raised when its exclusive transaction
begins, or when it records a task's outcome, ended the process ("database is locked" after the 20-second busy
timeout, e.g. while a large import or a backup holds the write lock). Here each of those waits and tries again, and
says so in the log; any other error still ends the worker (and `run_worker` logs why and restarts it).
"""

import logging
import time
from functools import wraps

from django.db import close_old_connections
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("wenming.worker")

RETRY_SECONDS = 2.0
MAX_OUTCOME_TRIES = 30  # a task's outcome is retried for about a minute before the worker gives up on it


def locked(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and is_locked_database_exception(error)


class SteadyWorker(upstream.Worker):
    sleep = staticmethod(time.sleep)

    def run(self) -> None:
        while True:
            try:
                return super().run()
            except OperationalError as error:
                if not locked(error) or not self.running:
                    raise
                logger.warning("后台任务进程：数据库被其他写入占用（database is locked），%.0f 秒后重试。", RETRY_SECONDS)
                close_old_connections()
                self.sleep(RETRY_SECONDS)

    def run_task(self, db_task_result) -> None:
        for name in ("set_successful", "set_failed"):
            setattr(db_task_result, name, self._retrying(getattr(db_task_result, name), db_task_result.id))
        super().run_task(db_task_result)

    def _retrying(self, record, task_id):
        @wraps(record)
        def again(*args, **kwargs):
            for attempt in range(1, MAX_OUTCOME_TRIES + 1):
                try:
                    return record(*args, **kwargs)
                except OperationalError as error:
                    if not locked(error) or attempt == MAX_OUTCOME_TRIES:
                        raise
                    logger.warning("后台任务 %s 已执行完，记录结果时数据库被占用（database is locked），第 %d 次重试。",
                                   task_id, attempt)
                    self.sleep(RETRY_SECONDS)
        return again


class Command(upstream.Command):
    help = ("后台任务进程（db_worker），SQLite 数据库暂时被占用时等待重试而不退出。"
            "db_worker that waits and retries while SQLite is locked instead of exiting.")

    def handle(self, *args, **options):
        upstream.Worker = SteadyWorker  # the upstream command builds its worker under this name
        return super().handle(*args, **options)
