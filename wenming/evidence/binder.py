"""迎检档案 as inspectors read it: one paginated PDF per volume (卷) — 封面, 卷内目录, then indicator by indicator a
separator page listing what is filed (or "本项无材料") followed by every approved item converted to PDF, every body
page stamped with its page number, bookmarks per category/line/item, and a 备考表 at the end.

Libraries (pyproject names the reason for each): pikepdf (qpdf) assembles, stamps and bookmarks — it copies the
source PDFs' streams lazily when writing, so memory stays flat; img2pdf places photos losslessly (the JPEG data
as it is); fpdf2 writes the text pages with a CJK font found on the system (it embeds CFF OpenType collections
such as Debian's Noto CJK, which reportlab cannot); LibreOffice (headless, own profile, a timeout per file)
converts Word/Excel/PowerPoint.

Page numbers follow DA/T 22: the body is numbered from 1 in each volume; the cover, the 卷内目录 and the 备考表 are
not. The 目录's 页号 column gives each file's first page (the last file its first–last pages), so the 目录's own
length never moves a number.
"""

import os
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.campaigns.models import Campaign
from wenming.core import fonts
from wenming.core.text import printable
from wenming.evidence.models import Evidence, EvidenceFile
from wenming.evidence.selectors import criteria_in_order

OFFICE_TYPES = frozenset({"docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp", "rtf"})
IMAGE_TYPES = frozenset({"jpg", "png", "gif", "webp", "bmp", "tif", "tiff"})
A4 = (595.28, 841.89)  # points
MM = 72 / 25.4

class BinderError(Exception):
    """A binder that cannot be built at all (no CJK font, no campaign nodes); the message is for the office."""


# ------------------------------------------------------------------------------------------------ the font
def find_font() -> tuple[str, int]:
    """(path, index in a collection) of the font for the text pages: the unit's configured font (e.g. its installed
    仿宋), else the best Chinese face the server has (`wenming.core.fonts`)."""
    configured = fonts.configured_font()
    if configured and not os.path.isfile(configured[0]):
        raise BinderError(_("设置 WENMING_BINDER_FONT 指定的字体文件不存在：%(path)s") % {"path": configured[0]})
    found = fonts.chinese_font()
    if found is None:
        raise BinderError(_("服务器上没有可用的中文字体，无法生成迎检档案 PDF。请安装 fonts-noto-cjk，"
                            "或在设置 WENMING_BINDER_FONT 中指定本单位的仿宋/宋体字体文件。"))
    return found


def convert_timeout() -> int:
    return float(getattr(settings, "WENMING_BINDER_CONVERT_TIMEOUT", 180))


# ------------------------------------------------------------------------------------------------ the plan
@dataclass
class Item:
    """One approved item under one indicator: its files and, once converted, its pages."""

    evidence: Evidence
    files: list[EvidenceFile]
    pages: int = 0
    start: int = 0  # first body page in its volume


@dataclass
class Indicator:
    """A 测评内容 (leaf of the standard) with the path of its ancestors, for the bookmarks."""

    node: object
    path: list
    items: list[Item] = field(default_factory=list)
    separator_pages: int = 1
    start: int = 0


def plan(campaign: Campaign, *, category: str | None = None, department: int | None = None) -> list[Indicator]:
    """Every indicator of the campaign's standard in the standard's order (or of one category), with its approved
    items (of one department if asked) — an item serving two indicators is filed under both, as folders are."""
    nodes = criteria_in_order(campaign.standard_id)
    if not nodes:
        raise BinderError(_("创建活动“%(title)s”没有测评体系，无法生成迎检档案。") % {"title": campaign.title})
    by_id = {node.pk: node for node in nodes}
    if category:
        roots = [node for node in nodes if node.code == category]
        if not roots:
            raise BinderError(_("测评体系中没有编号为 %(code)s 的类别。") % {"code": category})
        keep = {roots[0].pk}
        for node in nodes:
            if node.parent_id in keep:
                keep.add(node.pk)
        nodes = [node for node in nodes if node.pk in keep]
    items = (Evidence.objects.alive().filter(campaign=campaign, status=Evidence.Status.APPROVED)
             .select_related("department").prefetch_related("criteria").order_by("occurred_on", "id"))
    if department:
        items = items.filter(department_id=department)
    items = list(items)
    files: dict[int, list[EvidenceFile]] = defaultdict(list)
    for row in EvidenceFile.objects.filter(evidence__in=[i.pk for i in items], retired_in__isnull=True).order_by("id"):
        files[row.evidence_id].append(row)
    under: dict[int, list[Evidence]] = defaultdict(list)
    for item in items:
        for criterion in item.criteria.all():
            under[criterion.pk].append(item)
    indicators = []
    for node in nodes:
        if getattr(node, "child_count", 0):
            continue
        path, parent = [], by_id.get(node.parent_id)
        while parent is not None:
            path.insert(0, parent)
            parent = by_id.get(parent.parent_id)
        indicators.append(Indicator(node=node, path=path,
                                    items=[Item(evidence=e, files=files.get(e.pk, [])) for e in under[node.pk]]))
    return indicators


def label(node) -> str:
    return printable(f"{node.code} {node.title}" if node.code else node.title)


# ------------------------------------------------------------------------------------------ converting
class Converter:
    """Turns evidence files into PDF files in a scratch folder, each file once (an item under two indicators is
    converted once). Office files go through one LibreOffice profile of our own, a timeout per file."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.done: dict[int, tuple[Path | None, str]] = {}
        self.profile = scratch / "lo-profile"

    def convert(self, row: EvidenceFile) -> tuple[Path | None, str]:
        """(pdf path or None, why not) for one file."""
        if row.pk not in self.done:
            self.done[row.pk] = self._convert(row)
        return self.done[row.pk]

    def _local(self, row: EvidenceFile) -> Path:
        try:
            return Path(row.file.storage.path(row.file.name))
        except NotImplementedError:  # object storage: a scratch copy
            target = self.scratch / f"src-{row.pk}.{row.file_type}"
            with row.file.storage.open(row.file.name, "rb") as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
            return target

    def _convert(self, row: EvidenceFile) -> tuple[Path | None, str]:
        kind = (row.file_type or "").lower()
        try:
            if kind == "pdf":
                import pikepdf

                source = self._local(row)
                with pikepdf.open(source):
                    pass
                return source, ""
            if kind in IMAGE_TYPES:
                return self._image(row), ""
            if kind in OFFICE_TYPES:
                return self._office(row)
        except Exception as error:  # a broken file gets its own page that names it
            return None, _("文件无法读取（%(error)s）") % {"error": str(error)[:120]}
        return None, _("该类型文件（%(type)s）无法排入纸质档案，请查阅电子档案包。") % {"type": kind or "?"}

    def _image(self, row: EvidenceFile) -> Path:
        """One page the size of the picture, upright: img2pdf keeps the JPEG as it is and turns the page by its
        EXIF orientation; a mirrored orientation (rare) or a format img2pdf refuses is redrawn upright as PNG."""
        import img2pdf
        from PIL import Image, ImageOps

        source = self._local(row)
        target = self.scratch / f"img-{row.pk}.pdf"
        try:
            target.write_bytes(img2pdf.convert(str(source), rotation=img2pdf.Rotation.auto))
        except Exception:
            with Image.open(source) as picture:
                upright = ImageOps.exif_transpose(picture)
                if upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                png = self.scratch / f"img-{row.pk}.png"
                upright.save(png, "PNG")
            target.write_bytes(img2pdf.convert(str(png)))
        return target

    def prepare(self, rows: list[EvidenceFile]) -> None:
        """Convert the office files among `rows` in one LibreOffice run (its start-up costs seconds; each file
        then a fraction of one). A file the batch did not produce — a crash, the batch's time running out — is
        tried again on its own with its own timeout by `convert`."""
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        office = [row for row in rows if (row.file_type or "").lower() in OFFICE_TYPES and row.pk not in self.done]
        if not soffice or len(office) < 2:
            return
        folder = self.scratch / "office-batch"
        folder.mkdir(exist_ok=True)
        sources = []
        for row in office:
            source = folder / f"{row.pk}.{row.file_type.lower()}"
            self._copy(row, source)
            sources.append(source)
        try:
            self._soffice(soffice, folder, sources, timeout=convert_timeout() * len(sources))
        except subprocess.TimeoutExpired:
            pass
        for row in office:
            produced = folder / f"{row.pk}.pdf"
            if produced.exists() and produced.stat().st_size > 0:
                self.done[row.pk] = (produced, "")

    def _copy(self, row: EvidenceFile, target: Path) -> None:
        with row.file.storage.open(row.file.name, "rb") as handle, open(target, "wb") as out:
            shutil.copyfileobj(handle, out, 1024 * 1024)

    def _soffice(self, soffice: str, folder: Path, sources: list[Path], *, timeout: float) -> None:
        command = [soffice, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={self.profile.as_uri()}", "--convert-to", "pdf", "--outdir",
                   str(folder), *map(str, sources)]
        subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                       env={**os.environ, "HOME": str(self.scratch)})

    def _office(self, row: EvidenceFile) -> tuple[Path | None, str]:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            return None, _("服务器未安装 LibreOffice，无法转换此文件。")
        folder = self.scratch / f"office-{row.pk}"
        folder.mkdir()
        source = folder / f"file.{row.file_type}"
        self._copy(row, source)
        try:
            self._soffice(soffice, folder, [source], timeout=convert_timeout())
        except subprocess.TimeoutExpired:
            return None, _("转换超时（超过 %(seconds)g 秒）。") % {"seconds": convert_timeout()}
        produced = folder / "file.pdf"
        if not produced.exists() or produced.stat().st_size == 0:
            return None, _("LibreOffice 无法转换此文件。")
        return produced, ""


# ------------------------------------------------------------------------------------------ text pages
class Texts:
    """The pages we write ourselves, in one fpdf2 document so the font is read and embedded once."""

    def __init__(self):
        from fpdf import FPDF

        path, index = find_font()
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(True, margin=60)
        self.pdf.set_margins(70, 70, 60)
        try:
            self.pdf.add_font("cjk", fname=path, collection_font_number=index)
        except Exception as error:
            raise BinderError(_("字体 %(path)s 无法使用：%(error)s") % {"path": path, "error": error}) from error
        self.pdf.set_font("cjk", size=12)

    def page(self) -> int:
        self.pdf.add_page()
        return self.pdf.page_no() - 1  # 0-based index

    def pages(self) -> int:
        return self.pdf.page_no()

    def heading(self, text: str, size: int = 20):
        self.pdf.set_font("cjk", size=size)
        self.pdf.multi_cell(0, size * 1.6, printable(text), align="C", new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("cjk", size=12)

    def para(self, text: str, size: int = 12, align: str = "L"):
        self.pdf.set_font("cjk", size=size)
        self.pdf.multi_cell(0, size * 1.7, printable(text), align=align, new_x="LMARGIN", new_y="NEXT")

    def caption(self, text: str, y: float):
        """A caption line under a picture, on an otherwise empty page laid over the picture page."""
        self.pdf.set_font("cjk", size=11)
        self.pdf.set_xy(70, y)
        self.pdf.multi_cell(A4[0] - 130, 16, printable(text), align="C")

    def output(self, path: Path):
        self.pdf.output(str(path))


def separator(texts: Texts, indicator: Indicator) -> tuple[int, int]:
    """The indicator's page: its place in the standard, what it asks for and what is filed. (first index, count)"""
    first = texts.page()
    for parent in indicator.path:
        texts.para(label(parent), size=13)
    texts.pdf.ln(8)
    texts.heading(label(indicator.node), size=16)
    materials = getattr(indicator.node, "materials", "") or ""
    if materials:
        texts.para(_("应备材料：%(text)s") % {"text": materials}, size=11)
    texts.pdf.ln(10)
    if not indicator.items:
        texts.heading(_("本项无材料"), size=22)
    else:
        texts.para(_("本项归档材料 %(n)d 件：") % {"n": len(indicator.items)}, size=13)
        for number, item in enumerate(indicator.items, start=1):
            e = item.evidence
            texts.para(f"{number}. {e.title}（{e.occurred_on:%Y-%m-%d}，{e.department.name if e.department else ''}）",
                       size=12)
    return first, texts.pages() - first


def notice(texts: Texts, item: Evidence, name: str, why: str) -> int:
    index = texts.page()
    texts.pdf.ln(120)
    texts.heading(item.title, size=16)
    texts.para(_("文件“%(name)s”未能转为 PDF：%(why)s") % {"name": name, "why": why}, size=13, align="C")
    texts.para(_("原件保存在电子档案包中。"), size=12, align="C")
    return index


def link_page(texts: Texts, item: Evidence) -> int:
    index = texts.page()
    texts.pdf.ln(60)
    texts.heading(item.title, size=16)
    texts.para(f"{_('形成日期')}：{item.occurred_on:%Y年%m月%d日}")
    if item.department:
        texts.para(f"{_('提供部门')}：{item.department.name}")
    if item.link:
        texts.para(f"{_('链接')}：{item.link}")
    if item.description:
        texts.para(item.description)
    return index


# ------------------------------------------------------------------------------------------ assembling
@dataclass
class Block:
    """A run of body pages in order: ('texts', index) | ('pdf', path, page index) | ('photos', [(path, caption
    index)]) — with the outline entry that starts here, if any."""

    kind: str
    ref: object
    outline: tuple | None = None


def _photo_pages(rows: list, texts: Texts, item: Evidence, scratch: Path) -> list[Block]:
    """Pictures two per A4 page, each with its caption under it (a one-picture item gets one large picture). Each
    sheet is composed and saved on its own now, so the binder copies finished sheets and never holds the pictures
    of the whole volume in memory."""
    import pikepdf
    from pikepdf import Rectangle

    blocks = []
    for start in range(0, len(rows), 2):
        pair = rows[start:start + 2]
        caption_page = texts.page()
        slots = _slots(len(pair))
        sheet_path = scratch / f"sheet-{pair[0][0].pk}-{start}.pdf"
        pictures = [pikepdf.open(path) for _row, path in pair]
        try:
            with pikepdf.new() as sheet:
                sheet.add_blank_page(page_size=A4)
                for (row, _path), picture, (x, y, w, h) in zip(pair, pictures, slots, strict=True):
                    taken = f"{row.taken_at:%Y-%m-%d}" if row.taken_at else f"{item.occurred_on:%Y-%m-%d}"
                    texts.caption(f"{item.title}　{row.name}　{taken}", A4[1] - y + 6)
                    sheet.pages[0].add_overlay(picture.pages[0], Rectangle(x, y, x + w, y + h))
                sheet.save(sheet_path)  # while the pictures' files are open: their data is copied now
        finally:
            for picture in pictures:
                picture.close()
        blocks.append(Block("photos", (sheet_path, caption_page, len(pair))))
    return blocks


def _slots(count: int) -> list[tuple[float, float, float, float]]:
    """Rectangles (x, y from the bottom, width, height) in points for one or two pictures on A4, room for captions."""
    left, width = 60, A4[0] - 120
    if count == 1:
        return [(left, 140, width, A4[1] - 240)]
    half = (A4[1] - 250) / 2
    return [(left, 90 + half + 60, width, half), (left, 90, width, half)]


def _item_blocks(item: Item, texts: Texts, converter: Converter) -> list[Block]:
    """An item's pages: its files in order, consecutive pictures two to a page, a page naming any file that could
    not be converted, and a page of its particulars when it has no file (a link)."""
    blocks: list[Block] = []
    photos: list = []
    for row in item.files:
        path, why = converter.convert(row)
        if path is not None and (row.file_type or "").lower() in IMAGE_TYPES:
            photos.append((row, path))
            continue
        if photos:
            blocks.extend(_photo_pages(photos, texts, item.evidence, converter.scratch))
            photos = []
        blocks.append(Block("texts", notice(texts, item.evidence, row.name, why)) if path is None
                      else Block("pdf", path))
    if photos:
        blocks.extend(_photo_pages(photos, texts, item.evidence, converter.scratch))
    if not item.files:
        blocks.append(Block("texts", link_page(texts, item.evidence)))
    return blocks


def build(campaign: Campaign, scratch: Path, *, category=None, department=None, progress=None):
    """Convert everything and lay out the body: (indicators, blocks, texts, converter). `progress(done, total)`
    counts files converted."""
    indicators = plan(campaign, category=category, department=department)
    texts = Texts()
    converter = Converter(scratch)
    every_file = list({row.pk: row for ind in indicators for item in ind.items for row in item.files}.values())
    total = len(every_file)
    converter.prepare(every_file)
    done, last, counted = 0, time.monotonic(), set()
    blocks: list[Block] = []
    for indicator in indicators:
        first, count = separator(texts, indicator)
        indicator.separator_pages = count
        for offset in range(count):
            blocks.append(Block("texts", first + offset, ("indicator", indicator) if offset == 0 else None))
        for item in indicator.items:
            fresh = [row for row in item.files if row.pk not in counted]
            counted.update(row.pk for row in fresh)
            item_blocks = _item_blocks(item, texts, converter)
            item_blocks[0].outline = ("item", item, indicator)
            blocks.extend(item_blocks)
            done += len(fresh)
            if progress and fresh and time.monotonic() - last > 0.5:
                progress(done, total)
                last = time.monotonic()
    if progress:
        progress(done, total)
    return indicators, blocks, texts, converter


def _page_counts(blocks: list[Block]) -> list[int]:
    import pikepdf

    counts, cache = [], {}
    for block in blocks:
        if block.kind == "pdf":
            if block.ref not in cache:
                with pikepdf.open(block.ref) as pdf:
                    cache[block.ref] = len(pdf.pages)
            counts.append(cache[block.ref])
        else:
            counts.append(1)
    return counts


def volumes(blocks: list[Block], counts: list[int], max_pages: int | None) -> list[list[int]]:
    """Block indexes per volume: at most `max_pages` body pages each, never splitting an item or a separator from
    the first item after it — unless one item alone is longer."""
    if not max_pages:
        return [list(range(len(blocks)))]
    groups: list[list[int]] = []  # an outline start opens a new unit that stays together
    for index, block in enumerate(blocks):
        if block.outline or not groups:
            groups.append([index])
        else:
            groups[-1].append(index)
    result: list[list[int]] = [[]]
    pages = 0
    for group in groups:
        size = sum(counts[i] for i in group)
        if result[-1] and pages + size > max_pages:
            result.append([])
            pages = 0
        result[-1].extend(group)
        pages += size
    return result


def write_binder(campaign: Campaign, out: str | Path, *, category: str | None = None, department: int | None = None,
                 max_pages: int | None = None, progress=None) -> list[Path]:
    """Write the binder to `out` (volumes beyond the first as `name-卷2.pdf`, …); returns the paths written."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="wenming-binder-") as folder:
        scratch = Path(folder)
        indicators, blocks, texts, _converter = build(campaign, scratch, category=category, department=department,
                                                      progress=progress)
        counts = _page_counts(blocks)
        split = volumes(blocks, counts, max_pages)
        # Every volume's cover, 目录 and 备考表 go into the same text document: the font is read once.
        fronts = [_front_of(campaign, texts, blocks, counts, indexes, number, len(split), category=category)
                  for number, indexes in enumerate(split, start=1)]
        texts.output(scratch / "texts.pdf")
        written = []
        for number, (indexes, front) in enumerate(zip(split, fronts, strict=True), start=1):
            target = out if number == 1 else out.with_name(f"{out.stem}-{_('卷')}{number}{out.suffix}")
            _write_volume(campaign, target, scratch, blocks, indexes, front, number)
            written.append(target)
        return written


def _front(front: Texts, campaign, texts_rows, number, of, body_pages, item_count, photo_count,
           title_suffix) -> tuple[int, int, int]:
    """Cover, 卷内目录 and 备考表 of one volume: (cover index, index after the 目录, 备考表 index) in `front`."""
    cover = front.page()
    front.pdf.ln(110)
    front.heading(campaign.unit.name, size=24)
    front.heading(campaign.title, size=24)
    front.pdf.ln(16)
    front.heading(_("迎检档案") + title_suffix, size=30)
    front.pdf.ln(140)
    front.para(_("卷　　号：第 %(n)d 卷（共 %(of)d 卷）") % {"n": number, "of": of}, size=15, align="C")
    front.para(_("本卷页数：%(pages)d 页") % {"pages": body_pages}, size=15, align="C")
    front.para(_("立卷单位：%(unit)s") % {"unit": campaign.unit.name}, size=15, align="C")
    front.para(_("立卷日期：%(date)s") % {"date": timezone.localdate().strftime("%Y年%m月%d日")}, size=15, align="C")

    front.page()
    front.heading(_("卷内目录"), size=22)
    pdf = front.pdf
    pdf.set_font("cjk", size=10)
    from fpdf.fonts import FontFace

    with pdf.table(headings_style=FontFace(emphasis=None, fill_color=(235, 235, 235)),
                   col_widths=(9, 14, 16, 47, 14, 12), v_align="TOP", line_height=15, repeat_headings=1,
                   text_align=("CENTER", "CENTER", "CENTER", "LEFT", "CENTER", "CENTER")) as table:
        table.row([_("顺序号"), _("文号"), _("责任者"), _("题名"), _("日期"), _("页号")])
        for row in texts_rows:
            if row[0] is None:  # an indicator: its name across the row, its separator's page
                line = table.row(style=FontFace(fill_color=(246, 246, 246)))
                line.cell(printable(row[3]), colspan=5, align="LEFT")
                line.cell(row[5])
            else:
                table.row([printable(str(cell)) for cell in row])
    contents_end = front.pages()

    back = front.page()
    front.heading(_("卷内备考表"), size=22)
    front.pdf.ln(10)
    front.para(_("本卷情况说明："), size=14)
    front.para(_("　　本卷共有文件材料 %(items)d 件，共 %(pages)d 页，其中照片 %(photos)d 张。本卷由文明创建管理平台"
                 "根据审核通过的创建材料自动组卷，各测评内容前设有分隔页，未归档材料的测评内容标明“本项无材料”。")
               % {"items": item_count, "pages": body_pages, "photos": photo_count}, size=13)
    front.pdf.ln(200)
    front.para(_("立卷人：＿＿＿＿＿＿"), size=13, align="R")
    front.para(_("检查人：＿＿＿＿＿＿"), size=13, align="R")
    front.para(_("立卷时间：%(date)s") % {"date": timezone.localdate().strftime("%Y年%m月%d日")}, size=13, align="R")
    return cover, contents_end, back


def _front_of(campaign, texts: Texts, blocks, counts, indexes, number, of, *, category) -> tuple[int, int, int]:
    """The 目录 rows of one volume from its body's page numbers, and its front pages written into `texts`."""
    # Page numbers of this volume's body, and the 目录 rows.
    page = 1
    starts = {}
    for index in indexes:
        starts[index] = page
        page += counts[index]
    body_pages = page - 1
    rows, order = [], 0
    item_indexes = [i for i in indexes if blocks[i].outline and blocks[i].outline[0] == "item"]
    photo_count = 0
    for position, index in enumerate(indexes):
        outline = blocks[index].outline
        if blocks[index].kind == "photos":
            photo_count += blocks[index].ref[2]
        if not outline:
            continue
        if outline[0] == "indicator":
            indicator = outline[1]
            note = "" if indicator.items else _("（本项无材料）")
            rows.append([None, "", "", f"{label(indicator.node)}{note}", "", str(starts[index])])
        else:
            order += 1
            e = outline[1].evidence
            end = starts[indexes[position + 1]] - 1 if position + 1 < len(indexes) else body_pages
            pages = str(starts[index]) if index != item_indexes[-1] or end == starts[index] \
                else f"{starts[index]}-{end}"
            rows.append([str(order), "", e.department.name if e.department else campaign.unit.name, e.title,
                         f"{e.occurred_on:%Y%m%d}", pages])
    return _front(texts, campaign, rows, number, of, body_pages, len(item_indexes), photo_count,
                  f"（{category}）" if category else "")


def _write_volume(campaign, target: Path, scratch: Path, blocks, indexes, front: tuple[int, int, int], number):
    import pikepdf

    cover, contents_end, back = front
    with pikepdf.open(scratch / "texts.pdf") as text_pages, pikepdf.Pdf.new() as binder:
        sources = {}
        binder.pages.extend(text_pages.pages[cover:contents_end])
        body_start = len(binder.pages)
        font = binder.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                       BaseFont=pikepdf.Name.Helvetica))
        outline_at: list[tuple[object, int]] = []
        for index in indexes:
            block = blocks[index]
            if block.outline:
                outline_at.append((block.outline, len(binder.pages)))
            if block.kind == "texts":
                binder.pages.append(text_pages.pages[block.ref])
            elif block.kind == "pdf":
                if block.ref not in sources:
                    sources[block.ref] = pikepdf.open(block.ref)
                binder.pages.extend(sources[block.ref].pages)
            else:
                sheet_path, caption_index, _count = block.ref
                sources[sheet_path] = pikepdf.open(sheet_path)  # open until saved: its data is copied then
                binder.pages.append(sources[sheet_path].pages[0])
                binder.pages[-1].add_overlay(text_pages.pages[caption_index])
        for offset, page_obj in enumerate(binder.pages[body_start:], start=1):
            _stamp(binder, page_obj, offset, font)
        binder.pages.append(text_pages.pages[back])
        _outline(binder, campaign, outline_at)
        binder.docinfo["/Title"] = f"{campaign.title} {_('迎检档案')} {_('第%(n)d卷') % {'n': number}}"
        binder.save(str(target) + ".part")
        for source in sources.values():
            source.close()
    os.replace(str(target) + ".part", target)


def _stamp(pdf, page, number: int, font) -> None:
    """The page number at the upper right (the archival place for a recto page), in Helvetica digits."""
    import pikepdf

    box = page.cropbox if "/CropBox" in page.obj else page.mediabox
    x1, y1 = float(box[2]), float(box[3])
    text = str(number)
    x = x1 - 28 - 5.6 * len(text)
    y = y1 - 30
    resources = page.obj.get("/Resources")
    if resources is None:
        page.obj.Resources = pikepdf.Dictionary()
        resources = page.obj.Resources
    if "/Font" not in resources:
        resources.Font = pikepdf.Dictionary()
    resources.Font["/WmPageNo"] = font
    content = f"q BT /WmPageNo 10 Tf 0 g {x:.1f} {y:.1f} Td ({text}) Tj ET Q".encode()
    page.contents_add(pikepdf.Stream(pdf, content), prepend=False)


def _outline(pdf, campaign, outline_at) -> None:
    """Bookmarks: cover and 卷内目录, then the standard's tree down to each indicator, each item under its
    indicator, and the 备考表."""
    import pikepdf

    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem(_("封面"), 0))
        outline.root.append(pikepdf.OutlineItem(_("卷内目录"), 1))
        open_nodes: dict[int, object] = {}
        shown, current = None, None
        for entry, page in outline_at:
            indicator = entry[1] if entry[0] == "indicator" else entry[2]
            if indicator is not shown:  # also a volume that opens in the middle of an indicator
                shown = indicator
                parent_list = outline.root
                for ancestor in indicator.path:
                    if ancestor.pk not in open_nodes:
                        open_nodes[ancestor.pk] = pikepdf.OutlineItem(label(ancestor), page)
                        parent_list.append(open_nodes[ancestor.pk])
                    parent_list = open_nodes[ancestor.pk].children
                current = pikepdf.OutlineItem(label(indicator.node), page)
                parent_list.append(current)
            if entry[0] == "item":
                current.children.append(pikepdf.OutlineItem(printable(entry[1].evidence.title), page))
        outline.root.append(pikepdf.OutlineItem(_("卷内备考表"), len(pdf.pages) - 1))
