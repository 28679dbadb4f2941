"""Things that happened, told to whoever listens, without the teller importing the listener (DESIGN.md §2).

An app low in the house (campaigns, evidence, assessments) says `tell("evidence.returned", evidence=…, actor=…)`
inside its service's transaction; the notifications app, which stands above them, listens when it starts
(`NotificationsConfig.ready` → `listen`). Listeners run at once, in the same transaction, so a rolled-back action
tells nobody. Nobody listening is fine: the action itself is not affected.
"""

from collections import defaultdict
from collections.abc import Callable

_listeners: dict[str, list[Callable]] = defaultdict(list)


def listen(name: str, listener: Callable) -> None:
    if listener not in _listeners[name]:
        _listeners[name].append(listener)


def tell(name: str, **kwargs) -> None:
    for listener in _listeners.get(name, ()):
        listener(**kwargs)
