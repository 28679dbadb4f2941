"""Small helpers every app's API views share: id parameters, lookups that answer 404, Django errors as DRF's."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError

MAX_ID = 2**63 - 1  # the largest primary key; bigger numbers are refused before they reach the database


def as_drf(error: DjangoValidationError) -> ValidationError:
    """A service's ValidationError as the API's 400, field by field where it has fields."""
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


def parse_id(value, name):
    """An optional id parameter: None when absent, 400 naming the parameter when it is not a number."""
    if value in (None, ""):
        return None
    if not str(value).isdigit() or int(value) > MAX_ID:
        raise ValidationError({name: f"{name} 应为编号（数字）。"})
    return int(value)


def fetch(queryset, pk):
    """`queryset.get(pk=pk)`, or 404 for a missing row or a malformed key."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound from None
