"""Date arithmetic the database does itself.

On SQLite Django computes `field__date` and the difference of two dates by calling back into Python once per row
(`django_datetime_cast_date`, `django_timestamp_diff`): over a city's 3,000 tasks that was ~2,700 calls on every
first load of the dashboard and the ranking (issue 17). These expressions give the same results with SQLite's own
`date()` / `julianday()`; on other databases they compile exactly as Django's.
"""

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import DurationField, ExpressionWrapper, Func
from django.db.models.functions import TruncDate

# inside these years the current time zone is checked to keep one UTC offset; a stored datetime outside them takes
# Django's own (per-row Python) path, so the result is the same for every row whatever the zone's history
FIXED_FROM, FIXED_UNTIL = 2000, 2100


@lru_cache(maxsize=16)
def fixed_offset_seconds(tzname: str) -> int | None:
    """The zone's UTC offset in seconds if it is the same at every half month from FIXED_FROM to FIXED_UNTIL
    (Asia/Shanghai: +8 h, no daylight saving since 1991), else None."""
    zone = ZoneInfo(tzname)
    offsets = {datetime(year, month, day, 12, tzinfo=zone).utcoffset()
               for year in range(FIXED_FROM, FIXED_UNTIL) for month in range(1, 13) for day in (1, 15)}
    if len(offsets) != 1:
        return None
    return int(offsets.pop().total_seconds())


class LocalDate(TruncDate):
    """`TruncDate(field)` (what `field__date` compiles to): the local date of a stored datetime."""

    def as_sqlite(self, compiler, connection, **extra_context):
        fallback_sql, fallback_params = super().as_sql(compiler, connection, **extra_context)
        tzname = self.get_tzname()
        offset = fixed_offset_seconds(tzname) if tzname else None
        if offset is None:
            return fallback_sql, fallback_params
        sql, params = compiler.compile(self.lhs)
        # Django stores an aware datetime on SQLite as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'; whole seconds only,
        # since SQLite rounds to milliseconds (23:59:59.9999995 would become the next day)
        return (f"CASE WHEN {sql} >= %s AND {sql} < %s THEN date(substr({sql}, 1, 19), %s) ELSE {fallback_sql} END",
                (*params, f"{FIXED_FROM}-01-02", *params, f"{FIXED_UNTIL - 1}-12-31", *params,
                 f"{offset:+d} seconds", *fallback_params))


class DaysBetween(Func):
    """The duration from the date `start` to the date `end` (`end - start`), as Django's date subtraction gives it;
    on SQLite with julianday() (microseconds, what Django's DurationField reads there) instead of a Python call."""

    output_field = DurationField()

    def as_sql(self, compiler, connection, **extra_context):
        start, end = self.source_expressions
        return compiler.compile(ExpressionWrapper(end - start, output_field=DurationField()).resolve_expression(
            compiler.query))

    def as_sqlite(self, compiler, connection, **extra_context):
        (start, start_params), (end, end_params) = (compiler.compile(e) for e in self.source_expressions)
        return (f"CAST((julianday({end}) - julianday({start})) * 86400000000 AS INTEGER)",
                (*end_params, *start_params))
