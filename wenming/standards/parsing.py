"""Reading a standard (测评细则) from an xlsx workbook the way offices actually type them.

No database here: `parse_workbook(data)` returns a `ParseResult` — the tree, the problems (each with sheet, row
and column, in Chinese), and what was recognised — which the preview screen, the API, the command line and the
benchmark all share. The YAML library format is read in `exchange.py` into the same tree and checked by the
same `check_tree`.

Files are opened by `wenming.core.tables` (xlsx, xls, Word tables; the limits against hostile files hold there),
so this module sees a table of cells and its merged ranges whatever the format. `infer_layout` finds the header
(one or two rows), the hierarchy columns, one points column per level, 评分细则 split over several columns, and
says which columns it was unsure of and why (`ParseResult.ambiguities`).

Speed matters (5,000 lines within twice openpyxl's own read): an xlsx is read in openpyxl's read-only
streaming mode and the merged ranges are taken from the sheet's XML, instead of loading every cell as an object.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl.utils import get_column_letter

from wenming.core.tables import Book, Table, UnreadableFile, book_from_json, open_book
from wenming.standards.models import COUNTED_KINDS, KNOWN_METHODS, Kind

MAX_ROWS = 20_000
HEADER_SCAN_ROWS = 15
TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")

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
    "level1_points": ("一级的分值", ()),
    "level2_points": ("二级的分值", ()),
    "level3_points": ("三级的分值", ()),
}
LEVEL_POINTS = {"level1": "level1_points", "level2": "level2_points", "level3": "level3_points"}
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
CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百点半]+"
CAP_RE = re.compile(rf"(?:最高|不超过|上限|最多|封顶|满分)(?:加|为)?\s*(?P<n>{NUM})\s*分?")
PER_ITEM_RE = re.compile(
    rf"^(?:(?P<n>{NUM})\s*分?\s*/\s*(?:项|次|个|篇|条|处|人)|每(?:项|次|个|篇|条|处|人)(?:加|计|得)?\s*(?P<m>{NUM})\s*分)$"
)
PLAIN_RE = re.compile(rf"^(?P<n>{NUM})\s*分?$")
BLANK_POINTS = {"", "-", "—", "——", "/", "无", "不计分", "否决", "一票否决", "不适用", "否决项", "一票否决项"}
# Points written inside a line's text: “（3分）”, “3分/项”, “每项加1分”, “最高加5分” (never a deduction: “扣1分”).
TEXT_POINTS_RE = re.compile(rf"\(\s*(?P<n>{NUM})\s*分\s*\)")
TEXT_PER_ITEM_RE = re.compile(
    rf"(?<![扣减\d.])(?P<n>{NUM})\s*分\s*/\s*(?:项|次|个|篇|条|处|人)|每(?:项|次|个|篇|条|处|人)(?:可)?(?:加|计|得)?\s*(?P<m>{NUM})\s*分"
)
TEXT_CAP_RE = re.compile(rf"(?:最高|最多|上限|不超过|封顶)(?:可)?(?:加|为|得)?\s*(?P<n>{NUM})\s*分")
# The closing note: “总分100分，80分以上为合格”, “满分为100分”, “达标分数线为85分”.
TOTAL_NOTE_RE = re.compile(rf"(?:总分|满分|总分值|合计)\s*(?:为|是|:)?\s*(?P<n>{NUM})\s*分")
PASS_NOTE_RE = re.compile(
    rf"(?P<n>{NUM})\s*分\s*(?:\(含\)|（含）)?\s*(?:以上|及以上|或以上)\s*(?:的)?\s*(?:为|即为|视为|评为|可评为|方可|可)?\s*"
    r"(?:合格|达标|通过|测评合格|文明单位|达到)"
    rf"|(?:合格|达标|及格)\s*(?:线|分数线|标准|分数)\s*(?:为|是|:)?\s*(?P<m>{NUM})\s*分"
)
SECTION_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.]|第[一二三四五六七八九十]+部分|\([一二三四五六七八九十]+\))"
                        r"|加分|否决|扣分项|基本指标|\(\s*\d+(?:\.\d+)?\s*分\s*\)\s*$")
CN_YEAR_RE = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")
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
    """零点五, 五, 十, 十二, 二十, 二十五, 半, 一百, 一百二十 — the numbers people write in words on these sheets."""
    if text == "半":
        return Decimal("0.5")
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        if hundreds not in CN_DIGITS and hundreds != "":
            return None
        tail = chinese_number(rest.lstrip("零〇")) if rest.strip("零〇") else Decimal(0)
        return None if tail is None or tail >= 100 else Decimal((CN_DIGITS.get(hundreds, 1)) * 100) + tail
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
    if value != value.quantize(HUNDREDTH):
        raise PointsError(f"分值“{value.normalize()}”只能精确到0.01分")
    if value >= 10000:
        raise PointsError(f"分值“{value.normalize()}”过大")
    return value.quantize(HUNDREDTH)


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
            parts.append(self.sheet if re.fullmatch(r"表格\d+", self.sheet) else f"工作表“{self.sheet}”")
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
    kind: str = "sheet"  # "sheet" (xlsx, xls) or "table" (a Word table)
    table_index: int | None = None
    tables: list[dict] = field(default_factory=list)  # every sheet or table: index, label, lines, usable
    header_rows: int = 1
    more_scoring: list[int] = field(default_factory=list)  # 评分细则 continued in further columns
    notes: list[str] = field(default_factory=list)  # the closing notes under the table
    ambiguities: list[str] = field(default_factory=list)  # columns the guess was unsure of, and why

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
            where = self.sheet if self.kind == "table" else f"工作表“{self.sheet}”"
            lines.append(f"{where}，表头在第{self.header_row}行" + ("（两行表头）" if self.header_rows == 2 else ""))
        if self.meta.get("year"):
            lines.append(f"年度：{self.meta['year']}")
        level_names = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
        for level in summary["levels"]:
            name = level_names.get(level["depth"], f"第{level['depth']}级")
            lines.append(f"{name}：{level['count']} 项，计分合计 {fmt(level['points'])} 分")
        lines.append(f"总分：{fmt(summary['total_points'])} 分")
        lines.append(f"加分项：{summary['bonus_lines']} 条" + (f"（最高加 {fmt(summary['bonus_cap'])} 分）"
                                                         if summary["bonus_cap"] else ""))
        lines.append(f"一票否决项：{summary['veto_lines']} 条")
        lines.append("达标分数：" + (f"{fmt(self.meta['pass_score'])} 分" if self.meta.get("pass_score") is not None
                                  else "未写明"))
        if summary["local_lines"]:
            lines.append(f"本单位细化：{summary['local_lines']} 条")
        lines.append(f"问题：错误 {summary['errors']} 处，提醒 {summary['warnings']} 处")
        return lines


def fmt(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = Decimal(value).quantize(HUNDREDTH)
    if value == value.to_integral():
        return str(value.quantize(Decimal(1)))
    return str(value.quantize(TENTH)) if value == value.quantize(TENTH) else str(value)


def points_in_text(text: str) -> Points | None:
    """Points written inside a line's text, when its points cell is empty: “（3分）”, “每项加1分”, “3分/项”."""
    if not text or "分" not in text:
        return None
    folded = fold(text).replace(" ", "")
    points = Points()
    cap = TEXT_CAP_RE.search(folded)
    if cap:
        points.cap = to_number(cap.group("n"))
    per_item = TEXT_PER_ITEM_RE.search(folded)
    if per_item:
        points.value, points.per_item = to_number(per_item.group("n") or per_item.group("m")), True
    else:
        found = [m for m in TEXT_POINTS_RE.finditer(folded) if not TEXT_CAP_RE.search(m.group(0))]
        if found:
            points.value = to_number(found[-1].group("n"))
    try:
        points.value, points.cap = _checked(points.value), _checked(points.cap)
    except PointsError:
        return None
    return points if points.value is not None or points.cap is not None else None


def year_in(text: str) -> int | None:
    """2021 from “2021年度” or “二〇二一年度”."""
    folded = fold(text)
    match = re.search(r"(20\d{2}|19\d{2})\s*年", folded)
    if match:
        return int(match.group(1))
    match = CN_YEAR_RE.search(text)
    if match:
        digits = "".join(str(CN_DIGITS[char]) for char in match.group(1))
        if digits.startswith(("19", "20")):
            return int(digits)
    return None


def note_figures(texts: list[str]) -> tuple[Decimal | None, Decimal | None]:
    """(total, pass line) from closing notes such as “总分100分，80分以上为合格”."""
    total = passing = None
    for text in texts:
        folded = fold(text).replace(" ", "")
        if total is None:
            match = TOTAL_NOTE_RE.search(folded)
            if match:
                total = to_number(match.group("n"))
        if passing is None:
            match = PASS_NOTE_RE.search(folded)
            if match:
                passing = to_number(match.group("n") or match.group("m"))
    return total, passing


# ---------------------------------------------------------------------------------------------- reading
def sniff(data: bytes, filename: str = "") -> str:
    """'table' (xlsx, xls or docx: opened by wenming.core.tables) or 'yaml'; else UnreadableFile. By content."""
    if not data:
        raise UnreadableFile("上传的文件是空的。")
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "table"
    head = data[:2000]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and (filename.lower().endswith((".yaml", ".yml")) or re.search(r"^format:\s*wenming-standard", text, re.M)):
        return "yaml"
    raise UnreadableFile("无法读取该文件：请上传 Excel（.xlsx / .xls）、Word（.docx，测评细则在表格中）或本系统导出的 .yaml 文件。")


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


def header_fields(value) -> list[str]:
    """The fields a header cell may name, most likely first."""
    if not isinstance(value, str):
        return []
    key = header_key(value)
    if not key or len(key) > 14:
        return []
    return EXACT_HEADERS.get(key) or [name for word, name in HEADER_KEYWORDS if word in key][:1]


def recognise_header(row) -> dict[str, int]:
    """field -> column index for the cells of one row that read as column headers (the first of each)."""
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        for name in header_fields(value):
            if name not in found:
                found[name] = index
                break
    return found


def header_is_usable(found: dict[str, int]) -> bool:
    return any(name in found for name in HIERARCHY) and ("points" in found or len(found) >= 3)


@dataclass
class Layout:
    """What the header says: where it is, which column holds what, and what was guessed."""

    header_index: int  # 0-based index of the header's last row
    header_rows: int
    columns: dict[str, int]
    headers: list[str]
    more_scoring: list[int] = field(default_factory=list)
    ambiguities: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len(self.columns) + len(self.more_scoring)


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


def _assign(texts: list[str]) -> Layout | None:
    """Columns from header texts: one points column per level (分值 right of its level), 评分细则 over several."""
    found: dict[str, int] = {}
    points_cols: list[int] = []
    more_scoring: list[int] = []
    for index, text in enumerate(texts):
        candidates = header_fields(text)
        if not candidates:
            continue
        if candidates[0] == "points":
            points_cols.append(index)
            continue
        for name in candidates:
            if name == "scoring" and "scoring" in found and index == (more_scoring or [found["scoring"]])[-1] + 1:
                more_scoring.append(index)
                break
            if name not in found:
                found[name] = index
                break
    layout = Layout(header_index=0, header_rows=1, columns=found, headers=texts, more_scoring=more_scoring)
    hierarchy = sorted((found[name], name) for name in HIERARCHY if name in found)
    if not hierarchy:
        return None
    if len(points_cols) == 1:
        found["points"] = points_cols[0]
        owner = [name for col, name in hierarchy if col < points_cols[0]]
        if owner and owner[-1] != hierarchy[-1][1] and owner[-1] in LEVEL_POINTS:
            # a single points column right of a higher level: that level's points, the lines' come from their text
            del found["points"]
            found[LEVEL_POINTS[owner[-1]]] = points_cols[0]
            layout.ambiguities.append(
                f"{_letter(points_cols[0])}列“{texts[points_cols[0]]}”紧挨在{FIELDS[owner[-1]][0]}的右边，已当作该级的分值；"
                f"{FIELDS[hierarchy[-1][1]][0]}没有自己的分值列，其分值从文字中识别（如“（2分）”“每项1分”）。")
    elif len(points_cols) > 1:
        owner_of = {}
        for col in points_cols:
            left = [name for hcol, name in hierarchy if hcol < col]
            owner_of[col] = left[-1] if left else None
        deepest = hierarchy[-1][1]
        found["points"] = max(points_cols)
        per_owner = Counter(owner_of.values())
        if owner_of[found["points"]] != deepest:
            layout.ambiguities.append(
                f"最右边的分值列 {_letter(found['points'])} 不在{FIELDS[deepest][0]}的右边，已当作测评内容的分值。")
        for col in points_cols:
            owner = owner_of[col]
            if col == found["points"]:
                continue
            if owner in LEVEL_POINTS and owner != deepest and per_owner[owner] == 1 and LEVEL_POINTS[owner] not in found:
                found[LEVEL_POINTS[owner]] = col
            else:
                layout.ambiguities.append(
                    f"{'、'.join(_letter(c) + '列' for c in points_cols)}都像“分值”，无法判断{_letter(col)}列属于哪一级，"
                    f"已按{_letter(found['points'])}列为测评内容的分值，{_letter(col)}列未读取。如不对，请在下方手动指定。")
    if not header_is_usable(found):
        return None
    return layout


def _filled(row, merges_in_row: list[tuple[int, int]]) -> list[str]:
    """A header row as texts, with a cell merged across columns spread over them."""
    texts = [_text(value) for value in row]
    for first, last in merges_in_row:
        if first >= len(texts):
            continue
        for col in range(first + 1, min(last, len(texts) - 1) + 1):
            if not texts[col]:
                texts[col] = texts[first]
    return texts


def infer_layout(head: list[tuple], merges) -> Layout | None:
    """The best header in the first rows: one row, or two (a merged group over sub-headers)."""
    horizontal: dict[int, list[tuple[int, int]]] = {}
    for min_col, min_row, max_col, _max_row in merges:
        if max_col > min_col and min_row <= len(head):
            horizontal.setdefault(min_row - 1, []).append((min_col - 1, max_col - 1))
    merged_from = {min_row - 1 for _c, min_row, _mc, max_row in merges if max_row > min_row}
    uppers = [_filled(row, horizontal.get(index, [])) for index, row in enumerate(head)]
    singles = [_assign(texts) if any(texts) else None for texts in uppers]
    best: Layout | None = None
    for index, single in enumerate(singles):
        if single is not None:
            single.header_index = index
            if best is None or single.score > best.score:
                best = single
    for index in range(len(head) - 1):
        upper, lower = uppers[index], [_text(value) for value in head[index + 1]]
        if not any(upper) or not any(lower):
            continue
        width = max(len(upper), len(lower))
        combined = []
        for col in range(width):
            top = upper[col] if col < len(upper) else ""
            bottom = lower[col] if col < len(lower) else ""
            if bottom and top and top != bottom:
                top_fields, bottom_fields = header_fields(top), header_fields(bottom)
                if top_fields[:1] == ["points"] or not bottom_fields:
                    combined.append(top if top_fields else bottom)
                else:
                    combined.append(bottom)
            else:
                combined.append(bottom or top)
        double = _assign(combined)
        if double is None:
            continue
        rivals = [layout.score for layout in (singles[index], singles[index + 1]) if layout is not None]
        # headers merged down over the next row say it is a sub-header row: a tie goes to the two rows
        merged_down = index in merged_from
        beats = double.score >= max(rivals, default=0) if merged_down else double.score > max(rivals, default=0)
        if beats and (best is None or double.score >= best.score):
            double.header_index, double.header_rows = index + 1, 2
            best = double
    return best


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


def parse_file(data: bytes, filename: str = "", *, mapping: dict | None = None) -> ParseResult:
    """Any supported file (xlsx, xls, a Word table or the YAML library format) -> ParseResult."""
    try:
        kind = sniff(data, filename)
    except UnreadableFile as error:
        return ParseResult(problems=[Problem(str(error))], source=filename)
    if kind == "yaml":
        from wenming.standards.exchange import parse_yaml

        return parse_yaml(data, filename)
    try:
        book = open_book(data, filename)
    except UnreadableFile as error:
        return ParseResult(problems=[Problem(str(error))], source=filename)
    with book:
        return parse_book(book, filename, mapping=mapping)


def parse_workbook(data: bytes, filename: str = "", *, mapping: dict | None = None) -> ParseResult:
    return parse_file(data, filename, mapping=mapping)


def parse_stored(tables: dict, filename: str = "", *, mapping: dict | None = None) -> ParseResult:
    """The tables an import draft keeps (see `wenming.core.tables.book_to_json`) -> ParseResult."""
    if tables.get("format") == "yaml":
        from wenming.standards.exchange import parse_yaml

        return parse_yaml(tables.get("yaml", "").encode("utf-8"), filename)
    return parse_book(book_from_json(tables), filename, mapping=mapping)


def parse_book(book: Book, filename: str = "", *, mapping: dict | None = None) -> ParseResult:
    result = ParseResult(source=filename)
    try:
        _parse(book, result, mapping)
    except UnreadableFile as error:
        result.roots = []
        result.problems.append(Problem(str(error)))
    return result


def _grid(rows) -> list[list[str]]:
    width = max((len(row) for row in rows), default=0)
    return [[_text(row[i]) if i < len(row) else "" for i in range(width)] for row in rows]


def _table_entry(table: Table, layout: Layout | None) -> dict:
    return {"index": table.index, "label": table.label, "name": table.name, "kind": table.kind,
            "usable": layout is not None, "preview": table.preview(2), "score": layout.score if layout else 0}


def _pick(book: Book, result: ParseResult, mapping: dict | None):
    """(table, head, layout) for the table named by the mapping, or the one that looks most like a standard."""
    tables = [table for table in book.tables]
    wanted = None
    if mapping and mapping.get("table") not in (None, ""):
        wanted = next((t for t in tables if str(t.index) == str(mapping["table"])), None)
        if wanted is None:
            result.problems.append(Problem(f"找不到第{mapping['table']}个表格。"))
            return None
    elif mapping and mapping.get("sheet"):
        wanted = next((t for t in tables if t.name == mapping["sheet"]), None)
        if wanted is None:
            result.problems.append(Problem(f"找不到工作表“{mapping.get('sheet')}”。"))
            return None
    if wanted is None and mapping and mapping.get("columns") and tables:
        wanted = tables[0]  # columns given without a table: the first (the command line's --map alone)
    candidates = []
    busiest = None
    for table in tables:
        head = table.head(HEADER_SCAN_ROWS)
        layout = infer_layout(head, table.merges)
        result.tables.append(_table_entry(table, layout))
        filled = sum(1 for row in head for value in row if value not in (None, ""))
        if busiest is None or filled > busiest[1]:
            busiest = (table, filled, head)
        if wanted is not None:
            if table is wanted:
                candidates = [(table, head, layout)]
            continue
        if layout is not None:
            candidates.append((table, head, layout))
    if wanted is None and not candidates:
        if busiest is not None:
            result.sheet, result.kind, result.table_index = busiest[0].name, busiest[0].kind, busiest[0].index
            result.grid = _grid(busiest[2][:10])
        what = "表格" if book.format == "docx" else "工作表"
        result.problems.append(Problem(
            f"找不到表头：没有哪个{what}的前15行里同时有“测评项目/测评指标/测评内容”之类的列和“分值”列。"
            "请在下方“手动指定各列”中选择每一列的含义后重新识别。"))
        return None
    if wanted is None and len(candidates) > 1:
        candidates.sort(key=lambda c: (-c[2].score, c[0].index))
        first = candidates[0][0]
        for other, _head, _layout in candidates[1:]:
            result.problems.append(Problem(
                f"{other.label}也像测评细则，本次只导入{first.label}。如需导入它，请在上方选择。",
                sheet=other.name, severity="warning"))
    return candidates[0]


def _parse(book: Book, result: ParseResult, mapping: dict | None) -> None:
    result.sheets = [table.name for table in book.tables]
    picked = _pick(book, result, mapping)
    if picked is None:
        return
    table, head, layout = picked
    result.sheet, result.kind, result.table_index = table.name, table.kind, table.index
    if mapping and mapping.get("columns"):
        header_row = max(1, min(HEADER_SCAN_ROWS, int(mapping.get("header_row") or 1)))
        columns: dict[str, int] = {}
        more_scoring: list[int] = []
        for index, name in sorted(((int(i), n) for i, n in mapping["columns"].items() if n in FIELDS)):
            if name == "scoring" and "scoring" in columns:
                more_scoring.append(index)
            elif name not in columns:
                columns[name] = index
        header_cells = head[header_row - 1] if header_row - 1 < len(head) else ()
        layout = Layout(header_index=header_row - 1, header_rows=1, columns=columns,
                        headers=[_text(v) for v in header_cells], more_scoring=more_scoring)
    elif layout is None:
        result.grid = _grid(head[:10])
        result.problems.append(Problem(
            f"{table.label}中找不到表头：前15行里没有“测评项目/测评指标/测评内容”之类的列和“分值”列。"
            "请在下方“手动指定各列”中选择每一列的含义后重新识别。"))
        return
    header_index = layout.header_index
    result.header_row = header_index + 1
    result.header_rows = layout.header_rows
    result.headers = layout.headers
    result.columns = dict(sorted(layout.columns.items(), key=lambda item: item[1]))
    result.more_scoring = layout.more_scoring
    result.ambiguities = list(layout.ambiguities)
    result.grid = _grid(head[: min(len(head), header_index + 6)])
    result.grid_first_row = 1
    above = [_text(value) for row in head[: header_index + 1 - layout.header_rows] for value in row
             if value not in (None, "")]
    result.title = _title(above, table.before)
    result.meta = meta_from_title(result.title)
    if not any(name in result.columns for name in HIERARCHY):
        result.problems.append(Problem("没有指定测评内容所在的列：请至少为一列选择“测评项目”“测评指标”或“测评内容”。"))
        return
    _read_rows(table, header_index, result.columns, result)
    notes = result.notes + list(table.after) + [result.title]
    total, passing = note_figures(notes)
    if passing is not None:
        result.meta["pass_score"] = passing
    if total is not None and result.declared_total is None and total == total.to_integral() and total >= 10:
        result.declared_total = total
    if result.roots:
        check_tree(result)
        _explain_missing_points(result)
    elif not result.errors:
        result.problems.append(Problem("表头下面没有读到任何测评内容。", sheet=table.name, row=result.header_row))


def _title(above: list[str], before: list[str]) -> str:
    """The title: the first text above the header, or the Word paragraph above the table that names it."""
    if above:
        return above[0]
    for text in reversed(before):
        if re.search(r"测评|细则|体系|标准|考核|评价|办法", text) and not re.fullmatch(r"附件\s*\d*[:：]?", text):
            return text[:200]
    return next((text for text in reversed(before) if not re.fullmatch(r"附件\s*\d*[:：]?", text)), "")[:200]


def meta_from_title(title: str) -> dict:
    """Name, year and level guessed from a title row such as “某某市二〇二一年度文明单位测评细则”."""
    meta: dict = {"name": title.strip()[:200]} if title else {}
    year = year_in(title)
    if year:
        meta["year"] = year
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


def _explain_missing_points(result: ParseResult) -> None:
    """Many lines without points means the points column was not found, not that each line is wrong: one
    message saying which columns were unsure, instead of an error on every row."""
    missing = [p for p in result.problems if p.is_error and p.message.endswith("没有分值。计分的测评内容须填写分值。")]
    leaves = sum(1 for node, _depth in result.walk() if not node.children and node.counts)
    if len(missing) < 3 or len(missing) * 2 < leaves:
        return
    # the sums of the groups above those lines cannot add up either: one message says it all
    result.problems = [p for p in result.problems if p not in missing and "下级合计" not in p.message
                       and "各项实际合计" not in p.message]
    if "points" in result.columns:
        where = f"分值列是{_column_name(result, 'points')}，但"
    else:
        where = "没有找到测评内容的分值列，"
    numeric = _numeric_columns(result)
    hint = f"{'、'.join(numeric)}多为数字，可能才是分值列。" if numeric else ""
    message = (f"{where}{len(missing)} 条测评内容（共 {leaves} 条）读不到分值（第{missing[0].row}行起）。{hint}"
               "请在下方“手动指定各列”中核对哪一列是分值，或在文字中写明如“（2分）”。")
    result.ambiguities.append(message)
    result.problems.insert(0, Problem(message, sheet=result.sheet))


def _numeric_columns(result: ParseResult) -> list[str]:
    found = []
    assigned = set(result.columns.values())
    for col in range(max((len(row) for row in result.grid), default=0)):
        if col in assigned:
            continue
        values = [row[col] for row in result.grid[result.header_row:] if col < len(row) and row[col]]
        if values and sum(1 for v in values if PLAIN_RE.match(fold(v).replace(" ", ""))) * 2 > len(values):
            found.append(f"{get_column_letter(col + 1)}列")
    return found


def _read_rows(table: Table, header_index: int, columns: dict[str, int], result: ParseResult) -> None:
    sheet_name = table.name
    hierarchy = sorted((columns[name], name) for name in HIERARCHY if name in columns)
    hier_cols = [col for col, _name in hierarchy]
    last_pos = len(hier_cols) - 1
    col_label = {col: _column_name(result, name) for col, name in hierarchy}
    col_of = columns.get
    points_col, code_col = col_of("points"), col_of("code")
    level_points = {pos: columns[LEVEL_POINTS[name]] for pos, (_col, name) in enumerate(hierarchy)
                    if LEVEL_POINTS.get(name) in columns}
    text_fields = [(name, columns[name]) for name in ("scoring", "content", "materials", "department") if name in columns]
    more_scoring = list(result.more_scoring) if "scoring" in columns else []
    methods_col, kind_col, local_col = col_of("methods"), col_of("kind"), col_of("is_local")
    fill_cols = {columns[name] for name in ("methods", "materials", "department", "scoring", "kind") if name in columns}
    fill_cols |= set(level_points.values())

    # Merged ranges: vertical continuations point at their origin; horizontal ones read as blank.
    vertical: dict[tuple[int, int], tuple[int, int]] = {}
    horizontal: set[tuple[int, int]] = set()
    tracked = set(hier_cols) | fill_cols
    for min_col, min_row, max_col, max_row in table.merges:
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
    in_notes = False
    count = 0
    problems = result.problems
    for row_number, row in enumerate(table.iter_rows(min_row=header_index + 2), start=header_index + 2):
        if not row:
            continue
        width = len(row)
        if in_notes:
            texts = [_text(v) for v in row if v not in (None, "")]
            if texts and len(result.notes) < 30:
                result.notes.append(" ".join(texts))
            continue
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

        points_source = level_points.get(leaf_pos, points_col) if leaf_pos is not None and leaf_pos != last_pos \
            else points_col
        raw_points = value(points_source)
        other = [value(col) for _name, col in text_fields]
        has_other = raw_points not in (None, "") or any(v not in (None, "") for v in other) or (
            methods_col is not None and value(methods_col) not in (None, ""))
        filled = [v for v in row if v is not None and v != ""]
        first_value = filled[0] if filled else None
        first_text = _text(first_value) if isinstance(first_value, str) else ""
        if first_value is None and leaf_pos is None:
            continue  # blank row
        if started and first_text and (raw_points in (None, "")) and (
                NOTE_RE.match(first_text) or (len(filled) == 1 and (PASS_NOTE_RE.search(fold(first_text))
                                                                    or TOTAL_NOTE_RE.match(fold(first_text))))):
            in_notes = True  # notes under the table: kept for the total and the pass line
            result.notes.append(" ".join(_text(v) for v in filled))
            continue
        if leaf_pos is not None and len(states[leaf_pos][1]) <= 8 \
                and fold(states[leaf_pos][1]).replace(" ", "") in TOTAL_WORDS:
            try:
                result.declared_total = parse_points(raw_points if raw_points not in (None, "")
                                                     else value(points_col)).value
            except PointsError:
                pass
            continue
        if leaf_pos is not None and sum(text in header_raw for _s, text in states if text) >= 2:
            continue  # the header repeated (a second page)
        if leaf_pos is None and len(filled) == 1 and first_text and raw_points in (None, "") \
                and SECTION_RE.search(fold(first_text)) and fold(first_text).replace(" ", "") not in TOTAL_WORDS:
            # a section row: one text across the table (“一、组织领导（20分）”, “二、加分项”) groups the rows below
            section = _group_node(first_text, row_number, col_label[hier_cols[0]], True)
            result.roots.append(section)
            result._section = section
            current = [None] * len(hier_cols)
            started = True
            continue
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
                    if pos in level_points:
                        _level_points(node, value(level_points[pos]), result, row_number, pos, hierarchy)
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
        if more_scoring:
            extra = [_text(value(col)) for col in more_scoring]
            leaf.scoring = "；".join(part for part in [leaf.scoring, *extra] if part)
        try:
            cached = points_cache.get(raw_points) if isinstance(raw_points, str | int | float) else None
            points = cached if cached is not None else parse_points(raw_points)
            if cached is None and isinstance(raw_points, str | int | float):
                points_cache[raw_points] = points
            points = Points(points.value, points.per_item, points.cap)
        except PointsError as error:
            column = _column_name(result, "points") if points_source == points_col else col_label[hier_cols[leaf_pos]]
            problems.append(Problem(f"{error}。", sheet=sheet_name, row=row_number, column=column))
            points = Points()
            leaf._unreadable = True
        if points.value is None and points.cap is None and title_points is not None:
            points = title_points
        if points.value is None and points.cap is None and not getattr(leaf, "_unreadable", False):
            points = points_in_text(title) or points_in_text(leaf.scoring) or points
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


def _level_points(node: ParsedNode, raw, result: ParseResult, row: int, pos: int, hierarchy) -> None:
    """A group's points from its level's own points column (the column wins over “（10分）” in the title)."""
    if raw in (None, ""):
        return
    try:
        points = parse_points(raw)
    except PointsError as error:
        name = LEVEL_POINTS[hierarchy[pos][1]]
        result.problems.append(Problem(f"{error}。", sheet=result.sheet, row=row, column=_column_name(result, name)))
        return
    if points.value is not None or points.cap is not None:
        node.points, node.per_item = points.value, points.per_item
        node.bonus_cap = points.cap if points.cap is not None else node.bonus_cap


def _group_node(text: str, row: int, column: str, with_code: bool) -> ParsedNode:
    code, title, points = split_title(text, with_code=with_code)
    if points is None and "分" in title:  # “加分项：最高加5分”, written without brackets
        cap = TEXT_CAP_RE.search(fold(title))
        if cap and (number := to_number(cap.group("n"))) is not None:
            points = Points(cap=number.quantize(HUNDREDTH))
            title = title[: cap.start()].rstrip(" ,，:：;；(（") or title
    node = ParsedNode(title=title, code=code, row=row, column=column)
    node._raw = text
    if points is not None:
        node.points, node.per_item, node.bonus_cap = points.value, points.per_item, points.cap
    return node


def _attach(current: list, pos: int, node: ParsedNode, result: ParseResult) -> None:
    parent = next((current[p] for p in range(pos - 1, -1, -1) if current[p] is not None), None)
    if parent is None:
        parent = getattr(result, "_section", None)
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
