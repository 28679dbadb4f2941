from django.core.management.base import BaseCommand

from wenming.core.recycle import recycle_purge_expired, retention_days


class Command(BaseCommand):
    help = "彻底删除在回收站中超过保留期（默认180天）的记录；每条都记入审计日志。可由 cron 每日运行。"

    def handle(self, *args, **options):
        purged = recycle_purge_expired()
        self.stdout.write(f"已彻底删除 {purged} 条超过 {retention_days()} 天的记录。")
