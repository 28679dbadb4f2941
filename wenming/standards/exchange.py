"""Standards in and out of the system: xlsx export in the import's own shape, and the YAML library format
(see LIBRARY_FORMAT.md). Both work on `ParsedNode` trees, so what is exported can be imported unchanged."""

import io
from decimal import Decimal

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from wenming.core.xlsx import put_cell
from wenming.standards.models import KNOWN_METHODS, Kind
from wenming.standards.parsing import (
    KIND_WORDS,
    ParsedNode,
    ParseResult,
    PointsError,
    Problem,
    check_tree,
    fmt,
    normalise_methods,
    parse_points,
)

FORMAT = "wenming-standard/1"
LEVELS = {"city": "city", "province": "province", "national": "national", "市级": "city", "省级": "province",
          "全国": "national"}
KINDS = {kind.value: kind.value for kind in Kind} | {str(word): kind for word, kind in KIND_WORDS.items()}
HIERARCHY_HEADERS = {1: ["测评内容"], 2: ["测评项目", "测评内容"], 3: ["测评项目", "测评指标", "测评内容"],
                     4: ["测评项目", "测评指标", "测评内容", "细化内容"]}


# ---------------------------------------------------------------------------------------------- trees
def nodes_from_criteria(criteria) -> list[ParsedNode]:
    """Saved criteria (any order) -> a ParsedNode tree in display order."""
    nodes = {}
    children: dict[int | None, list] = {}
    for criterion in sorted(criteria, key=lambda c: (c.depth, c.order, c.pk)):
        nodes[criterion.pk] = ParsedNode(
            title=criterion.title, code=criterion.code, content=criterion.content, scoring=criterion.scoring,
            points=criterion.points, per_item=criterion.per_item, kind=criterion.kind, explicit_kind=criterion.kind,
            bonus_cap=criterion.bonus_cap, methods=list(criterion.methods or []), materials=criterion.materials,
            department=criterion.department, is_local=criterion.is_local, key=str(criterion.key),
        )
        children.setdefault(criterion.parent_id, []).append(criterion.pk)
    for parent_id, ids in children.items():
        if parent_id is not None and parent_id in nodes:
            nodes[parent_id].children = [nodes[pk] for pk in ids]
    return [nodes[pk] for pk in children.get(None, [])]


def _depth(nodes: list[ParsedNode]) -> int:
    return max((1 + _depth(node.children) for node in nodes), default=0)


def _number(value: Decimal | None):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


# ---------------------------------------------------------------------------------------------- xlsx
def export_workbook(*, name: str, roots: list[ParsedNode]) -> Workbook:
    """The standard as offices lay it out: title row, header, categories merged down, points in the text."""
    depth = max(_depth(roots), 1)
    hierarchy = HIERARCHY_HEADERS.get(depth) or [*HIERARCHY_HEADERS[4], *(f"第{n}级" for n in range(5, depth + 1))]
    nodes = [node for node, _d in _walk(roots)]
    has_content = any(node.content for node in nodes)
    has_local = any(node.is_local for node in nodes)
    headers = [*hierarchy[:-1], "序号", hierarchy[-1], "评分标准", "分值", "测评方法", "材料要求", "提供材料部门", "类型"]
    if has_content:
        headers.append("内容说明")
    if has_local:
        headers.append("本单位细化")
    position = {header: index + 1 for index, header in enumerate(headers)}
    hierarchy_columns = [position[header] for header in hierarchy]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "测评细则"
    put_cell(sheet, 1, 1, name).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.row_dimensions[1].height = 30
    fill = PatternFill("solid", fgColor="DDE6F0")
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column, header in enumerate(headers, start=1):
        cell = put_cell(sheet, 2, column, header)
        cell.font, cell.fill, cell.border = Font(bold=True), fill, border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = {"测评项目": 16, "测评指标": 16, "序号": 7, "测评内容": 46, "细化内容": 36, "评分标准": 30, "分值": 8,
              "测评方法": 14, "材料要求": 30, "提供材料部门": 14, "类型": 9, "内容说明": 30, "本单位细化": 10}
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(header, 16)

    row = 3
    merges = []

    def fields_of(node: ParsedNode) -> dict:
        return {
            "序号": node.code or None, "评分标准": node.scoring or None, "分值": _points_cell(node),
            "测评方法": "、".join(node.methods) or None, "材料要求": node.materials or None,
            "提供材料部门": node.department or None, "类型": str(Kind(node.kind).label),
            "内容说明": node.content or None, "本单位细化": "是" if node.is_local else None,
        }

    def write_fields(node: ParsedNode) -> None:
        for header, value in fields_of(node).items():
            if header in position and value is not None:
                put_cell(sheet, row, position[header], value)

    def write(node: ParsedNode, level: int) -> None:
        nonlocal row
        column = hierarchy_columns[level - 1]
        if node.children:
            first = row
            if _has_own_fields(node):
                # A line that was refined keeps its own material rules: it gets a row of its own above its children.
                put_cell(sheet, row, column, node.title)  # its code goes in the 序号 column
                write_fields(node)
                row += 1
            else:
                put_cell(sheet, row, column, _group_text(node))
            for child in node.children:
                write(child, level + 1)
            if row - 1 > first:
                merges.append((first, column, row - 1))
            return
        put_cell(sheet, row, column, node.title)
        write_fields(node)
        row += 1

    for root in roots:
        write(root, 1)
    wrap = Alignment(vertical="center", wrap_text=True)
    for cells in sheet.iter_rows(min_row=3, max_row=row - 1, max_col=len(headers)):
        for cell in cells:
            cell.alignment, cell.border = wrap, border
    for first, column, last in merges:
        sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    sheet.freeze_panes = "A3"
    return workbook


def _has_own_fields(node: ParsedNode) -> bool:
    return bool(node.scoring or node.content or node.methods or node.materials or node.department or node.is_local
                or node.per_item or node.kind == Kind.DEDUCTION)


def _group_text(node: ParsedNode) -> str:
    text = f"{node.code} {node.title}" if node.code else node.title
    if node.kind == Kind.BONUS and node.bonus_cap is not None:
        return f"{text}（最高{fmt(node.bonus_cap)}分）"
    if node.counts and node.points is not None:
        return f"{text}（{fmt(node.points)}分）"
    return text


def _points_cell(node: ParsedNode):
    if node.points is None and node.bonus_cap is None:
        return None
    text = ""
    if node.points is not None:
        if not node.per_item and node.bonus_cap is None:
            return _number(node.points)
        text = f"{fmt(node.points)}/项" if node.per_item else fmt(node.points)
    if node.bonus_cap is not None:
        text = f"{text}（最高{fmt(node.bonus_cap)}分）" if text else f"最高{fmt(node.bonus_cap)}分"
    return text


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _walk(nodes, depth=1):
    for node in nodes:
        yield node, depth
        yield from _walk(node.children, depth + 1)


# ---------------------------------------------------------------------------------------------- yaml
def dump_yaml(*, meta: dict, roots: list[ParsedNode]) -> str:
    document = {"format": FORMAT}
    for key in ("key", "name", "issuer", "level", "year", "pass_score", "description"):
        value = meta.get(key)
        if value not in (None, ""):
            document[key] = _number(value) if isinstance(value, Decimal) else value
    document["criteria"] = [_node_dict(node) for node in roots]
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)


def _node_dict(node: ParsedNode) -> dict:
    item: dict = {}
    if node.code:
        item["code"] = node.code
    item["title"] = node.title
    for key in ("content", "scoring"):
        if getattr(node, key):
            item[key] = getattr(node, key)
    if node.points is not None:
        item["points"] = f"{fmt(node.points)}/项" if node.per_item else _number(node.points)
    if node.kind != Kind.SCORED:
        item["kind"] = node.kind
    if node.bonus_cap is not None:
        item["cap"] = _number(node.bonus_cap)
    if node.methods:
        item["methods"] = list(node.methods)
    for key in ("materials", "department"):
        if getattr(node, key):
            item[key] = getattr(node, key)
    if node.is_local:
        item["local"] = True
    if node.children:
        item["children"] = [_node_dict(child) for child in node.children]
    return item


class _LineLoader(yaml.SafeLoader):
    """Remembers the line of every mapping, so problems point at the line to fix."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def parse_yaml(data: bytes | str, filename: str = "") -> ParseResult:
    result = ParseResult(source=filename)
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        result.problems.append(Problem("YAML 格式有误，无法读取：" + str(getattr(error, "problem", "") or error),
                                       row=mark.line + 1 if mark else None))
        return result
    if not isinstance(document, dict) or not isinstance(document.get("criteria"), list):
        result.problems.append(Problem("这不是测评体系的 YAML 文件：缺少 criteria 列表（格式见 LIBRARY_FORMAT.md）。"))
        return result
    if document.get("format", FORMAT) != FORMAT:
        result.problems.append(Problem(f"不支持的格式版本“{document.get('format')}”，应为 {FORMAT}。"))
        return result
    meta = {}
    for key in ("key", "name", "issuer", "description"):
        if document.get(key) not in (None, ""):
            meta[key] = str(document[key]).strip()
    if document.get("level") not in (None, ""):
        level = LEVELS.get(str(document["level"]).strip())
        if level is None:
            result.problems.append(Problem(f"级别“{document['level']}”无法识别，应为 city、province 或 national。",
                                           row=document.get("__line__")))
        meta["level"] = level or "city"
    for key in ("year",):
        if document.get(key) not in (None, ""):
            try:
                meta[key] = int(document[key])
            except (TypeError, ValueError):
                result.problems.append(Problem(f"年度“{document[key]}”应为数字。"))
    if document.get("pass_score") not in (None, ""):
        try:
            meta["pass_score"] = parse_points(document["pass_score"]).value
        except PointsError as error:
            result.problems.append(Problem(f"达标分数：{error}。"))
    result.meta = meta
    result.title = meta.get("name", "")
    result.roots = [_yaml_node(item, result, f"criteria[{i + 1}]") for i, item in enumerate(document["criteria"])]
    result.roots = [node for node in result.roots if node is not None]
    if not result.roots:
        result.problems.append(Problem("文件中没有任何测评内容。"))
        return result
    check_tree(result)
    return result


def _yaml_node(item, result: ParseResult, path: str) -> ParsedNode | None:
    if not isinstance(item, dict):
        result.problems.append(Problem(f"{path} 应为一个条目（含 title 等字段）。"))
        return None
    line = item.get("__line__")
    node = ParsedNode(title=str(item.get("title") or "").strip(), row=line, column=path)
    node.code = str(item.get("code") or "").strip()
    for key in ("content", "scoring", "materials", "department"):
        setattr(node, key, str(item.get(key) or "").strip())
    try:
        points = parse_points(item.get("points"))
        node.points, node.per_item, node.bonus_cap = points.value, points.per_item or bool(item.get("per_item")), points.cap
        if item.get("cap") not in (None, ""):
            node.bonus_cap = parse_points(item["cap"]).value
    except PointsError as error:
        result.problems.append(Problem(f"{error}。", row=line, column=path))
        node._unreadable = True
    if item.get("kind") not in (None, ""):
        node.explicit_kind = KINDS.get(str(item["kind"]).strip(), "")
        if not node.explicit_kind:
            result.problems.append(Problem(f"类型“{item['kind']}”无法识别，应为 scored、deduction、bonus 或 veto。",
                                           row=line, column=path))
    methods = item.get("methods") or []
    if isinstance(methods, str):
        methods = [methods]
    node.methods, unknown = normalise_methods("、".join(str(method) for method in methods))
    for word in unknown:
        result.problems.append(Problem(f"测评方法“{word}”不在常用方法（{'、'.join(KNOWN_METHODS)}）中，已按原文保留。",
                                       row=line, column=path, severity="warning"))
    node.is_local = bool(item.get("local"))
    children = item.get("children") or []
    if not isinstance(children, list):
        result.problems.append(Problem("children 应为列表。", row=line, column=path))
        children = []
    node.children = [
        child for child in (_yaml_node(c, result, f"{path}.children[{i + 1}]") for i, c in enumerate(children))
        if child is not None
    ]
    return node
