"""The pages: appointments, vetting, references, the PDF and the person's own view."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.references import services
from steward.references.models import Appointment, BoardMemberReference
from steward.references.pdf import reference_pdf
from steward.references.tests.factories import all_no, career_role, complete, person, propose
from steward.register import services as register_services

pytestmark = pytest.mark.django_db

APPOINTMENTS = reverse("references:appointments")
PROPOSE = reverse("references:appointment_propose")
REFERENCES = reverse("references:requests")
MINE = reverse("references:mine")
# Words about the person raising concerns themselves: never asked, never shown.
SPEAKING_UP = re.compile(
    r"rais(e|ed|es|ing)\s+(a\s+|any\s+)?concerns?\b(?!\s+about)"
    r"|speak(s|ing)?[\s-]+up|whistle[\s-]?blow|protected\s+disclosure",
    re.IGNORECASE,
)


def html(response) -> str:
    """The page's main content (the header links everyone to "Raise a concern", which
    is not about the person a reference describes)."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def start_data(day=1, month=12, year=2026, **extra) -> dict:
    return {
        "start_date_day": str(day),
        "start_date_month": str(month),
        "start_date_year": str(year),
        **extra,
    }


def reference_data(**overrides) -> dict:
    data = {
        **all_no(),
        "referee_name": "Helen D'Souza",
        "referee_job_title": "Chair",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Appointments ------------------------------------------------------------------


def test_propose_journey_shows_the_vetting(client, organisation, candidate, hr_lead):
    client.force_login(hr_lead)
    page = html(client.get(PROPOSE))
    assert "Propose an appointment" in page and 'name="proposed_start_date_day"' in page

    response = client.post(
        PROPOSE,
        {
            "registration_number": candidate.registration_number.lower(),
            "role_title": "Chief Finance Officer",
            "role_category": "executive_director",
            "proposed_start_date_day": "1",
            "proposed_start_date_month": "12",
            "proposed_start_date_year": "2026",
        },
    )

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("references:appointment", kwargs={"pk": appointment.pk})
    page = html(client.get(response["Location"]))
    assert "Siobhán Wiśniewski: Chief Finance Officer" in page
    assert "References have not been requested" in page
    assert "Request references from 1 employer" in page
    assert "Bradford Teaching Hospitals NHS Foundation Trust" in page
    assert "Not requested" in page


def test_propose_errors_are_shown_in_the_error_summary(client, organisation, hr_lead):
    from steward.register.numbers import registration_number

    client.force_login(hr_lead)
    page = html(
        client.post(
            PROPOSE,
            {
                "registration_number": registration_number(999_998),
                "role_title": "",
                "proposed_start_date_day": "31",
                "proposed_start_date_month": "2",
                "proposed_start_date_year": "2027",
            },
        )
    )
    assert "nhsuk-error-summary" in page
    assert "Enter the job title of the role" in page
    assert "Select the type of role" in page
    assert "Proposed start date must be a real date" in page
    assert not Appointment.objects.exists()

    page = html(
        client.post(
            PROPOSE,
            {
                "registration_number": registration_number(999_998),
                "role_title": "Chair",
                "role_category": "chair",
                "proposed_start_date_day": "1",
                "proposed_start_date_month": "12",
                "proposed_start_date_year": "2026",
            },
        )
    )
    assert "No one on the register has the registration number" in page
    assert not Appointment.objects.exists()


def test_list_shows_status_and_vetting_tags_in_bounded_queries(
    client, organisation, bradford, hr_lead, django_assert_max_num_queries
):
    for index in range(8):
        registrant = person(legal_surname=f"Okafor {index}")
        career_role(registrant, bradford, start_date=dt.date(2018, 1, 1))
        propose(organisation, registrant)
    barred = person(legal_surname="Barred")
    register_services.register_status_change(
        registrant=barred, to_status="barred", reason="panel", actor="tests"
    )
    propose(organisation, barred)
    client.force_login(hr_lead)

    with django_assert_max_num_queries(14):
        page = html(client.get(APPOINTMENTS))

    assert page.count("References outstanding") == 8
    assert "Blocked" in page
    assert "Okafor 7" in page


def test_barred_person_page_shows_the_block_and_no_start_form(
    client, organisation, candidate, chair
):
    register_services.register_status_change(
        registrant=candidate, to_status="barred", reason="panel", actor="tests"
    )
    appointment = propose(organisation, candidate)
    client.force_login(chair)

    page = html(client.get(reverse("references:appointment", kwargs={"pk": appointment.pk})))

    assert "This appointment cannot go ahead" in page
    assert "barred from the register" in page
    assert "Record the start" not in page

    response = client.post(
        reverse("references:appointment", kwargs={"pk": appointment.pk}),
        start_data(override_reason="We accept the risk"),
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "proposed"


def test_conditions_are_shown_prominently(client, organisation, candidate, hr_lead):
    register_services.register_status_change(
        registrant=candidate, to_status="conditions", reason="panel", actor="tests"
    )
    appointment = propose(organisation, candidate)
    client.force_login(hr_lead)

    page = html(client.get(reverse("references:appointment", kwargs={"pk": appointment.pk})))

    assert "Restriction on their registration" in page
    restriction = page.index("Restriction on their registration")
    assert page.index("registered with conditions") > restriction
    assert page.index("registered with conditions") < page.index("Check before they start")


def test_support_plan_is_shown_for_a_first_board_role_at_high_risk(
    client, organisation, bradford, hr_lead
):
    organisation.risk_level = "high"
    organisation.save()
    registrant = person()
    career_role(registrant, bradford, category="senior_manager", start_date=dt.date(2016, 1, 1))
    appointment = propose(organisation, registrant)
    client.force_login(hr_lead)

    page = html(client.get(reverse("references:appointment", kwargs={"pk": appointment.pk})))

    assert "Recommended support and mentoring plan" in page
    assert "A review with the chair every quarter" in page


def test_request_references_button_and_confirmation(client, organisation, candidate, hr_lead):
    appointment = propose(organisation, candidate)
    client.force_login(hr_lead)
    url = reverse("references:appointment_request_references", kwargs={"pk": appointment.pk})

    page = html(client.get(url))
    assert "Request references from 1 employer" in page

    response = client.post(url)
    assert response.status_code == 302
    page = html(client.get(response["Location"]))
    assert "References requested from 1 employer." in page
    assert "Requested" in page and "Due 16 November 2026" in page


def test_start_refused_on_the_page_while_references_are_outstanding(
    client, organisation, candidate, hr_lead
):
    appointment = propose(organisation, candidate)
    client.force_login(hr_lead)
    url = reverse("references:appointment", kwargs={"pk": appointment.pk})

    page = html(client.get(url))
    assert 'name="override_reason"' not in page  # the HR lead cannot override

    page = html(client.post(url, start_data()))
    assert "nhsuk-error-summary" in page
    assert "References have not been requested" in page
    appointment.refresh_from_db()
    assert appointment.status == "proposed"


def test_chair_override_on_the_page_is_shown_afterwards(client, organisation, candidate, chair):
    appointment = propose(organisation, candidate)
    client.force_login(chair)
    url = reverse("references:appointment", kwargs={"pk": appointment.pk})
    assert 'name="override_reason"' in html(client.get(url))

    response = client.post(
        url, start_data(override_reason="The trust has no finance director from Monday.")
    )

    assert response.status_code == 302
    page = html(client.get(url))
    assert "Started before every reference was received" in page
    assert "The trust has no finance director from Monday." in page
    assert "Recorded by Adebayo Okonkwo-Hughes on" in page
    assert AuditEvent.objects.filter(action="references.appointment.override_recorded").exists()


def test_override_field_hidden_once_references_arrived(
    client, organisation, candidate, chair, bradford_hr
):
    appointment = propose(organisation, candidate)
    [request] = services.reference_requests_create(appointment=appointment, actor="tests")
    complete(request, actor=bradford_hr)
    client.force_login(chair)
    url = reverse("references:appointment", kwargs={"pk": appointment.pk})

    page = html(client.get(url))
    assert 'name="override_reason"' not in page
    assert "Read the reference" in page

    assert client.post(url, start_data()).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "started"


def test_withdraw_page(client, organisation, candidate, hr_lead):
    appointment = propose(organisation, candidate)
    client.force_login(hr_lead)
    url = reverse("references:appointment_withdraw", kwargs={"pk": appointment.pk})

    assert "Enter why the appointment is withdrawn" in html(client.post(url, {"reason": ""}))
    assert client.post(url, {"reason": "They accepted another post"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "withdrawn"


def test_another_organisation_cannot_see_the_appointment(
    client, organisation, candidate, bradford_hr
):
    appointment = propose(organisation, candidate)
    client.force_login(bradford_hr)

    response = client.get(reverse("references:appointment", kwargs={"pk": appointment.pk}))

    assert response.status_code == 403
    assert client.get(f"{APPOINTMENTS}?organisation=RR8").status_code == 403


def test_unknown_appointment_is_404(client, hr_lead):
    client.force_login(hr_lead)
    assert client.get(reverse("references:appointment", kwargs={"pk": 999})).status_code == 404


def test_several_organisations_choose_one(client, organisation, bradford, make_user):
    from steward.accounts.models import RoleAssignment

    user = make_user("chair", organisation=organisation)
    RoleAssignment.objects.create(user=user, role="hr_lead", organisation=bradford)
    client.force_login(user)

    page = html(client.get(APPOINTMENTS))
    assert "Which organisation’s appointments do you want to see?" in page
    assert "?organisation=RAE" in page
    assert "Bradford Teaching Hospitals" in html(client.get(f"{APPOINTMENTS}?organisation=RAE"))


# --- Giving references ----------------------------------------------------------------


@pytest.fixture
def reference_request(organisation, candidate):
    appointment = propose(organisation, candidate)
    [request] = services.reference_requests_create(appointment=appointment, actor="tests")
    return request


def test_references_page_lists_what_to_give(client, reference_request, bradford_hr):
    client.force_login(bradford_hr)

    page = html(client.get(REFERENCES))

    assert "References to give" in page
    assert "Siobhán Wiśniewski" in page
    assert "Proposed appointment as Chief Finance Officer at Leeds Teaching Hospitals" in page
    assert reverse("references:complete", kwargs={"pk": reference_request.pk}) in page


def test_reference_form_asks_every_question_and_never_about_speaking_up(
    client, reference_request, bradford_hr
):
    client.force_login(bradford_hr)
    url = reverse("references:complete", kwargs={"pk": reference_request.pk})

    page = html(client.get(url))

    from steward.references.models import REFERENCE_QUESTIONS

    for stem, question in REFERENCE_QUESTIONS:
        assert f'name="{stem}"' in page
        assert f'name="{stem}_details"' in page
        assert question.replace("'", "&#39;") in page
    assert "concerns about their conduct" in page  # the conduct question is allowed
    assert not SPEAKING_UP.search(page)
    assert 'name="on_behalf_of_referee"' in page  # the HR lead may tick it


@pytest.mark.parametrize(
    "stem",
    [
        "disciplinary_findings",
        "investigations",
        "upheld_concerns",
        "fitness_outcomes",
        "settlement_agreements",
    ],
)
def test_each_unanswered_question_is_an_error(client, reference_request, bradford_hr, stem):
    from steward.references.questions import ANSWER_REQUIRED

    client.force_login(bradford_hr)
    url = reverse("references:complete", kwargs={"pk": reference_request.pk})

    page = html(client.post(url, reference_data(**{stem: None})))

    assert "nhsuk-error-summary" in page
    assert ANSWER_REQUIRED[stem].replace("'", "&#39;") in page
    assert f'href="#id_{stem}"' in page
    assert not BoardMemberReference.objects.exists()


def test_yes_without_details_is_an_error_on_the_page(client, reference_request, bradford_hr):
    client.force_login(bradford_hr)
    url = reverse("references:complete", kwargs={"pk": reference_request.pk})

    page = html(client.post(url, reference_data(disciplinary_findings="yes")))

    assert "Give details of the disciplinary findings" in page
    assert not BoardMemberReference.objects.exists()


def test_reference_given_on_the_page(client, reference_request, bradford_hr, hr_lead):
    client.force_login(bradford_hr)
    url = reverse("references:complete", kwargs={"pk": reference_request.pk})

    response = client.post(
        url,
        reference_data(
            fitness_outcomes="yes",
            fitness_outcomes_details="A concern in the 2024 assessment was resolved.",
            on_behalf_of_referee="on",
        ),
    )

    reference = BoardMemberReference.objects.get()
    assert response.status_code == 302
    assert reference.on_behalf_of_referee is True
    assert reference.fitness_outcomes_details.startswith("A concern")
    page = html(client.get(response["Location"]))
    assert "A concern in the 2024 assessment was resolved." in page
    assert "on the named referee’s behalf" in page
    # The requesting organisation can read it too.
    client.force_login(hr_lead)
    assert "A concern in the 2024 assessment" in html(client.get(response["Location"]))


def test_chair_has_no_on_behalf_box(client, reference_request, bradford_chair):
    client.force_login(bradford_chair)
    page = html(client.get(reverse("references:complete", kwargs={"pk": reference_request.pk})))
    assert 'name="on_behalf_of_referee"' not in page


def test_viewing_a_reference_is_audited(client, reference_request, bradford_hr, hr_lead):
    reference = complete(reference_request, actor=bradford_hr)
    client.force_login(hr_lead)

    html(client.get(reverse("references:reference", kwargs={"pk": reference.pk})))

    event = AuditEvent.objects.filter(action="references.boardmemberreference.restricted_viewed")
    assert event.filter(actor=hr_lead).exists()


def test_other_organisations_cannot_see_a_reference(
    client, reference_request, bradford_hr, harrogate, make_user
):
    reference = complete(reference_request, actor=bradford_hr)
    outsider = make_user("chair", organisation=harrogate)
    client.force_login(outsider)

    for name in ("references:reference", "references:reference_pdf", "references:reference_update"):
        assert client.get(reverse(name, kwargs={"pk": reference.pk})).status_code == 403


def test_person_sees_their_own_references_read_only(
    client, reference_request, bradford_hr, candidate, make_user
):
    reference = complete(reference_request, actor=bradford_hr)
    user = make_user("registrant")
    candidate.user = user
    candidate.save()
    client.force_login(user)

    page = html(client.get(MINE))
    assert "Bradford Teaching Hospitals NHS Foundation Trust" in page
    page = html(client.get(reverse("references:reference", kwargs={"pk": reference.pk})))
    assert "Board member reference" in page
    assert "Issue an update" not in page
    assert (
        client.get(reverse("references:reference_update", kwargs={"pk": reference.pk})).status_code
        == 403
    )
    assert client.get(REFERENCES).status_code == 403


def test_someone_else_cannot_see_a_persons_references(
    client, reference_request, bradford_hr, make_user
):
    reference = complete(reference_request, actor=bradford_hr)
    client.force_login(make_user("registrant"))

    assert "No references" in html(client.get(MINE)) or "not linked" in html(client.get(MINE))
    assert (
        client.get(reverse("references:reference", kwargs={"pk": reference.pk})).status_code == 403
    )


def test_update_page_issues_an_update(client, reference_request, bradford_hr):
    reference = complete(reference_request, actor=bradford_hr)
    client.force_login(bradford_hr)
    url = reverse("references:reference_update", kwargs={"pk": reference.pk})

    page = html(client.get(url))
    assert "Issue an update to a board member reference" in page
    assert "Director of Finance, 1 April 2018 to date" in page  # starts from what was given

    response = client.post(
        url, reference_data(investigations="yes", investigations_details="Opened after she left.")
    )
    assert response.status_code == 302
    update = BoardMemberReference.objects.get(supersedes=reference)
    page = html(client.get(reverse("references:reference", kwargs={"pk": update.pk})))
    assert "This is an update to the reference of 2 November 2026" in page
    page = html(client.get(reverse("references:reference", kwargs={"pk": reference.pk})))
    assert "This reference has been updated" in page


def test_update_page_refuses_after_six_years(client, reference_request, bradford_hr, travel):
    reference = complete(reference_request, actor=bradford_hr)
    travel(dt.date(2033, 1, 1))
    client.force_login(bradford_hr)

    page = html(client.get(reverse("references:reference_update", kwargs={"pk": reference.pk})))

    assert "only be issued to a reference given in the last six years" in page
    assert "Issue the update" not in page
    assert "Issue an update" not in html(client.get(REFERENCES))


def test_references_page_lists_in_bounded_queries(
    client, organisation, bradford, bradford_hr, django_assert_max_num_queries
):
    for index in range(6):
        registrant = person(legal_surname=f"Mensah {index}")
        career_role(registrant, bradford, start_date=dt.date(2018, 1, 1))
        appointment = propose(organisation, registrant)
        requests = services.reference_requests_create(appointment=appointment, actor="tests")
        if index % 2:
            complete(requests[0], actor=bradford_hr)
    leaver = career_role(
        person(legal_surname="Leaver"),
        bradford,
        title="Chair",
        category="chair",
        end_date=dt.date(2026, 10, 1),
    )
    services.leaving_reference_request(career_role=leaver, actor="tests")
    client.force_login(bradford_hr)

    with django_assert_max_num_queries(15):
        page = html(client.get(REFERENCES))

    assert page.count("Give the reference<") == 4
    assert "Left the board as Chair" in page
    assert page.count("Issue an update<") == 3


# --- The PDF ---------------------------------------------------------------------------------


PDF_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def _unescape(literal: str) -> bytes:
    """A PDF literal string's bytes: backslash escapes and octal codes undone."""
    out, i = [], 0
    while i < len(literal):
        ch = literal[i]
        if ch == "\\" and i + 1 < len(literal):
            nxt = literal[i + 1]
            octal = re.match(r"[0-7]{1,3}", literal[i + 1 :])
            if octal:
                out.append(chr(int(octal.group(), 8)))
                i += 1 + len(octal.group())
                continue
            out.append(PDF_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out).encode("latin-1")


def pdf_text(content: bytes) -> str:
    """The text of an uncompressed fpdf2 PDF: two-byte glyph ids in the page streams,
    mapped back to characters through each font's ToUnicode table."""
    raw = content.decode("latin-1")
    objects = dict(re.findall(r"(\d+) 0 obj(.*?)endobj", raw, re.DOTALL))
    maps: dict[str, dict[bytes, str]] = {}
    for name, number in set(re.findall(r"/(F\d+) (\d+) 0 R", raw)):
        to_unicode = re.search(r"/ToUnicode (\d+) 0 R", objects.get(number, ""))
        table = objects.get(to_unicode.group(1), "") if to_unicode else ""
        maps[name] = {
            bytes.fromhex(glyph): bytes.fromhex(char).decode("utf-16-be")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", table, re.DOTALL)
            for glyph, char in re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", block)
        }
    lines, font = [], {}
    literal = r"\(((?:\\.|[^\\)])*)\)"
    for match in re.finditer(rf"/(F\d+) [\d.]+ Tf|{literal}\s*Tj|\[(.*?)\]\s*TJ", raw, re.DOTALL):
        if match.group(1):
            font = maps.get(match.group(1), {})
            continue
        parts = [match.group(2)] if match.group(3) is None else re.findall(literal, match.group(3))
        data = b"".join(_unescape(part) for part in parts if part is not None)
        lines.append("".join(font.get(data[k : k + 2], "?") for k in range(0, len(data) - 1, 2)))
    return " ".join(lines)


def test_pdf_has_every_question_and_answer_with_unicode_names(
    client, reference_request, bradford_hr, hr_lead
):
    reference = services.reference_complete(
        request=reference_request,
        answers=all_no(
            upheld_concerns="yes",
            upheld_concerns_details="A grievance about the tone of board papers was upheld.",
        ),
        referee_name="Tomasz Wiśniewski",
        referee_job_title="Chair",
        actor=bradford_hr,
    )
    reference = BoardMemberReference.objects.select_related(
        "registrant", "referee_organisation", "request__appointment__organisation", "supersedes"
    ).get(pk=reference.pk)

    content = reference_pdf(reference=reference, compress=False)

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Siobhán Wiśniewski" in text
    assert "Tomasz Wiśniewski" in text
    assert "Bradford Teaching Hospitals NHS Foundation Trust" in text
    assert "A grievance about the tone of board papers was upheld." in text
    from steward.references.models import REFERENCE_QUESTIONS

    for number, (stem, question) in enumerate(REFERENCE_QUESTIONS, start=1):
        answer = "Yes. A grievance" if stem == "upheld_concerns" else "No"
        assert f"{number}. {question} {answer}" in text
    assert not SPEAKING_UP.search(text)

    client.force_login(hr_lead)
    response = client.get(reverse("references:reference_pdf", kwargs={"pk": reference.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="references.boardmemberreference.restricted_viewed", reason__contains="PDF"
    ).exists()


def test_pdf_of_an_update_names_the_reference_it_replaces(reference_request, bradford_hr, travel):
    original = complete(reference_request, actor=bradford_hr)
    travel(dt.date(2027, 2, 3))
    update = services.reference_update_issue(
        reference=original,
        answers=all_no(),
        referee_name="Helen D'Souza",
        referee_job_title="Chair",
        actor=bradford_hr,
    )

    text = pdf_text(reference_pdf(reference=update, compress=False))

    assert "update to the reference of 2 November 2026" in text


# --- Speaking up is never asked or shown -----------------------------------------------------


def test_pages_never_mention_speaking_up(client, reference_request, bradford_hr, hr_lead):
    reference = complete(reference_request, actor=bradford_hr)
    client.force_login(hr_lead)
    for url in (
        APPOINTMENTS,
        reverse("references:appointment", kwargs={"pk": reference_request.appointment_id}),
        reverse("references:reference", kwargs={"pk": reference.pk}),
        REFERENCES,
    ):
        assert not SPEAKING_UP.search(html(client.get(url))), url


def test_speaking_up_pattern_catches_what_it_should():
    assert SPEAKING_UP.search("Did the person raise concerns at work?")
    assert SPEAKING_UP.search("They were a whistleblower")
    assert SPEAKING_UP.search("made a protected disclosure")
    assert SPEAKING_UP.search("Freedom to Speak Up guardian")
    assert not SPEAKING_UP.search("concerns about their conduct, upheld")


def test_own_references_list_in_bounded_queries(
    client, organisation, bradford, bradford_hr, candidate, make_user, django_assert_max_num_queries
):
    for _ in range(4):
        role = career_role(
            candidate, bradford, category="chair", title="Chair", end_date=dt.date(2026, 9, 30)
        )
        complete(services.leaving_reference_request(career_role=role, actor="tests"))
    user = make_user("registrant")
    candidate.user = user
    candidate.save()
    client.force_login(user)

    with django_assert_max_num_queries(9):
        page = html(client.get(MINE))

    assert page.count("Left the board as Chair") == 4
