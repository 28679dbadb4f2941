"""The 工作台's to-do list: what each app says the signed-in person should do next, with counts and the one link
where it is done. Apps contribute through `todo = "<module>.<function>"` on their AppConfig (as the sidebar's `nav`),
so core imports no app above it; each function takes `user` and returns `Todo`s, running a fixed number of queries
whatever the data size."""

from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Todo:
    label: str
    url: str
    count: int | None = None  # None: a place to go, not a number (the 领导驾驶舱)
    icon: str = "list-todo"
    order: int = 50  # lower first
    urgent: bool = False  # drawn in red when there is something to do
    note: str = ""  # a deadline, a hint

    @property
    def done(self) -> bool:
        return self.count == 0


def todo_for(user) -> list[Todo]:
    items: list[Todo] = []
    for config in apps.get_app_configs():
        path = getattr(config, "todo", None)
        if path:
            items.extend(import_string(path)(user=user))
    return sorted(items, key=lambda item: (item.done, item.order))
