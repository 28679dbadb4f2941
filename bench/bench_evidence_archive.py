"""Building the 迎检档案 ZIP must take at most 1.5× the time of `zip -r -0` on the same files whatever their sizes
(issue 21): 2,000 files × 512 KB (about 1 GB), and a city-scale campaign's 27,410 small files (about 24 MB) where
per-file overhead decides; peak memory under 200 MB.

Baseline: `zip -r -0 -q` over the storage folder holding exactly those files. Measured: our whole build — plan
(queries), 目录 xlsx and docx, and every file streamed from storage into the ZIP. Peak memory: Python's traced
allocations during the build (tracemalloc), and the process's maximum resident size. Sizes can be lowered with
WENMING_BENCH_ARCHIVE_FILES / WENMING_BENCH_ARCHIVE_KB for a quick run.
"""

import os
import resource
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

SHAPES = [(int(os.environ.get("WENMING_BENCH_ARCHIVE_FILES", "2000")),
           int(os.environ.get("WENMING_BENCH_ARCHIVE_KB", "512")) * 1024),
          (int(os.environ.get("WENMING_BENCH_ARCHIVE_SMALL_FILES", "27410")), 900)]
MEMORY_GOAL_MB = 200
GOAL = 1.5


def bench_campaign(tag: str):
    """A unit, a published standard of 60 lines under one category, a campaign: (campaign, user, lines, folder)
    with `folder` the media folder for the bench's files (also used by bench_evidence_binder)."""
    from django.conf import settings
    from django.core.management import call_command

    from wenming.campaigns.models import Campaign
    from wenming.org.models import Unit, User
    from wenming.standards.models import Criterion, Standard

    call_command("migrate", verbosity=0)
    unit = Unit.objects.create(name=f"基准测试法院{tag}")
    user = User.objects.create(username=f"bench-{tag}", real_name="基准", unit=unit)
    standard = Standard.objects.create(unit=unit, name="基准细则", status=Standard.Status.PUBLISHED)
    category = Criterion.objects.create(standard=standard, code="I", title="组织领导", depth=1)
    lines = Criterion.objects.bulk_create([Criterion(standard=standard, parent=category, code=str(i + 1),
                                                     title=f"测评内容{i + 1}", depth=2, order=i) for i in range(60)])
    campaign = Campaign.objects.create(unit=unit, title="基准活动", year=2026, standard=standard,
                                       starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    folder = Path(settings.MEDIA_ROOT) / "evidence" / "files" / f"bench-{tag}"
    folder.mkdir(parents=True, exist_ok=True)
    return campaign, user, lines, folder


def populate(files: int, size: int, tag: str):
    """A unit, a published standard of 60 lines, a campaign, `files` approved items of one file of `size` bytes."""
    from django.conf import settings

    from wenming.evidence.models import Evidence, EvidenceFile

    campaign, user, lines, folder = bench_campaign(tag)
    items = Evidence.objects.bulk_create([
        Evidence(campaign=campaign, title=f"材料{i}", kind="photo", occurred_on=date(2026, 3, 1), uploader=user,
                 status=Evidence.Status.APPROVED) for i in range(files)])
    rows = []
    for index, item in enumerate(items):
        name = f"evidence/files/bench-{tag}/{index:05d}.jpg"
        (Path(settings.MEDIA_ROOT) / name).write_bytes(os.urandom(size))
        rows.append(EvidenceFile(evidence=item, file=name, name=f"照片{index}.jpg", sha256="0" * 64,
                                 size=size, file_type="jpg", mime="image/jpeg", uploaded_by=user))
    EvidenceFile.objects.bulk_create(rows, batch_size=2000)
    through = Evidence.criteria.through
    through.objects.bulk_create([through(evidence_id=item.pk, criterion_id=lines[i % 60].pk)
                                 for i, item in enumerate(items)], batch_size=2000)
    return campaign, folder


def run() -> list[dict]:
    if shutil.which("zip") is None:
        raise SystemExit("bench_evidence_archive needs the zip command (apt-get install zip)")
    return [measure(files, size, tag) for tag, (files, size) in zip(("large", "small"), SHAPES, strict=True)]


def measure(files: int, size: int, tag: str) -> dict:
    from wenming.evidence.archive import write_archive

    campaign, folder = populate(files, size, tag)
    scratch = Path(tempfile.mkdtemp(prefix="wenming-bench-archive-"))
    try:
        subprocess.run(["sync"], check=False)
        start = time.perf_counter()
        subprocess.run(["zip", "-r", "-0", "-q", str(scratch / "baseline.zip"), "."], cwd=folder, check=True)
        baseline = time.perf_counter() - start

        start = time.perf_counter()
        with open(scratch / "ours.zip", "wb") as out:
            count = write_archive(campaign, out)
        measured = time.perf_counter() - start
        # Memory in a second pass: tracing every allocation would distort the timing above.
        tracemalloc.start()
        with open(scratch / "ours.zip", "wb") as out:
            write_archive(campaign, out)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert count == files, count
        size_mb = (scratch / "ours.zip").stat().st_size / 1024 / 1024
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    peak_mb = peak / 1024 / 1024
    print(f"archive: {files} files, {size_mb:.0f} MB; ours {measured:.2f} s, zip -r -0 {baseline:.2f} s, "
          f"{measured / baseline:.2f}× its time; peak traced {peak_mb:.1f} MB, max RSS {rss_mb:.0f} MB "
          f"(goal < {MEMORY_GOAL_MB} MB)")
    if peak_mb >= MEMORY_GOAL_MB:
        raise SystemExit(f"peak memory {peak_mb:.0f} MB ≥ {MEMORY_GOAL_MB} MB")
    label = f"{size // 1024} KB" if size >= 1024 else f"{size} B"
    return {"name": f"evidence archive, {files:,} files × {label}", "measured": measured, "baseline": baseline,
            "goal": GOAL, "note": f"baseline: zip -r -0; peak traced {peak_mb:.0f} MB, max RSS {rss_mb:.0f} MB"}
