"""Labels for audit verbs. Apps add their own verbs here as they land."""

from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "auth.login": _("登录"),
    "auth.logout": _("退出"),
    "auth.login_failed": _("登录失败"),
    "auth.locked_out": _("账号锁定"),
    "auth.password_changed": _("修改密码"),
    "org.department_created": _("新增部门"),
    "org.department_updated": _("修改部门"),
    "org.department_deleted": _("删除部门"),
    "org.user_created": _("新增人员"),
    "org.user_updated": _("修改人员"),
    "org.user_deactivated": _("停用人员"),
    "org.user_activated": _("启用人员"),
    "org.password_reset": _("重置密码"),
    "org.roles_changed": _("角色变更"),
    "org.roster_imported": _("导入人员名册"),
    "org.roster_exported": _("导出人员名册"),
    "org.security_policy_changed": _("修改安全策略"),
    "auth.otp_enrolled": _("绑定动态口令"),
    "auth.otp_failed": _("动态口令错误"),
    "auth.otp_removed": _("解除动态口令"),
    "org.api_token_issued": _("签发 API 令牌"),
    "audit.exported": _("导出审计日志"),
    "recycle.deleted": _("移入回收站"),
    "recycle.restored": _("从回收站恢复"),
    "recycle.purged": _("彻底删除"),
}
