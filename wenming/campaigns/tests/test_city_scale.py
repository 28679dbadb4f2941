"""Row helpers of the task list at city scale (issue 10): built in Python, they must say exactly what the
templates they replace said."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from wenming.campaigns.models import Task
from wenming.campaigns.templatetags.campaigns_tags import due_cell, options

TODAY = date(2026, 6, 15)


def task(recurrence="once", due_on=None, status="in_progress", next_due=None, late=False) -> Task:
    item = Task(recurrence=recurrence, due_on=due_on, status=status)
    item.next_due, item.late_occurrences = next_due, late
    return item


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("item", [
    task(), task(due_on=date(2026, 7, 1)), task(due_on=date(2026, 6, 1)), task(due_on=date(2026, 6, 1), status="done"),
    task("monthly"), task("monthly", next_due=date(2026, 7, 1)), task("quarterly", next_due=date(2026, 5, 1), late=True),
    task("ongoing", next_due=date(2026, 5, 1), late=True, status="done"),
])
def test_due_cell_says_what_the_due_partial_says(item, language):
    with translation.override(language):
        assert due_cell(item, TODAY) == render_to_string("campaigns/partials/due.html",
                                                         {"task": item, "today": TODAY}).strip()


def test_options_escape_and_select():
    html = options([(1, "民一庭"), (2, "<b>&</b>"), (3, "很长的测评指标名称" * 5)], 2, 10)
    assert html.startswith('<option value="1">民一庭</option><option value="2" selected>&lt;b&gt;&amp;&lt;/b&gt;')
    assert "很长的测评指标" in html and "很长的测评指标名称很长" not in html  # shortened as |truncatechars:10
    assert " selected" not in html.split("</option>")[0]
