"""The fit and proper person test in a real browser: the chair finishes an
assessment and submits the annual return; the regional director sees it.
axe finds nothing on any page of the journey."""

import re

import pytest
from playwright.sync_api import expect

from steward.core.tests.browser import axe_violations, sign_in

pytestmark = pytest.mark.browser

CHAIR = "chair@demo.steward.example"
REGIONAL_DIRECTOR = "regional-director@demo.steward.example"


def _clean(page, where: str) -> None:
    problems = axe_violations(page)
    assert problems == [], f"{where}: {problems}"


def test_chair_concludes_an_assessment_and_submits_the_return_the_region_sees_it(server, page):
    base = server["base"]
    sign_in(page, base, CHAIR)

    # The chair's way in: Fit and proper → this year's board at Leeds Teaching Hospitals.
    page.get_by_role("link", name="Fit and proper", exact=True).first.click()
    expect(page).to_have_url(re.compile(r".*/fitness/RR8/\d{4}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leeds Teaching Hospitals")
    _clean(page, "organisation year")

    # Wei Taylor's assessment still has two checks to do.
    page.get_by_role("link", name=re.compile(r"^Wei Taylor")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wei Taylor")
    _clean(page, "assessment")
    for check in ("employment tribunal judgments", "social media"):
        page.get_by_role("link", name=re.compile(rf"Change\s+{check}", re.IGNORECASE)).click()
        _clean(page, f"check {check}")
        page.get_by_label("Satisfactory").check()
        when = page.get_by_role("group", name="When was the check done?")
        when.get_by_label("Day").fill("2")
        when.get_by_label("Month").fill("11")
        when.get_by_label("Year").fill("2026")
        page.get_by_label(re.compile("Evidence reference")).fill(f"HR/FPPT/2026/{check[:6]}")
        page.get_by_role("button", name="Save and return to the assessment").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Wei Taylor")

    # With nothing pending, the chair concludes.
    page.get_by_role("button", name="Conclude this assessment").click()
    _clean(page, "conclude")
    page.get_by_role("button", name="Conclude the assessment").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select whether")
    _clean(page, "conclude with errors")
    page.get_by_label("Fit and proper", exact=True).check()
    page.get_by_label("Your reasons").fill(
        "Every check is satisfactory and the competency self-assessment is evidenced."
    )
    page.get_by_role("button", name="Conclude the assessment").click()
    expect(page.locator("main")).to_contain_text("Fit and proper")

    # The 2025 return came back from the region with comments: the chair resubmits it.
    page.goto(f"{base}/fitness/RR8/2025/return/")
    expect(page.locator("main")).to_contain_text("Returned for changes")
    _clean(page, "return returned")
    page.get_by_label("Your statement as chair").fill(
        "Every board member was assessed in 2025. The regional director's comments on the "
        "evidence for the chief executive's references have been answered."
    )
    page.get_by_role("button", name=re.compile("Submit")).click()
    expect(page.locator("main")).to_contain_text("Submitted")
    _clean(page, "return submitted")
    page.context.clear_cookies()

    # The regional director sees the submission across the region, chart and table.
    sign_in(page, base, REGIONAL_DIRECTOR)
    page.get_by_role("link", name="FPPT returns", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{base}/fitness/region/Y63/2025/")
    region = page.locator("main")
    expect(region.locator("svg").first).to_be_visible()
    expect(region.locator("table").first).to_be_visible()
    leeds = region.get_by_role("row", name=re.compile("Leeds Teaching Hospitals"))
    expect(leeds).to_contain_text("Submitted")
    _clean(page, "region")
    leeds.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("Every board member was assessed in 2025")
    _clean(page, "return seen by the region")
