from django.core.management.base import BaseCommand

from wenming.notifications.services import digests_send


class Command(BaseCommand):
    help = "每周通知汇总：给选择“每周汇总”（默认）的人各发一封邮件，列出本周未读通知。建议每周一早上运行一次。"

    def handle(self, *args, **options):
        count = digests_send()
        self.stdout.write(f"已安排 {count} 封汇总邮件，由后台发送。")
