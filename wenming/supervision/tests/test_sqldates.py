"""The database's own date arithmetic (sqldates) gives what Django's `__date` and date subtraction give — at the
local-midnight boundary, in a zone with daylight saving (Django's path) and outside the checked years."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import DurationField, ExpressionWrapper, F, Value
from django.db.models.fields import DateField
from django.db.models.functions import TruncDate
from django.utils import timezone

from wenming.campaigns.models import Task
from wenming.supervision.sqldates import DaysBetween, LocalDate, fixed_offset_seconds
from wenming.supervision.tests.conftest import make_task

pytestmark = pytest.mark.django_db

MOMENTS = [datetime(2026, 3, 1, 23, 59, 59, 999999), datetime(2026, 3, 2, 0, 0), datetime(2026, 3, 2, 0, 0, 0, 1),
           datetime(2026, 3, 2, 7, 59, 59), datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 1, 16, 0),
           datetime(2026, 3, 1, 15, 59, 59, 500000), datetime(1990, 7, 1, 23, 30), datetime(2150, 1, 1, 0, 30)]


def test_zones_with_one_offset_are_recognised():
    assert fixed_offset_seconds("Asia/Shanghai") == 8 * 3600
    assert fixed_offset_seconds("UTC") == 0
    assert fixed_offset_seconds("Europe/Berlin") is None  # daylight saving: Django's own path


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin", "America/St_Johns"])
def test_local_date_matches_django_date_lookup(cast, campaign, zone):
    tasks = []
    for index, moment in enumerate(MOMENTS):
        task = make_task(cast, campaign, due_on=date(2026, 3, 1), title=f"任务{index}")
        for tz in (ZoneInfo("UTC"), ZoneInfo("Asia/Shanghai")):
            Task.objects.filter(pk=task.pk).update(completed_at=moment.replace(tzinfo=tz))
            tasks.append(task.pk)
            with timezone.override(zone):
                ours, django = (Task.objects.filter(pk=task.pk).annotate(d=expr).values_list("d", flat=True).get()
                                for expr in (LocalDate("completed_at"), TruncDate("completed_at")))
            assert ours == django, (moment, tz, zone)


def test_days_between_matches_date_subtraction(cast, campaign):
    day = timezone.localdate()
    for days in (-400, -10, -1, 0, 3):
        make_task(cast, campaign, days=days, title=f"到期{days}")
    ours = Task.objects.filter(campaign=campaign).annotate(
        late=DaysBetween(F("due_on"), Value(day, output_field=DateField()))).order_by("pk").values_list("late", flat=True)
    django = Task.objects.filter(campaign=campaign).annotate(
        late=ExpressionWrapper(Value(day, output_field=DateField()) - F("due_on"), output_field=DurationField())
    ).order_by("pk").values_list("late", flat=True)
    assert list(ours) == list(django)  # a duration on SQLite, whole days on PostgreSQL (date - date), as Django's
    assert [d.days if isinstance(d, timedelta) else d for d in ours] == [400, 10, 1, 0, -3]
