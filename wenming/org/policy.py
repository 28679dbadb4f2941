"""The one access policy (DESIGN.md §5): who may see and do what, declared once per model.

Each model's queryset class (a `RestrictedQuerySet`) carries a `Policy`: the path from a row to its unit, whether
binned rows (回收站) are left out, and per action (view, change, review, …) a `Grant` — which roles may act at all
within their own unit, which of them act on the whole unit (`wide`), which rows the others get (`narrow`), and
which rows people who act for no unit of their own may reach (`outside`: a city evaluator's assigned inspection).
`Model.objects.restrict(user, action)` is the only way to ask; `visible_to` and `editable_by` are its "view" and
"change". View decorators, API permissions, selectors, exports and services ask the same question.

A person acts for a unit when signed in, active, attached to a unit and holding one of the grant's roles. The 三员
hold no business role, so the business grants never reach them; evaluators belong to a 文明办 (an oversight unit)
and reach a unit's rows only through the `outside` rules.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wenming.org.roles import Role

CAMPAIGN_ROLES = (Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF)
WIDE_ROLES = (Role.OFFICE, Role.LEADER, Role.LIAISON)  # see everything of the unit's campaigns
APPROVER_ROLES = (Role.OFFICE, Role.LEADER)

# A rule that picks rows for one person: (user, rows) -> Q, or None for "no rows at all".
RowRule = Callable[[object, models.QuerySet], Q | None]


def signed_in(user) -> bool:
    return user is not None and not isinstance(user, AnonymousUser) and user.is_authenticated and user.is_active


def acting_unit(user, roles=None) -> int | None:
    """The unit a person acts for: signed in, active, attached to a unit and (if `roles`) holding one of them."""
    if not signed_in(user) or not user.unit_id:
        return None
    if roles is not None and not user.has_role(*roles):
        return None
    return user.unit_id


def is_evaluator(user) -> bool:
    """A signed-in, active evaluator (测评员) of a 文明办 (an oversight unit)."""
    if acting_unit(user, (Role.EVALUATOR,)) is None:
        return False
    cached = getattr(user, "_policy_is_evaluator", None)
    if cached is None:
        from wenming.org.models import Unit  # the models import their querysets, which import this module

        cached = Unit.objects.filter(pk=user.unit_id, kind=Unit.Kind.OVERSIGHT).exists()
        user._policy_is_evaluator = cached
    return cached


# Row rules used by several models.

def own_department(path: str = "department_id") -> RowRule:
    """Rows of the person's department; nothing for a person without one."""

    def rule(user, rows):
        return Q(**{path: user.department_id}) if user.department_id else None

    return rule


def by_person(*paths: str) -> RowRule:
    """Rows where the person stands in any of `paths` (uploader, owner, organiser …)."""

    def rule(user, rows):
        q = Q()
        for path in paths:
            q |= Q(**{path: user.pk})
        return q

    return rule


def if_role(roles: tuple, inner: RowRule) -> RowRule:
    """`inner`'s rows, for people holding one of `roles` only."""

    def rule(user, rows):
        return inner(user, rows) if user.has_role(*roles) else None

    return rule


def either(*rules: RowRule) -> RowRule:
    """Rows that any of `rules` gives."""

    def rule(user, rows):
        found = [q for q in (inner(user, rows) for inner in rules) if q is not None]
        if not found:
            return None
        combined = found[0]
        for q in found[1:]:
            combined |= q
        return combined

    return rule


def evaluator_rule(inner: RowRule) -> RowRule:
    """`inner`'s rows, for a 文明办's evaluators only."""

    def rule(user, rows):
        return inner(user, rows) if is_evaluator(user) else None

    return rule


@dataclass(frozen=True)
class Grant:
    """Who may take one action.

    roles   — who may act at all, within their own unit (None: anyone attached to the unit)
    wide    — among them, who acts on every row of the unit (None: all of `roles`)
    narrow  — the rows the others among `roles` get (None: nothing)
    inside  — a further condition on rows for people acting within their unit
    outside — the rows people who do not act for the rows' unit may reach (evaluators), or None
    where   — a condition on rows for everybody (status open …), or a function giving one at the time of asking
    """

    roles: tuple | None = None
    wide: tuple | None = None
    narrow: RowRule | None = None
    inside: Q | None = None
    outside: RowRule | None = None
    where: Q | Callable[[], Q] | None = None


def own_unexpired_upload(roles: tuple) -> Grant:
    """An import draft: seen and changed only by the person who uploaded it, while it has not expired."""
    return Grant(roles, wide=(), narrow=by_person("owner_id"), where=lambda: Q(expires_at__gt=timezone.now()))


@dataclass(frozen=True)
class Via:
    """The action is decided by a related row: `Finding` may be seen where its assessment's scores may."""

    path: str  # the relation to the deciding row, e.g. "assessment"
    action: str  # the action asked of the deciding row's own policy

    def rows(self, rows, user):
        related = rows.model._meta.get_field(self.path).related_model
        return rows.filter(**{f"{self.path}__in": related.objects.restrict(user, self.action)})


@dataclass(frozen=True)
class Policy:
    unit: str  # the path from a row to its unit's id: "unit_id", "campaign__unit_id", "pk" …
    actions: dict = field(default_factory=dict)  # action -> Grant | Via | callable(rows, user)
    recyclable: bool = False  # binned rows (回收站) are left out of every action

    def rows(self, rows: models.QuerySet, user, action: str) -> models.QuerySet:
        try:
            rule = self.actions[action]
        except KeyError:
            raise LookupError(f"{rows.model.__name__} declares no “{action}” in its access policy") from None
        if self.recyclable:
            rows = rows.filter(deleted_at__isnull=True)
        if isinstance(rule, Via):
            return rule.rows(rows, user)
        if not isinstance(rule, Grant):
            return rule(rows, user)
        if rule.where is not None:
            rows = rows.filter(rule.where() if callable(rule.where) else rule.where)
        unit_id = acting_unit(user, rule.roles)
        if unit_id:
            rows = rows.filter(**{self.unit: unit_id})
            if rule.inside is not None:
                rows = rows.filter(rule.inside)
            if rule.wide is None or user.has_role(*rule.wide):
                return rows
            q = rule.narrow(user, rows) if rule.narrow is not None else None
            return rows.filter(q) if q is not None else rows.none()
        if rule.outside is not None and signed_in(user):
            q = rule.outside(user, rows)
            if q is not None:
                return rows.filter(q)
        return rows.none()


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows its model's access policy: `restrict(user, action)` is the one way to ask."""

    policy: Policy

    def restrict(self, user, action: str = "view"):
        return self.policy.rows(self, user, action)

    def visible_to(self, user):
        return self.restrict(user, "view")

    def editable_by(self, user):
        return self.restrict(user, "change")


def allows(model, user, action: str = "view") -> bool:
    """Whether the person may take `action` on rows of `model` at all: the door, asked before any row is looked up
    (403 for a person in scope without the right, where a row outside scope answers 404)."""
    policy = model._default_manager.get_queryset().policy
    rule = policy.actions[action]
    if isinstance(rule, Via):
        related = model._meta.get_field(rule.path).related_model
        return allows(related, user, rule.action)
    if not isinstance(rule, Grant):
        return signed_in(user)
    if acting_unit(user, rule.roles):
        return True
    return rule.outside is not None and signed_in(user) and rule.outside(user, model.objects.none()) is not None


def door(model, action: str = "view") -> Callable:
    """A view decorator that lets in the people `model`'s policy allows `action` (see `allows`): others get 403,
    anonymous visitors the sign-in page. Each views.py names its doors from the policy (`members = door(Task)`)."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not allows(model, request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def api_door(model, action: str = "view", message: str = "") -> type:
    """A DRF permission class that lets in the people `model`'s policy allows `action` (see `allows`)."""
    from rest_framework.permissions import BasePermission

    class Door(BasePermission):
        def has_permission(self, request, view):
            return allows(model, request.user, action)

    Door.message = message
    Door.__name__ = f"May{action.title()}{model.__name__}"
    return Door
