"""The standards pages in a real browser, checked with the axe accessibility engine.

Run with ``make browser-test``; ``make test`` leaves these out.
"""

import pytest
from playwright.sync_api import expect

from steward.core.demo import DEMO_PEOPLE, demo_email
from steward.core.tests.browser import axe_violations, sign_in

pytestmark = pytest.mark.browser

ADMINISTRATOR = next(p for p in DEMO_PEOPLE if p.role == "administrator")


@pytest.mark.parametrize(
    "path",
    [
        "/standards/",
        "/standards/sanctions-guidance/",
        "/standards/versions/",
        "/standards/versions/1/",
        "/standards/versions/1/sanctions-guidance/",
    ],
)
def test_public_standards_pages_have_no_accessibility_violations(server, page, path):
    response = page.goto(f"{server['base']}{path}")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_an_anchor_leads_to_the_standard(server, page):
    page.goto(f"{server['base']}/standards/#CC3")
    expect(page.locator("#CC3")).to_contain_text("Speak up")
    page.locator("#NE1 ~ ul a").first.click()
    expect(page).to_have_url(f"{server['base']}/standards/#CC3")


def test_the_administrator_edits_a_draft_and_discards_it(server, page):
    base = server["base"]
    sign_in(page, base, demo_email(ADMINISTRATOR))
    page.goto(f"{base}/standards/manage/")
    assert axe_violations(page) == []
    # NHS buttons that are links have the role of a button.
    if page.get_by_role("button", name="Start a new draft").count():
        page.get_by_role("button", name="Start a new draft").click()
        assert axe_violations(page) == []
        page.get_by_role("button", name="Start the draft").click()
    else:
        page.get_by_role("button", name="Continue with the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft version")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Add a never event").click()
    page.get_by_label("Title").fill("Using an agreement to silence a concern")
    page.get_by_role("button", name="Add the never event").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("CC3: Speak up, and protect those who do").check()
    page.get_by_role("button", name="Add the never event").click()
    # The demo's version 2 already has NE9, so the new one is NE10.
    expect(page.get_by_text("Add sanctions guidance for NE10").first).to_be_visible()

    page.get_by_role("link", name="Sanctions guidance for NE10").click()
    page.get_by_label("Least severe outcome").select_option("advice")
    page.get_by_label("Most severe outcome").select_option("barring")
    page.get_by_label("Guidance", exact=True).fill("Always serious.")
    page.get_by_label("Aggravating factors").fill("Harm to patients")
    page.get_by_label("Mitigating factors").fill("Early admission")
    page.get_by_role("button", name="Save and return").click()
    expect(page.get_by_role("alert").first).to_contain_text("must be a warning")
    assert axe_violations(page) == []

    page.goto(f"{base}/standards/manage/draft/publish/")
    page.get_by_role("button", name="Publish version").click()
    expect(page.get_by_role("alert").first).to_contain_text("Enter the date this version")
    assert axe_violations(page) == []

    page.goto(f"{base}/standards/manage/draft/discard/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Discard the draft").click()
    expect(page.get_by_text("discarded")).to_be_visible()
