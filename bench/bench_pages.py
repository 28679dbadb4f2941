"""Server time and queries of the main pages at city scale (issue 10).

Data: `seed_scale` twice into the bench database — 1× (300 tasks, 3,000 evidence) and 10× (3,000 tasks, 30,000
evidence; the city-scale set), each its own unit, both under a 500-line standard. Requests go through Django's test Client (the whole middleware
stack, no network), signed in as the unit's office (创建办).

- Time: each page at 10× against a minimal authenticated view on the same stack (login_required, one short
  HttpResponse), added only here through a temporary URLconf. Best of REPEAT, rounds interleaved so noise hits
  both alike. The primary row is the **first load after a write** (issue 17): before each load a write moves the
  data token (wenming.core.memo), so nothing kept is served — what a person sees after anyone saves anything.
  Goal ≤ FIRST_LOAD_GOAL×. The repeated load (what was kept since the last write served again) is a second row,
  goal ≤ TIME_GOAL×.
- Queries: each page at 1× and at 10× (goal "=": a list page runs a constant number of queries, DESIGN.md §6).

Sizes can be lowered with WENMING_BENCH_PAGES_TASKS / WENMING_BENCH_PAGES_EVIDENCE (the 10× figures).

The same measurement runs on PostgreSQL through bench_pages_postgres.py, which starts this module as
`python -m bench.bench_pages --json` against a throwaway database; bench_rps.py reuses the city-scale data seeded
here (`city_data()`).
"""

import json
import os
import sys
import time
import types

TASKS = int(os.environ.get("WENMING_BENCH_PAGES_TASKS", "3000"))
EVIDENCE = int(os.environ.get("WENMING_BENCH_PAGES_EVIDENCE", "30000"))
REPEAT = int(os.environ.get("WENMING_BENCH_PAGES_REPEAT", "9"))
TIME_GOAL = 5.0
FIRST_LOAD_GOAL = 10.0
# what grows with a unit is its people, tasks and evidence; the city's standard is the same 500 lines for every unit
# (and above 150 lines the standard tree and the scoring sheet load by category, a different page shape)
SCALES = {
    "1×": {"departments": 3, "users": 30, "criteria": 500, "tasks": TASKS // 10, "evidence": EVIDENCE // 10},
    "10×": {"departments": 30, "users": 300, "criteria": 500, "tasks": TASKS, "evidence": EVIDENCE},
}


def minimal_view(request):
    from django.http import HttpResponse

    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


def bench_urlconf():
    """wenming.urls plus the minimal view, as a throwaway module (never part of the application's URLs)."""
    from django.contrib.auth.decorators import login_required
    from django.urls import include, path

    module = types.ModuleType("bench_pages_urls")
    module.urlpatterns = [path("bench/minimal/", login_required(minimal_view), name="bench_minimal"),
                          path("", include("wenming.urls"))]
    return module


def pages(campaign) -> list[tuple[str, str]]:
    from django.urls import reverse

    from wenming.assessments.models import Assessment

    assessment = Assessment.objects.filter(campaign=campaign).order_by("pk").first()
    return [
        ("dashboard", reverse("supervision:dashboard")),
        ("scoring screen", reverse("assessments:detail", args=[assessment.pk])),
        ("task list", reverse("campaigns:tasks", args=[campaign.pk])),
        ("My work", f"{reverse('campaigns:my_work')}?campaign={campaign.pk}"),
        ("gap view", reverse("evidence:gaps", args=[campaign.pk])),
        ("evidence list", reverse("evidence:list", args=[campaign.pk])),
        ("standard tree", reverse("standards:detail", args=[campaign.standard_id])),
        ("people list", reverse("org:people")),
        ("API task list", f"{reverse('task-list')}?campaign={campaign.pk}"),
        ("ranking", reverse("supervision:ranking")),
    ]


def seed(label: str, sizes: dict):
    from django.core.exceptions import ValidationError

    from wenming.evidence.scale import Sizes, check_free, seed_scale

    prefix, attempt = f"基准{label}", 1
    while True:  # a reused bench database already holds the first prefix
        try:
            check_free(prefix, 1)
            break
        except ValidationError:
            attempt += 1
            prefix = f"基准{label}第{attempt}批"
    result = seed_scale(Sizes(units=1, **sizes), prefix=prefix)
    self_check(result.campaigns[0], result.office_users[0])
    analyze()
    print(f"seed_scale {label}: {sizes['tasks']:,} tasks, {sizes['evidence']:,} evidence in {result.seconds:.1f} s",
          flush=True)
    return result.campaigns[0], result.office_users[0]


def self_check(campaign, office) -> None:
    """A self-check of the campaign with every tenth line scored, for the scoring screen."""
    from decimal import Decimal

    from wenming.assessments import services
    from wenming.assessments.models import Score
    from wenming.standards.models import Criterion

    assessment = services.assessment_create(actor=office, campaign=campaign, kind="self_check", title="基准自查")
    lines = Criterion.objects.filter(standard_id=campaign.standard_id).order_by("pk").values_list("pk", flat=True)
    Score.objects.bulk_create([Score(assessment=assessment, criterion_id=pk, points=Decimal("0.5"), scored_by=office)
                               for pk in list(lines)[::10]])


def analyze() -> None:
    """PostgreSQL plans from table statistics, which autovacuum gathers a minute or so after a bulk load; a live
    database has them. Gather them now, or the planner sees one row in tables of 30,000 (SQLite: no statistics
    unless ANALYZE is run by hand, which a deployment does not, so none here either)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="wenming.org.backends.UnitModelBackend")
    return client


def get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def queries(client, url: str) -> int:
    """Queries of the first load after a write (nothing kept by wenming.core.memo is valid)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wenming.core import memo

    memo.bump()
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured.captured_queries)


_DATA: dict = {}


def city_data() -> dict:
    """The 1× and 10× data sets in the bench database, seeded once per process: label → (campaign, office)."""
    if not _DATA:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        _DATA.update({label: seed(label, sizes) for label, sizes in SCALES.items()})
    return _DATA


def run() -> list[dict]:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from wenming.core import memo

    data = city_data()
    database = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(connection.vendor, connection.vendor)
    rows = []
    with override_settings(ROOT_URLCONF=bench_urlconf(), ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        clients = {label: signed_in(office) for label, (_campaign, office) in data.items()}
        urls = {label: pages(campaign) for label, (campaign, _office) in data.items()}
        for label, client in clients.items():  # warm up: templates compiled, per-session flags set
            get(client, "/bench/minimal/")
            for _name, url in urls[label]:
                get(client, url)
                get(client, url)

        counts = {label: [queries(clients[label], url) for _name, url in urls[label]] for label in SCALES}

        city = clients["10×"]
        baseline = float("inf")
        best = [float("inf")] * len(urls["10×"])
        cold = [float("inf")] * len(urls["10×"])
        for _round in range(REPEAT):
            baseline = min(baseline, get(city, "/bench/minimal/"))
            for index, (_name, url) in enumerate(urls["10×"]):
                memo.bump()  # a write: the data token moves, nothing kept is valid
                cold[index] = min(cold[index], get(city, url))
                best[index] = min(best[index], get(city, url))  # the repeated load: what was just kept
                baseline = min(baseline, get(city, "/bench/minimal/"))

    size = f"{TASKS:,} tasks / {EVIDENCE:,} evidence"
    for (name, _url), first in zip(urls["10×"], cold, strict=True):
        rows.append({"name": f"first load after a write, {database}: {name} ({size})", "measured": first,
                     "baseline": baseline, "goal": FIRST_LOAD_GOAL,
                     "note": "baseline: minimal login_required view, same stack; a write moved the data token first"})
    for (name, _url), measured in zip(urls["10×"], best, strict=True):
        rows.append({"name": f"repeated load, {database}: {name} ({size})", "measured": measured, "baseline": baseline,
                     "goal": TIME_GOAL, "note": "the same page again, no write between (read models kept)"})
    for index, (name, _url) in enumerate(urls["10×"]):
        rows.append({"name": f"queries, {database}: {name}", "measured": counts["10×"][index],
                     "baseline": counts["1×"][index], "goal": "=", "note": "queries at 10× vs at 1× data"})
    return rows


if __name__ == "__main__":  # `python -m bench.bench_pages --json`: the rows as JSON (for bench_pages_postgres)
    from bench.__main__ import setup_django

    setup_django()
    result = run()
    if "--json" in sys.argv:
        print("ROWS=" + json.dumps(result))
    else:
        for row in result:
            print(row)
