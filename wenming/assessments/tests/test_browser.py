"""Two people score the same self-check at once in a real Chromium: lines on different rows both save, a clash on
the same row is shown with the other person's value and resolved by choice, nothing is lost; evidence opens in
place."""

import re

import pytest
from django.utils import timezone

from wenming.assessments.models import Score
from wenming.assessments.tests.conftest import approve, self_check
from wenming.campaigns import services as campaign_services
from wenming.evidence import services as evidence_services
from wenming.evidence.tests.conftest import upload_photos
from wenming.standards.tests.workbooks import make_standard
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_people_scoring_at_once_lose_nothing(browser, live_server, output_dir):
    from playwright.sync_api import expect

    cast = build_cast()
    year = timezone.localdate().year
    standard = make_standard(cast.unit, cast["office"], published=True)
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit,
                                                 title=f"{year}年创建市级文明单位", year=year, standard=standard)
    evidence = upload_photos(cast, campaign, codes=("1",), count=2, title="领导小组成立会议照片")
    approve(cast, evidence)
    evidence_services.thumbnails_make(list(evidence.files.values_list("pk", flat=True)))
    own = self_check(cast, campaign, team=[cast["liaison_a"]])
    first, second, third = (standard.criteria.get(code=code) for code in ("1", "2", "3"))
    url = f"{live_server.url}/assessments/{own.pk}/"

    office_context, office = new_page(browser, width=1440)
    liaison_context, liaison = new_page(browser, width=1440)
    for page in (office, liaison):  # the bell polls on its own clock; keep the single SQLite writer for the scoring
        page.route("**/notifications/bell/**", lambda route: route.fulfill(status=200, body=""))
    sign_in(office, live_server.url, cast["office"].username)
    sign_in(liaison, live_server.url, cast["liaison_a"].username)
    # One page at a time: the live server's SQLite allows one writer, and every request touches the session.
    office.goto(url)
    office.wait_for_load_state("networkidle")
    liaison.goto(url)
    liaison.wait_for_load_state("networkidle")

    # Different lines: each saves itself on leaving the field (Tab / Enter), with a visible 已保存.
    office.fill(f"#line-{first.pk} input[name=points]", "1")
    office.keyboard.press("Tab")
    expect(office.locator(f"#state-{first.pk} .saved")).to_be_visible()
    liaison.fill(f"#line-{second.pk} input[name=points]", "0.5")
    liaison.keyboard.press("Enter")
    expect(liaison.locator(f"#state-{second.pk} .saved")).to_be_visible()
    expect(liaison.locator(f"#line-{third.pk} input[name=points]")).to_be_focused()
    expect(liaison.locator("#sheet-totals .total-value")).to_have_text("1.5")

    # The same line: the office saves first; the liaison's stale save is refused and shows the office's value.
    office.fill(f"#line-{third.pk} input[name=points]", "2")
    office.fill(f"#line-{third.pk} input[name=note]", "纪要2份")
    expect(office.locator(f"#state-{third.pk} .saved")).to_be_visible()
    liaison.fill(f"#line-{third.pk} input[name=points]", "1.5")
    liaison.keyboard.press("Tab")
    conflict = liaison.locator(f"#state-{third.pk} .conflict-note")
    expect(conflict).to_contain_text("创建办 已于")
    expect(conflict).to_contain_text("2.0 分")
    liaison.screenshot(path=str(output_dir / "assessments-conflict.png"), full_page=False)
    assert Score.objects.get(assessment=own, criterion=third).points == 2

    # The liaison decides: keep mine. The line saves with the version the conflict handed back.
    liaison.click(f"#state-{third.pk} >> text=用我的覆盖")
    expect(liaison.locator(f"#state-{third.pk} .saved")).to_be_visible()
    assert Score.objects.get(assessment=own, criterion=third).points == 1.5
    expect(liaison.locator("#sheet-totals .total-value")).to_have_text("3.0")

    # The office keeps working on its stale line (its note still unsaved, then a new score): both queued saves are
    # refused, never applied silently; it takes the other's value and its row reloads with 1.5.
    office.fill(f"#line-{third.pk} input[name=points]", "1.8")
    office.keyboard.press("Tab")
    expect(office.locator(f"#state-{third.pk} .conflict-note")).to_contain_text("联络员甲")
    expect(office.locator(f"#line-{third.pk}")).not_to_have_class(re.compile("htmx-request"))
    office.screenshot(path=str(output_dir / "assessments-conflict-office.png"))
    office.click(f"#state-{third.pk} >> text=采用对方的")
    expect(office.locator(f"#line-{third.pk} input[name=points]")).to_have_value("1.5")
    assert {s.criterion_id: s.points for s in Score.objects.filter(assessment=own)} == {
        first.pk: 1, second.pk: 0.5, third.pk: 1.5}

    # Evidence opens in place.
    office.click(f"#line-{first.pk} .evidence-strip a[data-preview]")
    expect(office.locator("#evidence-preview")).to_be_visible()
    expect(office.locator("#evidence-preview .preview-caption")).to_have_text("领导小组成立会议照片")
    office.screenshot(path=str(output_dir / "assessments-preview.png"))
    office.keyboard.press("Escape")
    expect(office.locator("#evidence-preview")).to_be_hidden()
    office.screenshot(path=str(output_dir / "assessments-sheet.png"), full_page=True)

    for page in (office, liaison):  # a refused save is logged by the browser as a 409; nothing else may be
        errors = [e for e in page.console_errors if "status of 409" not in e]
        assert not errors, errors
    office_context.close()
    liaison_context.close()


def test_a_big_sheet_loads_categories_as_they_scroll_in_and_enter_goes_on(browser, live_server, output_dir,
                                                                          monkeypatch):
    """Above LAZY_SHEET_LINES (here lowered to 1) the sheet draws its categories; the first loads at once, and Enter
    on its last line opens the next category and puts the cursor on its first line."""
    from playwright.sync_api import expect

    from wenming.assessments import views

    monkeypatch.setattr(views, "LAZY_SHEET_LINES", 1)
    cast = build_cast()
    year = timezone.localdate().year
    standard = make_standard(cast.unit, cast["office"], published=True)
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit,
                                                 title=f"{year}年创建市级文明单位", year=year, standard=standard)
    own = self_check(cast, campaign)
    context, page = new_page(browser, width=1440)
    page.route("**/notifications/bell/**", lambda route: route.fulfill(status=200, body=""))
    sign_in(page, live_server.url, cast["office"].username)
    page.goto(f"{live_server.url}/assessments/{own.pk}/")
    page.wait_for_load_state("networkidle")
    categories = page.locator("tbody[id^=cat-body-]")
    assert categories.count() >= 2
    first_category = categories.nth(0)
    expect(first_category.locator("tr[data-line]").first).to_be_visible(timeout=15_000)  # loaded as it was on screen
    assert categories.last.locator("tr.lazy-rows").count() == 1  # the last waits below, out of view
    page.screenshot(path=str(output_dir / "scoring-big-sheet.png"), full_page=False)

    last = first_category.locator("tr[data-line]").last
    last.locator("[data-first]").focus()
    page.keyboard.press("Enter")
    second_first_line = categories.nth(1).locator("tr[data-line]").first
    expect(second_first_line.locator("[data-first]")).to_be_focused(timeout=15_000)  # a loaded CI machine
    context.close()
