"""The 操作手册: its chapters, the page → section map behind every page's “本页帮助”, and the search.

Each chapter is a Django template in two trees, `help/zh/<slug>.html` (the text people read first) and
`help/en/<slug>.html` (the same chapter in English); the active language picks the tree. A chapter's sections are its
`<h2 id="…">`; `{% shot "name" %}` places a screenshot the browser tests keep current (see `shots.py`).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: object  # lazy: the active language's
    who: object = ""  # the demo account that plays this role, shown beside the title
    public: bool = False  # readable before sign-in


CHAPTERS = [
    Chapter("quickstart", _("五分钟上手"), public=True),
    Chapter("office", _("创建办"), "office"),
    Chapter("liaison", _("部门联络员"), "liaison_a"),
    Chapter("staff", _("干警"), "staff_a"),
    Chapter("leader", _("领导"), "leader"),
    Chapter("evaluator", _("测评员"), "evaluator"),
    Chapter("admin", _("系统管理员"), "admin"),
    Chapter("security", _("安全管理员"), "security"),
    Chapter("auditor", _("审计管理员"), "auditor"),
    Chapter("faq", _("常见问题")),
]
BY_SLUG = {chapter.slug: chapter for chapter in CHAPTERS}

# Page (URL name) → "chapter#section" of the guide. A page not listed links to the guide's start.
PAGE_HELP = {
    "home": "quickstart#workbench",
    "login": "quickstart#sign-in",
    "password_change": "quickstart#password",
    "notifications:list": "quickstart#bell",
    "notifications:announcements": "quickstart#bell",
    "org:tokens": "admin#tokens",
    "campaigns:list": "office#campaign",
    "campaigns:create": "office#campaign",
    "campaigns:home": "office#campaign",
    "campaigns:roster": "office#campaign",
    "campaigns:import": "office#annex",
    "campaigns:import_preview": "office#annex",
    "campaigns:current_tasks": "office#assign",
    "campaigns:tasks": "office#assign",
    "campaigns:task": "liaison#tasks",
    "campaigns:my_work": "staff#my-work",
    "standards:list": "office#standard",
    "standards:import": "office#standard",
    "standards:import_preview": "office#standard",
    "standards:detail": "office#standard",
    "evidence:index": "office#review",
    "evidence:list": "office#review",
    "evidence:detail": "office#review",
    "evidence:create": "staff#upload",
        "evidence:gaps_index": "office#gaps",
    "evidence:gaps": "office#gaps",
    "evidence:archive": "office#archive",
    "assessments:index": "office#self-check",
    "assessments:list": "office#self-check",
    "assessments:detail": "office#self-check",
    "assessments:ledger": "office#rectify",
    "assessments:rectification": "office#rectify",
    "assessments:ledger_index": "office#rectify",
    "supervision:index": "office#supervise",
    "supervision:orders": "office#supervise",
    "supervision:order_create": "office#supervise",
    "supervision:order_detail": "liaison#supervise",
    "supervision:dashboard": "leader#dashboard",
    "activities:list": "office#activities",
    "activities:detail": "office#activities",
    "activities:attendance": "office#activities",
    "activities:volunteers": "office#activities",
    "activities:sign_in": "staff#sign-in",
    "surveys:list": "office#surveys",
    "surveys:detail": "office#surveys",
    "reports:index": "office#report",
    "reports:list": "office#report",
    "funding:index": "office#funding",
    "publicity:index": "office#funding",
    "org:people": "admin#people",
    "org:person_create": "admin#people",
    "org:roster_import": "admin#people",
    "org:person_edit": "admin#people",
    "org:person_roles": "security#roles",
    "org:departments": "admin#departments",
    "org:security_policy": "security#policy",
    "audit:events": "auditor#events",
    "recycle_bin": "faq#recycle",
}


def language_tree() -> str:
    return "en" if (get_language() or "zh-hans").startswith("en") else "zh"


def template_for(slug: str, tree: str | None = None) -> str:
    return f"help/{tree or language_tree()}/{slug}.html"


def target_of(url_name: str | None) -> tuple[str, str]:
    """(chapter slug, section anchor) for a page; the guide's start when the page has none."""
    found = PAGE_HELP.get(url_name or "")
    if not found:
        return "", ""
    slug, _sep, anchor = found.partition("#")
    return slug, anchor


@lru_cache(maxsize=64)
def chapter_html(slug: str, tree: str) -> str:
    """A chapter's body as HTML (it depends on nothing but the template, so it is rendered once per process)."""
    return render_to_string(template_for(slug, tree))


ANCHOR = re.compile(r'\b(id="|href="#)([\w-]+)"')


def anchored(slug: str, tree: str) -> str:
    """A chapter for the one-page print view, its anchors prefixed with the chapter (“office-review”), so the
    sections of all chapters can share one page and its 目录."""
    return ANCHOR.sub(lambda match: f'{match.group(1)}{slug}-{match.group(2)}"', chapter_html(slug, tree))


def print_chapters(tree: str, numbers: dict | None = None) -> list[dict]:
    """The chapters for the one-page print view, with the page numbers of the 目录 when they are known."""
    from django.utils.safestring import mark_safe

    numbers = numbers or {}
    return [
        {"chapter": chapter, "body": mark_safe(anchored(chapter.slug, tree)),  # our own templates
         "page": numbers.get(f"ch-{chapter.slug}"),
         "sections": [(anchor, heading, numbers.get(f"{chapter.slug}-{anchor}"))
                      for anchor, heading, _text in sections_of(chapter.slug, tree) if anchor]}
        for chapter in CHAPTERS
    ]


SECTION = re.compile(r'<h2 id="([\w-]+)"[^>]*>(.*?)</h2>', re.S)
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


INLINE = re.compile(r"</?(?:kbd|b|a|code|span|strong|em)\b[^>]*>")


def plain(html: str) -> str:
    """The text of some HTML: inline tags vanish (Chinese needs no space around a <kbd>), block tags part words."""
    return SPACE.sub(" ", unescape(TAG.sub(" ", INLINE.sub("", html)))).strip()


def marked(text: str, words: list[str]) -> str:
    """The snippet with each searched word in <mark> (escaped; case-insensitive)."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    pattern = re.compile("|".join(re.escape(word) for word in words), re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last:match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


@lru_cache(maxsize=64)
def sections_of(slug: str, tree: str) -> tuple[tuple[str, str, str], ...]:
    """((anchor, heading, plain text), …) of a chapter: the part before the first <h2> has the anchor ""."""
    html = chapter_html(slug, tree)
    parts = SECTION.split(html)
    found = [("", "", plain(parts[0]))]
    for index in range(1, len(parts), 3):
        found.append((parts[index], plain(parts[index + 1]), plain(parts[index + 2])))
    return tuple(found)


def search(query: str, tree: str | None = None, limit: int = 30) -> list[dict]:
    """Sections whose heading or text contain every word of the query (case-insensitive substrings: Chinese has no
    spaces to split on, so 退回 finds 被退回 and 退回原因), heading matches first, each with a snippet."""
    words = [word.casefold() for word in query.split() if word]
    if not words:
        return []
    tree = tree or language_tree()
    hits = []
    for chapter in CHAPTERS:
        for anchor, heading, text in sections_of(chapter.slug, tree):
            haystack = f"{heading} {text}".casefold()
            if not all(word in haystack for word in words):
                continue
            at = text.casefold().find(words[0])
            start = max(at - 40, 0) if at >= 0 else 0
            snippet = ("…" if start else "") + text[start:start + 120] + ("…" if len(text) > start + 120 else "")
            in_heading = all(word in heading.casefold() for word in words)
            hits.append({"chapter": chapter, "anchor": anchor, "heading": heading or str(chapter.title),
                         "snippet": marked(snippet, words), "rank": 0 if in_heading else 1})
    hits.sort(key=lambda hit: hit["rank"])
    return hits[:limit]
