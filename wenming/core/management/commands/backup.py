"""`wenming backup --out DIR`: a consistent backup while the site keeps running."""

from django.core.management.base import BaseCommand, CommandError

from wenming.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "备份数据库（可移植格式）和全部存储文件到新目录，附校验和清单；系统运行中也可执行。"
        " / Back up the database (portable JSON Lines) and every stored file, with a manifest of checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="DIR", help="备份目录：不存在或为空 / a new or empty directory")
        parser.add_argument("--database", default="default", help="数据库别名 / database alias")

    def handle(self, *args, out, database, **options):
        try:
            backup_create(out_dir=out, stdout=self.stdout, using=database)
        except (BackupError, OSError) as exc:
            raise CommandError(f"备份失败：{exc}") from exc
