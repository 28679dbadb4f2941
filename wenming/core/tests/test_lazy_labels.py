"""Labels built once at import must be lazy: a non-lazy gettext at module level freezes the language of the process's
first request (the gap view's status chips and the dashboard's "未分阶段" stayed Chinese in English)."""

import ast
from pathlib import Path

from django.utils import translation

import wenming

NON_LAZY = {"gettext", "ngettext", "pgettext", "npgettext"}


def _module_level_gettext_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
             and node.module == "django.utils.translation" for alias in node.names if alias.name in NON_LAZY}
    hits: list[int] = []

    def walk(node, inside: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for default in [*node.args.defaults, *[d for d in node.args.kw_defaults if d is not None]]:
                walk(default, inside)
            for child in (node.body if isinstance(node.body, list) else [node.body]):
                walk(child, True)
            return
        if not inside and isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            hits.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            walk(child, inside)

    walk(tree, False)
    return hits


def test_no_label_is_translated_once_at_import():
    root = Path(wenming.__file__).parent
    found = {}
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        if lines := _module_level_gettext_calls(path):
            found[str(path.relative_to(root))] = lines
    assert found == {}, "use gettext_lazy for labels built at import time"


def test_the_gap_views_status_chips_follow_the_language():
    from wenming.evidence.views import GAP_LABELS

    with translation.override("en"):
        assert str(GAP_LABELS["missing"]) == "No evidence"
    with translation.override("zh-hans"):
        assert str(GAP_LABELS["missing"]) == "无材料"
