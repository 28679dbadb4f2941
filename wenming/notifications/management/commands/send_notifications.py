from django.core.management.base import BaseCommand

from wenming.notifications.services import deliveries_send


class Command(BaseCommand):
    help = "发送待发的邮件和群机器人消息（含到了重试时间的失败项）。建议每 5 分钟运行一次：wenming send_notifications --retry"

    def add_arguments(self, parser):
        parser.add_argument("--retry", action="store_true",
                            help="发送所有到期的待发记录，包括之前失败、等待重试的（默认行为，保留此参数便于阅读）。")

    def handle(self, *args, **options):
        sent, failed = deliveries_send()
        self.stdout.write(f"已发送 {sent} 条，未成功 {failed} 条（未成功的将按间隔重试，最多 5 次）。")
