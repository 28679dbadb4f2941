import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

from wenming.testing import build_cast

OUTPUT_DIR = Path(__file__).resolve().parent.parent / "test-output"


@pytest.fixture(autouse=True, scope="session")
def _test_settings():
    """Set once per worker, not per test (each override sends Django's setting_changed to every receiver): fast
    hashing, tasks run at once, and the personas sign in without a phone. A test that needs another value still
    uses the `settings` fixture, which puts these back after it."""
    from django.test.utils import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        WENMING_ADMIN_TOTP_DEFAULT=False,  # tests of the 三员's TOTP rule switch it back on
    ):
        yield


@pytest.fixture(autouse=True)
def _fast_hashing_and_media(_test_settings, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # each test its own uploads


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


# --- The PostgreSQL pass runs only what can differ between databases ------------------------------------------------

# (`django_db_blocker` is not here: pytest-django's autouse fixtures request it for every test.)
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server",
               "django_db_setup"}


def touches_the_database(item) -> bool:
    """pytest-django refuses database access to a test without the django_db mark or a database fixture, so a test
    with neither runs the same on every database (pure Python: parsers, rules, templates without queries)."""
    return item.get_closest_marker("django_db") is not None or bool(DB_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """Longest first: tests marked `slow` (minutes each), then the browser tests (tens of seconds), then the rest, so
    that the parallel workers finish together instead of one waiting for a long test drawn last.

    WENMING_DB_TESTS_ONLY=1 (the second, PostgreSQL pass of .ci/run) deselects the tests that touch no database:
    the SQLite pass already ran them, and nothing in them can answer differently on PostgreSQL."""
    weight = {id(item): 0 if item.get_closest_marker("slow") else 1 if item.get_closest_marker("browser") else 2
              for item in items}
    items.sort(key=lambda item: weight[id(item)])  # stable: the collection order within each weight
    if os.environ.get("WENMING_DB_TESTS_ONLY") != "1":
        return
    keep, skip = [], []
    for item in items:
        (keep if touches_the_database(item) else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep
