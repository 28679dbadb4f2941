"""The Chinese font the server draws with — PDF pages (binder, poster), charts and demo photos: one lookup for every
app. A unit may name its own installed font (`WENMING_BINDER_FONT`: "path" or "path#index", e.g. its 仿宋); otherwise
the best face fontconfig knows for Chinese, in the caller's order of preference."""

import os
import shutil
import subprocess
from functools import cache

from django.conf import settings

SERIF_FIRST = ("仿宋", "FangSong", "宋体", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC",
               "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi")
SANS_FIRST = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi", "黑体", "SimHei", "Noto Serif CJK SC")


def configured_font() -> tuple[str, int] | None:
    """(path, index) the unit configured, as written (the caller checks that the file exists)."""
    configured = getattr(settings, "WENMING_BINDER_FONT", "") or os.environ.get("WENMING_BINDER_FONT", "")
    if not configured:
        return None
    path, _sep, index = configured.partition("#")
    return path, int(index or 0)


@cache
def _installed() -> tuple[tuple[str, int, str, str], ...]:
    """(file, index in a collection, family, style) of every Chinese face fontconfig knows, read once per process."""
    if not shutil.which("fc-list"):
        return ()
    listing = subprocess.run(["fc-list", "-f", "%{file}|%{index}|%{family}|%{style}\n", ":lang=zh"],
                             capture_output=True, text=True, timeout=30, check=False).stdout
    faces = []
    for row in listing.splitlines():
        path, index, family, style = (row.split("|") + ["", "", ""])[:4]
        if path.lower().endswith((".ttf", ".otf", ".ttc", ".otc")):
            faces.append((path, int(index or 0), family, style))
    return tuple(faces)


def chinese_font(*, prefer: tuple[str, ...] = SERIF_FIRST, bold: bool = False) -> tuple[str, int] | None:
    """(path, index) of a Chinese face to embed or draw with, or None where none is installed. With `bold`, only a
    bold face of a preferred family (None when there is none: the caller draws its regular face)."""
    configured = configured_font()
    if configured and not bold:
        return configured
    faces = _installed()
    for wanted in prefer:
        for path, index, family, style in faces:
            if wanted.lower() in family.lower() and ("bold" in (style + path).lower()) == bold:
                return path, index
    if faces and not bold:
        return faces[0][0], faces[0][1]
    return None


def pillow_font(size: int, *, prefer: tuple[str, ...] = SANS_FIRST):
    """A Pillow font of `size` with Chinese glyphs, or None where none is installed."""
    from PIL import ImageFont

    found = chinese_font(prefer=prefer)
    if found is None:
        return None
    try:
        return ImageFont.truetype(found[0], size, index=found[1])
    except OSError:
        return None
