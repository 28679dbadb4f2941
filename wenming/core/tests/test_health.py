"""Issue 19.11: background work cannot stop unseen. A worker that stops is logged with its reason and restarted;
jobs waiting past the limit show “后台任务未在运行” to the office, in `wenming health` and on /health.json."""

import io
import logging
import sys
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from wenming.core.management.commands.run_worker import exit_reason, supervise


def waiting_job(minutes_ago: int, status="READY", started_minutes_ago=None):
    job = DBTaskResult.objects.create(
        id=uuid.uuid4(), status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="wenming.reports.tasks.x",
        queue_name="default", backend_name="default", run_after=get_date_max(), priority=0,
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago) if started_minutes_ago is not None else None)
    DBTaskResult.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - timedelta(minutes=minutes_ago))
    return job


def test_health_json_is_ok_without_waiting_jobs_and_needs_no_sign_in(db):
    response = Client().get("/health.json")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok",
                               "background_jobs": {"worker": "running", "waiting": 0, "oldest_wait_seconds": None}}


def test_a_job_waiting_past_the_limit_means_no_worker_runs(db):
    waiting_job(minutes_ago=7)

    response = Client().get("/health.json")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["background_jobs"]["worker"] == "not_running"
    assert body["background_jobs"]["waiting"] == 1 and body["background_jobs"]["oldest_wait_seconds"] >= 7 * 60


def test_a_fresh_job_or_a_busy_worker_is_no_alarm(db):
    waiting_job(minutes_ago=1)
    assert Client().get("/health.json").status_code == 200

    waiting_job(minutes_ago=20)
    waiting_job(minutes_ago=30, status="RUNNING", started_minutes_ago=25)  # a long archive is being built
    assert Client().get("/health.json").status_code == 200


def test_a_job_left_running_by_a_killed_worker_does_not_hide_the_stall(db):
    waiting_job(minutes_ago=20)
    waiting_job(minutes_ago=300, status="RUNNING", started_minutes_ago=290)

    assert Client().get("/health.json").status_code == 503


def test_the_health_command_says_it_in_words_and_exits_1(db):
    waiting_job(minutes_ago=9)
    out = io.StringIO()

    with pytest.raises(SystemExit) as stopped:
        call_command("health", stdout=out)

    assert stopped.value.code == 1
    text = out.getvalue()
    assert "数据库：正常" in text and "1 项等待" in text and "后台任务未在运行" in text


def test_the_health_command_is_quiet_when_all_is_well(db):
    out = io.StringIO()

    call_command("health", stdout=out)

    assert "后台任务：没有等待的任务" in out.getvalue()


def test_the_office_sees_the_banner_others_do_not(cast, client_for):
    waiting_job(minutes_ago=9)

    page = client_for(cast["office"]).get(reverse("home")).content.decode()
    assert reverse("worker_banner") in page
    banner = client_for(cast["office"]).get(reverse("worker_banner")).content.decode()
    assert "后台任务未在运行" in banner

    assert reverse("worker_banner") not in client_for(cast["staff_a"]).get(reverse("home")).content.decode()
    assert client_for(cast["staff_a"]).get(reverse("worker_banner")).status_code == 204


def test_no_banner_while_the_worker_runs(cast, client_for):
    response = client_for(cast["office"]).get(reverse("worker_banner"))

    assert response.status_code == 200 and response.content == b""


def test_the_supervisor_logs_why_the_worker_stopped_and_restarts_it(caplog):
    pauses = []
    with caplog.at_level(logging.WARNING, logger="wenming.worker"):
        restarts = supervise([sys.executable, "-c", "import sys; sys.exit(3)"], delay=2, max_restarts=2,
                             sleep=pauses.append)

    assert restarts == 2
    messages = [record.getMessage() for record in caplog.records]
    assert sum("意外退出：退出码 3" in message for message in messages) == 3
    assert "2 秒后重新启动" in messages[0] and "不再重启" in messages[-1]
    assert pauses == [2, 4]  # quick successive failures wait longer


def test_exit_reasons_name_the_signal():
    assert exit_reason(-9).startswith("被信号 SIGKILL 终止")
    assert exit_reason(1) == "退出码 1"


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_locked_database_instead_of_dying(caplog, monkeypatch):
    """Issue 19.11: on SQLite a long write elsewhere made db_worker exit with "database is locked" when its exclusive
    transaction began. The worker now logs it, waits and carries on (here: two locked polls, then a normal one)."""
    from contextlib import contextmanager

    from django.db.utils import OperationalError
    from django_tasks_db.management.commands import db_worker as upstream

    from wenming.core.management.commands.worker import SteadyWorker

    real, polls = upstream.exclusive_transaction, []

    @contextmanager
    def busy_twice(using=None):
        polls.append(using)
        if len(polls) <= 2:
            raise OperationalError("database is locked")
        with real(using):
            yield

    monkeypatch.setattr(upstream, "exclusive_transaction", busy_twice)
    worker = SteadyWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                          startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[])
    pauses = []
    worker.sleep = pauses.append
    with caplog.at_level(logging.WARNING, logger="wenming.worker"):
        worker.run()  # batch mode: returns once the queue is seen empty

    assert len(polls) == 3 and len(pauses) == 2
    assert sum("database is locked" in record.getMessage() for record in caplog.records) == 2


def test_run_worker_supervises_the_steady_worker(monkeypatch):
    from django.core.management import get_commands

    from wenming.core.management.commands import run_worker

    started = []
    monkeypatch.setattr(run_worker, "supervise", lambda argv, delay: started.append(argv))
    call_command("run_worker")

    assert started[0][-1] == "worker" and get_commands()["worker"] == "wenming.core"
