"""The 操作手册 at /help/: the contents, one page per chapter, the search and the single printable page.

Any signed-in person reads all of it (the guide holds no data, only how the screens work). 五分钟上手 is readable
before sign-in too: it is what a new person needs to sign in at all, and the sign-in page links to it.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe

from wenming.help import guide


def index(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "help/index.html", {"chapters": guide.CHAPTERS})


def section(request, slug):
    chapter = guide.BY_SLUG.get(slug)
    if chapter is None:
        raise Http404
    if not chapter.public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    tree = guide.language_tree()
    position = guide.CHAPTERS.index(chapter)
    return render(request, "help/chapter.html", {
        "chapter": chapter, "chapters": guide.CHAPTERS,
        "body": mark_safe(guide.chapter_html(slug, tree)),  # our own template, rendered once per process
        "sections": [(anchor, heading) for anchor, heading, _text in guide.sections_of(slug, tree) if anchor],
        "previous": guide.CHAPTERS[position - 1] if position else None,
        "next": guide.CHAPTERS[position + 1] if position + 1 < len(guide.CHAPTERS) else None,
        "bare": not request.user.is_authenticated,
    })


@login_required
def search(request):
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "help/search.html", {"query": query, "hits": guide.search(query) if query else []})


@login_required
def print_view(request):
    """Every chapter on one page for printing and for `wenming export_guide` (A4, numbered pages, 目录)."""
    return render(request, "help/print.html", {"chapters": guide.print_chapters(guide.language_tree())})
