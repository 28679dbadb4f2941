from django import template

from wenming.standards.parsing import fmt

register = template.Library()


@register.filter
def points(value) -> str:
    """10.0 -> "10", 0.5 -> "0.5"; empty for no points."""
    return fmt(value) if value is not None else ""


@register.filter
def signed(value) -> str:
    if value is None:
        return ""
    text = fmt(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")
