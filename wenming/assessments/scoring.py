"""The arithmetic of a 测评表, pure: dataclasses in, dataclasses out, no database.

A standard's leaves are the scored lines; its top-level nodes are the categories (测评项目). Kinds (DOMAIN.md):

- 计分 (scored): the score typed, or a grade A/B/C/D worth a configurable percentage of the line's points;
- 扣分制 (deduction): worth its points, lost item by item ("每缺一项扣0.5分，扣完为止"), never below zero;
- 加分 (bonus): outside the base total, capped per line, per bonus section and overall;
- 一票否决 (veto): no points; one triggered veto line fails the whole assessment whatever the total.

Lines marked 不适用 (not applicable) leave the base total; when the assessment allows it, the earned points are
rescaled to the full total (earned × full ÷ applicable), so a unit is neither punished nor rewarded for them.
Everything is kept to the standard's step (Decimal, half up): 0.1 point, or 0.01 when the standard itself counts in
hundredths ("少一次扣1.25分" — `step_of_nodes`); never finer. The UI, the API and the exports all call `compute`.
"""

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SCORED, DEDUCTION, BONUS, VETO = "scored", "deduction", "bonus", "veto"
COUNTED = frozenset({SCORED, DEDUCTION})
TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")  # the finest step a standard may count in
ZERO = Decimal("0.0")
HUNDRED = Decimal(100)


def tenth(value) -> Decimal:
    """A number to 0.1 point, half up (4.25 → 4.3)."""
    return Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)


def to_step(value, step: Decimal = TENTH) -> Decimal:
    """A number to the sheet's step, half up (step 0.1: 4.25 → 4.3; step 0.01: 4.25 → 4.25)."""
    return Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)


def plain(value) -> str | None:
    """A stored score as people write it: 3.50 → "3.5", 3.75 → "3.75", 8.00 → "8.0" (None stays None)."""
    if value is None:
        return None
    value = Decimal(str(value))
    return f"{value.quantize(TENTH) if value == value.quantize(TENTH) else value.normalize():f}"


def step_of(amounts: Iterable) -> Decimal:
    """The step a standard counts in: 0.01 when any of its amounts has hundredths (1.25), else 0.1 — never finer
    than 0.01 (an amount like 0.125 still counts in hundredths) and never coarser than 0.1."""
    step = TENTH
    for amount in amounts:
        if amount in (None, ""):
            continue
        try:
            value = Decimal(str(amount))
        except ArithmeticError:
            continue
        if value.is_finite() and value != value.quantize(TENTH):
            return HUNDREDTH
    return step


def _clamp(value: Decimal, low: Decimal, high: Decimal | None) -> Decimal:
    value = max(low, value)
    return min(value, high) if high is not None else value


# ------------------------------------------------------------------------------------------------ inputs
@dataclass(frozen=True)
class GradeScale:
    """Grades and the percentage of the line's points each is worth (A = 100 %, B = 66 %, C = 33 %, D = 0)."""

    percents: tuple[tuple[str, Decimal], ...] = (("A", Decimal(100)), ("B", Decimal(66)), ("C", Decimal(33)),
                                                 ("D", Decimal(0)))

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object] | None) -> "GradeScale":
        if not mapping:
            return cls()
        pairs = []
        for grade, percent in mapping.items():
            value = Decimal(str(percent))
            if value < 0 or value > HUNDRED:
                raise ValueError(f"等次 {grade} 的比例应在 0 到 100 之间")
            pairs.append((str(grade).upper(), value))
        return cls(tuple(sorted(pairs)))

    @property
    def grades(self) -> tuple[str, ...]:
        return tuple(grade for grade, _percent in self.percents)

    def points_for(self, grade: str, points: Decimal, step: Decimal = TENTH) -> Decimal | None:
        for known, percent in self.percents:
            if known == grade.upper():
                return to_step(points * percent / HUNDRED, step)
        return None


@dataclass(frozen=True)
class Line:
    """A scored line of the standard. `points` is the line's worth (per item when `per_item`); `cap` limits a
    bonus line; `deduct_each` is what each missing item costs on a deduction line."""

    key: Hashable
    category: Hashable
    kind: str = SCORED
    points: Decimal | None = None
    per_item: bool = False
    cap: Decimal | None = None
    deduct_each: Decimal | None = None

    def limit(self, *, section_cap: Decimal | None = None, sheet_cap: Decimal | None = None,
              step: Decimal = TENTH) -> Decimal:
        """The most the line can earn: its points for counted lines, 0 for veto lines; for a bonus line its own
        cap, else its points (one item), or for a per-item line without a cap its section's (or the sheet's) cap."""
        if self.kind in COUNTED:
            return to_step(self.points or 0, step)
        if self.kind == BONUS:
            if self.cap is not None:
                return to_step(self.cap, step)
            if self.per_item:
                for cap in (section_cap, sheet_cap):
                    if cap is not None:
                        return to_step(cap, step)
            return to_step(self.points or 0, step)
        return ZERO


@dataclass(frozen=True)
class Category:
    """A top-level node (测评项目). `bonus_cap` limits what a bonus section adds."""

    key: Hashable
    title: str = ""
    code: str = ""
    bonus_cap: Decimal | None = None


@dataclass(frozen=True)
class Entry:
    """What a person entered on a line. `count`: missing items on a deduction line, items earned on a per-item
    bonus line."""

    points: Decimal | None = None
    grade: str = ""
    count: int | None = None
    triggered: bool = False
    not_applicable: bool = False


@dataclass(frozen=True)
class Sheet:
    lines: tuple[Line, ...]
    categories: tuple[Category, ...] = ()
    pass_score: Decimal | None = None
    scale: GradeScale = field(default_factory=GradeScale)
    allow_not_applicable: bool = True
    bonus_cap: Decimal | None = None  # the most all bonus lines together may add
    step: Decimal = TENTH  # what scores and totals are kept to (`step_of_nodes`)


# ------------------------------------------------------------------------------------------------ outputs
@dataclass(frozen=True)
class LineResult:
    key: Hashable
    kind: str
    maximum: Decimal
    earned: Decimal | None  # None: not scored yet
    not_applicable: bool = False
    vetoed: bool = False
    clamped: bool = False  # the entry was outside 0..maximum and was brought back

    @property
    def scored(self) -> bool:
        return self.earned is not None or self.not_applicable


@dataclass(frozen=True)
class CategoryResult:
    key: Hashable
    title: str
    code: str
    maximum: Decimal  # applicable maximum (bonus: the cap)
    full_maximum: Decimal
    earned: Decimal
    lines: int
    scored: int
    is_bonus: bool = False
    is_veto: bool = False
    vetoed: bool = False


@dataclass(frozen=True)
class Result:
    lines: Mapping[Hashable, LineResult]
    categories: tuple[CategoryResult, ...]
    full_maximum: Decimal  # the base total of the standard (100)
    applicable_maximum: Decimal  # without lines marked not applicable
    earned: Decimal  # on the applicable lines, before rescaling
    base: Decimal  # earned, rescaled to the full total when lines are not applicable
    bonus: Decimal
    bonus_maximum: Decimal
    total: Decimal
    vetoed: bool
    veto_keys: tuple[Hashable, ...]
    pass_score: Decimal | None
    scored: int
    to_score: int
    rescaled: bool

    @property
    def maximum(self) -> Decimal:
        return self.full_maximum + self.bonus_maximum

    @property
    def passed(self) -> bool | None:
        """Pass/fail against the pass score; a veto fails whatever the total; None without a pass score."""
        if self.vetoed:
            return False
        if self.pass_score is None:
            return None
        return self.total >= self.pass_score

    @property
    def complete(self) -> bool:
        return self.scored >= self.to_score


# ------------------------------------------------------------------------------------------------ rules
def line_score(line: Line, entry: Entry | None, *, scale: GradeScale, allow_not_applicable: bool,
               limit: Decimal | None = None, step: Decimal = TENTH) -> LineResult:
    """One line's result. `limit` is the line's maximum (see `Line.limit`); bonus caps of sections and of the sheet
    as a whole are applied by `compute`."""
    entry = entry or Entry()
    maximum = line.limit(step=step) if limit is None else limit
    if line.kind == VETO:
        return LineResult(line.key, line.kind, ZERO, None, vetoed=bool(entry.triggered))
    if entry.not_applicable and allow_not_applicable and line.kind in COUNTED:
        return LineResult(line.key, line.kind, maximum, None, not_applicable=True)
    raw: Decimal | None = None
    if line.kind == DEDUCTION and entry.count is not None and line.deduct_each is not None:
        raw = maximum - to_step(line.deduct_each, step) * max(entry.count, 0)
    elif line.kind == BONUS and line.per_item and entry.count is not None and entry.points is None:
        raw = to_step(line.points or 0, step) * max(entry.count, 0)
    elif entry.points is not None:
        raw = Decimal(str(entry.points))
    elif entry.grade and line.kind != BONUS:
        raw = scale.points_for(entry.grade, maximum, step)
    if raw is None:
        return LineResult(line.key, line.kind, maximum, None)
    earned = to_step(_clamp(raw, ZERO, maximum), step)
    return LineResult(line.key, line.kind, maximum, earned, clamped=earned != to_step(raw, step))


def compute(sheet: Sheet, entries: Mapping[Hashable, Entry]) -> Result:
    """Every line, each category's subtotal, the rescaled base, the capped bonus, the total and pass/fail."""
    categories = {category.key: category for category in sheet.categories}
    results: dict[Hashable, LineResult] = {}
    for line in sheet.lines:
        section = categories.get(line.category)
        limit = line.limit(section_cap=section.bonus_cap if section else None, sheet_cap=sheet.bonus_cap,
                           step=sheet.step)
        results[line.key] = line_score(line, entries.get(line.key), scale=sheet.scale,
                                       allow_not_applicable=sheet.allow_not_applicable, limit=limit, step=sheet.step)
    order: list[Hashable] = [category.key for category in sheet.categories]
    by_category: dict[Hashable, list[Line]] = {}
    for line in sheet.lines:
        if line.category not in by_category:
            by_category[line.category] = []
            if line.category not in categories:
                order.append(line.category)
        by_category[line.category].append(line)

    zero = to_step(0, sheet.step)  # sums start at the sheet's step, so totals read 0.00 / 10.00 alike
    category_results = []
    full_maximum = applicable_maximum = earned = bonus = bonus_maximum = zero
    veto_keys = []
    scored = to_score = 0
    for key in order:
        lines = by_category.get(key, [])
        category = categories.get(key, Category(key))
        counted = [line for line in lines if line.kind in COUNTED]
        bonuses = [line for line in lines if line.kind == BONUS]
        vetoes = [line for line in lines if line.kind == VETO]
        c_full = sum((results[line.key].maximum for line in counted), zero)
        c_applicable = sum((results[line.key].maximum for line in counted if not results[line.key].not_applicable),
                           zero)
        c_earned = sum((results[line.key].earned or ZERO for line in counted), zero)
        c_bonus_raw = sum((results[line.key].earned or ZERO for line in bonuses), zero)
        c_bonus_max = sum((results[line.key].maximum for line in bonuses), zero)
        c_bonus = c_bonus_raw
        if category.bonus_cap is not None:
            c_bonus_max = min(c_bonus_max, to_step(category.bonus_cap, sheet.step))
            c_bonus = min(c_bonus_raw, to_step(category.bonus_cap, sheet.step))
        c_vetoed = [line.key for line in vetoes if results[line.key].vetoed]
        veto_keys.extend(c_vetoed)
        c_scored = sum(1 for line in counted + bonuses if results[line.key].earned is not None
                       or results[line.key].not_applicable)
        c_scored_total = len(counted) + len(bonuses)
        is_bonus = bool(bonuses) and not counted
        is_veto = bool(vetoes) and not counted and not bonuses
        category_results.append(CategoryResult(
            key=key, title=category.title, code=category.code,
            maximum=c_bonus_max if is_bonus else c_applicable, full_maximum=c_bonus_max if is_bonus else c_full,
            earned=c_bonus if is_bonus else c_earned + c_bonus, lines=len(lines), scored=c_scored,
            is_bonus=is_bonus, is_veto=is_veto, vetoed=bool(c_vetoed),
        ))
        full_maximum += c_full
        applicable_maximum += c_applicable
        earned += c_earned
        bonus += c_bonus
        bonus_maximum += c_bonus_max
        scored += c_scored
        to_score += c_scored_total

    if sheet.bonus_cap is not None:
        bonus = min(bonus, to_step(sheet.bonus_cap, sheet.step))
        bonus_maximum = min(bonus_maximum, to_step(sheet.bonus_cap, sheet.step))
    rescaled = sheet.allow_not_applicable and ZERO < applicable_maximum < full_maximum
    if rescaled:
        base = min(to_step(earned * full_maximum / applicable_maximum, sheet.step), full_maximum)
    elif applicable_maximum == ZERO:
        base = zero
    else:
        base = earned
    return Result(
        lines=results, categories=tuple(category_results), full_maximum=full_maximum,
        applicable_maximum=applicable_maximum, earned=earned, base=base, bonus=bonus, bonus_maximum=bonus_maximum,
        total=base + bonus, vetoed=bool(veto_keys), veto_keys=tuple(veto_keys),
        pass_score=to_step(sheet.pass_score, sheet.step) if sheet.pass_score is not None else None,
        scored=scored, to_score=to_score, rescaled=rescaled,
    )


# ------------------------------------------------------------------------------------------------ building
NUMERALS = {"半": "0.5", "一": "1", "两": "2", "二": "2", "三": "3", "四": "4", "五": "5"}
DEDUCT_RE = re.compile(r"扣\s*(?P<n>\d+(?:\.\d+)?|[半一两二三四五])\s*分")
AMOUNT_RE = re.compile(r"(\d+\.\d+)\s*分")  # any amount with decimals a rule names ("每项0.25分", "扣1.25分")


def deduct_each_from(text: str) -> Decimal | None:
    """'每缺一项扣0.5分，扣完为止' → 0.5 ('少一次扣1.25分' → 1.25, kept to 0.01); None when the rule names no amount."""
    match = DEDUCT_RE.search(text or "")
    if not match:
        return None
    value = Decimal(NUMERALS.get(match.group("n"), match.group("n")))
    return to_step(value, step_of([value]))


def step_of_nodes(nodes: Iterable) -> Decimal:
    """The step a standard counts in (`step_of`), from its nodes' points and caps and the amounts their rules
    name."""
    amounts = []
    for node in nodes:
        amounts.extend((getattr(node, "points", None), getattr(node, "bonus_cap", None)))
        for text in (getattr(node, "scoring", ""), getattr(node, "title", ""), getattr(node, "content", "")):
            amounts.extend(AMOUNT_RE.findall(text or ""))
    return step_of(amounts)


def deduction_of(node) -> Decimal | None:
    """What each missing item costs, read from the rule, else from the line's text (where imports often put it)."""
    for text in (getattr(node, "scoring", ""), getattr(node, "title", ""), getattr(node, "content", "")):
        found = deduct_each_from(text)
        if found is not None:
            return found
    return None


def sheet_from_nodes(nodes: Iterable, *, pass_score=None, scale: GradeScale | None = None,
                     allow_not_applicable: bool = True) -> Sheet:
    """A sheet from a standard's nodes (anything with id, parent_id, kind, points, per_item, bonus_cap, scoring,
    code, title, is_local, in tree order). Leaves are the lines (a unit's local refinements are guidance under
    the city's line, not lines of their own); top-level nodes are the categories."""
    nodes = list(nodes)
    by_id = {node.id: node for node in nodes}
    has_children = {node.parent_id for node in nodes if node.parent_id is not None and not node.is_local}
    categories, lines = [], []
    for node in nodes:
        if node.parent_id is None:
            categories.append(Category(node.id, node.title, node.code,
                                       bonus_cap=node.bonus_cap if node.kind == BONUS else None))
        if node.id in has_children or node.is_local:
            continue
        if node.kind in COUNTED and node.points is None:
            continue
        top = node
        while top.parent_id is not None and top.parent_id in by_id:
            top = by_id[top.parent_id]
        lines.append(Line(
            key=node.id, category=top.id, kind=node.kind, points=node.points, per_item=node.per_item,
            cap=node.bonus_cap if node.kind == BONUS and node.parent_id is not None else None,
            deduct_each=deduction_of(node) if node.kind == DEDUCTION else None,
        ))
    return Sheet(lines=tuple(lines), categories=tuple(categories),
                 pass_score=Decimal(str(pass_score)) if pass_score is not None else None,
                 scale=scale or GradeScale(), allow_not_applicable=allow_not_applicable, step=step_of_nodes(nodes))
