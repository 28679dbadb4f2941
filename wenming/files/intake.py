"""File intake, shared by every app that takes uploads (evidence, receipts, screenshots, attachments): each upload
is checked by its content against the allow-list (`wenming.files.conf`, `wenming.files.sniffing`), named safely,
hashed and measured. One ValidationError lists every refusal, each naming its file."""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.files import conf, sniffing

BAD_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
EXIF_DATETIME_ORIGINAL, EXIF_DATETIME, EXIF_IFD = 36867, 306, 0x8769


@dataclass
class CheckedFile:
    """An upload that passed every check, with what we learnt from its content."""

    upload: object
    name: str
    file_type: sniffing.FileType
    sha256: str
    size: int
    page_count: int | None
    taken_at: datetime | None


def clean_name(raw: str) -> str:
    """The original name without path parts or characters that break downloads; refuses a name with a path."""
    raw = raw or ""
    if "/" in raw or "\\" in raw or raw.strip() in ("", ".", ".."):
        raise sniffing.Refused(_("文件名“%(name)s”含有路径或为空，已拒绝；请只上传文件本身。") % {"name": raw})
    name = BAD_NAME_CHARS.sub("_", raw).strip().lstrip(".")
    if not name:
        raise sniffing.Refused(_("文件名“%(name)s”无效，请重命名后再上传。") % {"name": raw})
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 120 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:120]
    return name


def _hash(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def exif_time(upload) -> datetime | None:
    """The photo's EXIF DateTimeOriginal (else DateTime), read from the header only, as Beijing time."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            exif = image.getexif()
            value = exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL) or exif.get(EXIF_DATETIME)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    if not value:
        return None
    try:
        naive = datetime.strptime(str(value).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(naive, timezone.get_default_timezone())


def check_files(files, *, unit_id: int | None = None) -> list[CheckedFile]:
    """Check every file; raise one ValidationError listing every refusal (each naming its file), or return all."""
    files = list(files)
    problems: list[str] = []
    if len(files) > conf.max_files_per_request():
        raise ValidationError({"files": _("一次最多上传 %(n)d 个文件。") % {"n": conf.max_files_per_request()}})
    total = sum(getattr(f, "size", 0) or 0 for f in files)
    if total > conf.max_request_size():
        raise ValidationError({"files": _("本次上传共 %(size)s，超过单次上限 %(limit)s，请分批上传。")
                               % {"size": sniffing.human_size(total),
                                  "limit": sniffing.human_size(conf.max_request_size())}})
    allowed = conf.allowed_types(unit_id)
    checked = []
    for upload in files:
        raw = getattr(upload, "name", "") or ""
        try:
            name = clean_name(raw)
            size = upload.size or 0
            if size == 0:
                raise sniffing.Refused(_("“%(name)s”是空文件（0 字节），已拒绝。") % {"name": name})
            if size > conf.max_file_size():
                raise sniffing.Refused(_("“%(name)s”大小为 %(size)s，超过单个文件上限 %(limit)s。")
                                       % {"name": name, "size": sniffing.human_size(size),
                                          "limit": sniffing.human_size(conf.max_file_size())})
            file_type = sniffing.sniff(upload, name, allowed=allowed)
        except sniffing.Refused as refused:
            problems.append(refused.message)
            continue
        checked.append(CheckedFile(
            upload=upload, name=_with_extension(name, file_type), file_type=file_type, sha256=_hash(upload),
            size=size, page_count=sniffing.page_count(upload, file_type.key),
            taken_at=exif_time(upload) if file_type.key in ("jpg", "webp", "png") else None,
        ))
    if problems:
        raise ValidationError({"files": problems})
    return checked


def _with_extension(name: str, file_type: sniffing.FileType) -> str:
    """The kept name ends with the extension of what the file really is (a .jpg that is a PNG becomes .png)."""
    stem, dot, ext = name.rpartition(".")
    if dot and ext.lower() == file_type.ext or (file_type.key == "jpg" and ext.lower() == "jpeg"):
        return name
    return f"{stem if dot else name}.{file_type.ext}"
