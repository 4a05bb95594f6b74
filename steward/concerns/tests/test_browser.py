"""Raising a concern in a real browser: an anonymous reporter answers every question
and is given a receipt code; the caseworker finds the concern in the queue and asks
a question; the reporter comes back with the code, reads it and replies; the
caseworker reads the reply and refers the concern to the employer, and the reporter
sees the outcome. axe finds nothing on any page of the journey, on either side, and
the reporter's browser keeps no cookie but the CSRF one."""

import re

import pytest
from playwright.sync_api import expect

from steward.core.tests.browser import axe_violations, sign_in

pytestmark = pytest.mark.browser

CASEWORKER = "caseworker@demo.steward.example"
MANAGER = "Isabel Bennett"
TRUST = "Leeds Teaching Hospitals NHS Trust"
# Five groups of four characters from Crockford's alphabet (no I, L, O or U).
RECEIPT_CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}( - [0-9A-HJKMNP-TV-Z]{4}){4}")
REFERENCE = re.compile(r"C-[0-9A-Z]{8}")

WHAT_HAPPENED = "Incident reports about missed observations on ward 12 were closed without review."
QUESTION = "Thank you for raising this.\nWho did you tell on the ward, and when?"
REPLY = "I told the ward sister on 4 March, and the matron a week later."
EXPLANATION = "We have asked the trust to review every incident report closed on ward 12."


def _clean(page, where: str) -> None:
    problems = axe_violations(page)
    assert problems == [], f"{where}: {problems}"


def _heading(page):
    return page.get_by_role("heading", level=1)


def _continue(page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def _answer_text(page, label: str, text: str, next_question: str) -> None:
    expect(_heading(page)).to_have_text(re.compile(re.escape(label)))
    _clean(page, label)
    page.get_by_label(label, exact=True).fill(text)
    _continue(page)
    expect(_heading(page)).to_have_text(re.compile(re.escape(next_question)))


def _choose(page, question: str, answer: str, next_question: str) -> None:
    expect(_heading(page)).to_have_text(re.compile(re.escape(question)))
    _clean(page, question)
    page.get_by_role("radio", name=answer, exact=True).check()
    _continue(page)
    expect(_heading(page)).to_have_text(re.compile(re.escape(next_question)))


def _summary_value(page, key: str):
    row = page.locator(".nhsuk-summary-list__row").filter(
        has=page.locator(
            ".nhsuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$")
        )
    )
    return row.locator(".nhsuk-summary-list__value").first


def _open_inbox(page, code: str) -> None:
    expect(_heading(page)).to_have_text("Read replies to your concern")
    page.get_by_label("Receipt code").fill(code)
    _continue(page)


def test_anonymous_reporter_and_caseworker_exchange_messages_and_the_concern_is_triaged(
    server, page, browser
):
    base = server["base"]

    # --- The reporter raises the concern anonymously, without signing in. ---------
    page.goto(f"{base}/concerns/")
    expect(_heading(page)).to_have_text("Raise a concern about an NHS manager or organisation")
    for way in ("Openly", "Confidentially", "Anonymously"):
        expect(page.get_by_role("heading", level=3, name=way)).to_be_visible()
    _clean(page, "start")
    page.get_by_role("button", name="Start now").click()

    expect(_heading(page)).to_have_text("Who is your concern about?")
    _clean(page, "who it is about")
    _continue(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select who your concern is about")
    _clean(page, "who it is about, with an error")
    _choose(
        page,
        "Who is your concern about?",
        "A particular manager",
        "Which manager is your concern about?",
    )

    # The manager, found on the register.
    _clean(page, "manager search")
    page.get_by_label("Name or registration number").fill(MANAGER)
    page.get_by_role("button", name="Search", exact=True).click()
    manager = page.get_by_role("radio", name=re.compile(rf"^{MANAGER} \(M\d{{7}}\)$"))
    expect(manager).to_be_visible()
    expect(page.locator(".nhsuk-radios__hint").first).to_contain_text(TRUST)
    _clean(page, "manager search results")
    manager.check()
    _continue(page)

    # Their organisation, by its ODS code.
    expect(_heading(page)).to_have_text("Which NHS organisation is your concern about?")
    _clean(page, "organisation search")
    page.get_by_label("Name or ODS code").fill("RR8")
    page.get_by_role("button", name="Search", exact=True).click()
    trust = page.get_by_role("radio", name=f"{TRUST} (RR8)", exact=True)
    expect(trust).to_be_visible()
    _clean(page, "organisation search results")
    trust.check()
    _continue(page)

    _answer_text(page, "What happened?", WHAT_HAPPENED, "When did it happen?")
    _answer_text(page, "When did it happen?", "Since early 2026", "Who was affected?")
    _answer_text(
        page,
        "Who was affected? (optional)",
        "Patients on ward 12",
        "Were patients harmed or put at risk?",
    )

    expect(_heading(page)).to_have_text("Were patients harmed or put at risk?")
    _clean(page, "patient harm")
    page.get_by_role("radio", name="Yes", exact=True).check()
    page.get_by_label(re.compile("Tell us what happened to patients")).fill(
        "Two patients deteriorated overnight without anyone noticing."
    )
    _continue(page)

    expect(_heading(page)).to_have_text("Did you raise this where you work first?")
    _clean(page, "raised locally")
    page.get_by_role("radio", name="Yes", exact=True).check()
    outcome = page.get_by_label("What happened when you raised it?")
    expect(outcome).to_be_visible()
    _clean(page, "raised locally, with the follow-up question shown")
    outcome.fill("The ward manager said it would be looked at. Nothing changed.")
    _continue(page)

    _choose(
        page,
        "Is your concern about someone being treated badly for speaking up?",
        "No",
        "How do you want to speak up?",
    )
    expect(page.locator("main")).to_contain_text("nobody will know, including us")
    _choose(
        page,
        "How do you want to speak up?",
        "Anonymously",
        "May we share what you wrote with the employer?",
    )
    _choose(
        page,
        "May we share what you wrote with the employer?",
        "Yes, the employer may see what I wrote",
        "Check your answers before sending your concern",
    )

    # Check your answers, then send.
    expect(_summary_value(page, "Manager")).to_contain_text(MANAGER)
    expect(_summary_value(page, "Organisation")).to_contain_text(f"{TRUST} (RR8)")
    expect(_summary_value(page, "What happened")).to_contain_text(WHAT_HAPPENED)
    expect(_summary_value(page, "How you want to speak up")).to_contain_text(
        "Anonymously: nobody knows who you are"
    )
    _clean(page, "check your answers")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(_heading(page)).to_have_text("Concern sent")
    reference = page.locator(".nhsuk-panel strong").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    shown = page.locator("#receipt-code").inner_text().strip()
    assert RECEIPT_CODE.fullmatch(shown), f"receipt code {shown!r}"
    code = shown.replace(" ", "")
    expect(page.locator("main")).to_contain_text("Write down your receipt code now")
    _clean(page, "concern sent")

    # --- The caseworker finds the concern and asks the reporter a question. --------
    staff_context = browser.new_context(bypass_csp=True, locale="en-GB")
    staff_requests: list[str] = []
    try:
        staff = staff_context.new_page()
        staff.on("request", lambda request: staff_requests.append(request.url))
        sign_in(staff, base, CASEWORKER)
        _clean(staff, "caseworker's home")

        staff.get_by_role("link", name="Concerns", exact=True).first.click()
        expect(_heading(staff)).to_contain_text("All open")
        _clean(staff, "queue")
        staff.get_by_role("link", name=re.compile(r"^New \(\d+\)$")).click()
        expect(_heading(staff)).to_contain_text("New")
        row = staff.get_by_role("row").filter(has=staff.get_by_role("link", name=reference))
        expect(row).to_contain_text(MANAGER)
        expect(row).to_contain_text("Anonymous")
        _clean(staff, "queue of new concerns")
        row.get_by_role("link", name=reference).click()

        expect(_heading(staff)).to_contain_text(reference)
        expect(_summary_value(staff, "Status")).to_have_text("New")
        expect(_summary_value(staff, "What happened")).to_have_text(WHAT_HAPPENED)
        expect(staff.locator("main")).to_contain_text("Nobody knows who raised it")
        _clean(staff, "concern")

        staff.get_by_role("button", name="Send message").click()
        expect(staff.locator(".nhsuk-error-summary")).to_contain_text("Enter your message")
        _clean(staff, "concern, message with an error")
        staff.get_by_label("Write to the person who raised it").fill(QUESTION)
        staff.get_by_label("The reporter needs to reply").check()
        staff.get_by_role("button", name="Send message").click()
        expect(staff.locator("main")).to_contain_text(
            "Your message has been sent to the person who raised it."
        )
        expect(_summary_value(staff, "Status")).to_have_text("Awaiting the reporter")
        _clean(staff, "concern, question sent")

        # --- The reporter comes back with the code, reads the question, replies. ---
        page.get_by_role("link", name="your concern's inbox").click()
        expect(_heading(page)).to_have_text("Read replies to your concern")
        _clean(page, "inbox code")
        _open_inbox(page, "AAAA-BBBB-CCCC-DDDD-EEEE")
        expect(page.locator(".nhsuk-error-summary")).to_contain_text(
            "No concern matches that receipt code"
        )
        _clean(page, "inbox code, wrong")
        # Case, spaces and dashes do not matter.
        _open_inbox(page, " ".join(shown.lower().split(" - ")))
        expect(_heading(page)).to_have_text(f"Your concern {reference}")
        expect(_summary_value(page, "Status")).to_contain_text("We have asked you a question")
        for line in QUESTION.splitlines():
            expect(page.locator("main ol")).to_contain_text(line)
        _clean(page, "inbox with the question")

        page.get_by_label("Your message").fill(REPLY)
        page.get_by_role("button", name="Send message").click()
        expect(page.locator("main")).to_contain_text("Your message has been sent")
        reply = page.locator("main ol > li").filter(has_text=REPLY)
        expect(reply.get_by_role("heading")).to_contain_text("You,")
        expect(_summary_value(page, "Status")).to_contain_text("Being looked at")
        _clean(page, "inbox after replying")

        # --- The caseworker reads the reply and refers the concern. ------------------
        staff.reload()
        expect(staff.locator("main")).to_contain_text(REPLY)
        expect(_summary_value(staff, "Status")).to_have_text("Acknowledged")
        _clean(staff, "concern with the reply")

        staff.get_by_role("button", name="Triage this concern").click()
        expect(_heading(staff)).to_contain_text("Triage this concern")
        _clean(staff, "triage")
        staff.get_by_role("button", name="Record the decision").click()
        expect(staff.locator(".nhsuk-error-summary")).to_contain_text(
            "Choose what to do with the concern"
        )
        _clean(staff, "triage with errors")

        staff.get_by_role("radio", name="Refer to the employer").check()
        expect(staff.get_by_label("ODS code of the employer")).to_have_value("RR8")
        staff.get_by_role("checkbox", name=re.compile(r"^CC3 ")).check()
        staff.get_by_label("Summary for the employer").fill(
            "Incident reports about patient observations on a ward were closed without review."
        )
        _clean(staff, "triage, referring to the employer")
        staff.get_by_label("Your reasons").fill(
            "Possible suppression of patient safety reports: the employer should investigate."
        )
        staff.get_by_label("What to tell the person who raised it").fill(EXPLANATION)
        staff.get_by_role("button", name="Record the decision").click()

        expect(staff.locator("main")).to_contain_text(
            f"Concern {reference} is referred to {TRUST}."
        )
        expect(_summary_value(staff, "Status")).to_have_text("Referred to the employer")
        decisions = staff.locator("main")
        expect(decisions.get_by_role("heading", name="Refer to the employer")).to_be_visible()
        expect(_summary_value(staff, "Cited")).to_contain_text(
            "CC3 Speak up, and protect those who do"
        )
        expect(_summary_value(staff, "Referred to")).to_have_text(f"{TRUST} (RR8)")
        _clean(staff, "concern after triage")
    finally:
        staff_context.close()
    third_party = [u for u in staff_requests if not u.startswith(("http://127.0.0.1:", "data:"))]
    assert third_party == [], "pages must make no third-party requests"

    # --- The reporter leaves the inbox, comes back and reads the outcome. ---------
    page.get_by_role("link", name="Leave this inbox").click()
    expect(_heading(page)).to_have_text("Raise a concern about an NHS manager or organisation")
    page.get_by_role("link", name="Read replies with your receipt code").click()
    _open_inbox(page, code)
    expect(_heading(page)).to_have_text(f"Your concern {reference}")
    expect(_summary_value(page, "Status")).to_contain_text("Passed to the employer")
    latest = page.locator("main ol > li").last
    expect(latest).to_contain_text(f"referred it to {TRUST}")
    expect(latest).to_contain_text(EXPLANATION)
    _clean(page, "inbox after triage")

    names = sorted(cookie["name"] for cookie in page.context.cookies())
    assert set(names) <= {"csrftoken"}, f"the reporter's browser holds cookies {names}"
