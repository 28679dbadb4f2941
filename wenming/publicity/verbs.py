from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "publicity.item_created": _("登记宣传报道"),
    "publicity.item_updated": _("修改宣传报道"),
    "publicity.target_set": _("设置宣传目标"),
    "publicity.target_removed": _("删除宣传目标"),
    "publicity.report_created": _("登记向上级报送"),
    "publicity.report_updated": _("修改向上级报送"),
    "publicity.practice_created": _("新增经验做法"),
    "publicity.practice_updated": _("修改经验做法"),
    "publicity.file_downloaded": _("下载宣传附件"),
    "publicity.exported": _("导出宣传台账"),
}
