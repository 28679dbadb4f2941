"""Audit verbs the organisation app added after the first ones (see wenming/audit/verbs.py)."""

from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "org.api_token_revoked": _("作废 API 令牌"),
    "org.admin_password_reset": _("命令行重置管理员密码"),
}
