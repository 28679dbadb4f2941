"""红黄绿灯 (warnings): every task, recurring round and rectification carries a light from its deadline and state.

Computed in the database as a `Case/When` annotation — portable SQL (date comparisons only), so SQLite and
PostgreSQL agree and a list of a thousand rows costs one query:

- none (grey): done;
- red: the deadline has passed;
- yellow: due within `warn_days` days (today included);
- green: on track (a later deadline, or none at all).
"""

from datetime import date, timedelta

from django.db import models
from django.db.models import Case, CharField, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

DEFAULT_WARN_DAYS = 3


class Light(models.TextChoices):
    RED = "red", _("红灯（已逾期）")
    YELLOW = "yellow", _("黄灯（临近时限）")
    GREEN = "green", _("绿灯（正常推进）")
    NONE = "none", _("已完成")


RANK = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2, Light.NONE: 3}


def _by_light(*, due_field: str, done_q: Q, today: date, warn_days: int, then: dict, output_field) -> Case:
    """One CASE over `due_field` and `done_q` giving `then[light]` — the light's rules in one place."""
    soon = today + timedelta(days=max(int(warn_days), 0))
    return Case(
        When(done_q, then=then[Light.NONE]),
        When(**{f"{due_field}__isnull": True}, then=then[Light.GREEN]),
        When(**{f"{due_field}__lt": today}, then=then[Light.RED]),
        When(**{f"{due_field}__lte": soon}, then=then[Light.YELLOW]),
        default=then[Light.GREEN],
        output_field=output_field,
    )


def light_case(*, due_field: str, done_q: Q, today: date, warn_days: int) -> Case:
    """The light as an SQL expression over `due_field` (a date column or annotation) and `done_q`."""
    return _by_light(due_field=due_field, done_q=done_q, today=today, warn_days=warn_days,
                     then={light: Value(light.value) for light in Light}, output_field=CharField())


def light_rank_case(*, due_field: str, done_q: Q, today: date, warn_days: int) -> Case:
    """RANK of the light, from the same rules directly: not a CASE over `light_case` (Django inlines an annotation
    wherever it is used, so that was the light's CASE — and a task's round subquery — four times over per row)."""
    return _by_light(due_field=due_field, done_q=done_q, today=today, warn_days=warn_days,
                     then={light: Value(rank) for light, rank in RANK.items()}, output_field=IntegerField())


def is_red(*, due_field: str, done_q: Q, today: date) -> Q:
    """light == red without the light's CASE: not done and past the deadline (a missing deadline is never past)."""
    return ~done_q & Q(**{f"{due_field}__lt": today})


def annotate_light(queryset, *, due_field: str, done_q: Q, today: date, warn_days: int = DEFAULT_WARN_DAYS):
    """`queryset` with `light` (red/yellow/green/none) and `light_rank` (0 red … 3 none) for ordering."""
    rules = {"due_field": due_field, "done_q": done_q, "today": today, "warn_days": warn_days}
    return queryset.annotate(light=light_case(**rules), light_rank=light_rank_case(**rules))


# ---------------------------------------------------------------------------------------------- ready-made
def tasks_with_light(tasks, *, today: date, warn_days: int = DEFAULT_WARN_DAYS):
    """Tasks lit by their next open round (a missed round keeps the task red), else their own due date."""
    from wenming.campaigns.models import Task, TaskOccurrence

    open_rounds = TaskOccurrence.objects.filter(task=OuterRef("pk"), done_at__isnull=True).order_by("due_on")
    tasks = tasks.annotate(light_due=Coalesce(Subquery(open_rounds.values("due_on")[:1]), F("due_on")))
    return annotate_light(tasks, due_field="light_due", done_q=Q(status=Task.Status.DONE), today=today,
                          warn_days=warn_days)


def occurrences_with_light(occurrences, *, today: date, warn_days: int = DEFAULT_WARN_DAYS):
    from wenming.campaigns.models import Task

    done = Q(done_at__isnull=False) | Q(task__status=Task.Status.DONE)
    return annotate_light(occurrences, due_field="due_on", done_q=done, today=today, warn_days=warn_days)


def rectifications_with_light(rectifications, *, today: date, warn_days: int = DEFAULT_WARN_DAYS):
    return annotate_light(rectifications, due_field="due_on", done_q=Q(status="closed"), today=today,
                          warn_days=warn_days)


def orders_with_light(orders, *, today: date, warn_days: int = DEFAULT_WARN_DAYS):
    from wenming.supervision.models import SupervisionOrder

    return annotate_light(orders, due_field="deadline", done_q=Q(status=SupervisionOrder.Status.CLOSED),
                          today=today, warn_days=warn_days)
