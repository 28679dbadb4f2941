"""Requests per second of the task list under 20 concurrent clients, against the minimal view (issue 10).

The city-scale data of bench_pages.py (seeded once per run) is served by gunicorn on 127.0.0.1 (a free port,
sync workers, bench/wsgi.py: the application plus the minimal view). 20 client threads, each with its own
connection per request (http.client; gunicorn's sync workers close after each response), all signed in as the
unit's 创建办 with one session, request the page as fast as they are answered for a few seconds; the minimal view
and the task list alternate over ROUNDS rounds so that the machine's other load hits both alike. The figure is
the best round of each; the ratio is minimal-view req/s ÷ task-list req/s (goal ≤ 5, as for server time).
"""

import http.client
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

CLIENTS = 20
SECONDS = float(os.environ.get("WENMING_BENCH_RPS_SECONDS", "5"))
ROUNDS = int(os.environ.get("WENMING_BENCH_RPS_ROUNDS", "2"))
WORKERS = int(os.environ.get("WENMING_BENCH_RPS_WORKERS", str(max(2, 2 * (os.cpu_count() or 1)))))
GOAL = 5.0
ROOT = Path(__file__).resolve().parent.parent


def hammer(port: int, path: str, cookie: str, seconds: float) -> tuple[float, int]:
    """CLIENTS threads request `path` for `seconds`; (requests per second, failures)."""
    done, failed = [0] * CLIENTS, [0] * CLIENTS
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < stop_at:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    done[index] += 1
                else:
                    failed[index] += 1
            except OSError:
                failed[index] += 1
            finally:
                connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return sum(done) / (time.monotonic() - started), sum(failed)


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="wenming.org.backends.UnitModelBackend")
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def run() -> list[dict]:
    from django.urls import reverse

    from bench.bench_pages import TASKS, city_data
    from bench.load_test import Deadline, free_port, start, stop, wait_healthy

    campaign, office = city_data()["10×"]
    cookie = session_cookie(office)
    paths = {"minimal": "/bench/minimal/", "tasks": reverse("campaigns:tasks", args=[campaign.pk])}
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="wenming-bench-rps-")) / "gunicorn.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wenming.settings", "PYTHONPATH": str(ROOT)}
    server = start([sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{port}",
                    "--workers", str(WORKERS), "--error-logfile", str(log)], env, log)
    best = {"minimal": 0.0, "tasks": 0.0}
    failures = 0
    try:
        wait_healthy(f"http://127.0.0.1:{port}", server, Deadline(60), limit=60)
        for name in best:  # warm every worker: templates compiled, connections open
            hammer(port, paths[name], cookie, 1)
        for _round in range(ROUNDS):
            for name, path in paths.items():
                rps, failed = hammer(port, path, cookie, SECONDS)
                best[name] = max(best[name], rps)
                failures += failed
    finally:
        stop(server)
    if failures:
        raise RuntimeError(f"{failures} requests failed under load; see {log}")
    shutil.rmtree(log.parent, ignore_errors=True)
    print(f"req/s with {CLIENTS} clients, {WORKERS} gunicorn workers: minimal {best['minimal']:.0f}, "
          f"task list {best['tasks']:.0f}", flush=True)
    return [{"name": f"req/s, {CLIENTS} clients: task list ({TASKS:,} tasks) vs minimal view", "unit": "req/s",
             "measured": best["tasks"], "baseline": best["minimal"], "goal": GOAL,
             "note": f"gunicorn, {WORKERS} sync workers, SQLite; ratio = minimal ÷ task list"}]
