from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenming.core.errors import ConcurrentEditError


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


@dataclass
class Saved:
    """What became of a form's POST: `ok` with the service's return `value`, or not (errors are on the form), with
    the side-by-side `conflict` rows after a stale save (the page then answers 409)."""

    ok: bool = False
    value: object = None
    conflict: list | None = None
    current: object = None  # after a stale save: the record as the other person saved it

    @property
    def status(self) -> int:
        return 409 if self.conflict else 200


def form_save(request, form, write: Callable[[dict], object]) -> Saved:
    """The skeleton every create and edit screen shares: on a valid POST call `write(form.cleaned_data)` (the
    service call); a stale save shows both versions and re-arms the form (`stale_save`); any other ValidationError
    lands on the form's fields. Nothing is written unless the service returns."""
    if request.method != "POST" or not form.is_valid():
        return Saved()
    try:
        value = write(form.cleaned_data)
    except ConcurrentEditError as error:
        return Saved(conflict=stale_save(form, error.current), current=error.current)
    except ValidationError as error:
        add_errors(form, error)
        return Saved()
    return Saved(ok=True, value=value)


def form_page(request, form, write: Callable[[dict], object], *, template: str, context, then,
              message=None, invalid_status: int = 200) -> HttpResponse:
    """A create or edit screen: `form_save`, then on success the `message` (or a function of the saved value
    giving it) and a redirect to `then` (a URL name
    with its arguments as a tuple, a URL, or a function of the saved value returning either); otherwise the page
    again with the form, its errors (answered with `invalid_status`) and any stale-save `conflict` (409)."""
    saved = form_save(request, form, write)
    if saved.ok:
        message = message(saved.value) if callable(message) else message
        if message:
            messages.success(request, message)
        target = then(saved.value) if callable(then) else then
        return redirect(*target) if isinstance(target, tuple) else redirect(target)
    status = saved.status if saved.conflict or not form.errors else invalid_status
    context = context() if callable(context) else context  # a function: built only when the page is drawn
    return render(request, template, {**context, "form": form, "conflict": saved.conflict}, status=status)


def act(request, write: Callable[[], object], *, message=None, stale: str | None = None) -> bool:
    """A button's POST (no form to show again): call `write()` (the service call) and tell the outcome as flash
    messages — `message` on success (or a function of what `write` returned, giving the message), each of a
    ValidationError's messages, `stale` (if given) after a stale save. True when it was written."""
    try:
        value = write()
    except ConcurrentEditError as error:
        for text in [stale] if stale else error.messages:
            messages.error(request, text)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        message = message(value) if callable(message) else message
        if message:
            messages.success(request, message)
        return True
    return False
