"""Text at the edges: control characters are refused where text comes in and removed where text goes out.

Coming in, every form field and every API field refuses C0/C1 control characters (tab, line feed and carriage
return excepted), unpaired surrogates and the two non-characters U+FFFE/U+FFFF: none of them is ever typed, and
each one breaks an export (openpyxl and python-docx refuse them). Going out, `printable` removes them from any
stored text, so an old row that holds one still exports.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
CONTROL_MESSAGE = _("不能包含控制字符（不可见的特殊字符），请删除后再提交。")


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def printable(value):
    """Text with its control characters removed (anything else as it is): for every export and document."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    return value


def first_control_path(data, path: str = "") -> str | None:
    """The field (dotted for nested objects; a list counts as its field) of the first string in parsed input that
    holds a control character: '' at the top level, None when there is none."""
    if isinstance(data, str):
        return path if has_control_characters(data) else None
    if isinstance(data, list | tuple):
        return next((path for item in data if first_control_path(item, path) is not None), None)
    if hasattr(data, "lists"):  # a QueryDict: every value of every key
        data = dict(data.lists())
    if not isinstance(data, dict):
        return None
    for key, value in data.items():
        inner = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and has_control_characters(key):
            return inner
        found = first_control_path(value, inner)
        if found is not None:
            return found
    return None


@deconstructible
class ProhibitControlCharactersValidator:
    """Refuses text with control characters. `null=False` leaves the null character to Django's own validator,
    which every form and serializer CharField already carries (its message is ours too: see CoreConfig.ready)."""

    message = CONTROL_MESSAGE
    code = "control_characters"

    def __init__(self, *, null: bool = True):
        self.null = null

    def __call__(self, value):
        if not self.null and isinstance(value, str):
            value = value.replace("\x00", "")
        if first_control_path(value) is not None:
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ProhibitControlCharactersValidator) and other.null == self.null
