from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wenming.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from django import forms
        from django.core import validators

        from wenming.core import memo  # noqa: F401 — watches every connection's writes from its first query
        from wenming.core.text import CONTROL_MESSAGE, ProhibitControlCharactersValidator

        # Every text field of every form refuses control characters, set once here rather than in 50 forms
        # (the API refuses them in its parsers, wenming.core.parsers). Django's own null-character check stays
        # on every CharField; its message, translated by Django as "不允许是用空字符串。", becomes ours.
        forms.CharField.default_validators = [ProhibitControlCharactersValidator(null=False)]
        validators.ProhibitNullCharactersValidator.message = CONTROL_MESSAGE
