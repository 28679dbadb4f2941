"""Takes the guide's screenshots again (slow: the demo data and ~50 pages in Chromium), only when asked:

    WENMING_REFRESH_SHOTS=1 .venv/bin/pytest -n0 wenming/help/tests/test_shots_refresh.py

Each page of `shots.SHOTS` is opened as its demo account at desk (1366 px) and phone (390 px) width; the PNGs are
reduced to a 128-colour palette and written to `wenming/help/static/help/shots/`, and `manifest.json` records the
templates that drew each page (from Django's `template_rendered` signal, sent in tests for every render, the live
server's included) with a hash of each. Commit the PNGs and the manifest together.
"""

import os
from io import BytesIO

import pytest
from django.core.management import call_command
from django.test.signals import template_rendered
from django.urls import reverse

from wenming.help import shots
from wenming.testing import browser_page, browser_sign_in

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("WENMING_REFRESH_SHOTS"),
                       reason="slow; run with WENMING_REFRESH_SHOTS=1 to take the guide's screenshots again"),
]

DEMO_PASSWORD = "Wenming@2026"


def locate(args: str) -> list:
    """The URL arguments of a screenshot: the demo row it shows."""
    from wenming.activities.models import Activity
    from wenming.assessments.models import Assessment
    from wenming.campaigns.models import Campaign, Task
    from wenming.evidence.models import Evidence
    from wenming.org.models import User
    from wenming.surveys.models import Survey

    campaign = Campaign.objects.order_by("pk").first()
    rows = {
        "campaign": lambda: campaign,
        "pending_evidence": lambda: Evidence.objects.filter(status="pending", campaign=campaign).order_by("-pk").first(),
        "self_check": lambda: Assessment.objects.filter(kind="self_check").order_by("pk").first(),
        "activity": lambda: Activity.objects.filter(status=Activity.Status.PLANNED).order_by("-pk").first(),
        "survey": lambda: Survey.objects.order_by("pk").first(),
        "liaison_task": lambda: Task.objects.filter(
            lead_department=User.objects.get(username="liaison_a").department).order_by("-pk").first(),
    }
    return [rows[args]().pk] if args else []


def small_png(raw: bytes) -> bytes:
    from PIL import Image

    image = Image.open(BytesIO(raw)).convert("RGB").quantize(colors=128, method=Image.Quantize.FASTOCTREE)
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_take_the_guides_screenshots(browser, live_server, settings):
    call_command("demo", "--quiet-accounts")
    settings.ALLOWED_HOSTS = ["*"]
    rendered: list[str] = []

    def record(sender, template, **kwargs):
        if template.name:
            rendered.append(template.name)

    template_rendered.connect(record)
    manifest = {}
    try:
        by_persona: dict = {}
        for name, spec in shots.SHOTS.items():
            by_persona.setdefault(spec.persona, []).append((name, spec))
        shots.FOLDER.mkdir(parents=True, exist_ok=True)
        for screen, (width, height) in shots.SCREENS.items():
            phone = screen == "phone"
            for persona, items in by_persona.items():
                context, page = browser_page(browser, width, height, is_mobile=phone, has_touch=phone)
                if persona:
                    browser_sign_in(page, live_server.url, persona, DEMO_PASSWORD)
                for name, spec in items:
                    rendered.clear()
                    page.goto(live_server.url + reverse(spec.url_name, args=locate(spec.args)))
                    page.wait_for_load_state("networkidle")
                    assert page.url.split("?")[0].endswith(reverse(spec.url_name, args=locate(spec.args))), page.url
                    (shots.FOLDER / f"{name}-{screen}.png").write_bytes(small_png(page.screenshot()))
                    if screen == "desk":
                        manifest[name] = shots.entry_for(spec.url_name, rendered)
                context.close()
    finally:
        template_rendered.disconnect(record)
    shots.write_manifest(manifest)
    assert shots.problems() == []
