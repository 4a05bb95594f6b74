"""What every browser test needs: a real Steward serving the demo data on a
loopback port, Debian's Chromium driven by Playwright, the axe accessibility
engine and signing in as a demo person.

The fixtures are made available to every app's tests by ``steward/conftest.py``
so one server serves the whole browser run.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from steward.core.demo import DEMO_PASSWORD, demo_totp_code

ROOT = Path(__file__).resolve().parents[3]
STEWARD = Path(sys.executable).parent / "steward"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A real Steward on a loopback port, with its own SQLite database and demo data."""
    var = tmp_path_factory.mktemp("steward-var")
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"DEBUG": "1", "STEWARD_VAR_DIR": str(var), "DEMO_SKIP_MFA": "0"})
    for args in (["migrate", "--noinput"], ["demo"]):
        subprocess.run([str(STEWARD), *args], env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [str(STEWARD), "serve", "--port", str(port), "--workers", "1", "--no-collectstatic"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("steward serve did not start") from None
            time.sleep(0.3)
    yield {"base": base, "env": env}
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe; the pages themselves are unchanged.
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    yield page
    context.close()
    third_party = [u for u in requested if not u.startswith(("http://127.0.0.1:", "data:"))]
    assert third_party == [], "pages must make no third-party requests"


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'wcag22aa', 'best-practice']}
        })"""
    )
    problems = []
    for violation in result["violations"]:
        nodes = [n for n in violation["nodes"] if not _design_system_radio_quirk(violation, n)]
        if nodes:
            targets = [n["target"] for n in nodes][:3]
            problems.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} – {targets}"
            )
    return problems


def _design_system_radio_quirk(violation: dict, node: dict) -> bool:
    """NHS.UK frontend's own script sets aria-expanded on radios that reveal a
    conditional question; axe rightly says radios do not support it. That one
    attribute on those inputs is the design system's to fix, so it alone is let
    through: anything else axe finds on the same input still fails."""
    return (
        violation["id"] == "aria-allowed-attr"
        and 'class="nhsuk-radios__input"' in node["html"]
        and "aria-expanded" in node.get("failureSummary", "")
        and node["failureSummary"].count("aria-") == 1
    )


_last_code: dict[str, str] = {}


TOTP_PERIOD = 30
# A code read this close to the end of its 30 seconds may expire before the
# server checks it (a busy machine), so wait for the next one.
TOTP_MARGIN = 6


def _fresh_code(email: str) -> str:
    """A code not yet used for this person (Steward refuses a code used twice), with
    time left to use it."""
    deadline = time.monotonic() + 2 * TOTP_PERIOD
    left = TOTP_PERIOD - (time.time() % TOTP_PERIOD)
    if left < TOTP_MARGIN:
        time.sleep(left + 0.5)
    code = demo_totp_code(email)
    while code == _last_code.get(email) and time.monotonic() < deadline:
        time.sleep(1)
        code = demo_totp_code(email)
    _last_code[email] = code
    return code


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/(home/|accounts/2fa/authenticate/)$"))
    if "/2fa/" in page.url:
        page.get_by_label("6-digit code").fill(_fresh_code(email))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r".*/home/$"))
