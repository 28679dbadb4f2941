"""迎检档案: the approved evidence of a campaign as one ZIP laid out by criterion code, with a master 目录
(xlsx and docx, the docx opening with a cover page).

Streaming: each file is copied from storage into the ZIP in chunks (stored, not recompressed — photos and PDFs
do not shrink), so memory stays flat whatever the archive's size. The ZIP is written under a temporary name and
recorded on the job only when complete: an interrupted run leaves nothing to download, and running it again
starts over and removes the leftover.
"""

import io
import os
import re
import shutil
import tempfile
import time
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.audit.services import Origin, audit_record
from wenming.campaigns.models import Campaign
from wenming.core.text import printable
from wenming.core.xlsx import table_xlsx
from wenming.evidence.models import ArchiveJob, Evidence, EvidenceFile
from wenming.evidence.selectors import criteria_in_order

CHUNK = 1024 * 1024
SMALL = 4 * 1024 * 1024  # files up to this size are read whole (memory stays bounded by it)
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
HEADERS = ["编号", "测评内容", "材料名称", "形成日期", "提供部门", "文件名", "页数", "档案包中的位置"]


def _part(text: str, limit: int = 40) -> str:
    cleaned = UNSAFE.sub("_", text).strip(" .")
    return cleaned[:limit] or "_"


@dataclass(slots=True)
class Item:
    """What the 目录 and the folder name need of an approved item (read as plain values: a city-scale archive
    has tens of thousands of files, and model instances would cost more than copying them)."""

    pk: int
    title: str
    occurred_on: object
    department_name: str


@dataclass(slots=True)
class File:
    pk: int
    name: str
    size: int
    page_count: int | None
    stored: str  # the storage name


@dataclass(slots=True)
class Entry:
    """One file's place in the archive and its 目录 line."""

    path: str
    file: File
    code: str
    criterion_title: str
    evidence: Item


def plan(campaign: Campaign) -> list[Entry]:
    """Where every current file of every approved item goes: under each criterion it serves (an item serving
    two criteria appears in both folders, as evaluators check folder by folder). Three queries of plain values."""
    nodes = criteria_in_order(campaign.standard_id)
    by_id = {node.pk: node for node in nodes}
    folder: dict[int, str] = {}
    for node in nodes:
        name = _part(f"{node.code}-{node.title}" if node.code else node.title)
        folder[node.pk] = f"{folder[node.parent_id]}/{name}" if node.parent_id in folder else name
    approved = Evidence.objects.alive().filter(campaign=campaign, status=Evidence.Status.APPROVED)
    items = [Item(pk, title, day, department or "") for pk, title, day, department in
             approved.order_by("occurred_on", "id").values_list("id", "title", "occurred_on", "department__name")]
    served: dict[int, list[int]] = defaultdict(list)
    for evidence_id, criterion_id in Evidence.criteria.through.objects.filter(
            evidence__in=approved.values("id")).values_list("evidence_id", "criterion_id"):
        served[evidence_id].append(criterion_id)
    files: dict[int, list[File]] = defaultdict(list)
    for pk, evidence_id, name, size, pages, stored in (
            EvidenceFile.objects.filter(evidence__in=approved.values("id"), retired_in__isnull=True).order_by("id")
            .values_list("id", "evidence_id", "name", "size", "page_count", "file")):
        files[evidence_id].append(File(pk, name, size, pages, stored))
    entries: list[Entry] = []
    per_folder: dict[str, int] = defaultdict(int)
    order = {node.pk: index for index, node in enumerate(nodes)}
    placed = []
    for item in items:
        targets = sorted((by_id[c] for c in served.get(item.pk, ()) if c in by_id), key=lambda c: order[c.pk])
        for criterion in targets or [None]:
            placed.append((order[criterion.pk] if criterion else len(order), criterion, item))
    placed.sort(key=lambda t: (t[0], t[2].occurred_on, t[2].pk))
    unlinked = _("未关联指标")
    for _order, criterion, item in placed:
        base = folder[criterion.pk] if criterion else _part(unlinked)
        per_folder[base] += 1
        item_dir = f"{base}/{per_folder[base]:02d}-{item.occurred_on:%Y%m%d}-{_part(item.title)}"
        used = set()
        for row in files.get(item.pk, []):
            name = _part(row.name, 80)
            while name in used:
                name = f"{row.pk}-{name}"
            used.add(name)
            entries.append(Entry(path=f"{item_dir}/{name}", file=row, code=criterion.code if criterion else "",
                                 criterion_title=criterion.title if criterion else unlinked, evidence=item))
    return entries


def counts(entries: list[Entry]) -> tuple[int, int]:
    """(items, files) an archive holds — what its cover states and what the archive page announces: an approved
    item without a current file (a link) is not in the ZIP, so it is not counted."""
    return len({entry.evidence.pk for entry in entries}), len(entries)


def _catalogue_rows(entries: list[Entry]):
    for entry in entries:
        item = entry.evidence
        yield [entry.code, entry.criterion_title, item.title, item.occurred_on.isoformat(),
               item.department_name, entry.file.name,
               entry.file.page_count or "", entry.path]


def catalogue_xlsx(campaign: Campaign, entries: list[Entry]) -> bytes:
    return table_xlsx(_("目录"), HEADERS, _catalogue_rows(entries), widths=[10, 40, 30, 12, 14, 30, 6, 60],
                      note=_("%(title)s 迎检档案目录（共 %(n)d 个文件）") % {"title": campaign.title, "n": len(entries)})


def catalogue_docx(campaign: Campaign, entries: list[Entry]) -> bytes:
    """封面 then 目录, A4, in the 公文 fonts where the reader has them."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    style = document.styles["Normal"]
    style.font.name = "仿宋_GB2312"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    style.font.size = Pt(12)

    for _i in range(6):
        document.add_paragraph()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(printable(campaign.unit.name))
    run.font.size = Pt(22)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(printable(campaign.title))
    run.font.size = Pt(22)
    run.bold = True
    sub = document.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run(_("迎检档案资料")).font.size = Pt(26)
    for _i in range(8):
        document.add_paragraph()
    meta = document.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    items, files = counts(entries)
    meta.add_run(_("共 %(items)d 份材料、%(files)d 个文件") % {"items": items, "files": files}).font.size = Pt(16)
    date_line = document.add_paragraph()
    date_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date_line.add_run(timezone.localdate().strftime("%Y年%m月%d日")).font.size = Pt(16)
    date_line.add_run().add_break(WD_BREAK.PAGE)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(_("目　录")).font.size = Pt(22)
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["编号", "测评内容", "材料名称", "日期", "部门", "文件名（页数）"],
                          strict=True):
        cell.text = text
    # Rows as XML directly, parsed once: python-docx's add_row/cell.text (or a parse per row) would take seconds
    # for tens of thousands of files.
    widths = [cell.width for cell in table.rows[0].cells]
    cell_open = [f'<w:tc><w:tcPr><w:tcW w:w="{int(width.twips) if width else 0}" w:type="dxa"/></w:tcPr>'
                 '<w:p><w:r><w:t xml:space="preserve">' for width in widths]
    rows = []
    for entry in entries:
        item = entry.evidence
        pages = f"（{entry.file.page_count}页）" if entry.file.page_count else ""
        texts = [entry.code, entry.criterion_title[:60], item.title, item.occurred_on.isoformat(),
                 item.department_name, entry.file.name + pages]
        rows.append("<w:tr>" + "".join(f"{start}{escape(printable(text))}</w:t></w:r></w:p></w:tc>"
                                       for start, text in zip(cell_open, texts, strict=True)) + "</w:tr>")
    if rows:
        wrapper = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
        table._tbl.extend(list(wrapper))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_archive(campaign: Campaign, out, *, progress=None) -> int:
    """Write the whole archive into the binary file object `out`; returns the number of evidence files.
    `progress(done, total)` is called now and then."""
    entries = plan(campaign)
    total = len(entries)
    last = time.monotonic()
    storage = default_storage
    try:
        storage.path("x")
        local = True  # on disk: open each file by its path, no storage object per file
    except NotImplementedError:
        local = False
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        archive.writestr(_("00-目录.xlsx"), catalogue_xlsx(campaign, entries))
        archive.writestr(_("00-封面和目录.docx"), catalogue_docx(campaign, entries))
        for done, entry in enumerate(entries, start=1):
            info = zipfile.ZipInfo(entry.path, date_time=_zip_time(entry))
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = entry.file.size
            if local and entry.file.size <= SMALL:  # one read, the CRC in C: no writer object per small file
                with open(storage.path(entry.file.stored), "rb") as source:
                    archive.writestr(info, source.read())
            else:
                with (open(storage.path(entry.file.stored), "rb") if local
                      else storage.open(entry.file.stored, "rb")) as source, \
                        archive.open(info, "w", force_zip64=entry.file.size > 2**31) as target:
                    shutil.copyfileobj(source, target, CHUNK)
            if progress and (time.monotonic() - last > 0.5 or done == total):
                progress(done, total)
                last = time.monotonic()
    return total


def _zip_time(entry: Entry):
    day = entry.evidence.occurred_on
    return (max(day.year, 1980), day.month, day.day, 0, 0, 0)


# ---------------------------------------------------------------------------------------------- the job
@transaction.atomic
def archive_start(*, actor, campaign: Campaign, kind: str = ArchiveJob.Kind.ZIP,
                  origin: Origin | None = None) -> ArchiveJob:
    """Queue a build (the 创建办): the ZIP, or the PDF binder. The work runs in the background once this
    transaction commits."""
    from wenming.evidence.tasks import build_archive

    job = ArchiveJob.objects.create(campaign=campaign, requested_by=actor, kind=kind)
    audit_record(actor=actor, verb="evidence.archive_started", obj=job, unit=campaign.unit, origin=origin,
                 after={"kind": kind})
    transaction.on_commit(lambda: build_archive.enqueue(job.pk))
    return job


def _update(job: ArchiveJob, **values) -> None:
    ArchiveJob.objects.filter(pk=job.pk).update(**values)
    for key, value in values.items():
        setattr(job, key, value)


def archive_build(*, job_id: int) -> ArchiveJob:
    """Build (or rebuild) the job's ZIP. Safe to run again after an interruption."""
    job = ArchiveJob.objects.select_related("campaign__unit", "campaign__standard").get(pk=job_id)
    if job.status == ArchiveJob.Status.DONE and job.file:
        return job
    storage = default_storage
    if job.partial_name:  # left over by an interrupted run
        _remove(storage, job.partial_name)
    binder = job.kind == ArchiveJob.Kind.BINDER
    final = f"evidence/archives/{job.campaign_id}/{uuid.uuid4().hex}.{'pdf' if binder else 'zip'}"
    partial = f"{final}.part"
    _update(job, status=ArchiveJob.Status.RUNNING, started_at=timezone.now(), done_files=0, error="",
            partial_name=partial)

    def progress(done, total):
        _update(job, done_files=done, total_files=total)

    try:
        writer = _write_binder if binder else write_archive
        if not binder:
            _update(job, total_files=len(plan(job.campaign)))
        size = _write_to_storage(storage, job.campaign, partial, final, progress, writer)
    except Exception as error:  # recorded for the office; the leftover is removed
        _remove(storage, partial)
        _update(job, status=ArchiveJob.Status.FAILED, error=str(error)[:1000], finished_at=timezone.now(),
                partial_name="")
        audit_record(actor=None, verb="evidence.archive_failed", obj=job, unit=job.campaign.unit,
                     after={"error": str(error)[:200]})
        return job
    with transaction.atomic():
        _update(job, status=ArchiveJob.Status.DONE, file=final, size=size, finished_at=timezone.now(),
                partial_name="", done_files=job.total_files)
        audit_record(actor=job.requested_by, verb="evidence.archive_built", obj=job, unit=job.campaign.unit,
                     after={"files": job.total_files, "size": size})
    return job


def _remove(storage, name: str) -> None:
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:
        pass


def _write_binder(campaign, out, *, progress=None) -> int:
    """The PDF binder (one volume) into the file object `out`; returns the number of files converted."""
    from wenming.evidence.binder import write_binder

    converted = [0]

    def count(done, total):
        converted[0] = total
        if progress:
            progress(done, total)

    with tempfile.TemporaryDirectory(prefix="wenming-binder-out-") as folder:
        path = os.path.join(folder, "binder.pdf")
        write_binder(campaign, path, progress=count)
        with open(path, "rb") as built:
            shutil.copyfileobj(built, out, CHUNK)
    return converted[0]


def _write_to_storage(storage, campaign, partial: str, final: str, progress, writer=write_archive) -> int:
    """Local disk: write beside the final name and rename atomically. Other storages (S3): build in a scratch
    file, then upload it under the final name — the name is recorded only after the upload returns."""
    try:
        local_partial = storage.path(partial)
    except NotImplementedError:
        local_partial = None
    if local_partial:
        os.makedirs(os.path.dirname(local_partial), exist_ok=True)
        with open(local_partial, "wb") as out:
            writer(campaign, out, progress=progress)
        os.replace(local_partial, storage.path(final))
        return os.path.getsize(storage.path(final))
    with tempfile.TemporaryFile() as scratch:
        writer(campaign, scratch, progress=progress)
        size = scratch.tell()
        scratch.seek(0)
        saved = storage.save(final, scratch)
        if saved != final:
            raise RuntimeError(f"storage saved {saved!r} instead of {final!r}")
    return size


def archive_downloaded(*, actor, job: ArchiveJob, origin: Origin | None = None) -> None:
    audit_record(actor=actor, verb="evidence.archive_downloaded", obj=job, unit=job.campaign.unit,
                 after={"size": job.size}, origin=origin)
