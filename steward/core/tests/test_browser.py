"""Journeys in a real browser (Debian's Chromium driven by Playwright) against
``steward serve`` with the demo data, checked with the axe accessibility engine.

Run with ``make browser-test``; ``make test`` leaves these out.
"""

import re

import pytest
from playwright.sync_api import expect

from steward.core.demo import DEMO_PEOPLE, demo_email
from steward.core.tests.browser import axe_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("person", DEMO_PEOPLE, ids=lambda p: p.local_part)
def test_each_demo_role_signs_in_and_lands_on_its_home_page(server, page, person):
    from steward.accounts.roles import ROLES_BY_SLUG

    sign_in(page, server["base"], demo_email(person))
    expect(page).to_have_url(f"{server['base']}/home/")
    role = ROLES_BY_SLUG[person.role]
    expect(page.get_by_role("heading", level=2).filter(has_text=role.name)).to_have_count(1)
    expect(page.get_by_text(role.summary).first).to_be_visible()
    assert axe_violations(page) == []


def test_wrong_password_shows_an_error_summary(server, page):
    page.goto(f"{server['base']}/accounts/login/")
    page.get_by_label("Email address").fill("nobody@demo.steward.example")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accounts/login/",
        "/organisations/",
        "/organisations/?q=leeds",
        "/organisations/RR8/",
        "/organisations/QMJ/",
        "/roles/",
        "/roles/chair/",
        "/accessibility/",
        "/privacy/",
        "/no-such-page/",
    ],
)
def test_public_pages_have_no_accessibility_violations(server, page, path):
    response = page.goto(f"{server['base']}{path}")
    assert response.status in {200, 404}
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_organisation_search_journey(server, page):
    page.goto(f"{server['base']}/")
    page.get_by_role("link", name="Find an NHS organisation").click()
    page.get_by_label("Name or ODS code").fill("leeds teaching")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Leeds Teaching Hospitals NHS Trust").click()
    expect(page).to_have_url(re.compile(r".*/organisations/RR8/$"))
    expect(page.get_by_text("RR8").first).to_be_visible()


def test_administrator_journey_and_audited_pages(server, page):
    sign_in(page, server["base"], "administrator@demo.steward.example")
    page.get_by_role("link", name="People").first.click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Siobhán O'Connor").click()
    expect(page.get_by_role("heading", name="Siobhán O'Connor")).to_be_visible()
    assert axe_violations(page) == []


def test_auditor_browses_the_audit_trail(server, page):
    sign_in(page, server["base"], "auditor@demo.steward.example")
    page.get_by_role("link", name="Audit trail").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    page.get_by_label("Action starts with").fill("accounts.role")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("accounts.role.granted").first).to_be_visible()
    assert axe_violations(page) == []


def test_search_the_register_and_open_an_entry(server, page):
    page.goto(f"{server['base']}/")
    page.get_by_role("link", name="Search the register").click()
    page.get_by_label("Name or registration number").fill("okonkwo hughes")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Adebayo Okonkwo-Hughes")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Adebayo Okonkwo-Hughes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adebayo Okonkwo-Hughes")
    expect(page.get_by_text("Leeds Teaching Hospitals NHS Trust").first).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("chair@demo.steward.example", "/roster/"),
        ("hr-lead@demo.steward.example", "/roster/add/"),
        ("registrant@demo.steward.example", "/my-record/"),
        ("registrar@demo.steward.example", "/registrar/"),
        ("registrar@demo.steward.example", "/registrar/records/?q=okonkwo"),
    ],
)
def test_signed_in_register_pages_have_no_accessibility_violations(server, page, email, path):
    sign_in(page, server["base"], email)
    response = page.goto(f"{server['base']}{path}")
    assert response.status == 200
    assert axe_violations(page) == []


def test_employer_uploads_a_csv_with_one_bad_row_and_sees_the_report(server, page, tmp_path):
    from steward.register.importing import HEADER_LINE

    csv_file = tmp_path / "workforce.csv"
    csv_file.write_text(
        HEADER_LINE + "\r\n" + "E1001,RR8,,Grace,Adeyemi-Walker,,,1980-05-01,grace@nhs.example,"
        "Director of Nursing,executive_director,2025-04-01,,N\r\n"
        + "E1002,RR8,,Tariq,Hussain,,,1975-02-03,tariq@nhs.example,"
        "Director of Finance,executive_director,2025-04-01,2024-01-01,N\r\n",
        encoding="utf-8",
    )
    sign_in(page, server["base"], "hr-lead@demo.steward.example")
    page.goto(f"{server['base']}/register/import/")
    expect(page.get_by_role("heading", name="Upload workforce records")).to_be_visible()
    assert axe_violations(page) == []
    # NHS.UK frontend turns the file input into a drop zone; set the input itself.
    page.locator("input[type=file]").set_input_files(str(csv_file))
    page.get_by_label("Import the file only if every row is correct").check()
    page.get_by_role("button", name="Upload and check the file").click()
    report = page.get_by_role("table").filter(has_text="end_date")
    expect(report).to_be_visible()
    expect(report).to_contain_text("3")  # the bad row's line in the file
    assert axe_violations(page) == []
