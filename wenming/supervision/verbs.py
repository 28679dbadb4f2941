from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "supervision.order_issued": _("签发督办单"),
    "supervision.order_answered": _("答复督办单"),
    "supervision.order_returned": _("退回督办单答复"),
    "supervision.order_closed": _("办结督办单"),
    "supervision.settings_updated": _("修改督办考核设置"),
    "supervision.exported": _("导出督办考核数据"),
}
