"""`make bench`: run every bench/bench_*.py module's run(), print one table, write bench/results/latest.md.

Each run() returns a list of dicts: name, measured (seconds), baseline (seconds, measured in the same run),
goal (the highest acceptable measured/baseline ratio), note. A row whose goal is "=" compares counts instead
(e.g. queries at 10× vs 1× data): it holds when measured equals baseline. A row with unit "req/s" is a throughput
(ratio = baseline ÷ measured); a row whose goal is None was skipped (missed only when CI is set). Exits non-zero
if any goal is missed.
"""

import atexit
import importlib
import os
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")
    if "WENMING_DATA_DIR" not in os.environ:  # a throwaway installation, removed at exit (it grows to ~1 GB)
        scratch = tempfile.mkdtemp(prefix="wenming-bench-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        os.environ["WENMING_DATA_DIR"] = scratch
    import django

    django.setup()


def main() -> int:
    setup_django()
    rows = []
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(f"bench.{path.stem}")
        print(f"running {path.stem} …", flush=True)
        rows.extend(module.run())
    lines = [
        "| benchmark | measured | baseline | ratio | goal | result | note |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    failed = False
    for row in rows:
        if row["goal"] is None:  # not measured here (e.g. no PostgreSQL server): missed only in CI
            failed |= bool(os.environ.get("CI"))
            lines.append(f"| {row['name']} | – | – | – | – | skipped | {row.get('note', '')} |")
            continue
        if row.get("unit") == "req/s":  # throughput: the baseline serves more, so the ratio is baseline ÷ measured
            ratio = row["baseline"] / row["measured"] if row["measured"] else float("inf")
            ok = ratio <= row["goal"]
            failed |= not ok
            lines.append(f"| {row['name']} | {row['measured']:.0f} req/s | {row['baseline']:.0f} req/s | "
                         f"{ratio:.2f}× | ≤ {row['goal']}× | {'ok' if ok else 'MISSED'} | {row.get('note', '')} |")
            continue
        if row["goal"] == "=":
            ok = row["measured"] == row["baseline"]
            failed |= not ok
            lines.append(f"| {row['name']} | {row['measured']} | {row['baseline']} | – | = | "
                         f"{'ok' if ok else 'MISSED'} | {row.get('note', '')} |")
            continue
        if row.get("unit") == "MB":  # memory against a ceiling: the baseline is the ceiling
            ok = row["measured"] < row["baseline"]
            failed |= not ok
            lines.append(f"| {row['name']} | {row['measured']:.0f} MB | < {row['baseline']:.0f} MB | – | – | "
                         f"{'ok' if ok else 'MISSED'} | {row.get('note', '')} |")
            continue
        if row["goal"] == "report":  # no time goal set (the binder: its goal is memory, checked by the bench itself)
            lines.append(f"| {row['name']} | {row['measured']:.1f} s | {row['baseline']:.2f} s | "
                         f"{row['measured'] / row['baseline']:.1f}× | – | measured | {row.get('note', '')} |")
            continue
        ratio = row["measured"] / row["baseline"]
        ok = ratio <= row["goal"]
        failed |= not ok
        lines.append(f"| {row['name']} | {row['measured'] * 1000:.0f} ms | {row['baseline'] * 1000:.0f} ms | "
                     f"{ratio:.2f}× | ≤ {row['goal']}× | {'ok' if ok else 'MISSED'} | {row.get('note', '')} |")
    table = "\n".join(lines)
    print(table)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(
        f"# Benchmarks {datetime.now():%Y-%m-%d %H:%M}\n\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at the end\n\n{table}\n", encoding="utf-8"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
