from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def conflict_rows(form, current, fields: dict[str, str]) -> list[tuple[str, str, str, bool]]:
    """Both versions side by side after a stale save: (label, what the other person saved, what you typed, differs).

    `fields` maps form field names to attribute names on the saved record.
    """
    rows = []
    for form_field, attribute in fields.items():
        field = form.fields[form_field]
        saved = getattr(current, attribute)
        typed = form.cleaned_data.get(form_field) if hasattr(form, "cleaned_data") else form.data.get(form_field)
        choices = dict(getattr(field, "choices", []) or [])
        saved_text = str(choices.get(saved, saved) if saved not in (None, "") else "—")
        typed_text = str(choices.get(typed, typed) if typed not in (None, "") else "—")
        rows.append((str(field.label), saved_text, typed_text, saved_text != typed_text))
    return rows
