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


def light_case(*, due_field: str, done_q: Q, today: date, warn_days: int) -> Case:
    """The light as an SQL expression over `due_field` (a date column or annotation) and `done_q`."""
    soon = today + timedelta(days=max(int(warn_days), 0))
    return Case(
        When(done_q, then=Value(Light.NONE.value)),
        When(**{f"{due_field}__isnull": True}, then=Value(Light.GREEN.value)),
        When(**{f"{due_field}__lt": today}, then=Value(Light.RED.value)),
        When(**{f"{due_field}__lte": soon}, then=Value(Light.YELLOW.value)),
        default=Value(Light.GREEN.value),
        output_field=CharField(),
    )


def light_rank_case() -> Case:
    return Case(*[When(light=value, then=Value(rank)) for value, rank in RANK.items()],
                default=Value(9), output_field=IntegerField())


def annotate_light(queryset, *, due_field: str, done_q: Q, today: date, warn_days: int = DEFAULT_WARN_DAYS):
    """`queryset` with `light` (red/yellow/green/none) and `light_rank` (0 red … 3 none) for ordering."""
    return queryset.annotate(light=light_case(due_field=due_field, done_q=done_q, today=today,
                                              warn_days=warn_days)).annotate(light_rank=light_rank_case())


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
