"""The 迎检档案 PDF binder of 500 approved items — 300 photos, 150 PDFs, 50 Word files (issue 21): our whole build
(plan, conversions — photos by img2pdf, Word by one LibreOffice run —, text pages, stamps, bookmarks) against the
bare merging library (pikepdf) concatenating the same files already converted to PDF. Peak memory of our process
(VmHWM, LibreOffice's own process not counted) under 300 MB. WENMING_BENCH_BINDER_SCALE=0.2 for a quick run.
"""

import io
import os
import shutil
import tempfile
import time
from datetime import date
from multiprocessing import get_context
from pathlib import Path

SCALE = float(os.environ.get("WENMING_BENCH_BINDER_SCALE", "1"))
PHOTOS, PDFS, WORDS = int(300 * SCALE), int(150 * SCALE), int(50 * SCALE)
MEMORY_GOAL_MB = 300


def _jpeg(number: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((1600, 1200), 40 + number % 50).convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _pdf(number: int) -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    for page in range(1 + number % 4):
        pdf.add_blank_page(page_size=(595, 842))
        pdf.pages[-1].contents_add(pikepdf.Stream(pdf, f"BT /F1 24 Tf 72 720 Td (PDF {number}-{page}) Tj ET".encode()))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _docx(number: int) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(f"创建工作简报第{number}期", 1)
    for paragraph in range(8):
        document.add_paragraph(f"第{paragraph + 1}段：全院干警积极参与文明创建，各部门按计划推进各项工作。" * 4)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def populate():
    from django.conf import settings

    from bench.bench_evidence_archive import bench_campaign
    from wenming.evidence.models import Evidence, EvidenceFile

    campaign, user, lines, _folder = bench_campaign("binder")
    kinds = [("jpg", "image/jpeg", _jpeg)] * PHOTOS + [("pdf", "application/pdf", _pdf)] * PDFS + \
        [("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _docx)] * WORDS
    items = Evidence.objects.bulk_create([
        Evidence(campaign=campaign, title=f"材料{i}", kind="file", occurred_on=date(2026, 3, 1), uploader=user,
                 status=Evidence.Status.APPROVED) for i in range(len(kinds))])
    rows = []
    for index, (item, (extension, mime, make)) in enumerate(zip(items, kinds, strict=True)):
        name = f"evidence/files/bench-binder/{index:05d}.{extension}"  # the folder bench_campaign made
        data = make(index)
        (Path(settings.MEDIA_ROOT) / name).write_bytes(data)
        rows.append(EvidenceFile(evidence=item, file=name, name=f"材料{index}.{extension}", sha256="0" * 64,
                                 size=len(data), file_type=extension, mime=mime, uploaded_by=user))
    EvidenceFile.objects.bulk_create(rows)
    through = Evidence.criteria.through
    through.objects.bulk_create([through(evidence_id=item.pk, criterion_id=lines[i % 60].pk)
                                 for i, item in enumerate(items)])
    return campaign


def _build(campaign_id: int, out: str, queue) -> None:
    """In a fresh process (spawned, not forked), so its peak resident size is the binder's alone."""
    from bench.__main__ import setup_django

    setup_django()  # the same installation: WENMING_DATA_DIR comes with the environment
    from wenming.campaigns.models import Campaign
    from wenming.evidence.binder import write_binder

    start = time.perf_counter()
    write_binder(Campaign.objects.select_related("unit").get(pk=campaign_id), out)
    elapsed = time.perf_counter() - start
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
    queue.put((elapsed, peak / 1024))


def _baseline(campaign, scratch: Path) -> float:
    """The same files already converted (photos by img2pdf, Word by LibreOffice), merged by bare pikepdf."""
    import pikepdf

    from wenming.evidence.binder import Converter
    from wenming.evidence.models import EvidenceFile

    converter = Converter(scratch)
    rows = list(EvidenceFile.objects.filter(evidence__campaign=campaign).order_by("id"))
    converter.prepare(rows)
    paths = [converter.convert(row)[0] for row in rows]
    start = time.perf_counter()
    sources = []
    with pikepdf.new() as merged:
        for path in paths:
            source = pikepdf.open(path)
            sources.append(source)
            merged.pages.extend(source.pages)
        merged.save(scratch / "baseline.pdf")
    for source in sources:
        source.close()
    return time.perf_counter() - start


def run() -> list[dict]:
    from django.db import connections

    if shutil.which("soffice") is None:
        return [{"name": "evidence binder PDF", "measured": 0, "baseline": 0, "goal": None,
                 "note": "LibreOffice not installed"}]
    campaign = populate()
    scratch = Path(tempfile.mkdtemp(prefix="wenming-bench-binder-"))
    try:
        baseline = _baseline(campaign, scratch)
        connections.close_all()
        context = get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=_build, args=(campaign.pk, str(scratch / "binder.pdf"), queue))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"the binder build failed (exit code {child.exitcode})")
        measured, peak_mb = queue.get(timeout=10)
        pages = len(__import__("pikepdf").open(scratch / "binder.pdf").pages)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"binder: {PHOTOS} photos, {PDFS} PDFs, {WORDS} Word files → {pages} pages; ours {measured:.1f} s "
          f"(conversions included), bare pikepdf merge of the converted files {baseline:.2f} s; "
          f"peak RSS {peak_mb:.0f} MB (goal < {MEMORY_GOAL_MB} MB)")
    # Reported as rows (a missed goal shows as MISSED and fails the run) rather than stopping the other benches.
    return [{"name": f"evidence binder PDF, {PHOTOS + PDFS + WORDS} items, {pages} pages", "measured": measured,
             "baseline": baseline, "goal": "report",
             "note": f"baseline: pikepdf merging the already-converted PDFs; ours converts {WORDS} Word files too"},
            {"name": "evidence binder PDF, peak RSS of the build", "unit": "MB", "measured": peak_mb,
             "baseline": MEMORY_GOAL_MB, "goal": MEMORY_GOAL_MB, "note": "VmHWM of a spawned process"}]
