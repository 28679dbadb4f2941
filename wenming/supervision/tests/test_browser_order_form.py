"""签发督办单 from a task (/supervision/orders/new/?task=…): every field stays inside the panel, however long the task
titles in the 督办事项 list, at desktop and phone widths."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.campaigns import services as campaign_services
from wenming.standards.tests.workbooks import make_standard
from wenming.testing import browser_page as new_page
from wenming.testing import browser_sign_in as sign_in
from wenming.testing import build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_order_form_fits_its_panel(browser, live_server, output_dir, width):
    from playwright.sync_api import expect

    cast = build_cast()
    today = timezone.localdate()
    standard = make_standard(cast.unit, cast["office"], published=True)
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{today.year}年创建市级文明单位",
                                                 year=today.year, standard=standard)
    task = campaign_services.task_create(
        actor=cast["office"], campaign=campaign, lead_department=cast.dept_a, due_on=today - timedelta(days=3),
        title="组织开展“我们的节日”主题活动并报送活动方案、签到表、现场照片和新闻稿，同步在内外网和微信公众号宣传报道")
    context, page = new_page(browser, width=width)
    page.route("**/notifications/bell/**", lambda route: route.fulfill(status=200, body=""))
    sign_in(page, live_server.url, cast["office"].username)
    page.goto(f"{live_server.url}/supervision/orders/new/?task={task.pk}")
    expect(page.locator("#id_target")).to_have_value(f"t{task.pk}")
    panel = page.locator("form.form.card").bounding_box()
    for field in ("#id_target", "#id_department", "#id_deadline", "#id_request"):
        box = page.locator(field).bounding_box()
        assert box["x"] + box["width"] <= panel["x"] + panel["width"] + 0.5, f"{field} spills out of the panel"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"
    page.screenshot(path=str(output_dir / f"supervision-order-form-{width}.png"), full_page=True)
    context.close()
