"""`wenming export_guide`: one A4 PDF with a cover, a 目录 carrying page numbers, every chapter, numbered pages."""

import os
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command

from wenming.conftest import chromium_path
from wenming.help import guide

pytestmark = pytest.mark.browser


@pytest.fixture
def needs_chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium installed (.ci/run installs Debian's chromium).")
        pytest.skip("Chromium is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")


def test_the_guide_prints_as_one_a4_pdf_with_contents_and_page_numbers(tmp_path, needs_chromium):
    out = tmp_path / "guide.pdf"
    call_command("export_guide", "--out", str(out))
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > 10
    assert "(A4)" in info, info
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    sheets = text.split("\f")
    assert "目录" in sheets[1]
    assert f"2 / {pages}" in sheets[1]  # the footer's page number
    contents = "".join(sheets[1:4])  # the 目录 fills two or three pages
    for chapter in guide.CHAPTERS:
        assert re.search(rf"\d+\. {re.escape(str(chapter.title))}\s+\d+", contents), chapter.slug  # with its page
