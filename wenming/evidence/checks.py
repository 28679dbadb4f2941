"""Automatic hints from a criterion's 材料要求 text ("照片2张以上", "200字说明"), shown before review.

Hints, not gates: the text is free-form, so we only read the two rules that are common and unambiguous.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

CN_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
NUMBER = r"([0-9]+|[一两二三四五六七八九十])"
PHOTOS = [re.compile(r"(?:照片|图片)[^0-9一两二三四五六七八九十，。；;,]{0,6}" + NUMBER + r"\s*张"),
          re.compile(NUMBER + r"\s*张(?:以上|及以上)?的?(?:现场|活动|工作)?(?:照片|图片)")]
CHARACTERS = re.compile(r"(?:不少于|至少|以上)?\s*([0-9]{2,5})\s*字")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else CN_DIGITS.get(text, 0)


@dataclass(frozen=True)
class Requirement:
    min_photos: int = 0
    min_characters: int = 0


@dataclass(frozen=True)
class Hint:
    ok: bool
    text: str


def requirement_of(materials: str) -> Requirement:
    materials = materials or ""
    photos = 0
    for pattern in PHOTOS:
        for match in pattern.finditer(materials):
            photos = max(photos, _number(match.group(1)))
    characters = max((int(m.group(1)) for m in CHARACTERS.finditer(materials)), default=0)
    return Requirement(min_photos=photos, min_characters=characters)


def hints_for(*, criteria, photo_count: int, description: str) -> list[Hint]:
    """One hint per rule found in the criteria's 材料要求, met or not."""
    hints = []
    for criterion in criteria:
        rule = requirement_of(criterion.materials)
        code = criterion.code or criterion.title[:12]
        if rule.min_photos:
            ok = photo_count >= rule.min_photos
            hints.append(Hint(ok, _("%(code)s 要求照片 %(need)d 张以上：现有 %(have)d 张%(verdict)s。") % {
                "code": code, "need": rule.min_photos, "have": photo_count, "verdict": "" if ok else _("，不足")}))
        if rule.min_characters:
            length = len(re.sub(r"\s", "", description or ""))
            ok = length >= rule.min_characters
            hints.append(Hint(ok, _("%(code)s 要求 %(need)d 字以上的说明：情况说明现有 %(have)d 字%(verdict)s。") % {
                "code": code, "need": rule.min_characters, "have": length,
                "verdict": "" if ok else _("，不足（如已附文件，请核对文件字数）")}))
    return hints
