"""Small helpers every app's API views share: id parameters, lookups that answer 404, Django errors as DRF's, and
conflict detection (a change carries the version it read; a stale one answers 409 with the current version)."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from wenming.core.errors import ConcurrentEditError

MAX_ID = 2**63 - 1  # the largest primary key; bigger numbers are refused before they reach the database


VERSION_REQUIRED = "必填：请带上读取记录时得到的 version（版本号），以免覆盖他人的修改。"
VERSION_HELP = "读取记录时得到的版本号（必填）；若他人已先修改，返回 409 和当前版本号。"


def version_field(**options) -> serializers.IntegerField:
    """The `version` every change to an existing record carries (an action such as submit/approve/return/close as
    much as a PATCH): required, a whole number; a stale one answers 409 with the current version."""
    message = {"required": VERSION_REQUIRED, "null": VERSION_REQUIRED, "invalid": "version 应为读取记录时得到的版本号（非负整数）。"}
    return serializers.IntegerField(min_value=0, max_value=MAX_ID, error_messages=message,
                                    help_text=options.pop("help_text", VERSION_HELP), **options)


class Conflict(APIException):
    """409: the record changed since the caller read it. The body carries the current version, as the screens show
    the current values: `{"detail": ..., "code": "stale", "version": <current>}`."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "此记录已被他人修改，请重新读取后再保存。"
    default_code = "stale"

    def __init__(self, current=None, detail=None):
        super().__init__(detail)
        self.current_version = getattr(current, "version", None)


def as_drf(error: DjangoValidationError) -> APIException:
    """A service's ValidationError as the API's 400, field by field where it has fields; a stale version as 409."""
    if isinstance(error, ConcurrentEditError):
        return Conflict(error.current)
    codes = {item.code for item in error.error_list} if not hasattr(error, "error_dict") else {
        item.code for items in error.error_dict.values() for item in items}
    if codes == {"does_not_exist"}:
        return NotFound(error.message_dict if hasattr(error, "error_dict") else " ".join(error.messages))
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


def not_found(field: str, message: str) -> DjangoValidationError:
    """A record named in the request that does not exist or lies outside the caller's scope: 404 naming the field
    (through `as_drf`), as the record's own address answers."""
    return DjangoValidationError({field: DjangoValidationError(message, code="does_not_exist")})


def validated(serializer_class, request, **kwargs) -> dict:
    """The request's body checked by `serializer_class`: its validated data, or the 400 naming each field."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def required_version(request) -> int:
    """The `version` a change to an existing record must carry (PATCH/PUT): 400 naming the field when it is missing
    or not a whole number. Without it a write could silently overwrite someone else's."""
    value = request.data.get("version") if hasattr(request.data, "get") else None
    if value is None or value == "":
        raise ValidationError({"version": [VERSION_REQUIRED]})
    if isinstance(value, bool) or not str(value).isdigit() or int(value) > MAX_ID:
        raise ValidationError({"version": ["version 应为读取记录时得到的版本号（非负整数）。"]})
    return int(value)


def _codes(detail):
    if isinstance(detail, dict):
        return {code for value in detail.values() for code in _codes(value)}
    if isinstance(detail, list):
        return {code for value in detail for code in _codes(value)}
    return {getattr(detail, "code", None)}


def exception_handler(exc, context):
    """DRF's handler, plus: a service's ValidationError answers as the API's 400 field by field (`as_drf`), so API
    views call services without wrapping them; a stale version answers 409 like any other, and every 409 carries the
    record's current version; a request refused only because the records it names do not exist (or lie outside the
    caller's scope) answers 404 naming the fields, as the record's own address would."""
    if isinstance(exc, DjangoValidationError):  # ConcurrentEditError included: as_drf makes it the 409
        exc = as_drf(exc)
    if isinstance(exc, ValidationError) and _codes(exc.detail) == {"does_not_exist"}:
        response = drf_exception_handler(NotFound(), context)
        response.data = exc.detail
        return response
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, Conflict):
        response.data = {"detail": str(exc.detail), "code": "stale", "version": exc.current_version}
    return response


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


class DecimalText(serializers.DecimalField):
    """A decimal a client sends, documented (wenming.core.schema.DecimalTextExtension) as exactly the texts the server
    takes: at least one digit, no more whole digits or places than allowed, no sign when it cannot be negative, no
    zero when it must be positive."""

    def schema_pattern(self) -> str:
        whole, places = self.max_digits - self.decimal_places, self.decimal_places
        fraction = rf"(?:\.\d{{1,{places}}})?" if places else ""
        if self.min_value is not None and Decimal(self.min_value) > 0:
            tiny = r"0?\.(?:0[1-9]|[1-9]\d?)" if places >= 2 else r"0?\.[1-9]"
            return rf"^(?:[1-9]\d{{0,{whole - 1}}}{fraction}|{tiny})$"
        sign = "" if self.min_value is not None and Decimal(self.min_value) >= 0 else "-?"
        return rf"^{sign}\d{{1,{whole}}}{fraction}$"

