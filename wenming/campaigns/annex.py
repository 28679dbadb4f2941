"""The annex table (附件：工作任务分解表) in and out: read an xlsx, an .xls or the table inside a Word 实施方案
however its columns are worded, resolve names against the unit and the pinned standard, list every problem by row;
write it back as xlsx or as a Word table.

Reading never saves anything: `read_annex` returns a preview; `services.tasks_import` saves it once confirmed.
Files are opened by `wenming.core.tables` (the limits against hostile files hold there); a draft keeps the tables
as read (`annex_tables`), never the upload.
"""

import difflib
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from wenming.campaigns.models import Campaign, Phase, Task
from wenming.campaigns.services import ImportRow, match_departments
from wenming.campaigns.timelimits import TimeLimit, UnreadableTimeLimit, parse_time_limit
from wenming.core.tables import Book, UnreadableFile, book_from_json, book_to_json, open_book, table_signature
from wenming.core.text import printable
from wenming.core.xlsx import build_workbook, cell_text, header_key, match_key
from wenming.org.models import Department, User
from wenming.org.roles import Role
from wenming.standards.models import Criterion
from wenming.standards.parsing import year_in

# Column → the header words seen in real annexes (compared after `header_key`).
COLUMNS = {
    "number": ("序号", "编号", "序"),
    "criteria": ("测评指标", "对应指标", "测评项目", "指标", "测评内容", "指标编号", "对应测评指标", "测评细则"),
    "title": ("工作任务", "工作内容", "任务", "具体任务", "任务内容", "主要任务", "工作措施", "具体工作", "工作事项"),
    "lead": ("牵头部门", "责任部门", "牵头单位", "责任单位", "主责部门", "负责部门", "牵头庭室", "责任庭室"),
    "co": ("配合部门", "协办部门", "配合单位", "协助部门", "参与部门", "协办单位", "配合庭室"),
    "owner": ("责任人", "具体责任人", "经办人", "联系人", "具体负责人"),
    "supervisor": ("责任领导", "分管院领导", "分管领导", "责任院领导", "牵头领导", "分管副院长", "院领导"),
    "phase": ("阶段", "所属阶段", "实施阶段"),
    "due": ("完成时限", "时间节点", "完成时间", "时限", "时间要求", "截止时间", "完成期限", "时间安排"),
}
COLUMN_LABELS = {"number": "序号", "criteria": "测评指标", "title": "工作任务", "lead": "牵头部门",
                 "co": "配合部门", "owner": "责任人", "supervisor": "责任领导", "phase": "阶段", "due": "完成时限"}
ALL_DEPARTMENTS = ("各庭室处队", "各部门", "全院各部门", "各庭室", "各庭处室", "各处室", "各庭室处", "全院", "各科室",
                   "院属各部门", "各庭队室")
EXPORT_HEADERS = ["序号", "测评指标", "工作任务", "牵头部门", "配合部门", "责任人", "责任领导", "阶段", "完成时限"]
HEADER_SEARCH_ROWS = 10


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str
    blocking: bool = True
    kind: str = ""  # department / criterion / person / due / title — what a mapping can fix


@dataclass
class Preview:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # our column → the header as written
    positions: dict = field(default_factory=dict)  # our column → its index in the table
    read: int = 0
    unmatched: dict = field(default_factory=dict)  # kind → {name: [suggestions]}
    error: str = ""
    tables: list[dict] = field(default_factory=list)  # every sheet / Word table: index, label, usable, preview
    table_index: int | None = None
    kind: str = "sheet"
    header_row: int = 1
    title: str = ""
    signature: str = ""
    warnings: list[str] = field(default_factory=list)  # about the whole file (a year other than the campaign's)
    grid: list[list[str]] = field(default_factory=list)  # the first rows as text, for mapping columns by hand

    def mapping_lines(self) -> list[str]:
        """The columns as `--map` takes them: B=title …"""
        from openpyxl.utils import get_column_letter

        return [f"{get_column_letter(index + 1)}={column}" for column, index in
                sorted(self.positions.items(), key=lambda item: item[1])]

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def ok(self) -> bool:
        return not self.error and not self.blocking and bool(self.rows)

    @property
    def creates(self) -> int:
        return sum(1 for row in self.rows if row.existing is None)

    @property
    def updates(self) -> int:
        return sum(1 for row in self.rows if row.existing is not None)

    def problems_by_row(self) -> list[tuple[int, list[Problem]]]:
        grouped: dict[int, list[Problem]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.row, []).append(problem)
        return sorted(grouped.items())


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    """The first row (of the first ten) naming a task column and at least one other known column."""
    keys = {header_key(word): column for column, words in COLUMNS.items() for word in words}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, value in enumerate(row):
            column = keys.get(header_key(value))
            if column is None:  # a longer header such as “具体工作任务及措施” still counts
                text = header_key(value)
                column = next((c for word, c in sorted(keys.items(), key=lambda kv: -len(kv[0]))
                               if len(word) >= 3 and word in text), None)
            if column and column not in found:
                found[column] = position
        if "title" in found and len(found) >= 2:
            return index, found
    return None


class _Resolver:
    """Names → objects of the campaign's unit and standard; everything loaded once (a few queries in all)."""

    def __init__(self, campaign: Campaign, fixes: dict):
        self.campaign, self.fixes = campaign, fixes
        departments = list(Department.objects.filter(unit_id=campaign.unit_id).order_by("order", "id"))
        self.departments = {match_key(d.name): d for d in departments}
        self.active_departments = [d for d in departments if d.is_active]
        self.department_by_id = {d.pk: d for d in departments}
        people = list(User.objects.filter(unit_id=campaign.unit_id).business_people()
                      .prefetch_related("role_assignments").order_by("id"))
        self.people_by_id = {p.pk: p for p in people}
        self.people = {}
        for person in people:
            self.people.setdefault(match_key(person.real_name), person)
        self.leaders_by_title = {}
        for person in people:
            if person.has_role(Role.LEADER):
                for title in re.split(r"[、，,/\s]+", person.job_title or ""):
                    if title:
                        self.leaders_by_title.setdefault(match_key(title), []).append(person)
        criteria = (list(Criterion.objects.filter(standard_id=campaign.standard_id).order_by("depth", "order", "id"))
                    if campaign.standard_id else [])
        self.criterion_by_id = {c.pk: c for c in criteria}
        self.criteria_by_code = {}
        self.criteria_by_title = {}
        for criterion in criteria:
            if criterion.code:
                self.criteria_by_code.setdefault(match_key(criterion.code), criterion)
            self.criteria_by_title.setdefault(match_key(criterion.title), criterion)
        self.phases = {match_key(p.name): p for p in Phase.objects.filter(campaign=campaign)}
        self.phase_list = list(self.phases.values())
        self.unmatched: dict[str, dict[str, list]] = {"department": {}, "criterion": {}, "person": {}}
        self.leaders_warned: set[str] = set()

    def _mapped(self, kind: str, name: str):
        """The office's answer for an unmatched name: an id, "" (leave it out), or None (not answered yet)."""
        answer = (self.fixes.get(kind) or {}).get(name)
        return None if answer is None else str(answer)

    def departments_in(self, text: str, row: int, column: str, problems: list[Problem]) -> list[Department]:
        if match_key(text).replace(" ", "") in {match_key(w) for w in ALL_DEPARTMENTS}:
            return list(self.active_departments)
        matched, missing = match_departments(text, self.departments)
        for name in missing:
            if match_key(name) in {match_key(w) for w in ALL_DEPARTMENTS}:
                matched.extend(d for d in self.active_departments if d not in matched)
                continue
            answer = self._mapped("department", name)
            if answer:
                department = self.department_by_id.get(int(answer)) if answer.isdigit() else None
                if department is not None and department not in matched:
                    matched.append(department)
                continue
            if answer == "":
                continue
            partial = self._partial(name)
            if len(partial) == 1:  # “立案庭（诉讼服务中心）” for 立案庭: suggested, never taken silently
                self.unmatched["department"][name] = [partial[0].name]
                problems.append(Problem(row, column, name, _("部门“%(name)s”在本单位找不到，是否是“%(department)s”？"
                                                             "请选择对应的部门。")
                                        % {"name": name, "department": partial[0].name}, kind="department"))
                continue
            if len(partial) > 1:
                self.unmatched["department"][name] = [d.name for d in partial]
                problems.append(Problem(row, column, name, _("部门“%(name)s”对应到多个部门（%(names)s），请选择其中一个。")
                                        % {"name": name, "names": "、".join(d.name for d in partial)}, kind="department"))
                continue
            self.unmatched["department"][name] = difflib.get_close_matches(
                name, [d.name for d in self.active_departments], n=3, cutoff=0.4)
            problems.append(Problem(row, column, name, _("部门“%(name)s”在本单位找不到，请选择对应的部门。") % {"name": name},
                                    kind="department"))
        return matched

    def _partial(self, name: str) -> list[Department]:
        """Departments whose name contains the written one, or is contained in it (at least two characters)."""
        key = match_key(name).replace(" ", "")
        if len(key) < 2:
            return []
        return [d for d in self.active_departments
                if key in match_key(d.name).replace(" ", "") or match_key(d.name).replace(" ", "") in key]

    def person(self, text: str, row: int, column: str, problems: list[Problem]) -> User | None:
        if not text:
            return None
        person = self.people.get(match_key(text))
        if person is not None:
            return person
        answer = self._mapped("person", text)
        if answer:
            return self.people_by_id.get(int(answer)) if answer.isdigit() else None
        if answer == "":
            return None
        self.unmatched["person"][text] = difflib.get_close_matches(
            text, [p.real_name for p in self.people_by_id.values()], n=3, cutoff=0.5)
        problems.append(Problem(row, column, text, _("人员“%(name)s”在本单位找不到；可选择对应的人，或导入时留空。")
                                % {"name": text}, blocking=False, kind="person"))
        return None

    def leader(self, text: str, row: int = 0, column: str = "", problems: list[Problem] | None = None) -> User | None:
        """责任领导 is a name (王院长) or a post (政治部主任); a post held by exactly one leader resolves to them.
        One that matches nobody (or several) is said, once per name, and kept as written."""
        if not text:
            return None
        person = self.people.get(match_key(text))
        if person is not None:
            return person
        holders = self.leaders_by_title.get(match_key(text), [])
        if len(holders) == 1:
            return holders[0]
        if problems is not None and text not in self.leaders_warned:
            self.leaders_warned.add(text)
            if holders:
                message = _("责任领导“%(name)s”对应到多位领导（%(names)s），导入后只保留文字，请在任务中指定。") % {
                    "name": text, "names": "、".join(p.real_name for p in holders)}
            else:
                message = _("责任领导“%(name)s”在本单位的领导中找不到（按姓名或职务），导入后只保留文字。") % {"name": text}
            problems.append(Problem(row, column, text, message, blocking=False))
        return None

    def criteria_in(self, text: str, row: int, column: str, problems: list[Problem]) -> list[Criterion]:
        if not text:
            return []
        if not self.campaign.standard_id:
            problems.append(Problem(row, column, text, _("本活动尚未选定测评体系，“测评指标”一列暂不导入。"),
                                    blocking=False))
            return []
        found: list[Criterion] = []
        for piece in [p.strip() for p in re.split(r"[\n；;]+", text) if p.strip()]:
            matched = self._criterion(piece)
            if matched is None and "、" in piece:
                parts = [self._criterion(part.strip()) for part in piece.split("、") if part.strip()]
                matched = parts if all(parts) else None
            if matched is None:
                answer = self._mapped("criterion", piece)
                if answer:
                    matched = self.criterion_by_id.get(int(answer)) if answer.isdigit() else None
                elif answer == "":
                    continue
            if matched is None:
                self.unmatched["criterion"][piece] = difflib.get_close_matches(
                    piece, [c.title for c in self.criterion_by_id.values()], n=3, cutoff=0.3)
                problems.append(Problem(row, column, piece, _("测评指标“%(name)s”在测评体系中找不到；可选择对应的指标，"
                                                             "或导入时不关联。") % {"name": piece},
                                        blocking=False, kind="criterion"))
                continue
            for criterion in matched if isinstance(matched, list) else [matched]:
                if criterion not in found:
                    found.append(criterion)
        return found

    def _criterion(self, text: str) -> Criterion | None:
        key = match_key(text)
        if key in self.criteria_by_code:
            return self.criteria_by_code[key]
        if key in self.criteria_by_title:
            return self.criteria_by_title[key]
        first, _sep, rest = text.partition(" ")
        if rest and match_key(first) in self.criteria_by_code:  # “3 党组每年至少2次专题研究……”
            return self.criteria_by_code[match_key(first)]
        return None


def annex_tables(content: bytes, filename: str = "") -> dict:
    """The upload's tables as plain JSON, for the draft; UnreadableFile (in Chinese) for what cannot be read."""
    with open_book(content, filename) as book:
        return book_to_json(book)


def _fill_merges(rows: list[list], merges, keep: set[int]) -> None:
    """A cell merged down (one 牵头部门 for several tasks) counts for every row it covers."""
    for min_col, min_row, _max_col, max_row in merges:
        col = min_col - 1
        if max_row <= min_row or col in keep or min_row - 1 >= len(rows):
            continue
        origin = rows[min_row - 1][col] if col < len(rows[min_row - 1]) else None
        for index in range(min_row, min(max_row, len(rows))):
            if col < len(rows[index]) and rows[index][col] in (None, ""):
                rows[index][col] = origin


def _choose_table(book: Book, preview: Preview, fixes: dict):
    """(table, header index, columns) — the table the office chose, or the one that looks most like the annex."""
    wanted = fixes.get("table")
    manual = fixes.get("columns") or {}
    best = None
    for table in book.tables:
        head = table.head(HEADER_SEARCH_ROWS)
        found = _find_header(head)
        preview.tables.append({"index": table.index, "label": table.label, "usable": found is not None,
                               "preview": table.preview(2)})
        if wanted is not None and str(wanted) != str(table.index):
            continue
        if manual:
            header_index = max(0, int(fixes.get("header_row") or 1) - 1)
            columns = {column: int(index) for index, column in manual.items() if column in COLUMNS}
            return table, header_index, columns
        if found is not None and (best is None or len(found[1]) > len(best[2])):
            best = (table, *found)
        if wanted is not None:
            return best or (table, None, None)
    return best


def read_annex(source, *, campaign: Campaign, filename: str = "annex.xlsx", fixes: dict | None = None
               ) -> Preview:
    """Read an annex (bytes of an upload, or a draft's stored tables) into a preview of tasks and problems.
    Nothing is saved."""
    fixes = fixes or {}
    preview = Preview()
    try:
        book = book_from_json(source) if isinstance(source, dict) else open_book(bytes(source), filename)
    except UnreadableFile as error:
        preview.error = str(error)
        return preview
    try:
        with book:
            chosen = _choose_table(book, preview, fixes)
            if chosen is None or chosen[1] is None:
                preview.error = _("找不到表头：请确认表中有“工作任务”（或“工作内容”）一列，以及“牵头部门”“完成时限”等列。")
                if chosen is not None:
                    preview.table_index, preview.kind = chosen[0].index, chosen[0].kind
                return preview
            table, header_index, columns = chosen
            rows = [list(row) for row in table.iter_rows()]
            preview.signature = table_signature(table)
            preview.table_index, preview.kind, preview.header_row = table.index, table.kind, header_index + 1
            width = min(max((len(row) for row in rows[:header_index + 6]), default=0), 30)
            preview.grid = [[cell_text(row[i])[:40] if i < len(row) else "" for i in range(width)]
                            for row in rows[:header_index + 6]]
            _fill_merges(rows, table.merges, keep={columns.get("number"), columns.get("title")})
            above = [cell_text(v) for row in rows[:header_index] for v in row if cell_text(v)]
            preview.title = above[0] if above else next(
                (text for text in reversed(table.before) if not re.fullmatch(r"附件\s*\d*[:：]?", text)), "")
    except UnreadableFile as error:
        preview.error = str(error)
        return preview
    if header_index >= len(rows):
        preview.error = _("表头下面没有内容。")
        return preview
    preview.columns = {column: cell_text(rows[header_index][position]) if position < len(rows[header_index]) else ""
                       for column, position in columns.items()}
    preview.positions = dict(columns)
    resolver = _Resolver(campaign, fixes)
    existing = {(match_key(t.title), t.lead_department_id): t for t in campaign.tasks.all()}
    due_fixes = fixes.get("due") or {}
    seen: set[tuple] = set()
    outside_year = 0

    def cell(row, column):
        position = columns.get(column)
        return cell_text(row[position]) if position is not None and position < len(row) else ""

    for offset, values in enumerate(rows[header_index + 1:], start=header_index + 2):
        if not any(cell_text(v) for v in values):
            continue
        title = cell(values, "title")
        if not title:
            if any(cell(values, c) for c in ("lead", "due")):
                preview.problems.append(Problem(offset, COLUMN_LABELS["title"], "", _("这一行没有填写工作任务。"),
                                                kind="title"))
            continue
        if header_key(title) in {header_key(w) for w in COLUMNS["title"]}:
            continue  # the header repeated on a new page
        preview.read += 1
        problems: list[Problem] = []
        lead_list = resolver.departments_in(cell(values, "lead"), offset, COLUMN_LABELS["lead"], problems)
        co_list = resolver.departments_in(cell(values, "co"), offset, COLUMN_LABELS["co"], problems)
        lead = lead_list[0] if lead_list else None
        co = [d for d in lead_list[1:] + co_list if d != lead]
        due_written = due_fixes.get(str(offset), cell(values, "due"))
        try:
            limit = parse_time_limit(due_written, year=campaign.year)
        except UnreadableTimeLimit as error:
            limit = TimeLimit()
            problems.append(Problem(offset, COLUMN_LABELS["due"], due_written,
                                    _("%(error)s 请改写为“2021年6月30日”“6月底前”“每季度”等写法。") % {"error": error},
                                    kind="due"))
        if campaign.year and limit.due_on is not None and limit.due_on.year != campaign.year:
            outside_year += 1
            problems.append(Problem(offset, COLUMN_LABELS["due"], due_written,
                                    _("完成时限在%(year)s年，不在本活动的年度（%(campaign)s年）内，请核对是否用了往年的分解表。")
                                    % {"year": limit.due_on.year, "campaign": campaign.year}, blocking=False, kind="due"))
        supervisor_text = cell(values, "supervisor")
        phase_text = cell(values, "phase")
        phase = resolver.phases.get(match_key(phase_text)) if phase_text else None
        if phase is None and limit.due_on is not None:
            phase = campaign.phase_on(limit.due_on, resolver.phase_list)
        row = ImportRow(
            row=offset, title=title, lead_department=lead, co_departments=co,
            criteria=resolver.criteria_in(cell(values, "criteria"), offset, COLUMN_LABELS["criteria"], problems),
            owner=resolver.person(cell(values, "owner"), offset, COLUMN_LABELS["owner"], problems),
            supervisor=resolver.leader(supervisor_text, offset, COLUMN_LABELS["supervisor"], problems),
            supervisor_label=supervisor_text,
            phase=phase, starts_on=limit.starts_on, due_on=limit.due_on, recurrence=limit.recurrence,
            due_text=due_written,
        )
        key = (match_key(title), lead.pk if lead else None)
        if key in seen:
            problems.append(Problem(offset, COLUMN_LABELS["title"], title,
                                    _("与前面某行的工作任务和牵头部门完全相同，将只导入一次。"), blocking=False))
        else:
            seen.add(key)
            row.existing = existing.get(key)
            preview.rows.append(row)
        preview.problems.extend(problems)
    preview.unmatched = {kind: names for kind, names in resolver.unmatched.items() if names}
    title_year = year_in(preview.title) if preview.title else None
    if campaign.year and title_year and title_year != campaign.year:
        preview.warnings.append(_("表格标题写的是%(year)s年（“%(title)s”），本活动是%(campaign)s年。") % {
            "year": title_year, "title": preview.title[:40], "campaign": campaign.year})
    if outside_year:
        preview.warnings.append(_("有 %(n)s 行的完成时限不在本活动的年度（%(campaign)s年）内。") % {
            "n": outside_year, "campaign": campaign.year})
    if not preview.read and not preview.error:
        preview.error = _("表中没有可导入的任务行。")
    return preview


# ---------------------------------------------------------------------------------------------- export
def due_words(task: Task) -> str:
    if task.due_text:
        return task.due_text
    return TimeLimit(due_on=task.due_on, recurrence=task.recurrence, starts_on=task.starts_on).describe()


def annex_rows(tasks) -> list[list[str]]:
    """The annex's rows for `tasks` (a selector's list, with departments and criteria prefetched)."""
    rows = []
    for index, task in enumerate(tasks, start=1):
        rows.append([
            index,
            "\n".join(f"{c.code} {c.title}".strip() for c in task.criteria.all()),
            task.title,
            task.lead_department.name if task.lead_department else "",
            "、".join(d.name for d in task.co_departments.all()),
            task.owner.real_name if task.owner else "",
            task.supervisor.real_name if task.supervisor else task.supervisor_label,
            task.phase.name if task.phase else "",
            due_words(task),
        ])
    return rows


def annex_workbook(campaign: Campaign, tasks):
    workbook = build_workbook(_("工作任务分解表"), EXPORT_HEADERS, annex_rows(tasks),
                              widths=[6, 36, 48, 14, 22, 10, 12, 10, 16],
                              note=_("附件：%(title)s工作任务分解表") % {"title": campaign.title})
    from openpyxl.styles import Alignment

    sheet = workbook.active
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook


def annex_docx(campaign: Campaign, tasks) -> bytes:
    """The annex as a Word table in 公文 style (GB/T 9704): A4 landscape, 黑体 “附件”, 方正小标宋 title in 二号,
    仿宋 table text, page numbers as “— 1 —”."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    def font(run, name: str, size: float, bold: bool = False):
        run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.left_margin, section.right_margin = Mm(37), Mm(35)

    label = document.add_paragraph()
    font(label.add_run("附件"), "黑体", 16)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(title.add_run(printable(f"{campaign.title}工作任务分解表")), "方正小标宋简体", 22)

    rows = annex_rows(tasks)
    table = document.add_table(rows=1, cols=len(EXPORT_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(10), Mm(40), Mm(62), Mm(20), Mm(26), Mm(14), Mm(16), Mm(14), Mm(22)]
    for cell, header, width in zip(table.rows[0].cells, EXPORT_HEADERS, widths, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        font(paragraph.add_run(printable(header)), "黑体", 12)
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)  # the header repeats on every page
    for values in rows:
        cells = table.add_row().cells
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = width
            lines = str(value).split("\n")
            paragraph = cell.paragraphs[0]
            for index, line in enumerate(lines):
                run = paragraph.add_run(printable(line))
                font(run, "仿宋_GB2312", 12)
                if index < len(lines) - 1:
                    run.add_break()

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(footer.add_run("— "), "宋体", 14)
    run = footer.add_run()
    font(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    font(footer.add_run(" —"), "宋体", 14)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
