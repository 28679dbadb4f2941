from django import template

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
