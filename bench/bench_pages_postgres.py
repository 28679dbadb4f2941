"""The page benchmark of bench_pages.py on PostgreSQL (issue 10): same pages, same minimal view, same ratios.

A throwaway database is created on the server of WENMING_BENCH_POSTGRES (default
postgres://postgres@127.0.0.1:5432/postgres; the named database itself is never touched), the page bench runs in
a child process whose DATABASE_URL points at it (settings are read once per process), and the database is
dropped whatever happens. When no server answers, the rows say "skipped" (they count as missed when CI is set).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("WENMING_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
TIMEOUT = 600


def reachable(url: str) -> bool:
    import psycopg
    from dj_database_url import parse

    config = parse(url)
    try:
        with psycopg.connect(host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432,
                             user=config["USER"] or "postgres", password=config["PASSWORD"] or None,
                             dbname=config["NAME"] or "postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def run() -> list[dict]:
    from bench.load_test import throwaway_postgres

    if not reachable(SERVER):
        return [{"name": "page time, PostgreSQL", "measured": 0, "baseline": 0, "goal": None,
                 "note": f"skipped: no PostgreSQL at {SERVER} (set WENMING_BENCH_POSTGRES)"}]
    url, drop = throwaway_postgres(SERVER)
    scratch = tempfile.mkdtemp(prefix="wenming-bench-pg-")
    try:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "wenming.settings",
               "WENMING_DATA_DIR": scratch}
        done = subprocess.run([sys.executable, "-m", "bench.bench_pages", "--json"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, timeout=TIMEOUT, check=False)
        output = done.stdout.decode("utf-8", "replace")
        for line in output.splitlines():
            if line.startswith("ROWS="):
                return json.loads(line[len("ROWS="):])
            print(line, flush=True)
        raise RuntimeError(f"the PostgreSQL page bench failed (exit {done.returncode})")
    finally:
        drop()
        shutil.rmtree(scratch, ignore_errors=True)
