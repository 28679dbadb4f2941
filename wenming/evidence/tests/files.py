"""Files made by the tests themselves (nothing checked in): real formats, and hostile ones."""

import io
import zipfile

from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile


def jpeg(*, taken="2021:03:05 09:30:00", size=(640, 480), color=(180, 30, 40)) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[36867] = taken
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=70)
    return buffer.getvalue()


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf(pages: int = 2) -> bytes:
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>" for _ in range(pages)]
    body = b"%PDF-1.4\n"
    for number, obj in enumerate(objects, start=1):
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("2021年创建工作计划")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(megabytes: int = 64) -> bytes:
    """A small zip that claims to unpack to `megabytes` of zeros (about 1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("zeros.pdf", "w") as entry:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                entry.write(block)
    return buffer.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def raw_named(name: str, data: bytes) -> File:
    """A file whose name keeps its path parts (SimpleUploadedFile would strip them)."""
    return File(io.BytesIO(data), name=name)


def hostile_set() -> list:
    return [
        upload("活动照片.jpg", EXE),
        upload("通知.html", HTML),
        upload("标志.svg", SVG),
        upload("空白.jpg", b""),
        raw_named("../../etc/passwd.jpg", jpeg()),
        upload("照片打包.zip", zip_bomb()),
    ]


def _ole(stream_name: str) -> bytes:
    """The start of an OLE compound file with one directory entry named `stream_name` (enough to sniff)."""
    header = OLE_MAGIC + b"\0" * 504
    name = stream_name.encode("utf-16-le") + b"\0\0"
    entry = name.ljust(64, b"\0") + len(name).to_bytes(2, "little") + b"\x02" + b"\0" * 61
    return header + "Root Entry".encode("utf-16-le").ljust(128, b"\0") + entry + b"\0" * 256


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_DOC = _ole("WordDocument")
