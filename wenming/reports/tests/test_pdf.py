"""The generated report opens in LibreOffice: converted to PDF (and page 1 to PNG), with its pages and Chinese text.

Skipped where LibreOffice (`soffice`) is not installed; the PNG and text checks need poppler-utils."""

import shutil
import subprocess
import time

import pytest

from wenming.reports import services
from wenming.reports.tests.conftest import template_of

pytestmark = pytest.mark.django_db
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_report_converts_to_pdf_with_its_pages_and_chinese_text(cast, campaign, tmp_path, output_dir):
    job = services.report_start(actor=cast["office"], campaign=campaign, template=template_of(cast),
                                background=False)
    services.report_build(job_id=job.pk)
    job.refresh_from_db()
    source = tmp_path / "report.docx"
    with job.file.open("rb") as handle:
        source.write_bytes(handle.read())
    started = time.monotonic()
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    seconds = time.monotonic() - started
    pdf = tmp_path / "report.pdf"
    assert pdf.exists(), f"no PDF after {seconds:.1f}s"
    data = pdf.read_bytes()
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 3 <= pages <= 12, pages
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        squeezed = "".join(text.split())
        assert "创建市级文明单位工作情况的报告" in squeezed
        assert "—1—" in squeezed and "—2—" in squeezed  # the page numbers in the footers
        assert "二、主要做法" in squeezed
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "2", str(pdf),
                        str(output_dir / "reports-page")], check=True, timeout=60)
        assert list(output_dir.glob("reports-page-*1.png"))
    print(f"soffice converted the report ({pages} pages) in {seconds:.1f}s")
