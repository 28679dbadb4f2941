from datetime import date
from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from wenming.audit.verbs import verb_labels
from wenming.campaigns.models import Task

register = template.Library()
STATUS_LABELS = dict(Task.Status.choices)


@register.filter
def campaign_verb(event) -> str:
    """The audit row's label (ours until merged into the audit app's list)."""
    return str(verb_labels().get(event.verb) or event.verb_label)


@register.filter
def status_label(value) -> str:
    return str(STATUS_LABELS.get(value, value or ""))


@register.filter
def department_names(departments, limit: int = 4) -> str:
    """配合部门 for a list: a few names, or “A、B、C等14个部门” when the annex said 各庭室处队."""
    names = [d.name for d in departments]
    if not names:
        return "—"
    if len(names) > limit:
        return f"{'、'.join(names[:3])}等{len(names)}个部门"
    return "、".join(names)


@register.simple_tag
def options(choices, selected=None, truncate: int = 0):
    """The <option>s of (value, label) pairs, built in Python: a select of 500 criteria or 300 people is
    one call here instead of a template loop (which cost the task list tens of milliseconds at city scale)."""
    chosen = "" if selected in (None, "") else str(selected)
    parts = []
    for value, label in choices:
        text = str(label)
        if truncate and len(text) > truncate:
            text = Truncator(text).chars(truncate)
        value = str(value)
        mark = " selected" if chosen and value == chosen else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(text)}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above


@register.simple_tag
def due_cell(task, today=None):
    """完成时限 of a task (what partials/due.html shows), built in Python: the task list draws it on every row."""
    late_text = escape(gettext("已逾期"))
    if task.recurrence == "once":
        if not task.due_on:
            return mark_safe('<span class="muted">—</span>')  # noqa: S308
        late = task.status != "done" and isinstance(today, date) and task.due_on < today
        day = task.due_on.strftime("%Y-%m-%d")
        if not late:
            return mark_safe(f"<span>{day}</span>")  # noqa: S308
        return mark_safe(f'<span class="late" title="{late_text}">{day}</span> '  # noqa: S308
                         f'<span class="late small">{escape(gettext("逾期"))}</span>')
    parts = [escape(str(task.get_recurrence_display()))]
    next_due = getattr(task, "next_due", None)
    if next_due:
        if getattr(task, "late_occurrences", False) and task.status != "done":
            parts.append(f'<div class="meta late">{escape(gettext("有逾期未报的一次"))}</div>')
        else:
            parts.append(f'<div class="meta">{escape(gettext("下次 %(d)s") % {"d": next_due.strftime("%m-%d")})}</div>')
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


@register.filter
def criteria_codes(criteria, limit: int = 20) -> str:
    """A task's 测评指标 on a list row: codes (or titles, shortened) joined with 、 — one call per row."""
    names = []
    for criterion in criteria:
        text = criterion.code or criterion.title
        names.append(Truncator(text).chars(limit) if len(text) > limit else text)
    return "、".join(names)
