"""`wenming import_tasks FILE --campaign ID [--dry-run]`: import an annex table (工作任务分解表) from the command line."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wenming.campaigns import annex, services
from wenming.campaigns.models import Campaign


class Command(BaseCommand):
    help = "导入工作任务分解表（.xlsx）：先检查，列出将新增/更新的任务和逐行问题；有必须解决的问题时不导入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="工作任务分解表 .xlsx 文件")
        parser.add_argument("--campaign", type=int, required=True, help="创建活动的编号（id）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")

    def handle(self, *args, file, campaign, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        found = Campaign.objects.select_related("unit").filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"没有编号为 {campaign} 的创建活动。")
        preview = annex.read_annex(path.read_bytes(), campaign=found, filename=path.name)
        if preview.error:
            raise CommandError(preview.error)
        write = self.stdout.write
        write(f"创建活动：{found.title}（{found.unit}）")
        write(f"读取 {preview.read} 行任务：将新增 {preview.creates} 项，更新 {preview.updates} 项。")
        for row in preview.rows:
            mark = "更新" if row.existing else "新增"
            due = row.due_text or "—"
            lead = row.lead_department.name if row.lead_department else "—"
            write(f"  [{mark}] 第{row.row}行 {row.title}｜牵头：{lead}｜时限：{due}")
        if preview.problems:
            write(f"问题 {len(preview.problems)} 处（{len(preview.blocking)} 处须解决）：")
            for problem in preview.problems:
                level = "须解决" if problem.blocking else "提醒"
                write(f"  第{problem.row}行 {problem.column}：{problem.message}（{level}）")
        if dry_run:
            write(self.style.WARNING("试运行（--dry-run）：没有保存任何内容。"))
            return
        if preview.blocking:
            raise CommandError("有须解决的问题，未导入任何任务。请修改文件后重试，或在网页上导入以逐项对应名称。")
        try:
            created, updated = services.tasks_import(actor=None, campaign=found, rows=preview.rows, filename=path.name)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        write(self.style.SUCCESS(f"导入完成：新增 {created} 项，更新 {updated} 项。"))
