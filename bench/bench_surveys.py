"""Surveys under load (issue 20): public submissions and the results page.

- Submissions: a survey's public page is served by gunicorn (bench/wsgi.py, sync workers); 50 client threads act
  as phones for SECONDS: each opens the page with no cookies (a new phone), reads the CSRF and device cookies and
  the form's tokens, and submits the questionnaire. Goals: 0 lost answers (rows in the database = submissions the
  server answered with the thank-you page), and the p95 of a submission as a ratio to the p95 of the minimal
  authenticated view under the same 50 clients. The per-address limit is switched off (every phone here comes
  from 127.0.0.1).
- Results: 10,000 answer sheets (about 100,000 answer rows) in one survey; the results page's first load against
  the minimal view, in-process (Django's test Client, the whole middleware stack). Goal ≤ 10×.

Runs on SQLite in the bench's installation; on PostgreSQL too when WENMING_BENCH_POSTGRES (default
postgres://postgres@127.0.0.1:5432/postgres) answers, in its own database `wm_surveys_bench`, dropped afterwards.
`python -m bench.bench_surveys [--seconds 10]` runs this module alone (a shorter submission phase for a quick check).
"""

import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

CLIENTS = int(os.environ.get("WENMING_BENCH_SURVEYS_CLIENTS", "50"))
SECONDS = float(os.environ.get("WENMING_BENCH_SURVEYS_SECONDS", "30"))
ANSWERS = int(os.environ.get("WENMING_BENCH_SURVEYS_ANSWERS", "10000"))
WORKERS = int(os.environ.get("WENMING_BENCH_SURVEYS_WORKERS", str(max(2, 2 * (os.cpu_count() or 1)))))
P95_GOAL = 5.0
RESULTS_GOAL = 10.0
FIRST_LOADS = 5
ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("WENMING_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
PG_NAME = "wm_surveys_bench"
UNIT = "问卷压测法院"
TOKEN = re.compile(rb'name="(csrfmiddlewaretoken|started)" value="([^"]+)"')


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else float("inf")


def seed():
    """A unit, its 创建办, a campaign and two open 群众满意度 surveys (one for submissions, one for 10,000 answers)."""
    from django.core.management import call_command

    from wenming.campaigns import services as campaign_services
    from wenming.org.models import Unit
    from wenming.org.roles import Role
    from wenming.standards.tests.workbooks import make_standard
    from wenming.surveys import services
    from wenming.testing import make_user

    call_command("migrate", verbosity=0)
    unit = Unit.objects.create(name=f"{UNIT}{int(time.time())}")
    office = make_user(f"bench_survey_{unit.pk}", unit, None, [Role.OFFICE, Role.STAFF], "压测创建办")
    standard = make_standard(unit, office, published=True)
    campaign = campaign_services.campaign_create(actor=office, unit=unit, title="创建市级文明单位", year=2026,
                                                 standard=standard)
    line = standard.criteria.get(code="3")
    made = []
    for title in ("提交压测问卷", "结果压测问卷"):
        survey = services.survey_create(actor=office, campaign=campaign, template="public_satisfaction", title=title,
                                        criterion=line)
        services.survey_update(actor=office, survey=survey, values={"min_seconds": 0})
        made.append(services.survey_open(actor=office, survey=survey))
    return office, made[0], made[1]


def fill(survey, count: int) -> None:
    """`count` answer sheets written in bulk, shaped as the service writes them (hits, groups, points)."""
    from wenming.surveys.models import Answer, Question, Response
    from wenming.surveys.selectors import questions_of
    from wenming.surveys.services import _hit, tallies_rebuild

    rng = random.Random(20)
    questions = [q for q in questions_of(survey) if q.kind == Question.Kind.SATISFACTION]
    points = list(survey.points.all())
    groups = ["public", "litigant", "lawyer", "deputy"]
    for start in range(0, count, 1000):
        sheets = []
        for number in range(start, min(count, start + 1000)):
            sheets.append(Response(survey=survey, questionnaire_id=survey.current_id, point=points[number % 3],
                                   group=groups[number % 4], device=f"bulk-{number}", address=f"a{number % 97}",
                                   seconds=60))
        Response.objects.bulk_create(sheets)
        rows = []
        for sheet in sheets:
            for question in questions:
                choice = rng.choices(["满意", "基本满意", "不满意"], weights=(75, 20, 5))[0]
                rows.append(Answer(response=sheet, survey=survey, key=question.key, choice=choice, group=sheet.group,
                                   point=sheet.point, hit=_hit(survey, question, [choice])))
        Answer.objects.bulk_create(rows, batch_size=2000)
    tallies_rebuild(survey=survey)


def phones(port: int, token: str, keys: list[str], seconds: float):
    """CLIENTS phones answering for `seconds`: (accepted, refused or failed, submission latencies)."""
    accepted, failed, latencies = [0] * CLIENTS, [0] * CLIENTS, [[] for _ in range(CLIENTS)]
    stop_at = time.monotonic() + seconds
    path = f"/surveys/a/{token}/"

    def request(method, body=None, cookie=""):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if cookie:
            headers["Cookie"] = cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Set-Cookie") or "", response.msg.get_all("Set-Cookie") or [], \
                response.read()
        finally:
            connection.close()

    def phone(index: int) -> None:
        rng = random.Random(index)
        while time.monotonic() < stop_at:
            try:
                status, _one, cookies, page = request("GET")
                jar = "; ".join(c.split(";", 1)[0] for c in cookies)
                fields = dict((k.decode(), v.decode()) for k, v in TOKEN.findall(page))
                if status != 200 or "csrfmiddlewaretoken" not in fields:
                    failed[index] += 1
                    continue
                form = [("csrfmiddlewaretoken", fields["csrfmiddlewaretoken"]), ("started", fields["started"]),
                        ("group", rng.choice(["public", "litigant", "lawyer"]))]
                form += [(f"q_{key}", rng.choice(["满意", "满意", "基本满意", "不满意"])) for key in keys]
                started = time.perf_counter()
                status, _one, _cookies, page = request("POST", urllib.parse.urlencode(form), jar)
                latencies[index].append(time.perf_counter() - started)
                if status == 200 and b"pub-check" in page:
                    accepted[index] += 1
                else:
                    failed[index] += 1
            except OSError:
                failed[index] += 1

    threads = [threading.Thread(target=phone, args=(index,), daemon=True) for index in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    return sum(accepted), sum(failed), [value for values in latencies for value in values]


def minimal_p95(port: int, cookie: str, seconds: float) -> float:
    latencies = [[] for _ in range(CLIENTS)]
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < stop_at:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            started = time.perf_counter()
            try:
                connection.request("GET", "/bench/minimal/", headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    latencies[index].append(time.perf_counter() - started)
            except OSError:
                pass
            finally:
                connection.close()

    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return p95([value for values in latencies for value in values])


def submissions(office, survey, database: str) -> list[dict]:
    from bench.bench_rps import session_cookie
    from bench.load_test import Deadline, free_port, start, stop, wait_healthy
    from wenming.surveys.models import Response
    from wenming.surveys.selectors import questions_of

    keys = [q.key for q in questions_of(survey) if q.kind == "satisfaction"]
    token = survey.points.first().token
    cookie = session_cookie(office)
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="wenming-bench-surveys-")) / "gunicorn.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wenming.settings", "PYTHONPATH": str(ROOT),
           "WENMING_SURVEY_ANSWERS_PER_ADDRESS_HOUR": "0"}
    server = start([sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{port}",
                    "--workers", str(WORKERS), "--timeout", "120", "--error-logfile", str(log)], env, log)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", server, Deadline(60), limit=60)
        phones(port, token, keys, 2)  # warm every worker
        before = Response.objects.filter(survey=survey).count()
        baseline = minimal_p95(port, cookie, 5)
        accepted, failed, latencies = phones(port, token, keys, SECONDS)
        stored = Response.objects.filter(survey=survey).count() - before
    finally:
        stop(server)
    shutil.rmtree(log.parent, ignore_errors=True)
    print(f"surveys, {database}: {accepted} answers in {SECONDS:.0f} s ({accepted / SECONDS:.1f}/s), {failed} refused "
          f"or failed, {stored} stored; p95 submit {p95(latencies) * 1000:.0f} ms, minimal {baseline * 1000:.0f} ms",
          flush=True)
    return [
        {"name": f"surveys, {database}: answers stored = answers accepted ({CLIENTS} phones, {SECONDS:.0f} s)",
         "measured": stored, "baseline": accepted, "goal": "=",
         "note": f"{accepted / SECONDS:.1f} answers/s; {failed} requests refused or failed; gunicorn {WORKERS} workers"},
        {"name": f"surveys, {database}: p95 of a public submission, {CLIENTS} concurrent phones",
         "measured": p95(latencies), "baseline": baseline, "goal": P95_GOAL,
         "note": "baseline: p95 of the minimal login_required view under the same 50 clients"},
    ]


def results_page(office, survey, warm, database: str) -> list[dict]:
    from django.conf import settings
    from django.test.utils import override_settings
    from django.urls import reverse

    from bench.bench_pages import bench_urlconf, get, signed_in
    from wenming.surveys import services
    from wenming.surveys.selectors import questions_of

    fill(survey, ANSWERS)
    raw = {q.key: ["满意"] for q in questions_of(survey) if q.kind == "satisfaction"}
    point = survey.points.first()
    with override_settings(ROOT_URLCONF=bench_urlconf(), ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        client = signed_in(office)
        url = reverse("surveys:results", args=[survey.pk])
        get(client, reverse("surveys:results", args=[warm.pk]))  # templates compiled on another survey's page
        very_first = get(client, url)
        firsts, baselines = [very_first], []
        for round_ in range(FIRST_LOADS):
            # a new answer first: the page's first load after a write (nothing is cached, so every load is one)
            services.response_submit(survey=survey, raw=raw, point=point, group="public", device=f"after-{round_}",
                                     address="bench", seconds=60)
            firsts.append(get(client, url))
            baselines += [get(client, "/bench/minimal/") for _ in range(3)]
        repeat = min(get(client, url) for _ in range(3))
    first, baseline = statistics.median(firsts), statistics.median(baselines)
    print(f"surveys, {database}: results page first loads {', '.join(f'{t * 1000:.0f}' for t in firsts)} ms "
          f"(median {first * 1000:.0f} ms), minimal view median {baseline * 1000:.1f} ms, "
          f"ratio {first / baseline:.1f}×", flush=True)
    return [{"name": f"surveys, {database}: results page, {ANSWERS:,} answer sheets, first load after a write",
             "measured": first, "baseline": baseline, "goal": RESULTS_GOAL,
             "note": f"median of {len(firsts)} first loads, each after a new answer (the very first "
                     f"{very_first * 1000:.0f} ms), against the median minimal view; tallies kept by the writing "
                     f"services, nothing cached; best of 3 repeated loads {repeat * 1000:.0f} ms"}]


def measure(database: str) -> list[dict]:
    office, submit_survey, results_survey = seed()
    return results_page(office, results_survey, submit_survey, database) + submissions(office, submit_survey, database)


def postgres() -> list[dict]:
    import psycopg
    from dj_database_url import parse

    from bench.bench_pages_postgres import reachable

    if not reachable(PG_SERVER):
        return [{"name": "surveys, PostgreSQL", "measured": 0, "baseline": 0, "goal": None,
                 "note": f"skipped: no PostgreSQL at {PG_SERVER} (set WENMING_BENCH_POSTGRES)"}]
    config = parse(PG_SERVER)
    params = {"host": config["HOST"] or "127.0.0.1", "port": config["PORT"] or 5432,
              "user": config["USER"] or "postgres", "dbname": config["NAME"] or "postgres"}
    if config["PASSWORD"]:
        params["password"] = config["PASSWORD"]

    def drop():
        with psycopg.connect(**params, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')

    drop()
    with psycopg.connect(**params, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{PG_NAME}"')
    base = PG_SERVER.partition("?")[0].rpartition("/")[0]
    scratch = tempfile.mkdtemp(prefix="wenming-bench-surveys-pg-")
    try:
        env = {**os.environ, "DATABASE_URL": f"{base}/{PG_NAME}", "DJANGO_SETTINGS_MODULE": "wenming.settings",
               "WENMING_DATA_DIR": scratch}
        done = subprocess.run([sys.executable, "-m", "bench.bench_surveys", "--json"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, timeout=900, check=False)
        for line in done.stdout.decode("utf-8", "replace").splitlines():
            if line.startswith("ROWS="):
                return json.loads(line[len("ROWS="):])
            print(line, flush=True)
        raise RuntimeError(f"the PostgreSQL surveys bench failed (exit {done.returncode})")
    finally:
        drop()
        shutil.rmtree(scratch, ignore_errors=True)


def run() -> list[dict]:
    from django.db import connection

    rows = measure({"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(connection.vendor, connection.vendor))
    if connection.vendor == "sqlite" and os.environ.get("WENMING_BENCH_SURVEYS_POSTGRES", "1") != "0":
        rows += postgres()
    return rows


def options(argv: list[str]) -> None:
    """`--seconds N` (submission phase), `--answers N` (results survey), `--clients N`: a quicker check on a busy
    machine. Passed on to the PostgreSQL run through the environment."""
    global SECONDS, ANSWERS, CLIENTS
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.bench_surveys")
    parser.add_argument("--json", action="store_true", help="rows for a parent process")
    parser.add_argument("--seconds", type=float, default=SECONDS, help="submission phase length (default 30)")
    parser.add_argument("--answers", type=int, default=ANSWERS, help="answer sheets in the results survey")
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent phones (default 50)")
    args = parser.parse_args(argv)
    SECONDS, ANSWERS, CLIENTS = args.seconds, args.answers, args.clients
    os.environ.update(WENMING_BENCH_SURVEYS_SECONDS=str(SECONDS), WENMING_BENCH_SURVEYS_ANSWERS=str(ANSWERS),
                      WENMING_BENCH_SURVEYS_CLIENTS=str(CLIENTS))


if __name__ == "__main__":  # `python -m bench.bench_surveys [--json] [--seconds N]`: this bench alone
    from bench.__main__ import setup_django

    options(sys.argv[1:])
    setup_django()
    if "--json" in sys.argv:
        from django.db import connection

        print("ROWS=" + json.dumps(measure({"postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor))))
    else:
        for row in run():
            print(row)
