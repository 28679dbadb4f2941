from django.core.management.base import BaseCommand

from wenming.core.health import health_check


class Command(BaseCommand):
    help = ("检查服务状态：数据库是否可用、后台任务进程是否在处理任务。有问题时以退出码 1 结束（供监控脚本使用）；"
            "同样的内容见 /health.json。Check the database and the background worker; exit 1 on a problem.")

    def handle(self, *args, **options):
        state = health_check()
        for line in state.lines():
            self.stdout.write(line)
        if not state.ok:
            raise SystemExit(1)
