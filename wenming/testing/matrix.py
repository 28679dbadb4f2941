"""The permission matrix: every URL the project defines declares what each persona gets.

Each app lists its expectations in `<app>/tests/permissions.py` as `MATRIX = [Expect(...), ...]`. The core test
walks every URL pattern and fails for any pattern without an expectation, so no view ships unprotected.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from wenming.testing import PERSONA_NAMES, Cast

UNIT_MEMBERS = ("admin", "security", "auditor", "office", "leader", "liaison_a", "staff_a", "liaison_b")
SIGNED_IN = (*UNIT_MEMBERS, "evaluator", "outsider")


@dataclass
class Expect:
    """What `method url_name(kwargs)` answers to each persona. Unlisted personas get `default`."""

    url_name: str
    statuses: dict[str, int]
    default: int | None = None
    method: str = "get"
    kwargs: Callable[[Cast], dict] | None = None
    data: Callable[[Cast], dict] | None = None
    content_type: str | None = None
    note: str = ""
    only: tuple[str, ...] = field(default=PERSONA_NAMES)

    def status_for(self, persona: str) -> int:
        if persona in self.statuses:
            return self.statuses[persona]
        if self.default is None:
            raise KeyError(f"{self.url_name}: no expectation for {persona}")
        return self.default


def each(personas, status: int) -> dict[str, int]:
    return dict.fromkeys(personas, status)


def page_for(allowed, *, anonymous: int = 302, others: int = 403, out_of_scope: int | None = None) -> dict[str, int]:
    """A page: `allowed` get 200, other signed-in people `others`, out-of-scope people `out_of_scope`."""
    statuses = each(SIGNED_IN, others)
    if out_of_scope is not None:
        statuses.update(evaluator=out_of_scope, outsider=out_of_scope)
    statuses.update(each(allowed, 200))
    statuses["anonymous"] = anonymous
    return statuses


def newest(model):
    """The row a matrix entry's `kwargs` just made (the newest), e.g. for the `version` every API change carries."""
    return model._base_manager.order_by("-pk").first()
