"""`wenming import_standard FILE`: the preview screen's parser and checks on the command line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.org.models import Unit
from wenming.standards import services
from wenming.standards.parsing import parse_file


class Command(BaseCommand):
    help = "导入测评细则（.xlsx 或 .yaml）：打印识别结果和全部问题；有错误时不保存并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="测评细则文件（.xlsx 或本系统导出的 .yaml）")
        parser.add_argument("--name", default="", help="测评体系名称（默认取表格标题行）")
        parser.add_argument("--unit", default="", help="所属单位名称；只有一个创建单位时可省略")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")

    def handle(self, *args, file, name, unit, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        result = parse_file(path.read_bytes(), path.name)
        for line in result.summary_lines():
            self.stdout.write(line)
        for problem in result.problems:
            (self.stderr if problem.is_error else self.stdout).write(str(problem))
        if not result.ok:
            raise CommandError("文件有错误，未保存任何内容。" if result.errors else "文件中没有任何测评内容。")
        if dry_run:
            self.stdout.write(self.style.SUCCESS("检查通过（--dry-run，未保存）。"))
            return
        owner = self._unit(unit)
        standard = services.standard_import(actor=None, unit=owner, parsed=result, name=name)
        self.stdout.write(self.style.SUCCESS(f"已导入“{standard.name}”（草稿，编号 {standard.pk}），归属 {owner.name}。"))

    def _unit(self, name: str) -> Unit:
        if name:
            unit = Unit.objects.filter(name=name).first()
            if unit is None:
                raise CommandError(f"找不到单位“{name}”。")
            return unit
        units = list(Unit.objects.filter(kind=Unit.Kind.UNIT)[:2])
        if len(units) != 1:
            raise CommandError("请用 --unit 指定所属单位的名称。")
        return units[0]
