"""The 操作手册: both languages, the search, every page's “本页帮助” link, the persona walk, the print view."""

import re

import pytest
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import translation

from wenming.core.tests.test_permission_matrix import all_url_names
from wenming.help import guide
from wenming.testing import PERSONA_NAMES

pytestmark = pytest.mark.django_db

QUERIES = 6  # the shell every page draws (session, person, header); the guide itself reads no table


def anchors(slug: str, tree: str) -> set[str]:
    return set(re.findall(r'\bid="([\w-]+)"', guide.chapter_html(slug, tree)))


def test_help_answers_in_chinese_and_in_english(cast, client_for):
    client = client_for(cast["staff_a"])
    chinese = client.get(reverse("help:section", args=["office"])).content.decode()
    assert "新建创建活动" in chinese and "导入测评细则" in chinese
    client.post(reverse("set_language"), {"language": "en", "next": "/help/"})
    english = client.get(reverse("help:section", args=["office"])).content.decode()
    assert 'lang="en"' in english and "Start a campaign" in english and "<kbd>New campaign</kbd>" in english
    assert client.get(reverse("help:index")).status_code == 200


def test_both_languages_have_the_same_chapters_sections_and_screenshots():
    for chapter in guide.CHAPTERS:
        assert anchors(chapter.slug, "zh") == anchors(chapter.slug, "en"), chapter.slug
        shots_zh = re.findall(r'help/shots/([\w-]+)-desk', guide.chapter_html(chapter.slug, "zh"))
        shots_en = re.findall(r'help/shots/([\w-]+)-desk', guide.chapter_html(chapter.slug, "en"))
        assert shots_zh == shots_en, chapter.slug


def test_search_finds_a_chinese_term(cast, client_for):
    response = client_for(cast["liaison_a"]).get(reverse("help:search"), {"q": "退回"})
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("help:section", args=["faq"]) + "#returned" in page  # “退回”是什么意思？
    with translation.override("zh-hans"):
        assert any(hit["anchor"] == "refused" for hit in guide.search("压缩炸弹"))
        assert guide.search("扫码 签到")  # every word must occur, anywhere in the section
        assert guide.search("没有这个词的章节xyz") == []


def test_search_in_english(cast, client_for):
    with translation.override("en"):
        assert any(hit["chapter"].slug == "faq" for hit in guide.search("returned"))


def test_every_page_help_link_points_at_an_existing_section():
    names = all_url_names()
    for url_name, target in guide.PAGE_HELP.items():
        assert url_name in names, f"PAGE_HELP names a page that does not exist: {url_name}"
        slug, anchor = guide.target_of(url_name)
        assert slug in guide.BY_SLUG, target
        for tree in ("zh", "en"):
            assert anchor in anchors(slug, tree), f"{url_name} → {target}: no section #{anchor} in the {tree} guide"


def test_every_page_carries_its_help_link(cast, client_for):
    client = client_for(cast["office"])
    page = client.get(reverse("campaigns:list")).content.decode()
    assert f'class="page-help" href="{reverse("help:section", args=["office"])}#campaign"' in page
    unmapped = client.get(reverse("recycle_bin")).content.decode()
    assert 'class="page-help" href="/help/faq/#recycle"' in unmapped
    profile = client.get(reverse("org:tokens")).content.decode()
    assert 'class="page-help"' in profile


def test_a_page_without_a_section_links_to_the_start(rf):
    assert guide.target_of("notifications:preferences") == ("", "")
    from django.template import Context, Template

    request = rf.get("/")
    request.resolver_match = None
    html = Template("{% load help %}{% page_help %}").render(Context({"request": request}))
    assert html == reverse("help:section", args=["quickstart"])


def test_the_menu_lists_the_guide_for_everyone_signed_in(cast, client_for):
    for persona in PERSONA_NAMES:
        if persona == "anonymous":
            continue
        page = client_for(cast[persona]).get(reverse("home")).content.decode()
        assert f'href="{reverse("help:index")}"' in page, persona


def test_before_sign_in_only_the_quickstart_is_readable(client):
    assert client.get(reverse("help:section", args=["quickstart"])).status_code == 200
    assert client.get(reverse("help:section", args=["office"])).status_code == 302
    assert client.get(reverse("help:index")).status_code == 302
    assert "help/quickstart/" in client.get(reverse("login")).content.decode()
    assert client.get("/help/nosuchchapter/").status_code == 404


def test_the_print_view_has_every_chapter_and_a_table_of_contents(cast, client_for):
    page = client_for(cast["office"]).get(reverse("help:print")).content.decode()
    assert "目录" in page
    for chapter in guide.CHAPTERS:
        assert f'id="ch-{chapter.slug}"' in page
    ids = re.findall(r'\bid="([\w-]+)"', page)
    assert len(ids) == len(set(ids)), "anchors repeat on the one-page view"
    for target in re.findall(r'href="#([\w-]+)"', page):
        assert target in ids, target


def test_the_guide_makes_no_outside_request(cast, client_for):
    client = client_for(cast["office"])
    for chapter in guide.CHAPTERS:
        page = client.get(reverse("help:section", args=[chapter.slug])).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', page), chapter.slug


@pytest.mark.parametrize(("url", "query"), [
    (reverse_lazy("help:index"), {}), (reverse_lazy("help:section", args=["office"]), {}),
    (reverse_lazy("help:search"), {"q": "材料"}), (reverse_lazy("help:print"), {}),
])
def test_help_pages_query_count_is_constant(cast, client_for, django_assert_num_queries, url, query):
    """The guide reads no table: what a page costs is the shell's (session, person, header), the same for any guide."""
    client = client_for(cast["office"])
    client.get(url, query)  # warm: the chapters render once per process
    with django_assert_num_queries(QUERIES):
        client.get(url, query)


def test_reverse_of_every_chapter():
    for chapter in guide.CHAPTERS:
        try:
            reverse("help:section", args=[chapter.slug])
        except NoReverseMatch:  # pragma: no cover
            pytest.fail(chapter.slug)


def test_the_search_marks_the_words_and_escapes_what_was_typed(cast, client_for):
    client = client_for(cast["staff_a"])
    page = client.get(reverse("help:search"), {"q": "签到"}).content.decode()
    assert "<mark>签到</mark>" in page
    hostile = client.get(reverse("help:search"), {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in hostile and "&lt;script&gt;" in hostile
