from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PickerSelectMultiple(forms.SelectMultiple):
    """A real <select multiple> that core/picker.js turns into a searchable picker with chips (type to filter,
    arrows, Enter to add, Backspace or × to remove). Without JavaScript it stays a plain multi-select; either way
    the form posts the same values."""

    def __init__(self, attrs=None, choices=()):
        attrs = {"data-picker": "", "size": 8, **(attrs or {})}
        attrs.setdefault("data-picker-placeholder", gettext_lazy("输入名称或编号筛选，回车添加"))
        attrs.setdefault("data-picker-remove", gettext_lazy("移除"))
        attrs.setdefault("data-picker-empty", gettext_lazy("没有匹配的选项"))
        super().__init__(attrs, choices)


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _display(value, choices: dict) -> str:
    """A value as a person reads it: choice labels for ids, names for records, 是/否, — for nothing."""
    if hasattr(value, "all"):  # a many-to-many manager
        value = list(value.all())
    if isinstance(value, list | tuple | set):
        return "、".join(_display(item, choices) for item in value) or "—"
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    for key in (value, getattr(value, "pk", None), str(value)):
        if key is not None and key in choices:
            return str(choices[key]).strip("　 ")
    return str(value).strip("　 ")


def stale_save(form, current) -> list[tuple[str, str, str, bool]]:
    """After a stale save (ConcurrentEditError): both versions side by side for every form field the record has,
    and the form re-armed with the saved version, so that saving again is a deliberate choice, never silent."""
    rows = []
    typed_values = getattr(form, "cleaned_data", {}) or {}
    for name, field in form.fields.items():
        if name == "version" or not hasattr(current, name):
            continue
        choices = {}
        for key, label in getattr(field, "choices", []) or []:
            if not isinstance(label, list | tuple):
                choices[key] = label
                choices[str(key)] = label
        saved = _display(getattr(current, name), choices)
        typed = _display(typed_values.get(name, form.data.get(name)), choices)
        rows.append((str(field.label), saved, typed, saved != typed))
    data = form.data.copy()
    data["version"] = current.version
    form.data = data
    form.add_error(None, _("此记录已被他人修改。下表是他人保存的版本和您填写的内容；您的内容仍在表单中，核对后再次保存将以您的内容为准。"))
    return rows
