from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()
_decorative: dict[str, str] = {}  # icon name → markup: a page draws dozens and the sprite's URL never changes


@receiver(setting_changed)
def _forget_icons(*, setting, **kwargs):
    if setting.startswith("STATIC") or setting == "STORAGES":
        _decorative.clear()


@register.simple_tag
def icon(name: str, label: str = "") -> str:
    """An icon from the vendored Lucide sprite; decorative unless a label is given."""
    if not label and name in _decorative:
        return _decorative[name]
    aria = format_html('role="img" aria-label="{}"', label) if label else mark_safe('aria-hidden="true"')
    markup = format_html(
        '<svg class="icon" {}><use href="{}#i-{}"></use></svg>', aria,
        static("vendor/icons/lucide-sprite.svg"), name,
    )
    if not label:
        _decorative[str(name)] = markup
    return markup


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def audit_changes(event) -> list[tuple[str, object, object]]:
    """(field, before, after) for every key that differs between an audit row's before and after."""
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", before, after)]
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return [(key, before.get(key, ""), after.get(key, "")) for key in keys if before.get(key) != after.get(key)]


@register.filter
def days_until(day) -> int | None:
    """Whole days from today (Asia/Shanghai) to `day`; negative once it has passed."""
    if not day:
        return None
    from django.utils import timezone

    return (day - timezone.localdate()).days


class MemoNode(template.Node):
    def __init__(self, nodelist, name: str, keys):
        self.nodelist, self.name, self.keys = nodelist, name, keys

    def render(self, context):
        from django.utils.translation import get_language

        from wenming.core.memo import memoized

        key = (get_language(), *(str(k.resolve(context)) for k in self.keys))
        return memoized(f"block:{self.name}", key, lambda: mark_safe(self.nodelist.render(context)))


@register.tag
def memo(parser, token):
    """`{% memo "name" key1 key2 … %}…{% endmemo %}`: the block's markup kept until the data changes
    (`wenming.core.memo`) for this language and these keys. The keys must name everything the block shows that is
    not in the database as of the revision: the person (when what they may see differs), the filters, the day.
    Never wrap a form: its CSRF token belongs to one session."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% memo %} needs a name")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]])


@register.filter(is_safe=True)
def page_title(title) -> str:
    """The window's title: the page's own (already escaped by its block), then the product's name."""
    from django.utils.translation import gettext

    name = gettext("文明创建管理平台")
    title = str(title).strip()
    return mark_safe(f"{title} · {name}" if title else name)  # noqa: S308 - the block's output is escaped
