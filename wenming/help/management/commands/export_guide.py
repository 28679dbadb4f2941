"""`wenming export_guide --out guide.pdf`: the 操作手册 as one A4 PDF with a 目录 and page numbers.

The print view (/help/print/) is rendered here, its static files pointed at the installed files, and printed by
headless Chromium (`--print-to-pdf`; the page numbers come from the stylesheet's @page margin boxes). When
poppler's `pdftotext` is installed a second pass writes each chapter's and section's page number into the 目录.
"""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import translation

from wenming.help import guide

STATIC_URL = re.compile(r'(src|href)="/static/([^"]+)"')


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def local_static(html: str) -> str:
    def swap(match):
        found = finders.find(match.group(2))
        return f'{match.group(1)}="{Path(found).as_uri()}"' if found else match.group(0)

    return STATIC_URL.sub(swap, html)


def page_numbers(pdf: Path, chapters: list[dict]) -> dict[str, int]:
    """{"ch-office": 5, "office-review": 7, …}: where each chapter and section begins, read back from the PDF."""
    if not shutil.which("pdftotext"):
        return {}
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [re.sub(r"\s+", "", page) for page in text.split("\f")]
    found, start = {}, 2  # the cover and the 目录 come first
    for number, item in enumerate(chapters, start=1):
        title = re.sub(r"\s+", "", f"{number}.{item['chapter'].title}")
        at = next((index for index in range(start, len(pages)) if title in pages[index]), None)
        if at is None:
            continue
        found[f"ch-{item['chapter'].slug}"] = at + 1
        start = at
        for anchor, heading, _page in item["sections"]:
            wanted = re.sub(r"\s+", "", heading)
            spot = next((index for index in range(start, len(pages)) if wanted in pages[index]), None)
            if spot is not None:
                found[f"{item['chapter'].slug}-{anchor}"] = spot + 1
                start = spot
    return found


class Command(BaseCommand):
    help = "导出操作手册 PDF（A4，带目录和页码）/ export the user guide as one PDF (A4, contents, page numbers)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="PDF 文件路径 / the PDF to write")
        parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"], help="语言 / language")

    def handle(self, *args, out, language, **options):
        browser = chromium()
        if browser is None:
            raise CommandError("未找到 Chromium：请安装（Debian：apt-get install chromium fonts-noto-cjk）。")
        target = Path(out).resolve()
        with translation.override(language), tempfile.TemporaryDirectory() as folder:
            tree = guide.language_tree()
            numbers: dict[str, int] = {}
            for _pass in range(2):
                chapters = guide.print_chapters(tree, numbers)
                html = local_static(render_to_string("help/print.html", {"chapters": chapters}))
                source = Path(folder) / "guide.html"
                source.write_text(html, encoding="utf-8")
                self.print_pdf(browser, source, target, Path(folder))
                numbers = page_numbers(target, chapters)
                if not numbers:
                    break
        self.stdout.write(self.style.SUCCESS(f"已导出操作手册：{target}"))

    def print_pdf(self, browser: str, source: Path, target: Path, profile: Path) -> None:
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={profile / 'profile'}",
            "--allow-file-access-from-files", "--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180)
        if done.returncode != 0 or not target.exists():
            raise CommandError(f"Chromium 未能生成 PDF：{done.stderr[-800:]}")
