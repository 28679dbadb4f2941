"""`wenming restore DIR`: bring a backup back into an empty installation, checking everything first."""

from django.core.management.base import BaseCommand, CommandError

from wenming.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "从备份目录恢复到空的安装：先核对校验和与版本，再建表、导入数据、写回文件并逐一核对。"
        " / Restore a backup into an empty installation; refuses a non-empty database or a damaged backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="DIR", help="`wenming backup` 写出的目录 / a backup directory")
        parser.add_argument(
            "--check", action="store_true",
            help="只检查备份是否完整、能否恢复到此安装，不做修改 / only check, change nothing",
        )
        parser.add_argument("--database", default="default", help="数据库别名 / database alias")

    def handle(self, *args, source, check, database, **options):
        try:
            backup_restore(source_dir=source, stdout=self.stdout, using=database, check_only=check)
        except (BackupError, OSError) as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
