from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wenming.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from django import forms
        from django.core import validators
        from rest_framework import fields as api_fields

        from wenming.core import memo  # noqa: F401 — watches every connection's writes from its first query
        from wenming.core.text import CONTROL_MESSAGE, ProhibitControlCharactersValidator

        # Every text field of every form and serializer refuses control characters: set once here rather than in
        # 50 forms and 76 serializers. Forms: a default validator of forms.CharField (Django's own null-character
        # check stays; its message, translated by Django as "不允许是用空字符串。", becomes ours). Serializers: DRF's
        # CharField adds the null-character validator it names in its module; that name now means ours, which
        # refuses every control character, NUL included. Only declared fields are checked: an unknown field is
        # ignored as before. The schema says so (wenming.core.schema.no_control_characters).
        forms.CharField.default_validators = [ProhibitControlCharactersValidator(null=False)]
        validators.ProhibitNullCharactersValidator.message = CONTROL_MESSAGE
        api_fields.ProhibitNullCharactersValidator = ProhibitControlCharactersValidator
