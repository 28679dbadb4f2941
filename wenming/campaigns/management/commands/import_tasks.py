"""`wenming import_tasks FILE --campaign ID [--sheet N] [--table N] [--map COL=FIELD …] [--dry-run]`: import an
annex table (工作任务分解表: .xlsx, .xls, or the table inside a 实施方案 .docx) from the command line. The columns
it used are printed as `--map` arguments, to be edited and passed back as on the screen."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wenming.campaigns import annex, services
from wenming.campaigns.models import Campaign
from wenming.core.tables import UnreadableFile
from wenming.standards.management.commands.import_standard import parse_map, table_choice
from wenming.standards.models import ImportTemplate
from wenming.standards.services import import_template_matching, import_template_save


class Command(BaseCommand):
    help = ("导入工作任务分解表（.xlsx、.xls 或实施方案 .docx 中的表格）：先检查，列出识别的列（可修改后用 --map 传回）、"
            "将新增/更新的任务和逐行问题；有必须解决的问题时不导入。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="工作任务分解表：.xlsx / .xls，或附有分解表的实施方案 .docx")
        parser.add_argument("--campaign", type=int, required=True, help="创建活动的编号（id）")
        parser.add_argument("--sheet", help="工作表：序号（从1起）或名称")
        parser.add_argument("--table", type=int, help="Word 文档中的第几个表格（从1起）")
        parser.add_argument("--map", nargs="+", default=[], metavar="COL=FIELD",
                            help="指定各列的含义，如 A=number B=title C=lead D=due（含义可写英文名或中文名）")
        parser.add_argument("--header-row", type=int, default=None, help="与 --map 一起用：表头所在的行（从1起）")
        parser.add_argument("--template", default="", help="按已保存的导入模板识别各列")
        parser.add_argument("--save-template", default="", help="把本次的列对应保存为导入模板（名称）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")

    def handle(self, *args, file, campaign, sheet=None, table=None, map=(), header_row=None, template="",
               save_template="", dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        found = Campaign.objects.select_related("unit").filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"没有编号为 {campaign} 的创建活动。")
        try:
            tables = annex.annex_tables(path.read_bytes(), path.name)
        except UnreadableFile as error:
            raise CommandError(str(error)) from None
        fixes = self._layout(tables, found, sheet, table, list(map), header_row, template)
        preview = annex.read_annex(tables, campaign=found, filename=path.name, fixes=fixes)
        write = self.stdout.write
        if len(preview.tables) > 1:
            write("文件中的表格：")
            for entry in preview.tables:
                mark = "（正在使用）" if entry["index"] == preview.table_index else ("（也像分解表）" if entry["usable"] else "")
                write(f"  {entry['index'] + 1}. {entry['label']}{mark}  {' / '.join(entry['preview'])[:80]}")
        if preview.error:
            raise CommandError(preview.error)
        where = f"--table {preview.table_index + 1} " if preview.kind == "table" else (
            f"--sheet {preview.table_index + 1} " if len(preview.tables) > 1 else "")
        write(f"识别的列（可修改后传回）：{where}--header-row {preview.header_row} --map {' '.join(preview.mapping_lines())}")
        write(f"创建活动：{found.title}（{found.unit}）")
        write(f"读取 {preview.read} 行任务：将新增 {preview.creates} 项，更新 {preview.updates} 项。")
        for text in preview.warnings:
            write(f"[请核对] {text}")
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
        if save_template:
            columns = {str(index): column for column, index in preview.positions.items()}
            import_template_save(actor=None, unit=found.unit, target=ImportTemplate.Target.TASKS, name=save_template,
                                 signature=preview.signature, mapping={"header_row": preview.header_row,
                                                                       "columns": columns})
            write(f"已保存导入模板“{save_template}”。")
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

    def _layout(self, tables, campaign, sheet, table, items, header_row, template) -> dict:
        names = [entry.get("name", "") for entry in tables.get("tables") or []]
        index = table_choice(sheet, table, names)
        fixes: dict = {} if index is None else {"table": index}
        if template:
            saved = ImportTemplate.objects.filter(unit=campaign.unit, target=ImportTemplate.Target.TASKS,
                                                  name=template).first()
            if saved is None:
                raise CommandError(f"找不到导入模板“{template}”。")
            return {**saved.mapping, **fixes}
        if items:
            words = {key: key for key in annex.COLUMNS} | {label: key for key, label in annex.COLUMN_LABELS.items()}
            words |= {word: key for key, synonyms in annex.COLUMNS.items() for word in synonyms if word not in words}
            return {**fixes, "header_row": header_row or 1, "columns": parse_map(items, words)}
        if index is None:
            matched = import_template_matching(unit=campaign.unit, target=ImportTemplate.Target.TASKS, tables=tables)
            if matched is not None:
                self.stdout.write(f"按导入模板“{matched[0].name}”识别各列。")
                return {**matched[0].mapping, "table": matched[1]}
        return fixes
