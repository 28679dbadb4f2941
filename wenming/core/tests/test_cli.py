"""The `wenming` command line: `python -m wenming`, the installed console script, and `wenming demo`."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from wenming.org.models import Department, RoleAssignment, Unit, User

REPO = Path(__file__).resolve().parents[3]
CONSOLE_SCRIPT = Path(sys.executable).parent / "wenming"


def run(*command: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the entry points set it themselves
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_python_dash_m_wenming_check_passes():
    result = run(sys.executable, "-m", "wenming", "check")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_installed_wenming_console_script_runs_manage_commands():
    assert CONSOLE_SCRIPT.exists(), f"`pip install -e .` should have put the console script at {CONSOLE_SCRIPT}"

    result = run(str(CONSOLE_SCRIPT), "check")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_console_script_lists_the_demo_command():
    result = run(str(CONSOLE_SCRIPT), "help", "demo")

    assert result.returncode == 0, result.stderr
    assert "载入演示数据" in result.stdout


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Unit, Department, User, RoleAssignment)}


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_can_be_loaded_twice_without_duplicating_anything():
    first_output = io.StringIO()
    call_command("demo", stdout=first_output)
    after_first = counts()

    call_command("demo", "--quiet-accounts", stdout=io.StringIO())

    assert counts() == after_first
    assert after_first["Unit"] >= 3 and after_first["User"] >= 10
    assert "演示数据已就绪。" in first_output.getvalue()
    assert "admin" in first_output.getvalue(), "the first run prints the demo accounts"


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_accounts_sign_in_with_the_printed_password(client):
    from wenming.org.demo import PASSWORD

    call_command("demo", "--quiet-accounts", stdout=io.StringIO())

    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD})

    assert response.status_code == 302
    assert User.objects.get(username="office").role_set >= {"office"}
