"""The reporter's inbox pages: a receipt code (in a POST, never the address) opens
the concern's status and messages; replies and files; open reporters' own list."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steward.concerns import services
from steward.concerns.models import Concern, ConcernFile, ConcernStatus
from steward.concerns.tests.test_report_pages import CLIENT, raise_concern, receipt_code

pytestmark = pytest.mark.django_db

INBOX = reverse("concerns:inbox")
REPLY = reverse("concerns:inbox_reply")


def without_csrf(content: bytes) -> str:
    """The page less its per-request tokens (the CSRF token and the CSP nonce)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())
    return re.sub(r'nonce="[^"]+"', "", text)


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker")


@pytest.fixture
def received(organisation):
    return services.concern_submit(
        anonymity="anonymous",
        answers={"what_happened": "Ward 3 was left without a nurse overnight."},
        organisation=organisation,
    )


def open_inbox(client, code, **extra):
    return client.post(INBOX, {"code": code}, **{**CLIENT, **extra})


def test_the_code_form_asks_for_the_code_in_a_post(client):
    response = client.get(INBOX)
    text = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert 'method="post"' in text and f'action="{INBOX}"' in text
    assert "Receipt code" in text


def test_the_receipt_code_from_the_confirmation_opens_the_inbox(client, organisation, caseworker):
    sent = raise_concern(client)
    code = receipt_code(sent)
    concern = Concern.objects.get()
    services.caseworker_message_add(
        concern=concern, body="Which night was it?\nAnd which ward?", actor=caseworker
    )
    services.reporter_message_add(concern=concern, body="Tuesday, ward 9.")
    response = open_inbox(client, code.lower().replace("-", " "))
    text = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert f"Your concern {concern.reference}" in text
    assert "Received" in text and "We have your concern" in text
    # Oldest first, by who wrote them, with dates.
    steward_at = text.index("Steward, ")
    you_at = text.index("You, ")
    assert steward_at < you_at
    assert '<p class="nhsuk-card__description">Which night was it?</p>' in text
    assert "Tuesday, ward 9." in text
    # The reply form carries the code, so no session is needed; and a way out.
    assert f'name="code" value="{code.lower().replace("-", " ")}"' in text
    assert f'action="{REPLY}"' in text
    assert "Leave this inbox" in text


@pytest.mark.parametrize("status", list(ConcernStatus))
def test_every_status_is_explained_in_plain_english(client, received, status):
    Concern.objects.filter(pk=received.concern.pk).update(status=status)
    text = open_inbox(client, received.receipt_code).content.decode()
    assert "nhsuk-tag" in text
    assert status.value not in re.sub(r"<[^>]+>", "", text.split("<main", 1)[1]).split()


def test_wrong_unknown_and_malformed_codes_get_the_same_answer(client, received):
    code = received.receipt_code
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    answers = [open_inbox(client, c) for c in (wrong, "AAAA-BBBB-CCCC-DDDD-EEEE", "nonsense")]
    assert {r.status_code for r in answers} == {200}
    assert len({without_csrf(r.content) for r in answers}) == 1
    text = answers[0].content.decode()
    assert "No concern matches that receipt code" in text
    assert "nhsuk-error-summary" in text and 'href="#id_code"' in text
    assert code not in text and wrong not in text


def test_a_blank_code_is_asked_for(client):
    response = client.post(INBOX, {"code": "  "})
    assert "Enter your receipt code" in response.content.decode()


def test_codes_are_limited_per_client_per_day(client, received, settings):
    settings.CONCERNS_CODE_FAILURES_PER_CLIENT_PER_DAY = 2
    for _ in range(2):
        assert open_inbox(client, "WRONG-CODE").status_code == 200
    blocked = open_inbox(client, received.receipt_code)
    assert blocked.status_code == 429
    assert "too many attempts" in blocked.content.decode().lower()
    assert open_inbox(client, received.receipt_code, REMOTE_ADDR="198.51.100.4").status_code == 200
    # Replies present the code too, and are refused the same way.
    assert (
        client.post(REPLY, {"code": received.receipt_code, "body": "Hi"}, **CLIENT).status_code
        == 429
    )


def test_a_reply_sets_the_status_back_and_lists_the_files(client, received, caseworker):
    concern = received.concern
    services.caseworker_message_add(concern=concern, body="Please send the rota.", actor=caseworker)
    Concern.objects.filter(pk=concern.pk).update(status=ConcernStatus.AWAITING_REPORTER)
    version = Concern.objects.get(pk=concern.pk).version
    response = client.post(
        REPLY,
        {
            "code": received.receipt_code,
            "body": "Here is the rota for that week.",
            "files": [
                SimpleUploadedFile("week 12 rota.txt", b"Mon: none\nTue: none\n"),
                SimpleUploadedFile("ward.txt", b"ward 3"),
            ],
        },
        **CLIENT,
    )
    text = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "Your message has been sent" in text
    assert "Here is the rota for that week." in text
    assert "week 12 rota.txt" in text and "ward.txt" in text
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ACKNOWLEDGED and concern.version == version + 1
    assert ConcernFile.objects.filter(message__number=2).count() == 2


def test_reply_problems_are_shown_and_nothing_is_sent(client, received, settings):
    code = received.receipt_code
    empty = client.post(REPLY, {"code": code, "body": ""}, **CLIENT)
    assert empty.status_code == 400
    assert "Enter your message" in empty.content.decode()
    assert 'href="#id_body"' in empty.content.decode()
    bad = client.post(
        REPLY,
        {
            "code": code,
            "body": "See the file",
            "files": [SimpleUploadedFile("a.gif", b"GIF89a\x00\x00")],
        },
        **CLIENT,
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "not a type of file Steward accepts" in text and 'href="#files"' in text
    assert "See the file" in text  # what they wrote is kept
    settings.CONCERNS_FILE_MAX_BYTES = 10
    big = client.post(
        REPLY,
        {"code": code, "body": "Big", "files": [SimpleUploadedFile("big.txt", b"x" * 5000)]},
        **CLIENT,
    )
    assert "larger than 10 bytes" in big.content.decode()
    assert not received.concern.messages.exists() and not ConcernFile.objects.exists()


def test_a_reply_with_a_wrong_code_is_refused_like_any_wrong_code(client, received):
    response = client.post(REPLY, {"code": "AAAA-BBBB-CCCC-DDDD-EEEE", "body": "Hello"}, **CLIENT)
    assert "No concern matches that receipt code" in response.content.decode()
    assert not received.concern.messages.exists()
    assert client.get(REPLY).status_code == 302


def test_open_reporters_see_their_own_concerns(client, organisation, make_user, caseworker):
    user, other = make_user(), make_user()
    mine = services.concern_submit(
        anonymity="open",
        answers={"what_happened": "x"},
        organisation=organisation,
        reporter_user=user,
    ).concern
    theirs = services.concern_submit(
        anonymity="open",
        answers={"what_happened": "y"},
        organisation=organisation,
        reporter_user=other,
    ).concern
    services.caseworker_message_add(
        concern=mine, body="Thank you for telling us.", actor=caseworker
    )
    assert client.get(reverse("concerns:mine")).status_code == 302  # sign in first
    client.force_login(user)
    listing = client.get(reverse("concerns:mine")).content.decode()
    assert mine.reference in listing and theirs.reference not in listing
    # Its status in the reporter's words, not the concerns team's ("New").
    assert re.search(r'nhsuk-tag--blue"\s*>\s*Received\s*<', listing), listing
    detail_url = reverse("concerns:mine_detail", kwargs={"reference": mine.reference})
    detail = client.get(detail_url)
    assert "Thank you for telling us." in detail.content.decode()
    assert detail["Cache-Control"] == "no-store"
    assert 'name="code"' not in detail.content.decode()
    reply = client.post(detail_url, {"body": "You are welcome."})
    assert "Your message has been sent" in reply.content.decode()
    assert mine.messages.count() == 2
    assert (
        client.get(
            reverse("concerns:mine_detail", kwargs={"reference": theirs.reference})
        ).status_code
        == 404
    )


def test_the_inbox_reads_a_bounded_number_of_times(
    client, received, caseworker, django_assert_max_num_queries
):
    concern = received.concern
    for n in range(6):
        services.caseworker_message_add(concern=concern, body=f"Question {n}", actor=caseworker)
        services.reporter_message_add(
            concern=concern,
            body=f"Answer {n}",
            uploads=[SimpleUploadedFile(f"answer {n}.txt", b"detail")],
        )
    with django_assert_max_num_queries(12):
        response = open_inbox(client, received.receipt_code)
    assert response.content.decode().count("Answer ") == 6
    assert "answer 5.txt" in response.content.decode()
