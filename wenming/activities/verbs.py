"""Labels of the audit verbs written by the activities app (merged into the audit log's list)."""

from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "activities.kind_created": _("新增活动类型"),
    "activities.kind_changed": _("修改活动类型"),
    "activities.created": _("登记活动"),
    "activities.updated": _("修改活动"),
    "activities.minutes_saved": _("保存会议纪要"),
    "activities.document_added": _("上传活动材料"),
    "activities.signed_in": _("活动签到"),
    "activities.sign_in_removed": _("撤销签到"),
    "activities.code_reset": _("更换签到二维码"),
    "activities.volunteer_imported": _("导入志愿服务时长"),
}
