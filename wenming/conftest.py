import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

from wenming.testing import build_cast

OUTPUT_DIR = Path(__file__).resolve().parent.parent / "test-output"


@pytest.fixture(autouse=True)
def _fast_hashing_and_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The personas sign in without a phone; tests of the 三员's TOTP rule switch it back on.
    settings.WENMING_ADMIN_TOTP_DEFAULT = False


@pytest.fixture
def cast(db):
    """Office, leader, liaison A, staff A, liaison B, evaluator, outsider, anonymous — plus the 三员."""
    return build_cast()


@pytest.fixture
def client_for():
    """client_for(user) -> a Client signed in as that user (or anonymous for None)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user, backend="wenming.org.backends.UnitModelBackend")
        return client

    return make


@pytest.fixture(scope="session")
def output_dir():
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """A real Chromium (Debian's). Skips only outside CI when Chromium is not installed."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium installed (.ci/run installs Debian's chromium).")
        pytest.skip("Chromium is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
