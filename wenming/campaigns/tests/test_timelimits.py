"""The 完成时限 parser reads what clerks write, and refuses (with the text quoted) what it cannot read."""

from datetime import date, datetime

import pytest

from wenming.campaigns.timelimits import (
    HALF_YEARLY,
    MONTHLY,
    ONCE,
    ONGOING,
    QUARTERLY,
    TimeLimit,
    UnreadableTimeLimit,
    parse_time_limit,
)

CASES = [
    ("2021年6月底前", TimeLimit(due_on=date(2021, 6, 30))),
    ("2021年1月底前", TimeLimit(due_on=date(2021, 1, 31))),
    ("2021年2月", TimeLimit(due_on=date(2021, 2, 28))),
    ("2021.9.30", TimeLimit(due_on=date(2021, 9, 30))),
    ("2021-11-15", TimeLimit(due_on=date(2021, 11, 15))),
    ("2021/11/15", TimeLimit(due_on=date(2021, 11, 15))),
    ("2021-11", TimeLimit(due_on=date(2021, 11, 30))),
    ("2021年10月31日", TimeLimit(due_on=date(2021, 10, 31))),
    ("２０２１年１０月３１日前", TimeLimit(due_on=date(2021, 10, 31))),
    ("二〇二一年十月底", TimeLimit(due_on=date(2021, 10, 31))),
    ("10月31日前完成", TimeLimit(due_on=date(2021, 10, 31))),
    ("10.31", TimeLimit(due_on=date(2021, 10, 31))),
    ("9月1日-10月31日", TimeLimit(starts_on=date(2021, 9, 1), due_on=date(2021, 10, 31))),
    ("9月1日至10月31日", TimeLimit(starts_on=date(2021, 9, 1), due_on=date(2021, 10, 31))),
    ("2021年7月-8月", TimeLimit(starts_on=date(2021, 7, 1), due_on=date(2021, 8, 31))),
    ("7-8月", TimeLimit(starts_on=date(2021, 7, 1), due_on=date(2021, 8, 31))),
    ("2021.7.1-2021.8.31", TimeLimit(starts_on=date(2021, 7, 1), due_on=date(2021, 8, 31))),
    ("每月", TimeLimit(recurrence=MONTHLY)),
    ("每月底前", TimeLimit(recurrence=MONTHLY)),
    ("每季度", TimeLimit(recurrence=QUARTERLY)),
    ("每季度末", TimeLimit(recurrence=QUARTERLY)),
    ("每半年", TimeLimit(recurrence=HALF_YEARLY)),
    ("长期坚持", TimeLimit(recurrence=ONGOING)),
    ("常态化", TimeLimit(recurrence=ONGOING)),
    ("常态化开展", TimeLimit(recurrence=ONGOING)),
    ("2021年第三季度", TimeLimit(starts_on=date(2021, 7, 1), due_on=date(2021, 9, 30))),
    ("第四季度", TimeLimit(starts_on=date(2021, 10, 1), due_on=date(2021, 12, 31))),
    ("三季度末", TimeLimit(starts_on=date(2021, 7, 1), due_on=date(2021, 9, 30))),
    ("2月上旬", TimeLimit(due_on=date(2021, 2, 10))),
    ("3月中旬", TimeLimit(due_on=date(2021, 3, 20))),
    ("3月下旬", TimeLimit(due_on=date(2021, 3, 31))),
    ("上半年", TimeLimit(starts_on=date(2021, 1, 1), due_on=date(2021, 6, 30))),
    ("2021年下半年", TimeLimit(starts_on=date(2021, 7, 1), due_on=date(2021, 12, 31))),
    ("年底前", TimeLimit(due_on=date(2021, 12, 31))),
    ("2021年底", TimeLimit(due_on=date(2021, 12, 31))),
    ("6月前", TimeLimit(due_on=date(2021, 5, 31))),
    ("44469", TimeLimit(due_on=date(2021, 9, 30))),
    ("", TimeLimit()),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0] or "empty" for case in CASES])
def test_reads_time_limits_as_clerks_write_them(text, expected):
    assert parse_time_limit(text, year=2021) == expected


def test_the_campaign_year_fills_in_a_missing_year():
    assert parse_time_limit("6月底前", year=2026).due_on == date(2026, 6, 30)
    assert parse_time_limit("2月上旬", year=2026).due_on == date(2026, 2, 10)


def test_an_explicit_year_wins_over_the_campaign_year():
    assert parse_time_limit("2020年12月", year=2021).due_on == date(2020, 12, 31)


def test_a_date_cell_is_taken_as_it_is():
    assert parse_time_limit(datetime(2021, 9, 30), year=2021) == TimeLimit(due_on=date(2021, 9, 30))


@pytest.mark.parametrize("text", ["尽快", "视情况而定", "2021年13月", "2月30日", "10月31日-9月1日", "6", "下周"])
def test_unreadable_limits_are_refused_with_the_text_quoted(text):
    with pytest.raises(UnreadableTimeLimit) as error:
        parse_time_limit(text, year=2021)
    assert f"“{text}”" in str(error.value)


def test_describe_writes_the_limit_back_so_it_reads_the_same():
    for limit in [TimeLimit(due_on=date(2021, 6, 30)), TimeLimit(recurrence=MONTHLY), TimeLimit(recurrence=ONGOING),
                  TimeLimit(starts_on=date(2021, 9, 1), due_on=date(2021, 10, 31))]:
        assert parse_time_limit(limit.describe(), year=2000) == limit
    assert TimeLimit().recurrence == ONCE
