"""Labels of the audit verbs written by the surveys app (merged into the audit log's list)."""

from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "surveys.created": _("新建问卷"),
    "surveys.updated": _("修改问卷设置"),
    "surveys.question_saved": _("保存问卷题目"),
    "surveys.question_removed": _("删除问卷题目"),
    "surveys.question_moved": _("调整题目顺序"),
    "surveys.point_added": _("新增抽样点"),
    "surveys.point_changed": _("修改抽样点"),
    "surveys.opened": _("开始收集问卷"),
    "surveys.closed": _("结束收集问卷"),
    "surveys.response_excluded": _("剔除答卷"),
    "surveys.response_included": _("恢复答卷"),
    "surveys.score_accepted": _("采纳问卷建议得分"),
    "surveys.filed_as_evidence": _("问卷结果作为创建材料"),
}
