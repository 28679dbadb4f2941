"""Reads of standards. Each selector owns its query shape; trees are built from one query in Python."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from wenming.standards.models import KNOWN_METHODS, Criterion, Kind, Standard
from wenming.standards.parsing import fmt


def standard_list(*, user, q: str = "", status: str = ""):
    """The unit's standards, every version, newest lineage first, with their line counts: one query."""
    standards = (
        Standard.objects.visible_to(user)
        .annotate(line_count=Count("criteria", filter=Q(criteria__kind__in=[Kind.SCORED, Kind.DEDUCTION])))
        .order_by("name", "lineage", "-revision")
    )
    if q:
        standards = standards.filter(Q(name__icontains=q) | Q(issuer__icontains=q))
    if status in Standard.Status.values:
        standards = standards.filter(status=status)
    return standards


def lineage_versions(*, user, standard: Standard) -> list[Standard]:
    return list(Standard.objects.visible_to(user).filter(lineage=standard.lineage).order_by("-revision"))


def criteria_of(standard: Standard) -> list[Criterion]:
    return list(Criterion.objects.filter(standard=standard).order_by("depth", "order", "id"))


@dataclass
class TreeRow:
    """One line of the rendered tree. `closes` is how many open groups end after this row."""

    criterion: object
    depth: int
    is_group: bool
    closes: range = range(0)
    matched: bool = True
    lazy: bool = False  # a closed category whose lines load when it is opened


@dataclass
class Tree:
    rows: list[TreeRow]
    methods: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    matches: int = 0
    filtered: bool = False
    total_points: Decimal = Decimal(0)
    line_count: int = 0
    lazy: bool = False  # only the categories are drawn; each loads its lines when opened (`branch_rows`)


def build_children(nodes, parent_of) -> tuple[list, dict]:
    children: dict = {}
    roots = []
    ids = {id(node) for node in nodes}
    for node in nodes:
        parent = parent_of(node)
        if parent is None or id(parent) not in ids:
            roots.append(node)
        else:
            children.setdefault(id(parent), []).append(node)
    return roots, children


def criterion_tree(criteria: list[Criterion], *, q: str = "", method: str = "", department: str = "",
                   kind: str = "", local: bool = False) -> Tree:
    """A saved standard's tree, filtered: matching lines are shown with their ancestors (and descendants)."""
    by_pk = {criterion.pk: criterion for criterion in criteria}
    roots, children = build_children(criteria, lambda c: by_pk.get(c.parent_id))
    return _tree(roots, children, q=q, method=method, department=department, kind=kind, local=local)


LAZY_TREE_ROWS = 150  # above this many lines an unfiltered tree shows its categories and loads each on opening


def collapse(tree: Tree, *, keep_open: int | None = None) -> Tree:
    """A big unfiltered tree drawn as its categories only (a city standard has 500+ lines: drawing them all
    cost the page ~300 ms); `branch_rows` gives a category's lines when it is opened. The category holding the
    line `keep_open` (just edited) is drawn in full."""
    if tree.filtered or len(tree.rows) <= LAZY_TREE_ROWS:
        return tree
    groups: list[list[TreeRow]] = []
    for row in tree.rows:
        if row.depth == 1:
            groups.append([])
        groups[-1].append(row)
    rows = []
    for group in groups:
        head = group[0]
        if keep_open is not None and any(row.criterion.pk == keep_open for row in group):
            rows.extend(group)
        else:
            rows.append(TreeRow(head.criterion, 1, head.is_group, range(0), head.matched, lazy=head.is_group))
    tree.rows, tree.lazy = rows, True
    return tree


def branch_rows(criteria: list[Criterion], pk: int) -> list[TreeRow]:
    """The lines under one criterion, as rows of the full tree (same depths), for an opened category."""
    by_pk = {criterion.pk: criterion for criterion in criteria}
    root = by_pk.get(pk)
    if root is None:
        return []
    _roots, children = build_children(criteria, lambda c: by_pk.get(c.parent_id))
    depth, parent = 1, root
    while parent.parent_id in by_pk:
        depth, parent = depth + 1, by_pk[parent.parent_id]
    rows = _tree(children.get(id(root), []), children).rows
    for row in rows:
        row.depth += depth
    return rows


def parsed_tree(roots: list) -> Tree:
    """A parsed (not yet saved) tree for the import preview."""
    children = {}

    def index(nodes):
        for node in nodes:
            if node.children:
                children[id(node)] = node.children
                index(node.children)

    index(roots)
    return _tree(roots, children)


def _tree(roots, children, *, q="", method="", department="", kind="", local=False) -> Tree:
    order: list[tuple[object, int]] = []
    stack = [(node, 1) for node in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        order.append((node, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(id(node), [])))
    methods, departments = set(), set()
    for node, _depth in order:
        methods.update(node.methods or [])
        if node.department:
            departments.update(part.strip() for part in node.department.replace("，", "、").split("、") if part.strip())
    filtered = bool(q or method or department or kind or local)
    needle = q.strip().lower()

    def matches(node) -> bool:
        if needle and not any(needle in (text or "").lower() for text in (
                node.code, node.title, node.content, node.scoring, node.materials, node.department)):
            return False
        if method and method not in (node.methods or []):
            return False
        if department and department not in (node.department or ""):
            return False
        if kind and node.kind != kind:
            return False
        return not (local and not node.is_local)

    shown: set[int] = set()
    matched: set[int] = set()
    if filtered:
        parents = {id(child): node for node, _d in order for child in children.get(id(node), [])}
        inside: set[int] = set()  # under a matched group: shown with it
        for node, _depth in order:
            parent = parents.get(id(node))
            if matches(node):
                matched.add(id(node))
                ancestor = node
                while ancestor is not None and id(ancestor) not in shown:
                    shown.add(id(ancestor))
                    ancestor = parents.get(id(ancestor))
            elif parent is not None and (id(parent) in matched or id(parent) in inside):
                inside.add(id(node))
                shown.add(id(node))
    visible = [(node, depth) for node, depth in order if not filtered or id(node) in shown]
    rows = []
    for index, (node, depth) in enumerate(visible):
        next_depth = visible[index + 1][1] if index + 1 < len(visible) else 1
        is_group = any(not filtered or id(child) in shown for child in children.get(id(node), []))
        closes = range(0) if is_group else range(max(0, depth - next_depth))
        rows.append(TreeRow(node, depth, is_group, closes, matched=not filtered or id(node) in matched))
    total = sum((node.points or Decimal(0) for node in roots if node.kind in (Kind.SCORED, Kind.DEDUCTION)),
                Decimal(0))
    line_count = sum(1 for node, _d in order if not children.get(id(node)) and node.kind in (Kind.SCORED, Kind.DEDUCTION))
    known = [m for m in KNOWN_METHODS if m in methods] + sorted(methods - set(KNOWN_METHODS))
    return Tree(rows=rows, methods=known, departments=sorted(departments), matches=len(matched), filtered=filtered,
                total_points=total, line_count=line_count)


# ---------------------------------------------------------------------------------------------- compare
COMPARED_FIELDS = (
    ("code", "编号"), ("title", "测评内容"), ("content", "内容说明"), ("scoring", "评分标准"), ("points", "分值"),
    ("per_item", "按项计分"), ("kind", "类型"), ("bonus_cap", "加分上限"), ("methods", "测评方法"),
    ("materials", "材料要求"), ("department", "提供材料部门"), ("is_local", "本单位细化"),
)


@dataclass
class LineChange:
    status: str  # added / removed / changed
    old: Criterion | None
    new: Criterion | None
    path: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    point_delta: Decimal | None = None

    @property
    def line(self) -> Criterion:
        return self.new or self.old


@dataclass
class Comparison:
    old: Standard
    new: Standard
    added: list[LineChange]
    removed: list[LineChange]
    changed: list[LineChange]
    unchanged: int
    old_total: Decimal
    new_total: Decimal

    @property
    def total_delta(self) -> Decimal:
        return self.new_total - self.old_total


def _display(name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, list):
        return "、".join(value)
    if name == "kind":
        return str(Kind(value).label)
    return str(value)


def _paths(criteria: list[Criterion]) -> dict[int, str]:
    by_pk = {c.pk: c for c in criteria}
    paths = {}
    for criterion in criteria:
        names, node = [], by_pk.get(criterion.parent_id)
        while node is not None:
            names.append(node.title)
            node = by_pk.get(node.parent_id)
        paths[criterion.pk] = " › ".join(reversed(names))
    return paths


def compare_standards(old: Standard, new: Standard) -> Comparison:
    """Lines matched by their key (kept across versions), else by code, else by title: two queries."""
    old_lines, new_lines = criteria_of(old), criteria_of(new)
    old_paths, new_paths = _paths(old_lines), _paths(new_lines)
    by_key = {c.key: c for c in old_lines}
    pairs: list[tuple[Criterion | None, Criterion | None]] = []
    unmatched_new = []
    used = set()
    for line in new_lines:
        match = by_key.get(line.key)
        if match is not None:
            pairs.append((match, line))
            used.add(match.pk)
        else:
            unmatched_new.append(line)
    rest = [c for c in old_lines if c.pk not in used]
    for attribute in ("code", "title"):
        pool: dict = {}
        for c in rest:
            value = getattr(c, attribute)
            if value:
                pool.setdefault((old_paths[c.pk], value) if attribute == "title" else value, []).append(c)
        still = []
        for line in unmatched_new:
            value = getattr(line, attribute)
            lookup = (new_paths[line.pk], value) if attribute == "title" else value
            candidates = pool.get(lookup) if value else None
            if candidates and len(candidates) == 1 and candidates[0].pk not in used:
                pairs.append((candidates[0], line))
                used.add(candidates[0].pk)
            else:
                still.append(line)
        unmatched_new = still
        rest = [c for c in rest if c.pk not in used]
    added = [LineChange("added", None, line, new_paths[line.pk], point_delta=line.points) for line in unmatched_new]
    removed = [LineChange("removed", line, None, old_paths[line.pk],
                          point_delta=-line.points if line.points is not None else None) for line in rest]
    changed, unchanged = [], 0
    for before, after in pairs:
        fields = [(label, _display(name, getattr(before, name)), _display(name, getattr(after, name)))
                  for name, label in COMPARED_FIELDS if getattr(before, name) != getattr(after, name)]
        if fields:
            delta = None
            if before.points != after.points:
                delta = (after.points or Decimal(0)) - (before.points or Decimal(0))
            changed.append(LineChange("changed", before, after, new_paths[after.pk], fields, delta))
        else:
            unchanged += 1
    order = {c.pk: index for index, c in enumerate(_tree_order(new_lines))}
    old_order = {c.pk: index for index, c in enumerate(_tree_order(old_lines))}
    changed.sort(key=lambda change: order.get(change.new.pk, 0))
    added.sort(key=lambda change: order.get(change.new.pk, 0))
    removed.sort(key=lambda change: old_order.get(change.old.pk, 0))

    def total(lines):
        return sum((c.points or Decimal(0) for c in lines if c.parent_id is None and c.counts), Decimal(0))

    return Comparison(old, new, added, removed, changed, unchanged, total(old_lines), total(new_lines))


def _tree_order(criteria: list[Criterion]) -> list[Criterion]:
    by_pk = {c.pk: c for c in criteria}
    roots, children = build_children(criteria, lambda c: by_pk.get(c.parent_id))
    ordered, stack = [], list(reversed(roots))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(id(node), [])))
    return ordered
