"""With the keyboard, as a scorer works: a score the standard allows (3.75 on a line counted in hundredths) saves and
Enter moves on; a refused score keeps the cursor on its line, with the message naming the line's code. Then the
leader's 预计得分 on the dashboard, with its method, at desktop and phone widths — and never an evaluator's
unsubmitted inspection."""

import pytest
from django.utils import timezone

from wenming.assessments import services
from wenming.assessments.models import Assessment, Score
from wenming.assessments.tests.conftest import approve, inspection, score, self_check
from wenming.campaigns import services as campaign_services
from wenming.evidence.tests.conftest import upload_photos
from wenming.standards.models import Criterion
from wenming.standards.tests.workbooks import make_standard
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enter_saves_and_moves_on_but_stays_on_a_refused_score(browser, live_server, output_dir):
    from playwright.sync_api import expect

    cast = build_cast()
    year = timezone.localdate().year
    standard = make_standard(cast.unit, cast["office"], published=True)
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit,
                                                 title=f"{year}年创建市级文明单位", year=year, standard=standard)
    first, second, third = (standard.criteria.get(code=code) for code in ("9", "1", "2"))
    Criterion.objects.filter(pk=first.pk).update(scoring="少一次扣1.25分")
    own = self_check(cast, campaign)
    context, page = new_page(browser, width=1366)
    page.route("**/notifications/bell/**", lambda route: route.fulfill(status=200, body=""))
    sign_in(page, live_server.url, cast["office"].username)
    page.goto(f"{live_server.url}/assessments/{own.pk}/")
    page.wait_for_load_state("networkidle")

    # 3.75 on the line whose rule counts in 1.25s: saved, and Enter moves to the next line.
    field = page.locator(f"#line-{first.pk} input[name=points]")
    field.click()
    field.fill("3.75")
    page.keyboard.press("Enter")
    expect(page.locator(f"#state-{first.pk} .saved")).to_be_visible()
    rows = page.locator("tr[data-line] [data-first]")
    ids = [rows.nth(i).evaluate("el => el.closest('tr').id") for i in range(rows.count())]
    following = ids[ids.index(f"line-{first.pk}") + 1]
    expect(page.locator(f"#{following} [data-first]")).to_be_focused()

    # Too many points on line 1: the message names the line by its code and the cursor stays on it.
    bad = page.locator(f"#line-{second.pk} input[name=points]")
    bad.click()
    bad.fill("5")
    page.keyboard.press("Enter")
    error = page.locator(f"#state-{second.pk} .line-error")
    expect(error).to_contain_text("测评项 1：得分不能超过该项分值")
    expect(bad).to_be_focused()
    page.keyboard.press("Enter")  # Enter again without a correction: still here
    expect(bad).to_be_focused()
    page.screenshot(path=str(output_dir / "assessments-enter-stays-on-error.png"))

    # Corrected: saved, and Enter moves on.
    bad.fill("1")
    page.keyboard.press("Enter")
    expect(page.locator(f"#state-{second.pk} .saved")).to_be_visible()
    expect(bad).not_to_be_focused()
    assert Score.objects.get(assessment=own, criterion=first).points == 3.75
    assert Score.objects.get(assessment=own, criterion=second).points == 1
    assert not Score.objects.filter(assessment=own, criterion=third).exists()
    assert Score.objects.get(assessment=own, criterion=second).version == 1, "one save, not a second on blur"
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == [], "only the refused save's 400"
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_leader_reads_the_projection_and_its_method(browser, live_server, output_dir, width):
    from playwright.sync_api import expect

    cast = build_cast()
    year = timezone.localdate().year
    standard = make_standard(cast.unit, cast["office"], published=True)
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit,
                                                 title=f"{year}年创建市级文明单位", year=year, standard=standard)
    own = self_check(cast, campaign)
    score(cast, own, "1", "1")
    score(cast, own, "2", "0.5")
    services.assessment_transition(actor=cast["office"], assessment=own, to=Assessment.Status.SUBMITTED)
    approve(cast, upload_photos(cast, campaign, codes=("3",), title="专题会议纪要"))
    running = inspection(cast, campaign)
    score(cast, running, "1", "0.5", actor=cast["evaluator"])

    context, page = new_page(browser, width=width, height=900)
    page.route("**/notifications/bell/**", lambda route: route.fulfill(status=200, body=""))
    sign_in(page, live_server.url, cast["leader"].username)
    page.goto(f"{live_server.url}/supervision/dashboard/")
    card = page.locator("#projection")
    expect(card).to_contain_text("预计得分")
    expect(card).to_contain_text("日提交的自查，未评分的")
    expect(card).to_contain_text("材料已通过按满分")
    expect(page.locator("body")).not_to_contain_text(running.title)
    expect(page.locator("body")).not_to_contain_text("已评")
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the card fits the screen"
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / f"supervision-projection-{width}.png"))
    assert page.console_errors == []
    context.close()
