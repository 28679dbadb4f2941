from django.core.management.base import BaseCommand

from wenming.notifications.services import reminders_send


class Command(BaseCommand):
    help = ("到期提醒：提醒责任人即将到期（单位设置的天数内，默认 3 天）和已逾期的任务，提醒创建办临近和已过未完成的节点；"
            "同一事项每人每天最多一次。")

    def handle(self, *args, **options):
        count = reminders_send()
        self.stdout.write(f"已发出 {count} 条提醒。")
