"""The 迎检档案 PDF as inspectors read it: 卷内目录 page numbers match the stamped pages, every approved item and every
empty indicator ("本项无材料") is there, photos upright, office files converted or named on a page of their own."""

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from wenming.campaigns.models import Campaign
from wenming.evidence import binder, services
from wenming.evidence.models import Evidence
from wenming.evidence.tests import files
from wenming.evidence.tests.conftest import line
from wenming.evidence.tests.test_demo import load_demo_up_to_evidence

pytestmark = pytest.mark.django_db

DATE_AND_PAGE = re.compile(r"(\d{8})\s+(\d+)(?:-(\d+))?\s*$")  # a file row's 日期 and 页号 cells


def page_texts(path) -> list[str]:
    """Each page's text. Poppler reads the Chinese of fpdf2's pages right; pypdf 7.1 misreads some of its
    two-byte ToUnicode entries, so pypdf reads the structure (pages, bookmarks) and poppler the words."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def contents_pages(texts: list[str]) -> list[int]:
    """Indexes of the 卷内目录 pages (after the cover, before the first body page, which carries the number 1)."""
    return [i for i, text in enumerate(texts[1:], start=1) if "页号" in text.replace(" ", "")]


def stamped(text: str) -> int | None:
    """The number at the top right: the first line's last word."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    found = re.search(r"(\d+)\s*$", first)
    return int(found.group(1)) if found else None


def outline_entries(reader: PdfReader, entries=None, depth=0, out=None):
    out = [] if out is None else out
    for entry in reader.outline if entries is None else entries:
        if isinstance(entry, list):
            outline_entries(reader, entry, depth + 1, out)
        else:
            out.append((depth, entry.title, reader.get_destination_page_number(entry)))
    return out


def test_the_demo_binder_contents_match_the_stamped_pages_and_name_every_item_and_every_empty_indicator(tmp_path):
    load_demo_up_to_evidence()
    campaign = Campaign.objects.get(title=f"{timezone.localdate().year}年创建市级文明单位")
    out = tmp_path / "binder.pdf"
    call_command("export_binder", campaign=campaign.pk, out=str(out), stdout=io.StringIO())
    reader, texts = PdfReader(out), page_texts(out)
    contents = contents_pages(texts)
    assert contents[0] == 1 and contents == list(range(1, len(contents) + 1))
    body_start = contents[-1] + 1
    body = texts[body_start:-1]
    assert [stamped(text) for text in body] == list(range(1, len(body) + 1))  # continuous, every page
    assert "卷内备考表" in texts[-1] and stamped(texts[-1]) is None

    pages_listed = []  # each file row's 页号 (its first page), in the 目录's order
    for index in contents:
        for text_line in texts[index].splitlines():
            match = DATE_AND_PAGE.search(text_line)
            if match:
                pages_listed.append(int(match.group(2)))
    approved = list(Evidence.objects.filter(campaign=campaign, status="approved").prefetch_related("criteria"))
    filings = sum(len(item.criteria.all()) for item in approved)
    titles = {item.title for item in approved}
    items = [(title, page) for _depth, title, page in outline_entries(reader) if title in titles]
    assert len(pages_listed) == len(items) == filings
    assert {title for title, _page in items} == titles
    for listed, (title, index) in zip(pages_listed, items, strict=True):
        assert stamped(texts[index]) == listed, title  # the 目录 points where the item begins

    served = {c.pk for item in approved for c in item.criteria.all()}
    leaves = [n for n in campaign.standard.criteria.all() if not n.children.exists()]
    empty = [n for n in leaves if n.pk not in served]
    body_text = "\n".join(texts[body_start:-1])  # the 备考表 explains the words once
    assert empty and body_text.count("本项无材料") == len(empty)
    contents_text = "".join(texts[i] for i in contents).replace(" ", "").replace("\n", "")
    assert contents_text.count("本项无材料") == len(empty)

    pictures = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(out), str(pictures)], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == 3


def rotated_jpeg() -> bytes:
    """640×480 pixels with EXIF orientation 6: a camera held upright, so the picture is portrait when shown."""
    from PIL import Image

    image = Image.new("RGB", (640, 480), (180, 30, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=80)
    return buffer.getvalue()


def file_item(cast, campaign, title, name, data, code="3"):
    item = services.evidence_create(
        actor=cast["staff_a"], campaign=campaign, title=title, occurred_on=date(2021, 3, 5),
        department=cast["staff_a"].department, criteria=[line(campaign, code)], files=[files.upload(name, data)])
    return services.evidence_review(actor=cast["office"], evidence=item, approve=True)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_photos_stand_upright_word_is_converted_pdfs_kept_and_volumes_split(cast, campaign, tmp_path):
    file_item(cast, campaign, "竖拍的照片", "竖拍.jpg", rotated_jpeg())
    file_item(cast, campaign, "创建工作计划", "计划.docx", files.docx())
    file_item(cast, campaign, "工作台账", "台账.xlsx", files.xlsx(), code="1")  # two office files: one LibreOffice run
    file_item(cast, campaign, "实施方案", "方案.pdf", files.pdf(pages=3), code="1")
    out = tmp_path / "binder.pdf"
    written = binder.write_binder(campaign, out, max_pages=4)
    assert len(written) >= 2  # volumes of at most 4 body pages (an item is never split)
    texts = ["\n".join(page_texts(path)) for path in written]
    assert f"第 1 卷（共 {len(written)} 卷）" in texts[0]
    joined = "\n".join(texts)
    assert "2021年创建工作计划" in joined.replace(" ", "")  # the Word file's own text, converted by LibreOffice
    assert "未能转为 PDF" not in joined

    # The upright picture: find its page and measure the drawn red area.
    from PIL import Image

    for number, path in enumerate(written):
        for index, text in enumerate(page_texts(path)):
            if "竖拍.jpg" in text:
                prefix = tmp_path / f"photo{number}"
                subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", str(index + 1), "-l", str(index + 1),
                                str(path), str(prefix)], check=True)
                picture = Image.open(next(tmp_path.glob(f"photo{number}*.png"))).convert("RGB")
                mask = picture.point(lambda v: 255 if v < 100 else 0).split()[1]  # green low → the red photo
                left, top, right, bottom = mask.getbbox()
                assert bottom - top > right - left, "the portrait photo is drawn portrait"
                return
    raise AssertionError("photo page not found")


def test_a_file_that_cannot_be_converted_gets_a_page_naming_it(cast, campaign, tmp_path, settings):
    settings.WENMING_BINDER_CONVERT_TIMEOUT = 0.001
    file_item(cast, campaign, "会议记录", "会议记录.docx", files.docx())
    out = tmp_path / "binder.pdf"
    binder.write_binder(campaign, out)
    text = "\n".join(page_texts(out))
    assert "会议记录.docx" in text and "未能转为 PDF" in text


def test_one_category_and_a_clear_error_without_a_font(cast, campaign, tmp_path, settings):
    file_item(cast, campaign, "实施方案", "方案.pdf", files.pdf(pages=1), code="1")
    out = tmp_path / "binder.pdf"
    category = campaign.standard.criteria.filter(depth=1).order_by("order", "id").first()
    call_command("export_binder", campaign=campaign.pk, out=str(out), category=category.code, stdout=io.StringIO())
    assert "实施方案" in "\n".join(page_texts(out))
    settings.WENMING_BINDER_FONT = str(tmp_path / "没有这个字体.ttf")
    with pytest.raises(Exception, match="WENMING_BINDER_FONT"):
        call_command("export_binder", campaign=campaign.pk, out=str(out), stdout=io.StringIO())


def test_the_binder_job_builds_one_pdf_counts_files_and_the_page_says_what_changed_since(
        cast, campaign, client_for, django_capture_on_commit_callbacks):
    from wenming.evidence import archive
    from wenming.evidence.models import ArchiveJob

    file_item(cast, campaign, "实施方案", "方案.pdf", files.pdf(pages=2), code="1")
    client = client_for(cast["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evidence/campaigns/{campaign.pk}/archive/", {"kind": "binder"})
    assert response.status_code == 302
    job = ArchiveJob.objects.get()
    assert job.kind == "binder" and job.status == "done" and job.done_files == job.total_files == 1
    with job.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    download = client.get(f"/evidence/archives/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf" and ".pdf" in download["Content-Disposition"]
    assert "此后没有新通过的材料" in client.get(f"/evidence/campaigns/{campaign.pk}/archive/").content.decode()

    file_item(cast, campaign, "新的照片", "新.jpg", files.jpeg())
    page = client.get(f"/evidence/campaigns/{campaign.pk}/archive/").content.decode()
    assert "此后又有 1 份材料审核通过" in page and "PDF 案卷" in page
    assert client.post(f"/evidence/campaigns/{campaign.pk}/archive/", {"kind": "rar"}).status_code == 400
    assert ArchiveJob.objects.count() == 1
    archive.archive_build(job_id=job.pk)  # run again (a worker restart): a finished job stays as it is
    job.refresh_from_db()
    assert job.status == "done"


def test_the_archive_page_queries_do_not_grow_with_jobs(cast, campaign, client_for, django_assert_num_queries):
    from wenming.evidence.models import ArchiveJob

    client = client_for(cast["office"])
    url = f"/evidence/campaigns/{campaign.pk}/archive/"
    client.get(url)
    for kind in ("zip", "binder", "zip", "binder"):
        ArchiveJob.objects.create(campaign=campaign, requested_by=cast["office"], kind=kind, status="done",
                                  finished_at=timezone.now())
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(url)
    for _i in range(3):
        ArchiveJob.objects.create(campaign=campaign, requested_by=cast["liaison_a"], kind="binder")
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(url)


PAGE_QUERIES = 14  # the page with its job list and last binder, whatever the number of jobs
