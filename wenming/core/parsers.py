"""The API's parsers: DRF's own, each refusing control characters in any submitted text (issue 19).

One place for every endpoint and every field, declared or not: a 400 naming the field, before a serializer runs.
Views that choose their own parsers take them from here too.
"""

from rest_framework import parsers
from rest_framework.exceptions import ValidationError

from wenming.core.text import CONTROL_MESSAGE, first_control_path


def _refuse_control_characters(data):
    path = first_control_path(data.data if isinstance(data, parsers.DataAndFiles) else data)
    if path is not None:
        raise ValidationError({path or "detail": [str(CONTROL_MESSAGE)]})
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _refuse_control_characters(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _refuse_control_characters(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _refuse_control_characters(super().parse(stream, media_type, parser_context))
