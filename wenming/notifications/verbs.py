from django.utils.translation import gettext_lazy as _

# Audit verbs of this app.
VERB_LABELS = {
    "notifications.settings_changed": _("修改通知设置"),
    "notifications.webhook_created": _("新增群机器人"),
    "notifications.webhook_changed": _("修改群机器人"),
    "notifications.webhook_deleted": _("删除群机器人"),
    "notifications.announcement_published": _("发布通知公告"),
    "notifications.announcement_deleted": _("删除通知公告"),
    "notifications.announcement_corrected": _("更正通知公告"),
    "notifications.receipts_exported": _("导出阅读情况"),
}

# Notification events (the `verb` of notify()); group robots may subscribe to some of them.
EVENT_LABELS = {
    "campaigns.task_assigned": _("任务分派"),
    "campaigns.mentioned": _("留言中提到我"),
    "evidence.returned": _("材料被退回"),
    "notifications.announcement": _("通知公告"),
    "notifications.reminder_due": _("任务即将到期"),
    "notifications.reminder_overdue": _("任务已逾期"),
    "notifications.milestone_due": _("节点临近"),
    "notifications.milestone_overdue": _("节点已过未完成"),
}
