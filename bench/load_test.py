"""`make loadtest`: a bounded load test against a throwaway installation on 127.0.0.1 (issue 9, not in CI).

    .venv/bin/python -m bench.load_test [--users 50] [--seconds 60] [--spawn-rate 5] [--workers 4]
                                        [--database-url postgres://…] [--keep]

1. a new installation in a temporary WENMING_DATA_DIR: SQLite by default; with --database-url, a throwaway
   database created on that PostgreSQL server (and dropped at the end) — the named database is never touched;
2. `migrate` and `demo`; the campaign, the standard and each demo account's department and tasks are read
   back for the simulated people (bench/locustfile.py);
3. gunicorn on 127.0.0.1 (a free port, a few workers) and the `db_worker` that makes the thumbnails;
4. locust headless: N people sign in and walk the main pages and upload photos for the given time;
5. waits (bounded) for the background thumbnails, stops every process it started whatever happens, prints
   the table and writes it to bench/results/load.md. Exits 1 if any request failed, a background task
   failed, a thumbnail is missing or the server logged an error.

Every wait has a count and a time limit; the whole run stays within --seconds + 60 s.
"""

import argparse
import contextlib
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
ACCOUNTS = ["office", "liaison_a", "staff_a", "leader"]
PASSWORD = "Wenming@2026"  # the demo's published password (wenming/org/demo.py)
SERVER_ERRORS = ("Traceback", "database is locked", "[CRITICAL]", "WORKER TIMEOUT", "Internal Server Error")


class Deadline:
    """The run's wall-time budget: every step asks it how long it may still take."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self, cap: float | None = None) -> float:
        remaining = max(0.0, self.end - time.monotonic())
        return remaining if cap is None else min(cap, remaining)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load_test", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated people (default 50)")
    parser.add_argument("--seconds", type=int, default=60, help="length of the load phase (default 60)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="people started per second (default 5)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL server to use (a throwaway database is created on it and dropped)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory and logs")
    args = parser.parse_args(argv)
    if not (1 <= args.users <= 500 and 10 <= args.seconds <= 3600 and 0 < args.spawn_rate <= 50
            and 1 <= args.workers <= 16):
        parser.error("out of range: 1–500 users, 10–3600 seconds, spawn rate ≤ 50/s, 1–16 workers")
    return args


# ---------------------------------------------------------------------------------------------- database
def throwaway_postgres(url: str) -> tuple[str, callable]:
    """Create an empty database on the server of `url`; return its URL and a function that drops it."""
    import psycopg
    from dj_database_url import parse

    config = parse(url)
    name = f"wenming_load_{uuid.uuid4().hex[:10]}"
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None,
              "password": config["PASSWORD"] or None, "dbname": config["NAME"] or "postgres", "connect_timeout": 10}
    params = {key: value for key, value in params.items() if value is not None}
    with psycopg.connect(**params, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**params, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base, _slash, _old = url.partition("?")[0].rpartition("/")
    query = url.partition("?")[2]
    return f"{base}/{name}" + (f"?{query}" if query else ""), drop


# ---------------------------------------------------------------------------------------------- processes
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wenming(env: dict, *args: str, timeout: float, log: Path) -> str:
    """Run a `wenming` management command to the end (bounded); its output goes to `log` and is returned."""
    with log.open("ab") as out:
        out.write(f"\n$ wenming {' '.join(args)}\n".encode())
        out.flush()
        done = subprocess.run([sys.executable, "-m", "wenming", *args], env=env, cwd=ROOT, timeout=max(1, timeout),
                              stdout=subprocess.PIPE, stderr=out, check=False)
        out.write(done.stdout)
    if done.returncode != 0:
        raise RuntimeError(f"`wenming {args[0]}` failed (exit {done.returncode}); see {log}")
    return done.stdout.decode("utf-8", "replace")


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """A background process in its own process group, so that it and its children can be stopped together."""
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def stop(process: subprocess.Popen, grace: float = 10) -> None:
    """SIGTERM to the process group, then SIGKILL after `grace` seconds. Never raises."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_healthy(url: str, server: subprocess.Popen, deadline: Deadline, limit: float = 30) -> None:
    until = time.monotonic() + deadline.left(limit)
    for _attempt in range(int(limit / 0.25) + 1):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} before answering")
        with contextlib.suppress(OSError, urllib.error.URLError):
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        if time.monotonic() >= until:
            break
        time.sleep(0.25)
    raise RuntimeError(f"gunicorn did not answer {url}/healthz within {limit:.0f} s")


# ---------------------------------------------------------------------------------------------- in the installation
PLAN_SCRIPT = """
import json
from wenming.campaigns.models import Campaign, Task
from wenming.org.models import User
from wenming.org.security import policy_for
campaign = Campaign.objects.select_related("standard").order_by("pk").first()
accounts = []
for username in ACCOUNTS:
    user = User.objects.select_related("unit").get(username=username)
    tasks = list(Task.objects.visible_to(user).filter(campaign=campaign, lead_department_id=user.department_id)
                 .values_list("pk", flat=True))
    accounts.append({"username": username, "department": user.department_id, "tasks": tasks,
                     "single_session": policy_for(user.unit).single_session})
from wenming.evidence.models import EvidenceFile
last_file = EvidenceFile.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
print("PLAN=" + json.dumps({"campaign": campaign.pk, "last_file": last_file, "standard": campaign.standard_id,
                            "tasks": Task.objects.filter(campaign=campaign).count(),
                            "task_statuses": list(Task.Status.values), "accounts": accounts}))
"""

BACKGROUND_SCRIPT = """
import json
from django_tasks_db.models import DBTaskResult
from wenming.evidence.models import Evidence, EvidenceFile
from wenming.files.sniffing import TYPES
raster = [key for key, kind in TYPES.items() if kind.raster]
uploaded = EvidenceFile.objects.filter(pk__gt=LAST_FILE, file_type__in=raster)
statuses = {}
for status in DBTaskResult.objects.values_list("status", flat=True):
    statuses[status] = statuses.get(status, 0) + 1
failed = list(DBTaskResult.objects.filter(status="FAILED").values_list("exception_class_path", flat=True)[:5])
print("BACKGROUND=" + json.dumps({
    "tasks": statuses, "failed": failed, "evidence": Evidence.objects.filter(files__in=uploaded).distinct().count(),
    "files": uploaded.count(), "thumbnails": uploaded.exclude(thumbnail="").count()}))
"""


def shell(env: dict, script: str, marker: str, *, timeout: float, log: Path) -> dict:
    output = wenming(env, "shell", "--no-imports", "-c", script, timeout=timeout, log=log)
    line = next((line for line in output.splitlines() if line.startswith(marker)), None)
    if line is None:
        raise RuntimeError(f"no {marker} line from `wenming shell`; see {log}")
    return json.loads(line[len(marker):])


def wait_background(env: dict, deadline: Deadline, log: Path, limit: float, last_file: int) -> tuple[dict, float]:
    """Poll until the queue is empty (nothing ready or running), at most `limit` seconds."""
    started = time.monotonic()
    state: dict = {}
    for _attempt in range(30):
        budget = deadline.left(limit - (time.monotonic() - started))
        if budget < 3:
            break
        state = shell(env, BACKGROUND_SCRIPT.replace("LAST_FILE", str(int(last_file))), "BACKGROUND=",
                      timeout=budget, log=log)
        if not any(state["tasks"].get(status) for status in ("READY", "RUNNING")):
            break
        time.sleep(1)
    return state, time.monotonic() - started


# ---------------------------------------------------------------------------------------------- report
def read_stats(prefix: Path) -> tuple[list[dict], list[dict]]:
    def rows(path: Path) -> list[dict]:
        if not path.exists():
            return []
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    return rows(Path(f"{prefix}_stats.csv")), rows(Path(f"{prefix}_failures.csv"))


def _ms(value: str) -> str:
    try:
        return f"{float(value):.0f} ms"
    except (TypeError, ValueError):
        return "—"


def stats_table(stats: list[dict]) -> str:
    lines = ["| page | requests | failures | median | 95th pct | max | req/s |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    body = sorted((row for row in stats if row["Name"] != "Aggregated"), key=lambda row: row["Name"])
    total = [row for row in stats if row["Name"] == "Aggregated"]
    for row in body + total:
        name = "**all**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        lines.append(f"| {name} | {row['Request Count']} | {row['Failure Count']} | {_ms(row['50%'])} | "
                     f"{_ms(row['95%'])} | {_ms(row['Max Response Time'])} | {float(row['Requests/s']):.1f} |")
    return "\n".join(lines)


def server_errors(*logs: Path) -> list[str]:
    found = []
    for log in logs:
        if log.exists():
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
                if any(marker in line for marker in SERVER_ERRORS):
                    found.append(f"{log.name}: {line.strip()[:240]}")
    return found


# ---------------------------------------------------------------------------------------------- main
def run(args: argparse.Namespace) -> int:
    begun = time.monotonic()
    load_before = os.getloadavg()[0]
    deadline = Deadline(args.seconds + 60)
    work = Path(tempfile.mkdtemp(prefix="wenming-load-"))
    logs = {name: work / f"{name}.log" for name in ("setup", "gunicorn", "access", "worker", "locust")}
    processes: list[subprocess.Popen] = []
    drop_database = None
    failures: list[str] = []
    report: dict = {}
    try:
        env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        env.update(WENMING_DATA_DIR=str(work / "data"), DJANGO_SETTINGS_MODULE="wenming.settings",
                   LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1", DEBUG="0")
        if args.database_url:
            env["DATABASE_URL"], drop_database = throwaway_postgres(args.database_url)
            backend = "PostgreSQL (throwaway database)"
        else:
            backend = "SQLite (WAL)"
        print(f"load test: {backend}, data in {work}", flush=True)

        # 1–2. the installation, its demo and what the simulated people need to know
        wenming(env, "migrate", "--noinput", "-v", "0", timeout=deadline.left(40), log=logs["setup"])
        wenming(env, "demo", "--quiet-accounts", timeout=deadline.left(30), log=logs["setup"])
        plan = shell(env, PLAN_SCRIPT.replace("ACCOUNTS", repr(ACCOUNTS)), "PLAN=", timeout=deadline.left(20),
                     log=logs["setup"])
        plan["password"] = PASSWORD
        if any(account["single_session"] for account in plan["accounts"]):
            raise RuntimeError("the demo unit allows one session per account; the shared demo accounts would log "
                               "each other out")
        setup_seconds = time.monotonic() - begun
        print(f"  installed in {setup_seconds:.1f} s: campaign {plan['campaign']} with {plan['tasks']} tasks, "
              f"standard {plan['standard']}", flush=True)

        # 3. the web server and the background worker
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        processes.append(start([sys.executable, "-m", "gunicorn", "wenming.wsgi", "--bind", f"127.0.0.1:{port}",
                                "--workers", str(args.workers), "--timeout", "30", "--graceful-timeout", "5",
                                "--access-logfile", str(logs["access"]), "--error-logfile", str(logs["gunicorn"])],
                               env, logs["gunicorn"]))
        processes.append(start([sys.executable, "-m", "wenming", "db_worker", "--no-reload", "--interval", "0.5"],
                               env, logs["worker"]))
        wait_healthy(url, processes[0], deadline)
        print(f"  gunicorn ({args.workers} workers) and db_worker up at {url}", flush=True)

        # 4. the load
        locust_env = {**env, "WENMING_LOAD_PLAN": json.dumps(plan)}
        prefix = work / "locust"
        command = [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
                   "--host", url, "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
                   "--run-time", f"{args.seconds}s", "--stop-timeout", "5", "--csv", str(prefix),
                   "--only-summary", "--exit-code-on-error", "1", "--loglevel", "WARNING"]
        print(f"  locust: {args.users} users (spawn {args.spawn_rate:g}/s) for {args.seconds} s …", flush=True)
        load_started = time.monotonic()
        locust = start(command, locust_env, logs["locust"])
        processes.append(locust)
        try:
            locust.wait(timeout=deadline.left(args.seconds + 25))
        except subprocess.TimeoutExpired:
            failures.append("locust did not finish in time and was stopped")
            stop(locust, grace=5)
        load_seconds = time.monotonic() - load_started
        if locust.returncode not in (0, 1):
            failures.append(f"locust exited with {locust.returncode}; see {logs['locust']}")

        # 5. the background work the uploads queued
        background, drained = wait_background(env, deadline, logs["setup"], limit=min(25, deadline.left() - 12),
                                              last_file=plan["last_file"])
        report = {"backend": backend, "url": url, "setup": setup_seconds, "load": load_seconds, "plan": plan,
                  "background": background, "drained": drained}
    except BaseException as error:  # noqa: B036 — report, stop everything, then exit non-zero
        failures.append(f"{type(error).__name__}: {error}")
        if not isinstance(error, Exception):
            print("interrupted; stopping everything", file=sys.stderr)
    finally:
        for process in reversed(processes):
            stop(process)
        if drop_database is not None:
            try:
                drop_database()
            except Exception as error:  # noqa: BLE001
                failures.append(f"could not drop the throwaway database: {error}")

    stats, failed_requests = read_stats(work / "locust")
    errors = server_errors(logs["gunicorn"], logs["worker"])
    total = next((row for row in stats if row["Name"] == "Aggregated"), None)
    request_failures = int(total["Failure Count"]) if total else 0
    if total is None and not failures:
        failures.append("locust wrote no statistics")
    if request_failures:
        failures.append(f"{request_failures} failed requests")
    background = report.get("background") or {}
    if background:
        tasks = background["tasks"]
        if tasks.get("FAILED"):
            failures.append(f"{tasks['FAILED']} background tasks failed: {', '.join(background['failed'])}")
        if tasks.get("READY") or tasks.get("RUNNING"):
            failures.append(f"background queue not drained after {report['drained']:.0f} s: {tasks}")
        if background["thumbnails"] < background["files"]:
            failures.append(f"thumbnails missing: {background['thumbnails']} of {background['files']} photos")
    if errors:
        failures.append(f"{len(errors)} error lines in the server logs")

    lines = [f"# Load test {datetime.now():%Y-%m-%d %H:%M}", "",
             f"{args.users} users (spawn {args.spawn_rate:g}/s), {args.seconds} s, wait 1–3 s between pages; "
             f"gunicorn {args.workers} workers + db_worker on 127.0.0.1; {report.get('backend', '?')}; "
             f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average {load_before:.1f} before, "
             f"{os.getloadavg()[0]:.1f} after (other work on the machine skews the timings, not the failures).", ""]
    if stats:
        lines += [stats_table(stats), ""]
    if background:
        lines += [f"Uploaded during the test: {background['evidence']} items, {background['files']} photos; thumbnails by "
                  f"the db_worker: {background['thumbnails']} (queue {background['tasks']}, "
                  f"waited {report['drained']:.1f} s after the load).", ""]
    if failed_requests:
        lines += ["## Failed requests", "", "| request | error | count |", "|---|---|---:|"]
        lines += [f"| {row['Method']} {row['Name']} | {row['Error'].replace('|', '/')[:300]} | {row['Occurrences']} |"
                  for row in failed_requests]
        lines.append("")
    if errors:
        lines += ["## Server log errors (first 20)", "", "```", *errors[:20], "```", ""]
    wall = time.monotonic() - begun
    lines.append(f"Result: **{'FAILED — ' + '; '.join(failures) if failures else 'ok, no failed request'}** "
                 f"(setup {report.get('setup', 0):.1f} s, load {report.get('load', 0):.1f} s, wall {wall:.1f} s).")
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "load.md").write_text(text, encoding="utf-8")
    if failures or args.keep:
        saved = RESULTS / "load-logs"
        shutil.rmtree(saved, ignore_errors=True)
        saved.mkdir()
        for log in logs.values():
            if log.exists():
                shutil.copy(log, saved / log.name)
        for path in work.glob("locust_*.csv"):
            shutil.copy(path, saved / path.name)
        print(f"logs kept in {saved}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


def main(argv=None) -> int:
    args = parse_args(argv)

    def terminate(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, terminate)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
