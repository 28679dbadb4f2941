from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "reports.template_created": _("新建报告模板"),
    "reports.template_updated": _("修改报告模板"),
    "reports.started": _("开始生成报告"),
    "reports.built": _("报告生成完成"),
    "reports.failed": _("报告生成失败"),
    "reports.downloaded": _("下载报告"),
}
