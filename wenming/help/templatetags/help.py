from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from wenming.help import guide, shots

register = template.Library()


@register.simple_tag(takes_context=True)
def page_help(context) -> str:
    """The address of this page's section of the guide (“本页帮助”); the guide's start for a page without one."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    slug, anchor = guide.target_of(match.view_name if match else None)
    if not slug:
        return reverse("help:section", args=["quickstart"])
    return reverse("help:section", args=[slug]) + (f"#{anchor}" if anchor else "")


@register.simple_tag
def shot(name: str, caption: str) -> str:
    """A screenshot the browser tests keep current (`shots.SHOTS`): the desktop picture, the phone one beside it.
    The caption is written in the chapter's own language."""
    shots.SHOTS[name]  # a name not declared there fails the page at once, not silently
    return format_html(
        '<figure class="help-shot"><div class="help-shot-pair">'
        '<img class="help-desk" src="{}" alt="{}" loading="lazy" width="683" height="427">'
        '<img class="help-phone" src="{}" alt="{}" loading="lazy" width="195" height="422">'
        '</div><figcaption>{}</figcaption></figure>',
        static(shots.static_path(name, "desk")), caption, static(shots.static_path(name, "phone")),
        f"{caption} · 390 px", caption,
    )
