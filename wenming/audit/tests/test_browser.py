"""The auditor's screen in a real Chromium: the hash chain's state appears above the log, at 1366 and 390 px."""

import pytest

from wenming.audit.services import audit_record
from wenming.testing import browser_page, browser_sign_in, build_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_auditor_sees_the_chain_is_intact(browser, live_server, output_dir):
    cast = build_cast()
    for number in range(3):
        audit_record(actor=cast["admin"], verb="org.user_updated", obj=cast["staff_a"], after={"n": number})
    for width, height, name in ((1366, 860, "audit-chain.png"), (390, 844, "audit-chain-phone.png")):
        context, page = browser_page(browser, width, height)
        browser_sign_in(page, live_server.url, "p_auditor")
        page.goto(f"{live_server.url}/audit/")
        state = page.locator("#audit-chain")
        state.filter(has_text="完整").wait_for()
        assert "哈希链核验：完整（已核验" in state.inner_text()
        page.screenshot(path=output_dir / name)
        assert not page.console_errors
        context.close()
