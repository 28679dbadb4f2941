"""Reading a standard (测评细则) from an xlsx workbook the way offices actually type them.

No database here: `parse_workbook(data)` returns a `ParseResult` — the tree, the problems (each with sheet, row
and column, in Chinese), and what was recognised — which the preview screen, the API, the command line and the
benchmark all share. The YAML library format is read in `exchange.py` into the same tree and checked by the
same `check_tree`.

Speed matters (5,000 lines within twice openpyxl's own read): the workbook is read in openpyxl's read-only
streaming mode and the merged ranges are taken from the sheet's XML, instead of loading every cell as an object.
"""

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from wenming.standards.models import COUNTED_KINDS, KNOWN_METHODS, Kind

MAX_ROWS = 20_000
HEADER_SCAN_ROWS = 15
TENTH = Decimal("0.1")

# Full-width forms folded for reading numbers and headers (titles are kept as written).
FOLD = str.maketrans("０１２３４５６７８９（）：，．／；＋－　％", "0123456789():,./;+- %")

# ---------------------------------------------------------------------------------------------- columns
# field -> (label shown to people, exact header words). Hierarchy fields are ordered by their column position.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "level1": ("测评项目（一级）", ("测评项目", "一级指标", "测评类别", "类别", "项目", "一级", "考核项目", "评价项目",
                              "测评大项", "项目名称", "一级测评项目")),
    "level2": ("测评指标（二级）", ("测评指标", "二级指标", "指标", "二级", "考核指标", "测评子项", "指标名称")),
    "level3": ("测评内容（三级）", ("测评内容", "测评内容及标准", "测评内容和标准", "测评标准", "三级指标", "内容",
                              "考核内容", "测评要点", "具体内容", "测评细则", "测评要求", "工作内容", "考核要点")),
    "level4": ("细化内容（四级）", ("细化内容", "四级指标", "本单位细化内容", "细化要求", "细化措施")),
    "code": ("序号/编号", ("序号", "编号", "代码", "编码", "条目编号", "项目编号", "序")),
    "scoring": ("评分标准", ("评分标准", "评分细则", "评分办法", "计分办法", "评分方法", "扣分标准", "计分标准",
                          "评分说明", "评分要求", "测评标准")),
    "points": ("分值", ("分值", "分数", "标准分", "满分", "标准分值", "测评分值", "权重", "分值分")),
    "methods": ("测评方法", ("测评方法", "测评方式", "考核方式", "考核方法", "检查方式", "检查方法", "评价方式",
                          "测评形式", "测评途径")),
    "materials": ("材料要求", ("材料要求", "材料报送说明", "佐证材料", "台账资料", "所需材料", "材料清单", "报送材料",
                            "资料要求", "提供材料", "需提供材料", "材料要求及说明", "备注")),
    "department": ("提供材料部门", ("提供材料部门", "责任部门", "牵头部门", "承办部门", "责任单位", "部门", "责任科室",
                                 "材料提供部门", "提供部门", "牵头单位", "建议部门")),
    "kind": ("类型", ("类型", "计分方式", "项目类型", "条目类型")),
    "is_local": ("本单位细化", ("本单位细化", "细化", "是否细化")),
    "content": ("内容说明", ("内容说明", "说明", "测评说明")),
}
HIERARCHY = ("level1", "level2", "level3", "level4")
# Words inside longer headers, tried when no exact word matches (order matters: 提供材料部门 is a department).
HEADER_KEYWORDS = (
    ("部门", "department"), ("评分", "scoring"), ("分值", "points"), ("方法", "methods"), ("方式", "methods"),
    ("材料", "materials"), ("一级", "level1"), ("二级", "level2"), ("三级", "level3"), ("四级", "level4"),
    ("测评内容", "level3"), ("细化", "level4"), ("指标", "level2"), ("项目", "level1"), ("序号", "code"),
)
FIELD_CHOICES = [(name, label) for name, (label, _words) in FIELDS.items()]

# ---------------------------------------------------------------------------------------------- methods
METHOD_SYNONYMS = {
    "查阅资料": ("查阅资料", "查看资料", "查资料", "资料审核", "材料审核", "查阅台账", "查阅材料", "资料查阅", "查阅文件",
             "审核资料", "台账查阅", "查看台账"),
    "实地考察": ("实地考察", "实地查看", "现场查看", "实地察看", "现场检查", "实地检查", "现场考察", "实地测评"),
    "问卷调查": ("问卷调查", "问卷", "问卷测评", "满意度调查", "问卷调研"),
    "网上申报": ("网上申报", "网上填报", "网络申报", "系统填报", "线上申报", "网上报送"),
    "听取汇报": ("听取汇报", "汇报", "听汇报"),
    "座谈": ("座谈", "座谈会", "个别访谈", "访谈", "座谈访谈", "个别谈话"),
    "征求意见": ("征求意见", "征求相关部门意见", "部门意见", "征求部门意见"),
    "网络查看": ("网络查看", "网上查看", "网络查阅", "网上查阅", "网络检索"),
    "明察暗访": ("明察暗访", "暗访", "暗查"),
}
METHOD_LOOKUP = {word: method for method, words in METHOD_SYNONYMS.items() for word in words}
METHOD_SPLIT = re.compile(r"[、，,/;；+＋\s]+|和|及")

# ---------------------------------------------------------------------------------------------- points
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十点半]+"
CAP_RE = re.compile(rf"(?:最高|不超过|上限|最多|封顶|满分)(?:加|为)?\s*(?P<n>{NUM})\s*分?")
PER_ITEM_RE = re.compile(
    rf"^(?:(?P<n>{NUM})\s*分?\s*/\s*(?:项|次|个|篇|条|处|人)|每(?:项|次|个|篇|条|处|人)(?:加|计|得)?\s*(?P<m>{NUM})\s*分)$"
)
PLAIN_RE = re.compile(rf"^(?P<n>{NUM})\s*分?$")
BLANK_POINTS = {"", "-", "—", "——", "/", "无", "不计分", "否决", "一票否决", "不适用"}
TITLE_POINTS_RE = re.compile(r"(?:\(\s*(?P<inner>[^()]*?分[^()]*?)\s*\)|[\s:]+(?P<bare>\d+(?:\.\d+)?分))\s*$")
CODE_PREFIX_RE = re.compile(
    r"^\s*(?:\((?P<paren>[一二三四五六七八九十]+|\d+)\)|(?P<code>[IVXⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+(?:-\d+)?|[一二三四五六七八九十]+|\d+(?:[.\-]\d+)*)"
    r"(?:\s*[、.]\s*|\s+))(?=\S)"
)
NOTE_RE = re.compile(r"^\s*(注|说明|备注|附注|填表说明|附)\s*\d*\s*[:：、.．]|^\s*注\s*\d")
TOTAL_WORDS = {"合计", "总计", "总分", "合计分值", "总分值", "小计合计"}
BONUS_RE = re.compile(r"加分")
VETO_RE = re.compile(r"一票否决|否决项|否决事项")
DEDUCTION_RE = re.compile(r"扣完为止|每.{0,12}?扣\s*[\d零一二两三四五六七八九十半]")
KIND_WORDS = {
    "计分": Kind.SCORED, "计分项": Kind.SCORED, "得分": Kind.SCORED, "基本项": Kind.SCORED,
    "扣分": Kind.DEDUCTION, "扣分制": Kind.DEDUCTION, "扣分项": Kind.DEDUCTION,
    "加分": Kind.BONUS, "加分项": Kind.BONUS,
    "一票否决": Kind.VETO, "否决": Kind.VETO, "否决项": Kind.VETO, "一票否决项": Kind.VETO,
}
YES_WORDS = {"是", "√", "✓", "y", "yes", "1", "本单位细化", "细化", "true"}


def fold(text: str) -> str:
    return text.translate(FOLD)


def chinese_number(text: str) -> Decimal | None:
    """零点五, 五, 十, 十二, 二十, 二十五, 半 — the numbers people write in words on these sheets."""
    if text == "半":
        return Decimal("0.5")
    whole, _, tenth = text.partition("点")
    if tenth and not (len(tenth) == 1 and tenth in CN_DIGITS):
        return None
    if not whole:
        return None
    if "十" in whole:
        tens, _, ones = whole.partition("十")
        if (tens and tens not in CN_DIGITS) or (ones and ones not in CN_DIGITS) or "十" in ones:
            return None
        value = (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    elif len(whole) == 1 and whole in CN_DIGITS:
        value = CN_DIGITS[whole]
    else:
        return None
    return Decimal(value) + (Decimal(CN_DIGITS[tenth]) / 10 if tenth else 0)


def to_number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return chinese_number(text)


@dataclass
class Points:
    value: Decimal | None = None
    per_item: bool = False
    cap: Decimal | None = None


class PointsError(ValueError):
    pass


def _checked(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if value < 0:
        raise PointsError("分值不能为负数")
    if value != value.quantize(TENTH):
        raise PointsError(f"分值“{value.normalize()}”只能精确到0.1分")
    if value >= 100000:
        raise PointsError(f"分值“{value.normalize()}”过大")
    return value.quantize(TENTH)


def parse_points(raw) -> Points:
    """A points cell: 10, "10分", "５", "0.5分", "2/项", "每项2分", "最高5分", "五分". Raises PointsError."""
    if raw is None or raw == "":
        return Points()
    if isinstance(raw, bool):
        raise PointsError(f"无法识别分值“{raw}”")
    if isinstance(raw, int | float | Decimal):
        return Points(_checked(Decimal(str(raw))))
    text = fold(str(raw)).strip().replace(" ", "")
    if text in BLANK_POINTS:
        return Points()
    points = Points()
    cap = CAP_RE.search(text)
    if cap:
        points.cap = _checked(to_number(cap.group("n")))
        text = (text[: cap.start()] + text[cap.end():]).strip("(),;，。 ")
        if points.cap is None:
            raise PointsError(f"无法识别分值“{raw}”")
        if not text:
            return points
    match = PER_ITEM_RE.match(text)
    if match:
        points.value = _checked(to_number(match.group("n") or match.group("m")))
        points.per_item = True
    else:
        match = PLAIN_RE.match(text)
        points.value = _checked(to_number(match.group("n"))) if match else None
    if points.value is None:
        raise PointsError(f"无法识别分值“{str(raw).strip()}”，请填写数字，如“2”“0.5分”“2/项”")
    return points


def split_title(text: str, *, with_code: bool) -> tuple[str, str, Points | None]:
    """'I-1 组织领导（10分）' -> ('I-1', '组织领导', Points(10)). Brackets are kept as written in the title."""
    folded = fold(text)
    points = None
    match = TITLE_POINTS_RE.search(folded)
    if match:
        inner = match.group("inner") or match.group("bare")
        try:
            points = parse_points(inner)
        except PointsError:
            points = None
        if points is not None:
            text, folded = text[: match.start()].rstrip(), folded[: match.start()].rstrip()
    code = ""
    if with_code:
        prefix = CODE_PREFIX_RE.match(folded)
        if prefix and len(folded) > prefix.end():
            code = prefix.group("paren") or prefix.group("code")
            text = text[prefix.end():].strip()
    return code, text.strip(), points


def normalise_methods(text: str) -> tuple[list[str], list[str]]:
    """(methods, unknown words). Known synonyms map to the standard names; unknown words are kept as written."""
    methods: list[str] = []
    unknown: list[str] = []
    for word in METHOD_SPLIT.split(fold(text)):
        word = word.strip("()（）。. ")
        if not word:
            continue
        method = METHOD_LOOKUP.get(word)
        if method is None:
            unknown.append(word)
            method = word
        if method not in methods:
            methods.append(method)
    return methods, unknown


# ---------------------------------------------------------------------------------------------- results
@dataclass
class Problem:
    """One thing wrong (or worth a look) in the file, located as a clerk would find it in Excel."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(self.column)
        return " ".join(parts)

    def __str__(self) -> str:
        label = "错误" if self.is_error else "提醒"
        return f"[{label}] {self.where}：{self.message}" if self.where else f"[{label}] {self.message}"

    def as_dict(self) -> dict:
        return {"severity": self.severity, "sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message, "text": str(self)}


@dataclass(eq=False)
class ParsedNode:
    """A criterion read from a file, before it is saved. Same attribute names as the `Criterion` model."""

    title: str
    code: str = ""
    content: str = ""
    scoring: str = ""
    points: Decimal | None = None
    per_item: bool = False
    kind: str = Kind.SCORED
    explicit_kind: str = ""
    bonus_cap: Decimal | None = None
    methods: list[str] = field(default_factory=list)
    materials: str = ""
    department: str = ""
    is_local: bool = False
    children: list["ParsedNode"] = field(default_factory=list)
    row: int | None = None
    column: str = ""
    key: str = ""

    @property
    def counts(self) -> bool:
        return self.kind in COUNTED_KINDS

    @property
    def get_kind_display(self) -> str:
        return str(Kind(self.kind).label)

    def effective_points(self) -> Decimal:
        """What this node adds to its parent's total: its own points, or its counted children's."""
        if not self.counts:
            return Decimal(0)
        if self.points is not None:
            return self.points
        return sum((child.effective_points() for child in self.children if not child.is_local), Decimal(0))


@dataclass
class ParseResult:
    roots: list[ParsedNode] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    title: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    grid: list[list[str]] = field(default_factory=list)
    grid_first_row: int = 1
    declared_total: Decimal | None = None
    source: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return bool(self.roots) and not self.errors

    def walk(self):
        """(node, depth) in tree order."""
        stack = [(node, 1) for node in reversed(self.roots)]
        while stack:
            node, depth = stack.pop()
            yield node, depth
            stack.extend((child, depth + 1) for child in reversed(node.children))

    @property
    def total_points(self) -> Decimal:
        return sum((node.effective_points() for node in self.roots), Decimal(0))

    def summary(self) -> dict:
        per_level: Counter = Counter()
        points_per_level: dict[int, Decimal] = {}
        bonus = veto = local = 0
        bonus_cap = Decimal(0)
        for node, depth in self.walk():
            per_level[depth] += 1
            if node.counts and not node.is_local:
                points_per_level[depth] = points_per_level.get(depth, Decimal(0)) + node.effective_points()
            if node.kind == Kind.BONUS:
                if node.children:
                    bonus_cap += node.bonus_cap or 0
                else:
                    bonus += 1
            if node.kind == Kind.VETO and not node.children:
                veto += 1
            local += node.is_local
        levels = [
            {"depth": depth, "count": per_level[depth], "points": points_per_level.get(depth, Decimal(0))}
            for depth in sorted(per_level)
        ]
        return {"levels": levels, "total_points": self.total_points, "bonus_lines": bonus, "bonus_cap": bonus_cap,
                "veto_lines": veto, "local_lines": local, "lines": sum(per_level.values()),
                "errors": len(self.errors), "warnings": len(self.warnings)}

    def summary_lines(self) -> list[str]:
        """The summary in Chinese, one fact a line (the command line prints these)."""
        summary = self.summary()
        lines = []
        if self.sheet:
            lines.append(f"工作表“{self.sheet}”，表头在第{self.header_row}行")
        level_names = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
        for level in summary["levels"]:
            name = level_names.get(level["depth"], f"第{level['depth']}级")
            lines.append(f"{name}：{level['count']} 项，计分合计 {fmt(level['points'])} 分")
        lines.append(f"总分：{fmt(summary['total_points'])} 分")
        lines.append(f"加分项：{summary['bonus_lines']} 条" + (f"（最高加 {fmt(summary['bonus_cap'])} 分）"
                                                         if summary["bonus_cap"] else ""))
        lines.append(f"一票否决项：{summary['veto_lines']} 条")
        if summary["local_lines"]:
            lines.append(f"本单位细化：{summary['local_lines']} 条")
        lines.append(f"问题：错误 {summary['errors']} 处，提醒 {summary['warnings']} 处")
        return lines


def fmt(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = Decimal(value).quantize(TENTH)
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value)


# ---------------------------------------------------------------------------------------------- reading
class UnreadableFile(Exception):
    pass


def sniff(data: bytes, filename: str = "") -> str:
    """'xlsx', 'yaml', or raise UnreadableFile with the reason in Chinese. By content, not by name."""
    if not data:
        raise UnreadableFile("上传的文件是空的。")
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFile("这是旧版 Excel（.xls）或 WPS（.et）文件，请在 Excel 或 WPS 中“另存为”.xlsx 格式后再上传。")
    head = data[:2000]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and (filename.lower().endswith((".yaml", ".yml")) or re.search(r"^format:\s*wenming-standard", text, re.M)):
        return "yaml"
    raise UnreadableFile("无法读取该文件：它不是 .xlsx 工作簿。请上传 Excel 的 .xlsx 文件（或本系统导出的 .yaml 文件）。")


def header_key(value) -> str:
    if value is None:
        return ""
    text = fold(str(value))
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[\s*:]", "", text)


EXACT_HEADERS: dict[str, list[str]] = {}
for _name, (_label, _words) in FIELDS.items():
    for _word in _words:
        EXACT_HEADERS.setdefault(_word, []).append(_name)


def recognise_header(row) -> dict[str, int]:
    """field -> column index for the cells of one row that read as column headers."""
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        if not isinstance(value, str):
            continue
        key = header_key(value)
        if not key or len(key) > 14:
            continue
        candidates = EXACT_HEADERS.get(key) or [name for word, name in HEADER_KEYWORDS if word in key][:1]
        for name in candidates:
            if name not in found:
                found[name] = index
                break
    return found


def header_is_usable(found: dict[str, int]) -> bool:
    return any(name in found for name in HIERARCHY) and ("points" in found or len(found) >= 3)


def _merges(workbook, sheet) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of every merged range, read from the sheet XML (read-only mode
    does not expose them). The <mergeCells> element follows the cell data, so only the tail is searched."""
    try:
        xml = workbook._archive.read(sheet._worksheet_path)
    except (AttributeError, KeyError):
        return []
    start = xml.rfind(b"mergeCells")
    if start < 0:
        return []
    start = xml.rfind(b"<", 0, start)
    ranges = []
    for ref in re.findall(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"', xml[start:]):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        if max_row is not None and (max_row > min_row or max_col > min_col):
            ranges.append((min_col, min_row, max_col, max_row))
    return ranges


SPACES_RE = re.compile(r"[ \t\r\f\v]+")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip()
        if "  " not in text and "\t" not in text and "\r" not in text and "\f" not in text and "\v" not in text:
            return text
        return SPACES_RE.sub(" ", text)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return SPACES_RE.sub(" ", str(value)).strip()


def _code_text(value) -> str:
    return fold(_text(value)).replace(" ", "")


def open_workbook(data: bytes):
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, EOFError) as error:
        raise UnreadableFile("文件已损坏或不是有效的 .xlsx 工作簿，无法读取。请在 Excel 或 WPS 中打开确认后另存为 .xlsx 再上传。") from error
    except Exception as error:  # openpyxl raises many kinds for damaged packages
        raise UnreadableFile("文件已损坏或不是有效的 .xlsx 工作簿，无法读取。") from error


def parse_file(data: bytes, filename: str = "", *, mapping: dict | None = None) -> ParseResult:
    """Any supported file (xlsx or the YAML library format) -> ParseResult."""
    try:
        kind = sniff(data, filename)
    except UnreadableFile as error:
        return ParseResult(problems=[Problem(str(error))], source=filename)
    if kind == "yaml":
        from wenming.standards.exchange import parse_yaml

        return parse_yaml(data, filename)
    return parse_workbook(data, filename, mapping=mapping)


def parse_workbook(data: bytes, filename: str = "", *, mapping: dict | None = None) -> ParseResult:
    result = ParseResult(source=filename)
    try:
        workbook = open_workbook(data)
    except UnreadableFile as error:
        result.problems.append(Problem(str(error)))
        return result
    try:
        _parse(workbook, result, mapping)
    except UnreadableFile as error:
        result.problems.append(Problem(str(error)))
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, EOFError, OSError):
        result.problems.append(Problem("文件已损坏，读取工作表时出错。请在 Excel 或 WPS 中打开确认后另存为 .xlsx 再上传。"))
    finally:
        workbook.close()
    return result


def _grid(rows, first_row: int = 1) -> list[list[str]]:
    width = max((len(row) for row in rows), default=0)
    return [[_text(row[i]) if i < len(row) else "" for i in range(width)] for row in rows]


def _parse(workbook, result: ParseResult, mapping: dict | None) -> None:
    result.sheets = [sheet.title for sheet in workbook.worksheets]
    chosen = None
    if mapping:
        if mapping.get("sheet") not in result.sheets:
            result.problems.append(Problem(f"找不到工作表“{mapping.get('sheet')}”。"))
            return
        sheet = workbook[mapping["sheet"]]
        head = list(sheet.iter_rows(values_only=True, max_row=HEADER_SCAN_ROWS))
        header_row = int(mapping.get("header_row") or 1)
        columns = {name: int(index) for index, name in (mapping.get("columns") or {}).items() if name in FIELDS}
        columns = {name: index for name, index in sorted(columns.items(), key=lambda item: item[1])}
        chosen = (sheet, head, header_row - 1, {name: index for name, index in columns.items()})
    else:
        busiest = None
        for sheet in workbook.worksheets:
            head = list(sheet.iter_rows(values_only=True, max_row=HEADER_SCAN_ROWS))
            filled = sum(1 for row in head for value in row if value not in (None, ""))
            if busiest is None or filled > busiest[1]:
                busiest = (sheet, filled, head)
            best = None
            for index, row in enumerate(head):
                found = recognise_header(row)
                if header_is_usable(found) and (best is None or len(found) > len(best[1])):
                    best = (index, found)
            if best is None:
                continue
            if chosen is None:
                chosen = (sheet, head, best[0], best[1])
            else:
                result.problems.append(Problem(
                    f"工作表“{sheet.title}”也像测评细则，本次只导入工作表“{chosen[0].title}”。如需导入它，请单独保存为一个文件。",
                    sheet=sheet.title, severity="warning"))
        if chosen is None:
            if busiest is not None:
                result.sheet = busiest[0].title
                result.grid = _grid(busiest[2][:10])
            result.problems.append(Problem(
                "找不到表头：没有哪个工作表的前15行里同时有“测评项目/测评指标/测评内容”之类的列和“分值”列。"
                "请在下方“手动指定各列”中选择每一列的含义后重新识别。"))
            return
    sheet, head, header_index, columns = chosen
    result.sheet = sheet.title
    result.header_row = header_index + 1
    header_cells = head[header_index] if header_index < len(head) else ()
    result.headers = [_text(value) for value in header_cells]
    result.columns = columns
    result.grid = _grid(head[: min(len(head), header_index + 6)])
    result.grid_first_row = 1
    for row in head[:header_index]:
        texts = [_text(value) for value in row if value not in (None, "")]
        if texts and not result.title:
            result.title = texts[0]
    result.meta = meta_from_title(result.title)
    if not any(name in columns for name in HIERARCHY):
        result.problems.append(Problem("没有指定测评内容所在的列：请至少为一列选择“测评项目”“测评指标”或“测评内容”。"))
        return
    _read_rows(workbook, sheet, header_index, columns, result)
    if result.roots:
        check_tree(result)
    elif not result.errors:
        result.problems.append(Problem("表头下面没有读到任何测评内容。", sheet=sheet.title, row=result.header_row))


def meta_from_title(title: str) -> dict:
    """Name, year and level guessed from a title row such as “某某市2025年度文明单位测评细则”."""
    meta: dict = {"name": title.strip()[:200]} if title else {}
    year = re.search(r"(20\d{2})\s*年", fold(title))
    if year:
        meta["year"] = int(year.group(1))
    if "全国" in title:
        meta["level"] = "national"
    elif "省" in title:
        meta["level"] = "province"
    elif "市" in title:
        meta["level"] = "city"
    return meta


def _column_name(result: ParseResult, field_name: str) -> str:
    index = result.columns.get(field_name)
    if index is None:
        return ""
    header = result.headers[index] if index < len(result.headers) and result.headers[index] else FIELDS[field_name][0]
    return f"{get_column_letter(index + 1)}列（{header}）"


def _read_rows(workbook, sheet, header_index: int, columns: dict[str, int], result: ParseResult) -> None:
    sheet_name = sheet.title
    hierarchy = sorted((columns[name], name) for name in HIERARCHY if name in columns)
    hier_cols = [col for col, _name in hierarchy]
    last_pos = len(hier_cols) - 1
    col_label = {col: _column_name(result, name) for col, name in hierarchy}
    col_of = columns.get
    points_col, code_col = col_of("points"), col_of("code")
    text_fields = [(name, columns[name]) for name in ("scoring", "content", "materials", "department") if name in columns]
    methods_col, kind_col, local_col = col_of("methods"), col_of("kind"), col_of("is_local")
    fill_cols = {columns[name] for name in ("methods", "materials", "department", "scoring", "kind") if name in columns}

    # Merged ranges: vertical continuations point at their origin; horizontal ones read as blank.
    vertical: dict[tuple[int, int], tuple[int, int]] = {}
    horizontal: set[tuple[int, int]] = set()
    tracked = set(hier_cols) | fill_cols
    for min_col, min_row, max_col, max_row in _merges(workbook, sheet):
        for col in range(min_col - 1, max_col):
            if col not in tracked:
                continue
            if col > min_col - 1:
                horizontal.add((min_row, col))
            for row in range(min_row + 1, max_row + 1):
                vertical[(row, col)] = (min_row, min_col - 1)
    origin_values: dict[tuple[int, int], object] = {}
    origins = set(vertical.values())

    header_raw = {text for text in result.headers if text}
    points_cache: dict = {}
    methods_cache: dict[str, tuple[list[str], list[str]]] = {}
    current: list[ParsedNode | None] = [None] * len(hier_cols)
    started = False
    count = 0
    problems = result.problems
    for row_number, row in enumerate(sheet.iter_rows(values_only=True, min_row=header_index + 2),
                                     start=header_index + 2):
        if not row:
            continue
        width = len(row)
        if origins:
            for col in range(width):
                if (row_number, col) in origins:
                    origin_values[(row_number, col)] = row[col]

        def value(col, row=row, row_number=row_number, width=width):
            if col is None:
                return None
            found = row[col] if col < width else None
            if found is None or found == "":
                origin = vertical.get((row_number, col))
                if origin is not None and col in fill_cols:
                    return origin_values.get(origin)
                return None
            return found

        # Hierarchy cells: 'T' text starting here, 'V' vertical continuation of the cell above, None blank.
        states = []
        for col in hier_cols:
            raw = row[col] if col < width else None
            if raw is not None and raw != "" and (row_number, col) not in horizontal:
                text = _text(raw)
                states.append(("T", text) if text else (None, ""))
            elif (row_number, col) in vertical:
                states.append(("V", ""))
            else:
                states.append((None, ""))
        leaf_pos = next((pos for pos in range(last_pos, -1, -1) if states[pos][0] == "T"), None)

        raw_points = value(points_col)
        other = [value(col) for _name, col in text_fields]
        has_other = raw_points not in (None, "") or any(v not in (None, "") for v in other) or (
            methods_col is not None and value(methods_col) not in (None, ""))
        first_value = next((v for v in row if v is not None and v != ""), None)
        first_text = _text(first_value) if isinstance(first_value, str) else ""
        if first_value is None and leaf_pos is None:
            continue  # blank row
        if started and first_text and NOTE_RE.match(first_text) and (raw_points in (None, "")):
            break  # notes under the table
        if leaf_pos is not None and len(states[leaf_pos][1]) <= 8 \
                and fold(states[leaf_pos][1]).replace(" ", "") in TOTAL_WORDS:
            try:
                result.declared_total = parse_points(raw_points).value
            except PointsError:
                pass
            continue
        if leaf_pos is not None and sum(text in header_raw for _s, text in states if text) >= 2:
            continue  # the header repeated (a second page)
        if leaf_pos is None:
            if has_other:
                column = col_label[hier_cols[last_pos]]
                problems.append(Problem("这一行有分值或其他内容，但没有测评内容（标题）。", sheet=sheet_name,
                                        row=row_number, column=column))
            continue
        count += 1
        if count > MAX_ROWS:
            problems.append(Problem(f"一次最多导入 {MAX_ROWS} 行测评内容，请拆分文件。", sheet=sheet_name, row=row_number))
            result.roots = []
            return
        started = True

        # Groups to the left of the line: a new text starts a group, a continuation or a blank keeps the current.
        changed = False
        for pos in range(leaf_pos):
            state, text = states[pos]
            node = current[pos]
            if state == "T":
                if node is None or changed or node.row is None or text != getattr(node, "_raw", None):
                    node = _group_node(text, row_number, col_label[hier_cols[pos]], pos < last_pos)
                    _attach(current, pos, node, result)
                    changed = True
            elif state is None and changed:
                node = None
            current[pos] = node
            if changed:
                for deeper in range(pos + 1, len(current)):
                    current[deeper] = None

        text = states[leaf_pos][1]
        in_last = leaf_pos == last_pos
        code_cell = _code_text(value(code_col))
        if in_last and raw_points not in (None, ""):
            code_from_text, title, title_points = "", text, None  # the points are in their own column
        else:
            code_from_text, title, title_points = split_title(text, with_code=not in_last and not code_cell)
        leaf = ParsedNode(title=title, row=row_number, column=col_label[hier_cols[leaf_pos]])
        leaf._raw = text
        leaf.code = code_cell or code_from_text
        for (name, _col), raw in zip(text_fields, other, strict=True):
            setattr(leaf, name, _text(raw) if name != "department" else _text(raw).replace("\n", "、"))
        try:
            cached = points_cache.get(raw_points) if isinstance(raw_points, str | int | float) else None
            points = cached if cached is not None else parse_points(raw_points)
            if cached is None and isinstance(raw_points, str | int | float):
                points_cache[raw_points] = points
            points = Points(points.value, points.per_item, points.cap)
        except PointsError as error:
            problems.append(Problem(f"{error}。", sheet=sheet_name, row=row_number, column=_column_name(result, "points")))
            points = Points()
            leaf._unreadable = True
        if points.value is None and points.cap is None and title_points is not None:
            points = title_points
        leaf.points, leaf.per_item, leaf.bonus_cap = points.value, points.per_item, points.cap
        if methods_col is not None:
            raw_methods = _text(value(methods_col))
            known = methods_cache.get(raw_methods)
            if known is None:
                known = methods_cache[raw_methods] = normalise_methods(raw_methods)
            leaf.methods, unknown = list(known[0]), known[1]
            for word in unknown:
                problems.append(Problem(
                    f"测评方法“{word}”不在常用方法（{'、'.join(KNOWN_METHODS)}）中，已按原文保留。",
                    sheet=sheet_name, row=row_number, column=_column_name(result, "methods"), severity="warning"))
        if kind_col is not None:
            raw_kind = fold(_text(value(kind_col))).replace(" ", "")
            if raw_kind:
                leaf.explicit_kind = KIND_WORDS.get(raw_kind, "")
                if not leaf.explicit_kind:
                    problems.append(Problem(f"类型“{raw_kind}”无法识别，应为计分、扣分制、加分或一票否决；已按内容判断。",
                                            sheet=sheet_name, row=row_number, column=_column_name(result, "kind"),
                                            severity="warning"))
        if local_col is not None:
            leaf.is_local = fold(_text(value(local_col))).strip().lower() in YES_WORDS
        _attach(current, leaf_pos, leaf, result)
        for deeper in range(leaf_pos + 1, len(current)):
            current[deeper] = None


def _group_node(text: str, row: int, column: str, with_code: bool) -> ParsedNode:
    code, title, points = split_title(text, with_code=with_code)
    node = ParsedNode(title=title, code=code, row=row, column=column)
    node._raw = text
    if points is not None:
        node.points, node.per_item, node.bonus_cap = points.value, points.per_item, points.cap
    return node


def _attach(current: list, pos: int, node: ParsedNode, result: ParseResult) -> None:
    parent = next((current[p] for p in range(pos - 1, -1, -1) if current[p] is not None), None)
    (parent.children if parent is not None else result.roots).append(node)
    current[pos] = node


# ---------------------------------------------------------------------------------------------- checks
def resolve_kinds(nodes: list[ParsedNode], inherited: str = "", top: bool = True) -> None:
    """Bonus and veto sections are recognised by their titles (加分项, 一票否决) or by an explicit 类型;
    lines inherit their section's kind; scored lines written as deductions (扣完为止) are 扣分制."""
    for node in nodes:
        leaves = list(_leaves(node)) if node.children else []
        uniform = {leaf.explicit_kind for leaf in leaves}
        if node.explicit_kind:
            kind = node.explicit_kind
        elif inherited in (Kind.BONUS, Kind.VETO):
            kind = inherited
        elif VETO_RE.search(node.title):
            kind = Kind.VETO
        elif (node.children or top) and BONUS_RE.search(node.title) and not DEDUCTION_RE.search(node.title):
            kind = Kind.BONUS
        elif node.children and len(uniform) == 1 and next(iter(uniform)) in (Kind.BONUS, Kind.VETO):
            kind = next(iter(uniform))
        elif not node.children and DEDUCTION_RE.search(f"{node.scoring} {node.title}"):
            kind = Kind.DEDUCTION
        else:
            kind = Kind.SCORED
        node.kind = kind
        if kind == Kind.BONUS and node.children and node.bonus_cap is None and node.points is not None:
            node.bonus_cap, node.points = node.points, None  # 加分项（5分）: the section's points are its cap
        resolve_kinds(node.children, kind if kind in (Kind.BONUS, Kind.VETO) else "", top=False)


def _leaves(node: ParsedNode):
    for child in node.children:
        if child.children:
            yield from _leaves(child)
        else:
            yield child


def _sibling_lists(nodes: list[ParsedNode]):
    """Every list of leaf siblings (the lines under one indicator)."""
    leaves = [node for node in nodes if not node.children]
    if leaves:
        yield leaves
    for node in nodes:
        if node.children:
            yield from _sibling_lists(node.children)


def _problem(result: ParseResult, node: ParsedNode, message: str, severity: str = "error", column: str = "") -> None:
    result.problems.append(Problem(message, sheet=result.sheet if node.row else "", row=node.row,
                                   column=column or node.column, severity=severity))


def _label(node: ParsedNode) -> str:
    title = node.title if len(node.title) <= 24 else node.title[:23] + "…"
    return f"“{node.code + ' ' if node.code else ''}{title}”"


def check_tree(result: ParseResult) -> None:
    """The checks every import passes: titles, points, sums, duplicate codes, totals."""
    resolve_kinds(result.roots)
    points_column = _column_name(result, "points") if result.columns else ""
    leaf_codes: list[tuple[str, ParsedNode, ParsedNode | None]] = []

    def visit(nodes: list[ParsedNode], parent: ParsedNode | None) -> None:
        seen: dict[str, ParsedNode] = {}
        for node in nodes:
            if not node.title:
                _problem(result, node, "缺少测评内容（标题）。")
            if node.code:
                if node.code in seen:
                    other = seen[node.code]
                    where = f"第{other.row}行" if other.row else "前面"
                    _problem(result, node, f"编号“{node.code}”与{where}重复（同一上级下的编号不能重复）。",
                             column=_column_name(result, "code") or node.column)
                else:
                    seen[node.code] = node
                if not node.children:
                    leaf_codes.append((node.code, node, parent))
            if node.kind == Kind.VETO and node.points is not None:
                _problem(result, node, f"一票否决项不计分，已忽略分值“{fmt(node.points)}”。", "warning",
                         points_column or node.column)
                node.points = None
            if not node.children:
                if node.counts and node.points is None and not getattr(node, "_unreadable", False) and not node.is_local:
                    _problem(result, node, f"{_label(node)}没有分值。计分的测评内容须填写分值。",
                             column=points_column or node.column)
                if node.kind == Kind.BONUS and node.points is None and node.bonus_cap is None:
                    _problem(result, node, f"加分项{_label(node)}没有分值（如“2”或“2/项”）。",
                             column=points_column or node.column)
                continue
            visit(node.children, node)
            counted = [child for child in node.children if child.counts and not child.is_local]
            if node.counts and node.points is not None and counted:
                total = sum((child.effective_points() for child in counted), Decimal(0))
                if total != node.points:
                    difference = node.points - total
                    _problem(result, node, (
                        f"{_label(node)}标注 {fmt(node.points)} 分，下级合计 {fmt(total)} 分，"
                        f"{'少' if difference > 0 else '多'} {fmt(abs(difference))} 分。请核对下级各项分值。"))
            local = [child for child in node.children if child.is_local and child.points is not None]
            own = node.points if node.points is not None else node.effective_points()
            if local and node.counts and own and sum(child.points for child in local) > own:
                _problem(result, node, f"{_label(node)}下本单位细化的分值合计超过了它的 {fmt(own)} 分。")

    visit(result.roots, None)

    # Numbering is either one sequence through the whole sheet (1…35) or restarts under every indicator
    # (1, 2, 3 / 1, 2 …): only in the first case are equal numbers under different indicators a mistake.
    first_codes = Counter(children[0].code for children in _sibling_lists(result.roots) if children[0].code)
    restarts = any(count > 1 for count in first_codes.values())
    if not restarts:
        first: dict[str, tuple[ParsedNode, ParsedNode | None]] = {}
        for code, node, parent in leaf_codes:
            if code not in first:
                first[code] = (node, parent)
            elif first[code][1] is not parent:
                earlier = first[code][0]
                where = f"第{earlier.row}行" if earlier.row else "前面"
                _problem(result, node, f"序号“{code}”与{where}重复。", column=_column_name(result, "code") or node.column)

    total = result.total_points
    if result.declared_total is not None and result.declared_total != total:
        result.problems.append(Problem(
            f"“合计”行写的是 {fmt(result.declared_total)} 分，各项实际合计 {fmt(total)} 分。", sheet=result.sheet))
    elif result.declared_total is None and result.roots and total != 100 and not result.errors:
        result.problems.append(Problem(
            f"计分项合计 {fmt(total)} 分，不是常见的100分，请核对是否漏项。", sheet=result.sheet, severity="warning"))
    result.problems.sort(key=lambda p: (not p.sheet, p.row or 0))
