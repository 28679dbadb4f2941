"""What an uploaded file really is, decided by its content (magic bytes), never by its name.

Our own small module rather than a package: the list of types we accept is short, and each check is a few bytes.
Zip-based office files are told apart by their entries, the old OLE formats (doc/xls/ppt) by their stream names.
A zip's directory is checked (entry count, total and per-entry unpacked size) before any entry is read.
Every refusal is a `Refused` carrying a Chinese message that names the file.
"""

import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from wenming.files import conf

HEAD = 4096
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"qt  ", b"3gp4",
              b"3gp5", b"3gp6", b"dash", b"mmp4", b"MSNV", b"M4A "}


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    mime: str
    ext: str
    raster: bool = False  # a bitmap image: the only kind ever shown inline


TYPES = {t.key: t for t in (
    FileType("jpg", "JPEG 图片", "image/jpeg", "jpg", raster=True),
    FileType("png", "PNG 图片", "image/png", "png", raster=True),
    FileType("gif", "GIF 图片", "image/gif", "gif", raster=True),
    FileType("webp", "WebP 图片", "image/webp", "webp", raster=True),
    FileType("pdf", "PDF 文档", "application/pdf", "pdf"),
    FileType("docx", "Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    FileType("xlsx", "Excel 表格", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    FileType("pptx", "PowerPoint 演示文稿",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    FileType("doc", "Word 97-2003 文档", "application/msword", "doc"),
    FileType("xls", "Excel 97-2003 表格", "application/vnd.ms-excel", "xls"),
    FileType("ppt", "PowerPoint 97-2003 演示文稿", "application/vnd.ms-powerpoint", "ppt"),
    FileType("mp4", "MP4 视频", "video/mp4", "mp4"),
    FileType("zip", "ZIP 压缩包", "application/zip", "zip"),
)}

OFFICE_MARKERS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"))
OLE_STREAMS = (("WordDocument".encode("utf-16-le"), "doc"), ("Workbook".encode("utf-16-le"), "xls"),
               ("Book\x00".encode("utf-16-le")[:-2], "xls"), ("PowerPoint Document".encode("utf-16-le"), "ppt"))
OLE_MACROS = ("_VBA_PROJECT".encode("utf-16-le"), "Macros".encode("utf-16-le"))


class Refused(Exception):
    """An upload we will not keep; `message` is for the person who sent it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _read_head(fileobj, size: int = HEAD) -> bytes:
    fileobj.seek(0)
    head = fileobj.read(size)
    fileobj.seek(0)
    return head


def _active_kind(head: bytes) -> str | None:
    """Content that would run if a browser or the desktop opened it: named in the refusal."""
    if head.startswith(b"MZ"):
        return _("Windows 可执行程序")
    if head.startswith((b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa", b"\xca\xfe\xba\xbe")):
        return _("可执行程序")
    if head.startswith(b"#!"):
        return _("脚本")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for encoding_bom in (b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(encoding_bom):
            text = head[2:].replace(b"\x00", b"").lstrip().lower()
    if b"<svg" in text[:2048] or (text.startswith(b"<?xml") and b"svg" in text[:2048]):
        return _("SVG 图形（可含脚本）")
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta")) \
            or b"<script" in text[:1024] or b"<html" in text[:1024]:
        return _("网页（HTML）")
    return None


def _magic(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return "mp4"
    return None


def check_zip(fileobj, name: str) -> zipfile.ZipFile:
    """Open the zip's directory and refuse a zip bomb before any entry is unpacked."""
    try:
        archive = zipfile.ZipFile(fileobj)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused(_("“%(name)s”不是完整的压缩文件或 Office 文档，可能已损坏。") % {"name": name}) from None
    if len(entries) > conf.zip_max_entries():
        raise Refused(_("“%(name)s”包含 %(count)d 个文件，超过上限 %(limit)d 个。")
                      % {"name": name, "count": len(entries), "limit": conf.zip_max_entries()})
    total = sum(entry.file_size for entry in entries)
    if total > conf.zip_max_uncompressed():
        raise Refused(_("“%(name)s”解压后共 %(size)s，超过上限 %(limit)s，疑似“压缩炸弹”，已拒绝。")
                      % {"name": name, "size": human_size(total), "limit": human_size(conf.zip_max_uncompressed())})
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > conf.zip_max_ratio() * max(entry.compress_size, 1):
            raise Refused(_("“%(name)s”中的“%(entry)s”压缩比异常（解压后 %(size)s），疑似“压缩炸弹”，已拒绝。")
                          % {"name": name, "entry": entry.filename, "size": human_size(entry.file_size)})
        if entry.filename.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", entry.filename):
            raise Refused(_("“%(name)s”中的“%(entry)s”带有越级路径，已拒绝。") % {"name": name, "entry": entry.filename})
        if entry.flag_bits & 0x1:
            raise Refused(_("“%(name)s”已加密，无法检查其内容，请解密后再上传。") % {"name": name})
    return archive


def _zip_kind(fileobj, name: str, allowed: frozenset[str]) -> str:
    archive = check_zip(fileobj, name)
    names = set(archive.namelist())
    for marker, key in OFFICE_MARKERS:
        if marker in names:
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise Refused(_("“%(name)s”含有宏（可执行代码），不能作为创建材料上传，请另存为不含宏的格式。")
                              % {"name": name})
            return key
    # A plain zip: each entry must itself be an allowed, harmless type (no zip inside a zip).
    for entry in archive.infolist():
        if entry.is_dir():
            continue
        with archive.open(entry) as member:
            head = member.read(HEAD)
        entry_name = entry.filename.rsplit("/", 1)[-1]
        active = _active_kind(head)
        if active:
            raise Refused(_("“%(name)s”中的“%(entry)s”是%(kind)s，不能上传。")
                          % {"name": name, "entry": entry.filename, "kind": active})
        kind = _magic(head)
        if kind == "zip" and entry_name.lower().endswith((".docx", ".xlsx", ".pptx")):
            kind = entry_name.lower().rsplit(".", 1)[-1]
        elif kind == "ole":
            kind = entry_name.lower().rsplit(".", 1)[-1] if entry_name.lower().endswith((".doc", ".xls", ".ppt")) else None
        if kind is None or kind == "zip" or kind not in allowed:
            raise Refused(_("“%(name)s”中的“%(entry)s”不是允许的文件类型（允许：%(allowed)s）。")
                          % {"name": name, "entry": entry.filename, "allowed": allowed_text(allowed - {"zip"})})
    return "zip"


def _ole_kind(fileobj, name: str) -> str:
    found = None
    macros = False
    fileobj.seek(0)
    tail = b""
    while chunk := fileobj.read(1024 * 1024):
        window = tail + chunk
        for marker, key in OLE_STREAMS:
            if found is None and marker in window:
                found = key
        macros = macros or any(marker in window for marker in OLE_MACROS)
        tail = window[-64:]
    fileobj.seek(0)
    if macros:
        raise Refused(_("“%(name)s”含有宏（可执行代码），不能作为创建材料上传，请另存为不含宏的格式。") % {"name": name})
    if found is None:
        raise Refused(_("无法识别“%(name)s”的 Office 格式，请另存为 .docx / .xlsx / .pdf 后再上传。") % {"name": name})
    return found


PDF_TAIL = 2048  # readers accept "%%EOF" within the last kilobyte or so; a little slack for trailing bytes
IMAGE_CHECK_SIZE = (256, 256)  # JPEG is decoded at a reduced scale: every byte is still read, at a fraction of the cost


def _check_image(fileobj, name: str, kind: str) -> None:
    """Decode the whole picture with Pillow: a valid header followed by zeros or garbage is refused here."""
    from PIL import Image

    try:
        fileobj.seek(0)
        with Image.open(fileobj) as image:
            image.verify()  # structure and checksums (PNG CRCs)
        fileobj.seek(0)
        with Image.open(fileobj) as image:
            image.draft("RGB", IMAGE_CHECK_SIZE)
            image.load()  # every pixel's data: a truncated or zero-filled body fails
    except Image.DecompressionBombError:
        raise Refused(_("“%(name)s”的像素尺寸过大，疑似“图片炸弹”，已拒绝。") % {"name": name}) from None
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError, struct.error…) for damaged data
        raise Refused(_("“%(name)s”不是完整的%(label)s（内容已损坏或只有文件头），请重新导出后再上传。")
                      % {"name": name, "label": TYPES[kind].label}) from None
    finally:
        fileobj.seek(0)


def _check_pdf(fileobj, name: str) -> None:
    """Minimal structure: the "%PDF-" header at the start, at least one object, and "%%EOF" at the end."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(max(0, size - PDF_TAIL))
    tail = fileobj.read()
    fileobj.seek(0)
    head = fileobj.read(1024)
    fileobj.seek(0)
    if b"%%EOF" not in tail or not re.search(rb"\d+\s+\d+\s+obj\b", head + tail):
        raise Refused(_("“%(name)s”不是完整的 PDF 文档（缺少文档结构或结尾，可能已损坏或未下载完整），请重新导出后再上传。")
                      % {"name": name})


def sniff(fileobj, name: str, *, allowed: frozenset[str] | None = None) -> FileType:
    """The file's type by content, or `Refused`. `fileobj` is seekable; it is left at position 0."""
    allowed = conf.allowed_types() if allowed is None else allowed
    head = _read_head(fileobj)
    if not head:
        raise Refused(_("“%(name)s”是空文件（0 字节），已拒绝。") % {"name": name})
    active = _active_kind(head)
    if active:
        raise Refused(_("“%(name)s”实际是%(kind)s，出于安全原因不能上传。") % {"name": name, "kind": active})
    kind = _magic(head)
    if kind == "zip":
        kind = _zip_kind(fileobj, name, allowed)
    elif kind == "ole":
        kind = _ole_kind(fileobj, name)
    fileobj.seek(0)
    if kind is None:
        raise Refused(_("无法识别“%(name)s”的文件类型（按内容判断，而不是按扩展名）。允许的类型：%(allowed)s。")
                      % {"name": name, "allowed": allowed_text(allowed)})
    if kind not in allowed:
        raise Refused(_("“%(name)s”是%(label)s，不在允许上传的类型中（允许：%(allowed)s）。")
                      % {"name": name, "label": TYPES[kind].label, "allowed": allowed_text(allowed)})
    if TYPES[kind].raster:
        _check_image(fileobj, name, kind)
    elif kind == "pdf":
        _check_pdf(fileobj, name)
    return TYPES[kind]


def allowed_text(allowed) -> str:
    return "、".join(TYPES[key].ext for key in TYPES if key in allowed)


def human_size(size: int) -> str:
    if size >= 1024 * 1024 * 1024:
        return f"{size / 1024 / 1024 / 1024:.1f} GB"
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(fileobj, kind: str) -> int | None:
    """Pages where cheaply known: PDF page objects, the page count Office writes into docProps/app.xml, 1 for
    an image. None otherwise."""
    if TYPES[kind].raster:
        return 1
    fileobj.seek(0)
    try:
        if kind == "pdf":
            count, tail = 0, b""
            while chunk := fileobj.read(1024 * 1024):
                window = tail + chunk
                count += len(PDF_PAGE.findall(window)) - len(PDF_PAGE.findall(tail))
                tail = window[-32:]
            return count or None
        if kind in ("docx", "pptx"):
            with zipfile.ZipFile(fileobj) as archive:
                info = archive.getinfo("docProps/app.xml")
                if info.file_size > 1024 * 1024:
                    return None
                text = archive.read(info)
            match = re.search(rb"<(?:Pages|Slides)>(\d+)</", text)
            return int(match.group(1)) if match else None
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        fileobj.seek(0)
    return None
