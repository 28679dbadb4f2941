"""The window title: the page's own, then the product's name (a clerk with many tabs open finds the right one)."""

import re

from django.urls import reverse


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_a_page_title_comes_first_then_the_product(cast, client_for):
    assert title_of(client_for(None).get(reverse("login"))) == "登录 · 文明创建管理平台"
    assert title_of(client_for(cast["office"]).get(reverse("org:people"))).endswith(" · 文明创建管理平台")


def test_the_title_in_english(client_for):
    client = client_for(None)
    client.cookies["django_language"] = "en"
    assert title_of(client.get(reverse("login"))).endswith(" · Wenming Campaign Platform")
