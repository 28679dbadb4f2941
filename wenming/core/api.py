"""Small helpers every app's API views share: id parameters, lookups that answer 404, Django errors as DRF's."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError

MAX_ID = 2**63 - 1  # the largest primary key; bigger numbers are refused before they reach the database


def as_drf(error: DjangoValidationError) -> ValidationError:
    """A service's ValidationError as the API's 400, field by field where it has fields."""
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


def as_id(value) -> int | None:
    """A row id written in text (query parameter, form value), or None when it cannot name a row: not plain ASCII
    digits (str.isdigit also accepts "²", which int() refuses), or too big for the database (OverflowError)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > MAX_ID:
        return None
    return int(text)


def parse_id(value, name):
    """An optional id parameter: None when absent, 400 naming the parameter when it is not a number."""
    if value in (None, ""):
        return None
    number = as_id(value)
    if number is None:
        raise ValidationError({name: f"{name} 应为编号（数字）。"})
    return number


def fetch(queryset, pk):
    """`queryset.get(pk=pk)`, or 404 for a missing row or a malformed key."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound from None
