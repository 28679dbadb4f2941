"""Our format overrides (settings.FORMAT_MODULE_PATH); what is not defined here comes from Django's locale files.

Browsers' <input type="date"> and <input type="datetime-local"> accept only ISO values (2026-12-16,
2026-12-16T09:30): a form widget renders its value with the first of the language's *_INPUT_FORMATS, and Django's
Chinese formats put "2026/12/16" first, which a date input shows as empty (and the form then fails "必填").
"""
