"""`wenming check --deploy` is clean with the production settings the README documents."""

import os
import subprocess
import sys


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("x" * 30 + "-production-secret-key-of-enough-entropy-9f3a7c", encoding="utf-8")
    env = {
        **os.environ,
        "WENMING_DATA_DIR": str(tmp_path / "var"),
        "SECRET_KEY_FILE": str(secret),
        "ALLOWED_HOSTS": "wenming.court.example",
        "CSRF_TRUSTED_ORIGINS": "https://wenming.court.example",
        "WENMING_TLS": "1",
        "DEBUG": "0",
    }
    env.pop("SECRET_KEY", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' process setting, never a deployment's
    result = subprocess.run(
        [sys.executable, "-m", "wenming", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
