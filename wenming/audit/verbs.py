"""Labels for audit verbs.

The apps that landed first keep theirs here; later apps define `VERB_LABELS` in their own `verbs.py`, which
`verb_labels()` merges in, so no two apps edit one file.
"""

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
    "standards.imported": _("导入测评体系"),
    "standards.library_loaded": _("载入内置测评体系模板"),
    "standards.updated": _("修改测评体系信息"),
    "standards.published": _("发布测评体系"),
    "standards.version_created": _("创建测评体系新版本"),
    "standards.exported": _("导出测评体系"),
    "standards.criterion_updated": _("修改测评项"),
    "standards.criterion_refined": _("新增本单位细化"),
    "standards.criterion_deleted": _("删除测评项"),
    "campaigns.created": _("新建创建活动"),
    "campaigns.updated": _("修改创建活动"),
    "campaigns.phase_created": _("新增阶段"),
    "campaigns.phase_updated": _("修改阶段"),
    "campaigns.phase_deleted": _("删除阶段"),
    "campaigns.milestone_created": _("新增工作节点"),
    "campaigns.milestone_updated": _("修改工作节点"),
    "campaigns.milestone_deleted": _("删除工作节点"),
    "campaigns.roster_added": _("领导小组名单添加成员"),
    "campaigns.roster_removed": _("领导小组名单移除成员"),
    "campaigns.task_created": _("新增工作任务"),
    "campaigns.task_updated": _("修改工作任务"),
    "campaigns.task_assigned": _("分派工作任务"),
    "campaigns.task_start": _("开始办理任务"),
    "campaigns.task_submit": _("提交任务审核"),
    "campaigns.task_approve": _("审核通过任务"),
    "campaigns.task_return": _("退回任务"),
    "campaigns.task_progress": _("更新任务进度"),
    "campaigns.task_commented": _("任务留言"),
    "campaigns.occurrence_done": _("周期任务完成一次"),
    "campaigns.occurrence_reopened": _("撤销周期任务的完成"),
    "campaigns.tasks_generated": _("按测评体系生成任务"),
    "campaigns.tasks_imported": _("导入工作任务分解表"),
    "campaigns.annex_exported": _("导出工作任务分解表"),
    "evidence.created": _("上传创建材料"),
    "evidence.updated": _("修改创建材料"),
    "evidence.resubmitted": _("重新提交创建材料"),
    "evidence.files_added": _("补充材料文件"),
    "evidence.file_retired": _("撤下材料文件"),
    "evidence.approved": _("审核通过创建材料"),
    "evidence.returned": _("退回创建材料"),
    "evidence.downloaded": _("下载材料文件"),
    "evidence.archive_started": _("开始生成迎检档案"),
    "evidence.archive_built": _("生成迎检档案"),
    "evidence.archive_failed": _("迎检档案生成失败"),
    "evidence.archive_downloaded": _("下载迎检档案"),
    "recycle.deleted": _("移入回收站"),
    "recycle.restored": _("从回收站恢复"),
    "recycle.purged": _("彻底删除"),
}


def _merge_app_verbs():
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("wenming.") and config.label != "audit" and find_spec(f"{config.name}.verbs"):
            VERB_LABELS.update(import_module(f"{config.name}.verbs").VERB_LABELS)


_merged = False


def verb_labels() -> dict:
    """Every verb's label, the late apps' own `verbs.py` included (merged once, after the app registry is ready)."""
    global _merged
    if not _merged:
        _merge_app_verbs()
        _merged = True
    return VERB_LABELS
