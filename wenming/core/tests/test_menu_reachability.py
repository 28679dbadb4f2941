"""Every page a role may use is reachable from the menu or from the page it belongs to (issue 15, point 4).

On the demo data (`wenming demo`: one account per persona of STYLE.md, same names as `wenming.testing`), each
persona starts at the 工作台 and follows the links of every page it reaches — `href`, form `action`, `hx-get` /
`hx-post` and `src` — within the site, fetching at most `PER_PATTERN` pages of one URL pattern (60 tasks are the same
page) and `MAX_PAGES` in all. Then every URL pattern that no page linked to, for any persona, fails the test, except
API endpoints, downloads and the short allow-list below, each with its reason.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from wenming.campaigns import services as campaign_services
from wenming.core.tests.test_permission_matrix import all_url_names
from wenming.org.models import User
from wenming.standards import services as standard_services
from wenming.standards.models import Standard

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PERSONAS = ("admin", "security", "auditor", "office", "leader", "liaison_a", "staff_a", "liaison_b", "evaluator",
            "outsider", None)
PER_PATTERN = 3
MAX_PAGES = 400
LINK = re.compile(r'\b(?:href|action|hx-get|hx-post|src)="(/[^"]*)"')

# Downloads: files and generated documents, reached from a page's link but never pages themselves.
DOWNLOAD = re.compile(r"(download|export|file|thumbnail|document|template|attachment|xlsx|docx|photo|receipt|"
                      r"screenshot|print|qr|csv)", re.IGNORECASE)

# Patterns no page links to, on purpose. Keep it short; say why.
ALLOWED_UNLINKED = {
    # import previews: the upload form redirects there after a POST; their 确认导入 is a button on the preview
    "campaigns:import_preview": "after uploading an annex", "campaigns:import_confirm": "on the annex preview",
    "standards:import_preview": "after uploading a standard", "standards:import_confirm": "on the standard preview",
    "activities:volunteer_preview": "after uploading volunteer hours",
    # sign-in sends a person there when two-factor login is due
    "otp_setup": "two-factor setup during sign-in", "otp_verify": "two-factor code during sign-in",
    # buttons on rows the demo data has none of
    "recycle_restore": "a row of 回收站 (empty in the demo)", "recycle_purge": "a row of 回收站 (empty in the demo)",
    "notifications:delivery_retry": "a failed webhook delivery (none in the demo)",
    "supervision:order_answer": "an open 督办单 of the person's own department (the crawl opens three orders)",
    "evidence:archive_status": "a built archive's row on 迎检档案 (no archive built in the demo)",
    "standards:new_version": "offered on a published standard with no open draft (the walk opens one with a draft)",
    "activities:sign_in": "the QR code printed on an activity's sign-in sheet, scanned by a phone",
    "healthz": "for the load balancer", "health_json": "for monitoring (no sign-in, counts only)",
    "org:token_revoke": "a row of API 令牌 (the demo issues none)",
    "surveys:open": "offered on a survey still in draft (the demo's surveys are already collecting)",
    "surveys:public": "the answering page, reached through the QR poster or the group link, never from the menu",
    # a stable address for bookmarks that redirects to the current campaign's page; the tabs link that page itself
    "publicity:reports_index": "redirects to the current campaign's 向上级报送",
}


def is_api(name: str, route: str) -> bool:
    return route.startswith("api/") or name.startswith(("api", "schema")) or "-" in name.split(":")[-1]


def pattern_of(url: str):
    """(url name, route) of a site path, or None for static files and addresses off the site."""
    path = urlsplit(url).path
    if path.startswith(("/static/", "/media/")):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, match.route


def crawl(client: Client, linked: dict) -> int:
    """Follow links breadth-first from the 工作台; record every pattern linked; return the number of pages fetched."""
    queue, seen, fetched_per_pattern, pages = deque(["/"]), {"/"}, {}, 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        found = pattern_of(url)
        if found is None:
            continue
        name, route = found
        if is_api(name, route) or DOWNLOAD.search(name) or fetched_per_pattern.get(name, 0) >= PER_PATTERN:
            continue
        fetched_per_pattern[name] = fetched_per_pattern.get(name, 0) + 1
        response = client.get(url, follow=True)
        pages += 1
        for target, _status in response.redirect_chain:  # where a page sends a person counts as linked from it
            found = pattern_of(target)
            if found is not None:
                linked.setdefault(found[0], url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        base = response.request["PATH_INFO"]
        for raw in LINK.findall(response.content.decode()):
            target = urljoin(base, raw.replace("&amp;", "&")).split("#")[0]
            found = pattern_of(target)
            if found is None:
                continue
            linked.setdefault(found[0], base)
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return pages


def test_every_page_is_linked_from_the_menu_or_from_the_page_it_belongs_to(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--quiet-accounts")
    office = User.objects.get(username="office")
    # what a unit has a year on: last year's campaign (the header's switcher appears) and a draft of the standard
    campaign_services.campaign_create(actor=office, unit=office.unit, title="往年创建市级文明单位", year=2020)
    standard_services.standard_new_version(actor=office, standard=Standard.objects.get(unit=office.unit))
    linked: dict[str, str] = {}
    fetched = {}
    for persona in PERSONAS:
        client = Client()
        if persona is not None:
            client.force_login(User.objects.get(username=persona), backend="wenming.org.backends.UnitModelBackend")
        fetched[persona] = crawl(client, linked)
    assert fetched["office"] > 50, fetched  # the walk really went through the site
    unlinked = sorted(
        name for name in all_url_names()
        if name not in linked and name not in ALLOWED_UNLINKED and not DOWNLOAD.search(name)
        and not is_api(name, "") and not name.startswith("<unnamed")
    )
    assert unlinked == [], f"URL patterns no page links to (link them, or add them to ALLOWED_UNLINKED with a reason): {unlinked}"
