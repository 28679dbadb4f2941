"""The criteria of a standard in tree order (测评体系的树): one walk for every screen that lists them."""

from collections import defaultdict
from collections.abc import Callable, Iterable


def tree_order(nodes: Iterable, *, key: Callable = lambda node: node.pk,
               parent: Callable = lambda node: node.parent_id) -> tuple[list, dict]:
    """`nodes` (siblings already in their order) with each parent before its children, depth first, and the children
    of each key. Nodes whose parent is not among them are left out. No recursion: a deep tree cannot overflow."""
    children: dict = defaultdict(list)
    for node in nodes:
        children[parent(node)].append(node)
    ordered: list = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(key(node), [])))
    return ordered, children
