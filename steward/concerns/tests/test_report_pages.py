"""Raising a concern through the pages: the questions, their messages, check your
answers, sending, and the confirmation with its receipt code."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.concerns import crypto, journey
from steward.concerns.models import Concern
from steward.register.services import career_role_add, registrant_create

pytestmark = pytest.mark.django_db

IP = "203.0.113.91"
AGENT = "PagesBrowser/3.1 (speak-up)"
CLIENT = {"REMOTE_ADDR": IP, "HTTP_USER_AGENT": AGENT}
WHAT = "The ward manager told us to stop reporting falls on ward 9."
START = reverse("concerns:new")


def url(step: str) -> str:
    return START if step == journey.FIRST else reverse("concerns:new", kwargs={"step": step})


def state_of(response) -> str:
    found = re.search(r'name="state" value="([^"]+)"', response.content.decode())
    assert found, "the page carries no answers"
    return html.unescape(found.group(1))


def post(client, step: str, state: str, data: dict | None = None, **extra):
    return client.post(url(step), {"state": state, **(data or {})}, **{**CLIENT, **extra})


def h1(response) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    if not found:
        found = re.search(r"<legend[^>]*>\s*<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert found, "no h1"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def receipt_code(response) -> str:
    block = re.search(r'id="receipt-code">(.*?)</p>', response.content.decode(), re.S)
    assert block, "no receipt code shown"
    return "-".join(re.findall(r"<span[^>]*>([0-9A-Z]{4})</span>", block.group(1)))


@pytest.fixture
def manager(organisation):
    registrant = registrant_create(
        legal_forenames="Morag",
        legal_surname="Pennyfeather",
        actor=None,
        reason="test",
    )
    career_role_add(
        registrant=registrant,
        organisation=organisation,
        title="Director of Nursing",
        category="executive_director",
        start_date=dt.date(2024, 1, 1),
        actor=None,
        reason="test",
    )
    return registrant


ORGANISATION_ANSWERS = [
    ("about", {"about": "organisation"}),
    ("organisation", {"q": "RR8", "choice": "RR8", "action": "continue"}),
    ("what-happened", {"what_happened": WHAT}),
    ("when", {"when": "Since March 2026"}),
    ("who-was-affected", {"who_was_affected": "Older patients on ward 9"}),
    ("patient-harm", {"patient_harm": "yes", "patient_harm_detail": "Two falls were not seen."}),
    ("raised-locally", {"raised_locally": "yes", "local_outcome": "Nothing changed."}),
    ("speaking-up", {"is_detriment": "no"}),
]


def walk(client, steps, *, state=None):
    """Answer each question in turn; the page after the last one."""
    response = client.get(START, **CLIENT)
    assert response.status_code == 200
    state = state or state_of(response)
    for step, data in steps:
        response = post(client, step, state, data)
        assert response.status_code == 200, (step, response.content.decode()[:3000])
        assert "There is a problem" not in response.content.decode(), (step, data)
        state = state_of(response)
    return response, state


def raise_concern(client, anonymity="anonymous", *, contact=None, employer="no", files=None):
    steps = [*ORGANISATION_ANSWERS, ("how", {"anonymity": anonymity})]
    if anonymity != "anonymous":
        steps.append(("contact", contact or {"name": "Ada Whistle", "email": "ada@example.org"}))
    steps.append(("employer", {"employer_may_see": employer}))
    response, state = walk(client, steps)
    assert h1(response) == "Check your answers before sending your concern"
    data = {"state": state, "_send": "send"}
    if files:
        data["files"] = files
    return client.post(url("check"), data, **CLIENT)


# --- Start page ---------------------------------------------------------------------


def test_the_start_page_explains_the_three_ways_before_starting(client, settings):
    settings.CONCERNS_ACKNOWLEDGE_DAYS = 6
    response = client.get(reverse("concerns:start"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "within 6 days" in text and "within 3 months" in text
    for way in ("Openly", "Confidentially", "Anonymously"):
        assert f"<h3>{way}</h3>" in text
    assert "only the regulator knows them" in text
    assert f'href="{START}"' in text and "Start now" in text
    assert "Read replies with your receipt code" in text
    assert reverse("concerns:inbox") in text


# --- The journey end to end -----------------------------------------------------------


def test_an_anonymous_concern_about_an_organisation(client, organisation):
    response = raise_concern(client)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert "Concern sent" in text and "nhsuk-panel" in text
    code = receipt_code(response)
    assert re.fullmatch(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}", code)
    assert "cannot show it to you again" in text
    concern = Concern.objects.get()
    assert concern.reference in text
    assert concern.anonymity == "anonymous"
    assert concern.organisation == organisation and concern.subject_registrant is None
    assert concern.reporter_identity_sealed is None and concern.reporter_user is None
    assert not concern.employer_may_see and not concern.is_detriment
    answers = crypto.open_json(concern.content_sealed)
    assert answers["what_happened"] == WHAT
    assert answers["patient_harm"] == "Yes: Two falls were not seen."
    assert answers["raised_locally"] == "Yes" and answers["local_outcome"] == "Nothing changed."
    assert answers["when"] == "Since March 2026"
    assert not AuditEvent.objects.filter(subject_id=str(concern.pk)).exists()


def test_a_confidential_concern_keeps_the_name_sealed(client, organisation):
    response = raise_concern(
        client,
        "confidential",
        contact={"name": "Ada Whistle", "phone": "0113 496 0000"},
        employer="yes",
    )
    assert response.status_code == 200
    assert receipt_code(response)
    assert "will not tell the manager or their employer who you are" in response.content.decode()
    concern = Concern.objects.get()
    assert concern.anonymity == "confidential" and concern.employer_may_see
    identity = crypto.open_json(concern.reporter_identity_sealed)
    assert identity == {"name": "Ada Whistle", "email": "", "phone": "0113 496 0000"}
    assert b"Ada Whistle" not in bytes(concern.reporter_identity_sealed)


def test_an_open_concern_without_an_account_gets_a_code(client, organisation):
    response = raise_concern(client, "open")
    assert receipt_code(response)
    concern = Concern.objects.get()
    assert concern.anonymity == "open" and concern.reporter_user is None
    assert crypto.open_json(concern.reporter_identity_sealed)["email"] == "ada@example.org"
    assert AuditEvent.objects.filter(action="concerns.concern.received").exists()


def test_an_open_reporter_who_is_signed_in_may_use_their_account(client, organisation, make_user):
    user = make_user(email="nurse@example.nhs.uk")
    client.force_login(user)
    steps = [*ORGANISATION_ANSWERS, ("how", {"anonymity": "open"})]
    response, state = walk(client, steps)
    assert "Use my Steward account (nurse@example.nhs.uk)" in response.content.decode()
    response = post(client, "contact", state, {"use_account": "yes"})
    response = post(client, "employer", state_of(response), {"employer_may_see": "no"})
    assert "Your Steward account (nurse@example.nhs.uk)" in response.content.decode()
    response = post(client, "check", state_of(response), {"_send": "send"})
    assert response.status_code == 200
    assert 'id="receipt-code"' not in response.content.decode()
    assert reverse("concerns:mine") in response.content.decode()
    concern = Concern.objects.get()
    assert concern.reporter_user == user and concern.receipt_hash is None
    mine = client.get(reverse("concerns:mine"))
    assert concern.reference in mine.content.decode()


def test_a_concern_about_a_manager_found_on_the_register(client, organisation, manager):
    response = client.get(START, **CLIENT)
    response = post(client, "about", state_of(response), {"about": "manager"})
    assert h1(response) == "Which manager is your concern about?"
    response = post(
        client, "manager", state_of(response), {"q": "pennyfeather", "action": "search"}
    )
    text = response.content.decode()
    assert "Morag Pennyfeather" in text and "Director of Nursing" in text
    response = post(
        client,
        "manager",
        state_of(response),
        {"q": "pennyfeather", "choice": manager.registration_number, "action": "continue"},
    )
    assert h1(response) == "Which NHS organisation is your concern about?"
    # The organisation may be left out when the concern names a manager.
    response = post(client, "organisation", state_of(response), {"q": "", "action": "skip"})
    assert h1(response) == "What happened?"
    state = state_of(response)
    steps = [(s, d) for s, d in ORGANISATION_ANSWERS if s not in ("about", "organisation")]
    for step, data in [
        *steps,
        ("how", {"anonymity": "anonymous"}),
        ("employer", {"employer_may_see": "no"}),
    ]:
        response = post(client, step, state, data)
        state = state_of(response)
    assert f"Morag Pennyfeather ({manager.registration_number})" in response.content.decode()
    response = post(client, "check", state, {"_send": "send"})
    concern = Concern.objects.get()
    assert concern.subject_registrant == manager and concern.organisation is None


def test_a_manager_not_on_the_register_is_described(client, organisation):
    response = client.get(START, **CLIENT)
    response = post(client, "about", state_of(response), {"about": "manager"})
    response = post(client, "manager", state_of(response), {"q": "nobody such", "action": "search"})
    assert "No one on the register matches your search" in response.content.decode()
    response = post(
        client, "manager", state_of(response), {"q": "nobody such", "action": "describe"}
    )
    assert h1(response) == "Describe the manager"
    response = post(
        client,
        "manager-description",
        state_of(response),
        {"manager_description": "The new estates manager, called Jo"},
    )
    assert h1(response) == "Which NHS organisation is your concern about?"
    state = state_of(response)
    for step, data in [
        *ORGANISATION_ANSWERS[1:],
        ("how", {"anonymity": "anonymous"}),
        ("employer", {"employer_may_see": "no"}),
    ]:
        response = post(client, step, state, data)
        state = state_of(response)
    post(client, "check", state, {"_send": "send"})
    concern = Concern.objects.get()
    assert concern.subject_registrant is None and concern.organisation == organisation
    assert crypto.open_text(concern.subject_description_sealed) == (
        "The new estates manager, called Jo"
    )


def test_detriment_is_recorded(client, organisation):
    steps = [
        *ORGANISATION_ANSWERS[:-1],
        ("speaking-up", {"is_detriment": "yes"}),
        ("how", {"anonymity": "anonymous"}),
        ("employer", {"employer_may_see": "no"}),
    ]
    response, state = walk(client, steps)
    post(client, "check", state, {"_send": "send"})
    assert Concern.objects.get().is_detriment


# --- Back, change and the signed answers ----------------------------------------------


def test_back_takes_the_answers_to_the_previous_question(client, organisation):
    response, state = walk(client, ORGANISATION_ANSWERS[:3])
    assert h1(response) == "When did it happen?"
    back = post(client, "what-happened", state, {"_show": "back"})
    assert h1(back) == "What happened?"
    assert WHAT in back.content.decode()
    # The first question's back link goes to the start page.
    first = client.get(START)
    assert f'href="{reverse("concerns:start")}"' in first.content.decode()


def test_change_from_the_check_page_comes_back_to_it(client, organisation):
    steps = [
        *ORGANISATION_ANSWERS,
        ("how", {"anonymity": "anonymous"}),
        ("employer", {"employer_may_see": "no"}),
    ]
    response, state = walk(client, steps)
    assert f'formaction="{url("when")}"' in response.content.decode()
    change = post(client, "when", state, {"_show": "change"})
    assert h1(change) == "When did it happen?"
    assert "Since March 2026" in change.content.decode()
    response = post(client, "when", state_of(change), {"when": "April 2026"})
    assert h1(response) == "Check your answers before sending your concern"
    assert "April 2026" in response.content.decode()


def test_changing_to_confidential_asks_for_the_missing_contact_details(client, organisation):
    steps = [
        *ORGANISATION_ANSWERS,
        ("how", {"anonymity": "anonymous"}),
        ("employer", {"employer_may_see": "no"}),
    ]
    response, state = walk(client, steps)
    change = post(client, "how", state, {"_show": "change"})
    response = post(client, "how", state_of(change), {"anonymity": "confidential"})
    assert h1(response) == "Your name and contact details"
    response = post(
        client, "contact", state_of(response), {"name": "Ada", "email": "a@example.org"}
    )
    assert h1(response) == "Check your answers before sending your concern"
    assert "a@example.org" in response.content.decode()


def test_changing_to_anonymous_forgets_the_contact_details(client, organisation):
    steps = [
        *ORGANISATION_ANSWERS,
        ("how", {"anonymity": "confidential"}),
        ("contact", {"name": "Ada Whistle", "email": "ada@example.org"}),
        ("employer", {"employer_may_see": "no"}),
    ]
    response, state = walk(client, steps)
    change = post(client, "how", state, {"_show": "change"})
    response = post(client, "how", state_of(change), {"anonymity": "anonymous"})
    assert h1(response) == "Check your answers before sending your concern"
    state = state_of(response)
    assert "Ada Whistle" not in response.content.decode()
    assert "Ada Whistle" not in str(journey.state_load(state))


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-state",
        "x" * (journey.MAX_STATE_CHARS + 1),
    ],
)
def test_answers_that_cannot_be_read_mean_starting_again(client, token):
    response = post(client, "when", token, {"when": "now"})
    assert response.status_code == 400
    assert "You need to start again" in response.content.decode()
    assert not Concern.objects.exists()


def test_changed_answers_are_refused(client, organisation):
    response, state = walk(client, ORGANISATION_ANSWERS)
    value, _, signature = state.rpartition(":")
    tampered = value[:-2] + ("AA" if value[-2:] != "AA" else "BB") + ":" + signature
    forged = journey.state_dump({**journey.new_state()})  # a valid token ...
    for token in (tampered, forged[:-1] + ("a" if forged[-1] != "a" else "b")):
        response = post(client, "check", token, {"_send": "send"})
        assert response.status_code == 400
        assert "Your answers could not be read" in response.content.decode()
    # Answers signed for another purpose are not accepted either.
    from django.core import signing

    other = signing.Signer(salt="something.else").sign_object(journey.new_state(), compress=True)
    assert post(client, "when", other, {"when": "x"}).status_code == 400
    assert not Concern.objects.exists()


def test_later_questions_cannot_be_opened_without_answers(client):
    response = client.get(url("when"))
    assert response.status_code == 302 and response["Location"] == START
    assert client.get("/concerns/new/no-such-step/").status_code == 404


def test_the_check_page_will_not_send_before_every_question_is_answered(client, organisation):
    response, state = walk(client, ORGANISATION_ANSWERS[:4])
    response = post(client, "check", state, {"_send": "send"})
    assert h1(response) == "Who was affected? (optional)"
    assert not Concern.objects.exists()


def test_sending_the_same_answers_twice_raises_one_concern(client, organisation):
    steps = [
        *ORGANISATION_ANSWERS,
        ("how", {"anonymity": "anonymous"}),
        ("employer", {"employer_may_see": "no"}),
    ]
    response, state = walk(client, steps)
    first = post(client, "check", state, {"_send": "send"})
    assert first.status_code == 200
    again = post(client, "check", state, {"_send": "send"})
    assert again.status_code == 409
    assert "already been sent" in again.content.decode()
    assert 'id="receipt-code"' not in again.content.decode()
    assert Concern.objects.count() == 1


def test_submissions_are_limited_per_day(client, organisation, settings):
    settings.CONCERNS_SUBMISSIONS_PER_CLIENT_PER_DAY = 1
    assert raise_concern(client).status_code == 200
    response = raise_concern(client)
    assert response.status_code == 429
    assert "Too many" in response.content.decode()
    assert Concern.objects.count() == 1


# --- Every question's messages ---------------------------------------------------------

VALIDATION = [
    ("about", {}, "Select who your concern is about", "#id_about"),
    ("about", {"about": "pets"}, "Select who your concern is about", "#id_about"),
    ("what-happened", {"what_happened": "  "}, "Enter what happened", "#id_what_happened"),
    (
        "what-happened",
        {"what_happened": "x" * 20_001},
        "What happened? must be 20,000 characters or fewer",
        "#id_what_happened",
    ),
    ("when", {"when": ""}, "Enter when it happened", "#id_when"),
    (
        "who-was-affected",
        {"who_was_affected": "y" * 5_001},
        "must be 5,000 characters or fewer",
        "#id_who_was_affected",
    ),
    ("patient-harm", {}, "Select whether patients were harmed or put at risk", "#id_patient_harm"),
    (
        "raised-locally",
        {},
        "Select yes if you raised this where you work first",
        "#id_raised_locally",
    ),
    (
        "raised-locally",
        {"raised_locally": "yes", "local_outcome": ""},
        "Tell us what happened when you raised it",
        "#id_local_outcome",
    ),
    (
        "speaking-up",
        {},
        "Select yes if your concern is about someone being treated badly for speaking up",
        "#id_is_detriment",
    ),
    ("how", {}, "Select how you want to speak up", "#id_anonymity"),
    ("how", {"anonymity": "secret"}, "Select how you want to speak up", "#id_anonymity"),
    (
        "employer",
        {},
        "Select whether we may share what you wrote with the employer",
        "#id_employer_may_see",
    ),
]


def _ready_state(client, upto: str, **extra) -> str:
    steps = [*ORGANISATION_ANSWERS, ("how", {"anonymity": extra.get("anonymity", "confidential")})]
    if extra.get("anonymity", "confidential") != "anonymous":
        steps.append(("contact", {"name": "A", "email": "a@example.org"}))
    steps.append(("employer", {"employer_may_see": "no"}))
    _, state = walk(client, steps)
    return state


def assert_error_summary(response, message: str, anchor: str):
    text = response.content.decode()
    assert "nhsuk-error-summary" in text
    assert "<title>Error: " in text
    assert message in html.unescape(text), message
    assert f'href="{anchor}"' in text, anchor
    # The link leads to a field on the page.
    assert f'id="{anchor[1:]}"' in text, anchor


@pytest.mark.parametrize(("step", "data", "message", "anchor"), VALIDATION)
def test_every_question_says_what_is_wrong(client, organisation, step, data, message, anchor):
    state = _ready_state(client, step)
    response = post(client, step, state, data)
    assert response.status_code == 200
    # The same question again, with its one heading.
    assert h1(response) and response.content.decode().count("<h1") == 1
    assert_error_summary(response, message, anchor)


@pytest.mark.parametrize(
    ("data", "message", "anchor"),
    [
        ({"name": "", "email": "a@example.org"}, "Enter your full name", "#id_name"),
        (
            {"name": "A", "email": "", "phone": ""},
            "Enter an email address or a phone number",
            "#id_email",
        ),
        (
            {"name": "A", "email": "not-an-email"},
            "Enter an email address in the correct format, like name@example.com",
            "#id_email",
        ),
        (
            {"name": "A", "phone": "call me maybe"},
            "Enter a phone number, like 0113 496 0000 or +44 113 496 0000",
            "#id_phone",
        ),
        (
            {"name": "A" * 301, "email": "a@example.org"},
            "Full name must be 300 characters or fewer",
            "#id_name",
        ),
    ],
)
def test_contact_details_are_checked(client, organisation, data, message, anchor):
    state = _ready_state(client, "contact")
    response = post(client, "contact", state, data)
    assert_error_summary(response, message, anchor)


def test_a_signed_in_open_reporter_must_say_how_to_be_contacted(client, organisation, make_user):
    client.force_login(make_user())
    _, state = walk(client, [*ORGANISATION_ANSWERS, ("how", {"anonymity": "open"})])
    response = post(client, "contact", state, {})
    assert_error_summary(response, "Select how we should contact you", "#id_use_account")


def test_searches_say_what_is_wrong(client, organisation, manager):
    response = client.get(START)
    response = post(client, "about", state_of(response), {"about": "manager"})
    state = state_of(response)
    empty = post(client, "manager", state, {"q": "", "action": "search"})
    assert_error_summary(empty, "Enter the manager's name or registration number", "#id_q")
    long = post(client, "manager", state, {"q": "x" * 201, "action": "search"})
    assert_error_summary(long, "Search must be 200 characters or fewer", "#id_q")
    found = post(client, "manager", state, {"q": "morag", "action": "continue"})
    assert_error_summary(
        found, "Select the manager your concern is about, or 'None of these'", "#id_choice"
    )
    wrong = post(
        client, "manager", state, {"q": "morag", "choice": "M0000000", "action": "continue"}
    )
    assert_error_summary(
        wrong, "No one on the register has that registration number: search again", "#id_choice"
    )
    # About an organisation only: the organisation must be chosen.
    response = client.get(START)
    response = post(client, "about", state_of(response), {"about": "organisation"})
    state = state_of(response)
    skipped = post(client, "organisation", state, {"q": "", "action": "skip"})
    assert_error_summary(skipped, "Select the organisation your concern is about", "#id_q")
    none = post(client, "organisation", state, {"q": "zzzz", "action": "search"})
    assert "No NHS organisation matches your search" in none.content.decode()
    unknown = post(
        client, "organisation", state, {"q": "leeds", "choice": "ZZZ9", "action": "continue"}
    )
    assert_error_summary(
        unknown, "No NHS organisation has that ODS code: search again", "#id_choice"
    )


def test_the_manager_description_is_required(client, organisation):
    response = client.get(START)
    response = post(client, "about", state_of(response), {"about": "manager"})
    response = post(client, "manager", state_of(response), {"q": "", "action": "describe"})
    response = post(client, "manager-description", state_of(response), {"manager_description": ""})
    assert_error_summary(
        response, "Describe the manager your concern is about", "#id_manager_description"
    )


def test_questions_without_javascript_are_plain_forms(client):
    response = client.get(START)
    text = response.content.decode()
    assert text.count("<h1") == 1
    assert 'method="post"' in text and 'name="csrfmiddlewaretoken"' in text
    assert response["Cache-Control"] == "no-store"


def test_unusual_characters_are_refused_with_a_message(client, organisation):
    state = _ready_state(client, "what-happened")
    response = post(client, "what-happened", state, {"what_happened": "bad\x00text"})
    assert_error_summary(
        response,
        "What happened? must not include unusual characters: remove them and try again",
        "#id_what_happened",
    )
    response = client.get(START)
    response = post(client, "about", state_of(response), {"about": "organisation"})
    response = post(
        client, "organisation", state_of(response), {"q": "RR\x008", "action": "search"}
    )
    assert response.status_code == 200
    assert "Search must not include unusual characters" in html.unescape(response.content.decode())
