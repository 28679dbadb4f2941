"""What the apps above campaigns add to its pages (DESIGN.md §2: campaigns imports no app above it).

An app registers a reader in its `AppConfig.ready` — the evidence app the task page's 佐证材料 and My work's 退回的
材料 — and the campaigns views put what each returns into the page's context under the registered name.
"""

from collections.abc import Callable

_task_page: dict[str, Callable] = {}
_my_work: dict[str, Callable] = {}


def on_task_page(name: str, reader: Callable) -> None:
    """`reader(user=, task=)` fills `name` on a task's page."""
    _task_page[name] = reader


def on_my_work(name: str, reader: Callable) -> None:
    """`reader(user=, campaigns=)` fills `name` on 我的工作."""
    _my_work[name] = reader


def task_page(*, user, task) -> dict:
    return {name: reader(user=user, task=task) for name, reader in _task_page.items()}


def my_work(*, user, campaigns) -> dict:
    return {name: reader(user=user, campaigns=campaigns) for name, reader in _my_work.items()}
