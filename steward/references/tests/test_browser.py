"""Appointments and references in a real browser against the demo data, checked with axe.

Run with ``make browser-test``; ``make test`` leaves these out.
"""

import re

import pytest
from playwright.sync_api import expect

from steward.core.tests.browser import axe_violations, sign_in

pytestmark = pytest.mark.browser

CHAIR = "chair@demo.steward.example"
HR_LEAD = "hr-lead@demo.steward.example"
REGISTRANT = "registrant@demo.steward.example"


def links(page, selector: str) -> list[str]:
    return sorted(
        set(page.locator(selector).evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    )


def visit(page, base: str, path: str) -> None:
    response = page.goto(f"{base}{path}")
    assert response.status == 200, path
    assert page.locator("h1").count() == 1, path
    assert axe_violations(page) == [], path


def test_chair_sees_every_appointment_and_its_vetting(server, page):
    base = server["base"]
    sign_in(page, base, CHAIR)
    visit(page, base, "/appointments/")
    expect(page.get_by_text("Blocked", exact=True)).to_be_visible()
    expect(page.get_by_text("Support plan recommended", exact=True)).to_be_visible()
    for href in links(page, "table a[href^='/appointments/']"):
        visit(page, base, href)
    visit(page, base, "/appointments/propose/")
    page.get_by_role("button", name="Propose and see the vetting").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert axe_violations(page) == []


def test_hr_lead_gives_references_with_every_question_answered(server, page):
    base = server["base"]
    sign_in(page, base, HR_LEAD)
    visit(page, base, "/references/")
    for href in links(page, "a[href^='/references/']"):
        if not href.endswith("/pdf"):
            visit(page, base, href)
    page.goto(f"{base}/references/")
    give = links(page, "a[href^='/references/requests/']")
    assert give, "the demo has references to give"
    page.goto(f"{base}{give[0]}")
    page.get_by_role("button", name="Give the reference").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    # "Yes" reveals the details box (without JavaScript it is always there).
    page.get_by_role("group", name=re.compile("disciplinary findings")).get_by_label("Yes").check()
    expect(page.locator("#id_disciplinary_findings_details")).to_be_visible()
    assert axe_violations(page) == []


def test_registrant_reads_their_own_references(server, page):
    base = server["base"]
    sign_in(page, base, REGISTRANT)
    visit(page, base, "/my-record/references/")
    references = links(page, "table a[href^='/references/']")
    assert references, "the demo registrant has a reference given about them"
    for href in references:
        visit(page, base, href)
