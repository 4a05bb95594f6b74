"""Production settings pass Django's deployment checks with no warnings."""

import os
import subprocess
import sys
from pathlib import Path

STEWARD = Path(sys.executable).parent / "steward"


def _run(extra_env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEWARD_", "DJANGO_"))}
    env.update(extra_env)
    return subprocess.run(
        [str(STEWARD), *args], env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kQ9!vR2@mZ5$wL8^nB4&jT6*pH3(cF1)gD0_sA-yE+uI=oP~" + "q" * 20,
    "ALLOWED_HOSTS": "steward.example.org",
    "AUDIT_SIGNING_KEY": "11" * 32,
    "CONCERNS_PRIVATE_KEY": "22" * 32,
    "DATABASE_URL": "postgres://steward@127.0.0.1:1/steward",
}


def test_check_deploy_reports_no_issues():
    result = _run(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = _run(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_demo_skip_mfa_refused_without_debug():
    result = _run({**PRODUCTION, "DEMO_SKIP_MFA": "1"}, "check")
    assert result.returncode != 0
    assert "DEMO_SKIP_MFA" in result.stderr


def test_every_model_change_has_its_migration(db):
    """A model or choice change without a migration would leave a real database behind
    (e.g. a new role missing from the role check constraint)."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:
        raise AssertionError(f"Missing migrations:\n{out.getvalue()}") from missing
