import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


class ComplexityValidator:
    """等保: a password mixes upper case, lower case, a digit and a symbol."""

    def validate(self, password: str, user=None) -> None:
        missing = []
        if not re.search(r"[A-Z]", password):
            missing.append(_("大写字母"))
        if not re.search(r"[a-z]", password):
            missing.append(_("小写字母"))
        if not re.search(r"\d", password):
            missing.append(_("数字"))
        if not re.search(r"[^A-Za-z0-9]", password):
            missing.append(_("特殊符号"))
        if missing:
            raise ValidationError(
                _("密码须同时包含大写字母、小写字母、数字和特殊符号，缺少：%(missing)s。") % {"missing": "、".join(missing)},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须同时包含大写字母、小写字母、数字和特殊符号。")


def normalise_phone(value: str) -> str:
    """A mobile (11 digits starting 1) or a landline with area code; spaces and dashes in mobiles dropped."""
    value = (value or "").strip().translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
    if not value:
        return ""
    compact = re.sub(r"[\s-]", "", value)
    if PHONE_RE.match(compact):
        return compact
    if LANDLINE_RE.match(value.replace(" ", "")):
        return value.replace(" ", "")
    raise ValidationError(_("手机号格式不正确：%(value)s（应为11位手机号或带区号的固定电话）") % {"value": value}, code="bad_phone")
