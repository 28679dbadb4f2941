"""`wenming import_standard FILE [--sheet N] [--table N] [--map COL=FIELD …] [--dry-run]`: the preview screen's
reading and checks on the command line. The mapping it used is printed as `--map` arguments, so it can be
edited and passed back, as the 手动指定各列 form on the screen does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from openpyxl.utils import column_index_from_string, get_column_letter

from wenming.core.tables import UnreadableFile, book_from_json, table_signature
from wenming.org.models import Unit
from wenming.standards import services
from wenming.standards.models import ImportTemplate
from wenming.standards.parsing import FIELDS, parse_stored


def parse_map(items: list[str], fields: dict[str, str]) -> dict[str, str]:
    """["A=level1", "C=分值"] → {"0": "level1", "2": "points"}; fields maps every accepted word to a field."""
    columns: dict[str, str] = {}
    for item in items:
        column, sep, name = item.partition("=")
        column, name = column.strip().upper(), name.strip()
        if not sep or not column or not name:
            raise CommandError(f"--map 的写法应为“列=含义”，如 A=level1，而不是“{item}”。")
        try:
            index = int(column) - 1 if column.isdigit() else column_index_from_string(column) - 1
        except ValueError:
            raise CommandError(f"--map 中的列“{column}”无法识别，请写列字母（A、B…）或列号（1、2…）。") from None
        field = fields.get(name) or fields.get(name.lower())
        if field is None or index < 0:
            raise CommandError(f"--map 中的含义“{name}”无法识别，可用：{'、'.join(sorted(set(fields.values())))}。")
        columns[str(index)] = field
    return columns


def table_choice(sheet: str | None, table: int | None, names: list[str]) -> int | None:
    if table is not None:
        return table - 1
    if sheet is None:
        return None
    if sheet.isdigit():
        return int(sheet) - 1
    if sheet not in names:
        raise CommandError(f"找不到工作表“{sheet}”，文件中有：{'、'.join(names)}。")
    return names.index(sheet)


class Command(BaseCommand):
    help = ("导入测评细则（.xlsx、.xls、Word 表格或 .yaml）：打印识别的列（可修改后用 --map 传回）、各级条数和分值、"
            "加分上限、否决项、达标分数和全部问题；有错误时不保存并以非零状态退出。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="测评细则文件（.xlsx / .xls / .docx，或本系统导出的 .yaml）")
        parser.add_argument("--sheet", help="工作表：序号（从1起）或名称")
        parser.add_argument("--table", type=int, help="Word 文档中的第几个表格（从1起）")
        parser.add_argument("--map", nargs="+", default=[], metavar="COL=FIELD",
                            help="指定各列的含义，如 A=level1 B=level1_points C=level2 D=points（含义可写英文名或中文名）")
        parser.add_argument("--header-row", type=int, default=None, help="与 --map 一起用：表头所在的行（从1起）")
        parser.add_argument("--template", default="", help="按已保存的导入模板识别各列")
        parser.add_argument("--save-template", default="", help="把本次的列对应保存为导入模板（名称）")
        parser.add_argument("--name", default="", help="测评体系名称（默认取表格标题行）")
        parser.add_argument("--unit", default="", help="所属单位名称；只有一个创建单位时可省略")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")

    def handle(self, *args, file, sheet, table, map, header_row, template, save_template, name, unit, dry_run,
               **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            tables = services.read_tables(path.read_bytes(), path.name)
        except Exception as error:  # ValidationError with the Chinese reason
            messages = getattr(error, "messages", None) or [str(error)]
            self.stderr.write(f"[错误] {'；'.join(messages)}")
            raise CommandError("文件无法读取，未保存任何内容。") from None
        if unit or template or save_template or not dry_run:
            owner = self._unit(unit)
        else:  # a dry run needs no unit; the only one, if there is just one, lends its templates
            units = list(Unit.objects.filter(kind=Unit.Kind.UNIT)[:2])
            owner = units[0] if len(units) == 1 else None
        mapping = self._mapping(tables, sheet, table, map, header_row, template, owner)
        try:
            result = parse_stored(tables, path.name, mapping=mapping)
        except UnreadableFile as error:
            raise CommandError(str(error)) from None
        write = self.stdout.write
        for line in result.summary_lines():
            write(line)
        if result.columns:
            columns = {index: field for field, index in result.columns.items()}
            columns.update({index: "scoring" for index in result.more_scoring})
            pairs = " ".join(f"{get_column_letter(i + 1)}={columns[i]}" for i in sorted(columns))
            where = f" --table {result.table_index + 1}" if result.kind == "table" else (
                f" --sheet {result.table_index + 1}" if len(result.tables) > 1 else "")
            write(f"识别的列（可修改后传回）：{where.strip()} --header-row {result.header_row} --map {pairs}".replace("： ", "："))
            for index in sorted(columns):
                header = result.headers[index] if index < len(result.headers) else ""
                write(f"  {get_column_letter(index + 1)}列“{header}” → {FIELDS[columns[index]][0]}（{columns[index]}）")
        if len(result.tables) > 1:
            write("文件中的表格：")
            for entry in result.tables:
                mark = "（正在使用）" if entry["index"] == result.table_index else ("（也像测评细则）" if entry["usable"] else "")
                write(f"  {entry['index'] + 1}. {entry['label']}{mark}  {' / '.join(entry['preview'])[:80]}")
        for text in result.ambiguities:
            write(f"[不确定] {text}")
        for problem in result.problems:
            (self.stderr if problem.is_error else self.stdout).write(str(problem))
        if save_template and result.columns:
            signature = ""
            for candidate in book_from_json(tables).tables:
                if candidate.index == result.table_index:
                    signature = table_signature(candidate)
            columns = {str(index): field for field, index in result.columns.items()}
            columns.update({str(index): "scoring" for index in result.more_scoring})
            services.import_template_save(actor=None, unit=owner, target=ImportTemplate.Target.STANDARD,
                                          name=save_template, signature=signature,
                                          mapping={"header_row": result.header_row, "columns": columns})
            write(f"已保存导入模板“{save_template}”。")
        if not result.ok:
            raise CommandError("文件有错误，未保存任何内容。" if result.errors else "文件中没有任何测评内容。")
        if dry_run:
            write(self.style.SUCCESS("检查通过（--dry-run，未保存）。"))
            return
        standard = services.standard_import(actor=None, unit=owner, parsed=result, name=name)
        write(self.style.SUCCESS(f"已导入“{standard.name}”（草稿，编号 {standard.pk}），归属 {owner.name}。"))

    def _mapping(self, tables, sheet, table, items, header_row, template, owner) -> dict | None:
        names = [entry.get("name", "") for entry in tables.get("tables") or []]
        index = table_choice(sheet, table, names)
        if template:
            found = ImportTemplate.objects.filter(unit=owner, target=ImportTemplate.Target.STANDARD, name=template).first()
            if found is None:
                raise CommandError(f"找不到导入模板“{template}”。")
            return {**found.mapping, "table": index}
        if items:
            words = {name: name for name in FIELDS} | {label: name for name, (label, _w) in FIELDS.items()}
            words |= {word: name for name, (_l, synonyms) in FIELDS.items() for word in synonyms if word not in words}
            return {"table": index, "header_row": header_row or 1, "columns": parse_map(items, words)}
        if index is None and owner is not None:
            matched = services.import_template_matching(unit=owner, target=ImportTemplate.Target.STANDARD,
                                                        tables=tables)
            if matched is not None:
                self.stdout.write(f"按导入模板“{matched[0].name}”识别各列。")
                return {**matched[0].mapping, "table": matched[1]}
        return {"table": index} if index is not None else None

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
