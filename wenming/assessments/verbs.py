from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "assessments.created": _("新建测评"),
    "assessments.updated": _("修改测评设置"),
    "assessments.in_progress": _("开始评分"),
    "assessments.draft": _("测评改回草稿"),
    "assessments.submitted": _("提交测评"),
    "assessments.locked": _("锁定测评"),
    "assessments.scored": _("评分"),
    "assessments.finding_created": _("记录测评问题"),
    "assessments.rectification_assigned": _("交办整改"),
    "assessments.rectification_submitted": _("提交整改反馈"),
    "assessments.rectification_closed": _("整改销号"),
    "assessments.rectification_returned": _("退回整改"),
}
