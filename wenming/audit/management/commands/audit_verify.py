"""`wenming audit_verify`: walk the audit hash chain and name the first row removed or altered (exit status 1)."""

from django.core.management.base import BaseCommand

from wenming.audit.chain import guards_in_place, verify


class Command(BaseCommand):
    help = "核验审计日志的哈希链：报告第一条被删除或改动的记录（有问题时退出码为 1）。"

    def handle(self, *args, **options):
        state = verify(using=options.get("database"))
        guarded = guards_in_place(using=options.get("database"))
        if state.intact:
            self.stdout.write(f"审计日志{state}。")
        else:
            self.stderr.write(f"审计日志{state}")
        if not guarded:
            self.stderr.write("数据库中阻止修改、删除审计日志的触发器缺失或已停用，请重新运行 wenming migrate 后再核验。")
        if not state.intact or not guarded:
            raise SystemExit(1)

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="要核验的数据库别名（默认 default）。")
