"""A fitness-to-practise case in a real browser, from a concern to a suspension.

The caseworker triages a demo concern into a case, opens it, sets out the allegation
and refers it to the case examiners; the two examiners refer it to a panel; the
hearings officer schedules the hearing (serving 28 days' notice) and forms the panel;
the hearing's day comes (the test moves the hearing's dates back, as time passing
would); the officer records it as held; a panel member records the facts, impairment
and a suspension; the officer issues the determination. The public register entry
then shows the suspension, and the registrant's employer has an alert. axe finds
nothing on any page of the journey.
"""

import datetime as dt
import re
import subprocess

import pytest
from playwright.sync_api import expect

from steward.core.tests.browser import STEWARD, axe_violations, sign_in

pytestmark = pytest.mark.browser

DEMO = "@demo.steward.example"
MANAGER = "Wei Taylor"  # subject of a new anonymous demo concern, at Leeds Teaching Hospitals
CONCERN = re.compile(r"C-[0-9A-Z]{8}")
CASE = re.compile(r"FTP-\d{4}-\d{4}")
NUMBER = re.compile(r"M\d{7}")
PANEL_STAGE = "Referred to a panel hearing"
SUMMARY = "Suspended for approving agency spending without the checks the standing orders require."


def _clean(page, where: str) -> None:
    problems = axe_violations(page)
    assert problems == [], f"{where}: {problems}"


def _heading(page):
    return page.get_by_role("heading", level=1)


def _person(browser, server, who: str):
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    person = context.new_page()
    sign_in(person, server["base"], who + DEMO)
    return person


def _date(scope, when: dt.date) -> None:
    scope.get_by_label("Day").fill(str(when.day))
    scope.get_by_label("Month").fill(str(when.month))
    scope.get_by_label("Year").fill(str(when.year))


def _weekday_after(days: int) -> dt.date:
    when = dt.date.today() + dt.timedelta(days=days)
    while when.weekday() > 3:  # Monday to Thursday: never a bank-holiday Friday or Monday
        when += dt.timedelta(days=1)
    return when


def _hearing_day_comes(server, case_reference: str) -> None:
    """Time passes: the hearing is today and its notice was served 35 days ago."""
    code = (
        "import datetime as dt\n"
        "from steward.cases.models import Hearing\n"
        "from steward.core import clock\n"
        f"hearing = Hearing.objects.get(case__reference={case_reference!r})\n"
        "today = clock.today()\n"
        "Hearing.objects.filter(pk=hearing.pk).update(\n"
        "    starts_on=today, notice_served_on=today - dt.timedelta(days=35)\n"
        ")\n"
    )
    subprocess.run(
        [str(STEWARD), "shell", "-c", code], env=server["env"], check=True, capture_output=True
    )


def test_a_concern_becomes_a_case_the_panel_suspends_and_the_register_and_employer_see_it(
    server, page, browser
):
    base = server["base"]

    # --- The caseworker triages a concern into a case. ---------------------------------
    caseworker = _person(browser, server, "caseworker")
    caseworker.goto(f"{base}/concerns/queue/")
    row = caseworker.locator("main tbody tr").filter(has_text=MANAGER).filter(has_text="New")
    concern = CONCERN.search(row.first.inner_text()).group(0)
    row.first.get_by_role("link", name=concern).click()
    caseworker.get_by_role("button", name="Triage this concern").click()
    expect(_heading(caseworker)).to_contain_text("Triage this concern")
    caseworker.get_by_role("radio", name="Open a fitness-to-practise case").check()
    caseworker.get_by_role("checkbox", name=re.compile(r"^CC6 ")).check()
    _clean(caseworker, "triage, opening a case")
    caseworker.get_by_label("Your reasons").fill(
        "Agency spending was approved without the checks the standing orders require."
    )
    caseworker.get_by_label("What to tell the person who raised it").fill(
        "We are opening a fitness-to-practise case about the manager."
    )
    caseworker.get_by_role("button", name="Record the decision").click()
    expect(caseworker.get_by_role("heading", name="Success")).to_be_visible()

    caseworker.goto(f"{base}/cases/open/")
    expect(_heading(caseworker)).to_have_text("Open a case")
    _clean(caseworker, "open a case")
    caseworker.locator("main tbody tr").filter(has_text=concern).get_by_role("link").click()
    expect(_heading(caseworker)).to_contain_text("Open a case from this concern")
    _clean(caseworker, "open a case from the concern")
    caseworker.get_by_label("Summary of the matter").fill(
        "Agency spending of £2.4 million approved without the checks the standing orders require."
    )
    caseworker.get_by_role("button", name="Open the case").click()
    expect(_heading(caseworker)).to_contain_text(f"Case about {MANAGER}")
    reference = CASE.search(_heading(caseworker).inner_text()).group(0)
    registrant_row = caseworker.locator(".nhsuk-summary-list__row").filter(has_text="Registrant")
    number = NUMBER.search(registrant_row.first.inner_text()).group(0)
    _clean(caseworker, "the new case")

    caseworker.get_by_role("button", name="Add an allegation").click()
    _date(caseworker, dt.date.today() - dt.timedelta(days=60))
    caseworker.get_by_role("button", name="Show the standards in force then").click()
    caseworker.get_by_label("The allegation").fill(
        "Approved agency spending of £2.4 million without the checks the standing orders require."
    )
    caseworker.get_by_role("checkbox", name=re.compile(r"^CC6 ")).check()
    _clean(caseworker, "add an allegation")
    caseworker.get_by_role("button", name="Add the allegation").click()
    expect(caseworker.get_by_role("heading", name="Allegation 1")).to_be_visible()

    for move in ("Start the investigation", "Refer to the case examiners"):
        caseworker.get_by_role("radio", name=move).check()
        caseworker.get_by_label("Reason").fill("The evidence is gathered.")
        caseworker.get_by_role("button", name="Move the case").click()
        expect(caseworker.locator(".nhsuk-summary-list").first).to_contain_text(
            "With the case examiners" if move.startswith("Refer") else "Investigation"
        )
    # Decisions are the examiners' and the panel's: the caseworker cannot make them.
    expect(caseworker.get_by_role("radio", name="Refer to a panel hearing")).to_have_count(0)

    # --- The case examiners, a manager and a lay examiner, refer it to a panel. --------
    examiner = _person(browser, server, "case-examiner")
    examiner.goto(f"{base}/cases/examiners/")
    _clean(examiner, "the examiners' queue")
    examiner.locator("main tbody tr").filter(has_text=reference).get_by_role(
        "link", name=re.compile("Record the decision")
    ).click()
    expect(_heading(examiner)).to_contain_text("Record the case examiners' decision")
    examiner.get_by_role("radio", name="Dafydd Pritchard").check()
    examiner.get_by_role("radio", name="Refer to a panel hearing").check()
    examiner.get_by_label("Reasons for the decision").fill(
        "There is a realistic prospect of finding the manager's fitness impaired."
    )
    _clean(examiner, "the examiners' decision")
    examiner.get_by_role("button", name="Record the decision").click()
    expect(examiner.get_by_role("heading", name="Success")).to_be_visible()
    expect(examiner.locator(".nhsuk-summary-list").first).to_contain_text(PANEL_STAGE)

    # --- The hearings officer schedules the hearing and forms the panel. --------------
    officer = _person(browser, server, "hearings-officer")
    officer.goto(f"{base}/cases/{reference}/")
    officer.get_by_role("button", name="Schedule a hearing").click()
    expect(_heading(officer)).to_contain_text("Schedule a hearing")
    officer.get_by_role("radio", name="Substantive hearing").check()
    _date(officer, _weekday_after(12))
    officer.get_by_label("Where the hearing will be held").fill("Hearing room 2, Leeds")
    officer.get_by_role("button", name="Schedule the hearing and serve notice").click()
    # Too soon: 28 days' notice is needed.
    expect(officer.locator(".nhsuk-error-summary")).to_contain_text("28 days")
    _clean(officer, "schedule a hearing, too soon")
    _date(officer, _weekday_after(35))
    officer.get_by_role("button", name="Schedule the hearing and serve notice").click()
    expect(_heading(officer)).to_contain_text("Substantive hearing on")
    _clean(officer, "the hearing")

    officer.get_by_role("button", name="Form the panel").click()
    expect(_heading(officer)).to_contain_text("Form the panel")
    for member in ("Imran Qureshi", "Margaret Oyelowo", "Rachel Whitfield"):
        officer.get_by_role("checkbox", name=member).check()
    officer.locator("fieldset").filter(has_text="Who chairs the panel?").get_by_role(
        "radio", name="Imran Qureshi"
    ).check()
    _clean(officer, "form the panel")
    officer.get_by_role("button", name="Form the panel").click()
    expect(officer.locator("main")).to_contain_text("Lay member, chair")

    _hearing_day_comes(server, reference)
    officer.reload()
    officer.get_by_role("button", name="Record that the hearing was held").click()
    _clean(officer, "record the hearing as held")
    officer.locator("main form").get_by_role(
        "button", name="Record that the hearing was held"
    ).click()
    expect(officer.locator(".nhsuk-summary-list").first).to_contain_text("Panel determining")

    # --- A panel member records the findings, stage by stage. ------------------------
    panel = _person(browser, server, "panel-lay")
    panel.goto(f"{base}/cases/outcomes/")
    _clean(panel, "findings to record")
    panel.locator("main tbody tr").filter(has_text=reference).get_by_role(
        "link", name=re.compile("Record the findings")
    ).click()
    expect(_heading(panel)).to_contain_text("The panel's findings")
    _clean(panel, "the panel's findings")

    panel.get_by_role("link", name="Findings of fact").click()
    panel.get_by_role("radio", name="Proved", exact=True).check()
    panel.get_by_label("Reasons for the finding on allegation 1").fill(
        "The approvals are in the board papers, signed by the manager."
    )
    _clean(panel, "findings of fact")
    panel.get_by_role("button", name="Save the findings of fact").click()

    panel.get_by_role("link", name="Impairment").click()
    panel.get_by_role("radio", name="Yes", exact=True).check()
    panel.get_by_label("Reasons for the finding on impairment").fill(
        "Public money was put at risk and the manager showed no insight."
    )
    _clean(panel, "impairment")
    panel.get_by_role("button", name="Save the finding on impairment").click()

    panel.get_by_role("link", name="Sanction").click()
    panel.get_by_role("radio", name="Suspension").check()
    _clean(panel, "choose the sanction")
    panel.locator("main form").get_by_role("button", name="Continue").click()
    expect(_heading(panel)).to_contain_text("Sanction: suspension")
    panel.get_by_role("button", name="Save the sanction").click()
    # Sanctions guidance: the panel says why each less severe sanction is not enough.
    expect(panel.locator(".nhsuk-error-summary")).to_contain_text("advice")
    _clean(panel, "the sanction, with errors")
    panel.get_by_label("Reasons for the sanction").fill(
        "A serious breach of the duty to look after public money."
    )
    panel.get_by_label("Why would advice not be enough?").fill("The breach is too serious.")
    panel.get_by_label("Why would a warning not be enough?").fill("The breach is too serious.")
    panel.get_by_label("Why would conditions not be enough?").fill(
        "No workable conditions would address approving spending without checks."
    )
    today = dt.date.today()
    ends = today + dt.timedelta(days=270)
    _date(panel.locator("fieldset").filter(has_text="When does it take effect?"), today)
    _date(panel.locator("fieldset").filter(has_text="When does the suspension end?"), ends)
    panel.get_by_label("Summary for the public register").fill(SUMMARY)
    panel.get_by_role("button", name="Save the sanction").click()
    expect(_heading(panel)).to_contain_text("The panel's findings")

    # --- The hearings officer issues the determination. --------------------------------
    officer.goto(f"{base}/cases/outcomes/")
    _clean(officer, "outcome work")
    officer.locator("main tbody tr").filter(has_text=reference).get_by_role(
        "link", name=re.compile("Check and issue")
    ).click()
    expect(_heading(officer)).to_contain_text("Check the determination before you issue it")
    _clean(officer, "check the determination")
    officer.get_by_role("button", name="Issue the determination").click()
    expect(officer.locator(".nhsuk-summary-list").first).to_contain_text("Appeal window open")
    expect(officer.locator("main")).to_contain_text("Suspension")
    _clean(officer, "the case after the determination")

    # --- The public register shows the suspension. -----------------------------------
    page.goto(f"{base}/register/{number}/")
    expect(_heading(page)).to_contain_text(MANAGER)
    main = page.locator("main")
    expect(main).to_contain_text("Suspension in force")
    expect(main).to_contain_text(SUMMARY)
    expect(main).not_to_contain_text(concern)  # nothing of the concern or its reporter
    _clean(page, "the public entry")

    # --- The employer has an alert. --------------------------------------------------
    chair = _person(browser, server, "chair")
    chair.goto(f"{base}/notifications/")
    alert = chair.locator("main").get_by_text(f"Register alert: {MANAGER} ({number})")
    expect(alert).to_be_visible()
    expect(chair.locator("main")).to_contain_text("A suspension of their registration took effect")
    _clean(chair, "the employer's notifications")
