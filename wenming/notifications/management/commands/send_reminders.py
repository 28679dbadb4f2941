from django.core.management.base import BaseCommand

from wenming.notifications.services import reminders_send, review_summaries_send


class Command(BaseCommand):
    help = ("到期提醒：提醒责任人即将到期（单位设置的天数内，默认 3 天）和已逾期的任务，提醒创建办临近和已过未完成的节点；"
            "同一事项每人每天最多一次；并给选择“每日汇总”（默认）的创建办人员发送待审核材料日报。建议每天早上运行一次。")

    def handle(self, *args, **options):
        count = reminders_send()
        summaries = review_summaries_send()
        self.stdout.write(f"已发出 {count} 条提醒，{summaries} 份待审核材料日报。")
