"""The employer's board and senior manager roster: journeys, scoping, restricted data."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.core import clock
from steward.organisations.models import Organisation, OrganisationType
from steward.register import services
from steward.register.models import CareerRole, Registrant, RoleCategory, StaffNumber
from steward.register.numbers import registration_number

pytestmark = pytest.mark.django_db

EMPLOYER_ROLES = ["chair", "chief_executive", "senior_independent_director", "hr_lead"]
OTHER_ROLES = ["registrant", "registrar", "auditor"]
TODAY = clock.today()
LAST_YEAR = TODAY - dt.timedelta(days=365)
ROSTER = reverse("roster:list")
ADD = reverse("roster:add")


@pytest.fixture
def other_organisation(region):
    return Organisation.objects.create(
        ods_code="RAE",
        name="Bradford Teaching Hospitals NHS Foundation Trust",
        org_type=OrganisationType.NHS_TRUST,
        region=region,
        search_name="bradford teaching hospitals nhs foundation trust",
    )


def person(**overrides) -> Registrant:
    details = {
        "legal_forenames": "Adaeze",
        "legal_surname": "Okonkwo-Smith",
        "known_as": "Ada",
        "date_of_birth": dt.date(1971, 5, 17),
        "email": "ada.okonkwo@nhs.example",
        "phone": "0113 496 0000",
        "actor": "tests",
        "reason": "test data",
        **overrides,
    }
    return services.registrant_create(**details)


def role(registrant, organisation, **overrides) -> CareerRole:
    details = {
        "title": "Chief Finance Officer",
        "category": RoleCategory.EXECUTIVE_DIRECTOR,
        "start_date": LAST_YEAR,
        "actor": "tests",
        "reason": "test data",
        **overrides,
    }
    return services.career_role_add(registrant=registrant, organisation=organisation, **details)


@pytest.fixture
def employer(client, role_user):
    user = role_user("hr_lead")
    client.force_login(user)
    return user


def add_data(**overrides) -> dict:
    return {
        "on_register": "yes",
        "registration_number": "",
        "title": "Chief Nursing Officer",
        "category": RoleCategory.EXECUTIVE_DIRECTOR,
        "start_date_day": "1",
        "start_date_month": "4",
        "start_date_year": str(TODAY.year),
        "is_interim": "no",
        "employee_number": "",
        **overrides,
    }


def end_data(role, **overrides) -> dict:
    return {
        "end_date_day": str(TODAY.day),
        "end_date_month": str(TODAY.month),
        "end_date_year": str(TODAY.year),
        "reason_for_leaving": "Retired after 30 years in the NHS",
        "settlement_agreement": "no",
        "version": str(role.version),
        **overrides,
    }


def error_summary(response) -> str:
    html = response.content.decode()
    assert "nhsuk-error-summary" in html, "expected the NHS error summary"
    return html


# --- The roster page --------------------------------------------------------


def test_roster_groups_current_roles_by_category_and_lists_past_members(
    client, employer, organisation
):
    chair = person(legal_forenames="Siobhán", legal_surname="O'Neill", known_as="")
    role(chair, organisation, title="Chair", category=RoleCategory.CHAIR, is_interim=True)
    finance = person()
    role(finance, organisation)
    leaver = person(legal_forenames="Tomasz", legal_surname="Wiśniewski", known_as="")
    role(leaver, organisation, end_date=TODAY - dt.timedelta(days=30), title="Director of Estates")

    response = client.get(ROSTER)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Leeds Teaching Hospitals NHS Trust" in html
    chair_section = html.split('id="group-chair"')[1].split("</section>")[0]
    assert "Siobhán O&#39;Neill" in chair_section
    assert "Interim" in chair_section
    assert chair.registration_number in chair_section
    assert reverse("roster:person", args=[chair.registration_number]) in chair_section
    exec_section = html.split('id="group-executive_director"')[1].split("</section>")[0]
    assert "Ada Okonkwo-Smith" in exec_section
    assert "Registered" in exec_section
    assert "Tomasz" not in html.split('id="past-heading"')[0]
    past_section = html.split('id="past-heading"')[1]
    assert "Tomasz Wiśniewski" in past_section
    assert "Director of Estates" in past_section
    # Past members no longer employed here are not linked to a full record.
    assert reverse("roster:person", args=[leaver.registration_number]) not in html
    # The roster list shows nothing restricted.
    assert "ada.okonkwo@nhs.example" not in html
    assert "1971" not in html


def test_roster_shows_only_the_employers_own_organisation(
    client, employer, organisation, other_organisation
):
    elsewhere = person(legal_forenames="Gwen", legal_surname="Elsewhere", known_as="")
    role(elsewhere, other_organisation)

    response = client.get(ROSTER)

    assert "Gwen Elsewhere" not in response.content.decode()
    assert client.get(ROSTER, {"organisation": "RAE"}).status_code == 403
    assert client.get(ROSTER, {"organisation": "ZZZ"}).status_code == 403


def test_employer_at_two_organisations_chooses_which(
    client, make_user, organisation, other_organisation
):
    from steward.accounts.models import RoleAssignment

    user = make_user("chair", organisation=organisation)
    RoleAssignment.objects.create(user=user, role="hr_lead", organisation=other_organisation)
    client.force_login(user)
    elsewhere = person(legal_forenames="Gwen", legal_surname="Elsewhere", known_as="")
    role(elsewhere, other_organisation)

    choose = client.get(ROSTER)
    assert choose.status_code == 200
    assert "?organisation=RAE" in choose.content.decode()
    assert "Gwen Elsewhere" not in choose.content.decode()

    response = client.get(ROSTER, {"organisation": "rae"})
    assert response.status_code == 200
    assert "Gwen Elsewhere" in response.content.decode()
    assert client.get(ADD).status_code == 200  # the chooser again
    assert "?organisation=RR8" in client.get(ADD).content.decode()


def test_roster_page_queries_are_bounded(
    client, employer, organisation, django_assert_max_num_queries
):
    categories = list(RoleCategory)
    people = [person(legal_surname=f"Surname{i}") for i in range(100)]
    for i, someone in enumerate(people):
        role(
            someone,
            organisation,
            category=categories[i % len(categories)],
            end_date=TODAY - dt.timedelta(days=1) if i % 4 == 0 else None,
        )
    assert CareerRole.objects.filter(organisation=organisation).count() == 100

    # Session, user, their roles, current roster, past count, past page.
    with django_assert_max_num_queries(7):
        response = client.get(ROSTER)

    assert response.status_code == 200
    assert "Surname99" in response.content.decode()


def test_past_members_are_paged(client, employer, organisation):
    for i in range(55):
        role(
            person(legal_surname=f"Leaver{i:02d}"),
            organisation,
            start_date=dt.date(2010, 1, 1),
            end_date=dt.date(2020, 1, 1) + dt.timedelta(days=i),
        )

    first = client.get(ROSTER).content.decode()
    second = client.get(ROSTER, {"page": "2"}).content.decode()
    hostile = client.get(ROSTER, {"page": "x" * 10_000 + "\x00"})

    assert "Leaver54" in first  # most recently ended first
    assert "Leaver00" not in first
    assert "?page=2" in first
    assert "Leaver00" in second
    assert "Leaver54" not in second
    assert hostile.status_code == 200


# --- Adding someone ---------------------------------------------------------


def test_add_existing_registrant_by_registration_number(client, employer, organisation):
    someone = person()
    number = someone.registration_number.lower()

    response = client.post(
        ADD,
        add_data(
            registration_number=f" {number[:4]} {number[4:]} ",
            is_interim="yes",
            employee_number="E1234",
        ),
    )

    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == f"{ROSTER}?organisation=RR8"
    added = CareerRole.objects.get(registrant=someone, organisation=organisation)
    assert added.title == "Chief Nursing Officer"
    assert added.category == RoleCategory.EXECUTIVE_DIRECTOR
    assert added.start_date == dt.date(TODAY.year, 4, 1)
    assert added.is_interim is True
    assert added.end_date is None
    staff = StaffNumber.objects.get(registrant=someone, organisation=organisation)
    assert staff.employee_number == "E1234"
    assert AuditEvent.objects.filter(
        action="register.career_role.added", actor=employer, subject_id=str(someone.pk)
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert "added to the roster as Chief Nursing Officer" in page
    assert "Chief Nursing Officer" in page.split('id="group-executive_director"')[1]


def test_add_new_person_creates_their_record(client, employer, organisation):
    before = Registrant.objects.count()

    response = client.post(
        ADD,
        add_data(
            on_register="no",
            legal_forenames="Zoë",
            legal_surname="D'Souza-Ng",
            known_as="Zo",
            date_of_birth_day="29",
            date_of_birth_month="2",
            date_of_birth_year="1980",
            email="Zoe.DSouza@nhs.example",
            category=RoleCategory.NON_EXECUTIVE_DIRECTOR,
            title="Non-executive Director",
        ),
    )

    assert response.status_code == 302, response.content.decode()
    assert Registrant.objects.count() == before + 1
    created = Registrant.objects.get(legal_surname="D'Souza-Ng")
    assert created.legal_forenames == "Zoë"
    assert created.known_as == "Zo"
    assert created.date_of_birth == dt.date(1980, 2, 29)
    assert created.email == "zoe.dsouza@nhs.example"
    assert created.status == "registered"
    assert created.career_roles.get().organisation == organisation
    assert AuditEvent.objects.filter(
        action="register.registrant.created", actor=employer, subject_id=str(created.pk)
    ).exists()


def test_add_with_unknown_or_malformed_number_is_refused(client, employer, organisation):
    unknown = registration_number(999_999)

    response = client.post(ADD, add_data(registration_number=unknown))
    html = error_summary(response)
    assert f"No one on the register has the registration number {unknown}" in html
    assert 'href="#id_registration_number"' in html

    response = client.post(ADD, add_data(registration_number="M1234568"))
    assert "is not a real registration number" in error_summary(response)
    response = client.post(ADD, add_data(registration_number="12345"))
    assert "letter M followed by 7 digits" in error_summary(response)
    response = client.post(ADD, add_data(registration_number=""))
    assert "Enter a registration number" in error_summary(response)
    assert not CareerRole.objects.exists()


def test_add_new_person_needs_their_details(client, employer):
    response = client.post(ADD, add_data(on_register="no"))

    html = error_summary(response)
    assert "Enter their legal forename or forenames" in html
    assert "Enter their legal surname" in html
    assert "Enter their date of birth" in html
    assert "Enter their work email address" in html
    assert "Enter a registration number" not in html
    assert not Registrant.objects.exists()


def test_staff_number_clash_changes_nothing(client, employer, organisation):
    holder = person(legal_surname="Holder")
    services.staff_number_set(
        registrant=holder, organisation=organisation, employee_number="E1", actor="tests"
    )

    response = client.post(
        ADD,
        add_data(
            on_register="no",
            legal_forenames="New",
            legal_surname="Person",
            date_of_birth_day="1",
            date_of_birth_month="1",
            date_of_birth_year="1980",
            email="new@nhs.example",
            employee_number="E1",
        ),
    )

    assert "Another person already has this staff number here" in error_summary(response)
    assert not Registrant.objects.filter(legal_surname="Person").exists()
    assert not CareerRole.objects.exists()


def test_adding_the_same_role_twice_is_refused(client, employer, organisation):
    someone = person()
    data = add_data(registration_number=someone.registration_number)
    assert client.post(ADD, data).status_code == 302

    response = client.post(ADD, data)

    assert "already has this role at Leeds Teaching Hospitals NHS Trust" in error_summary(response)
    assert CareerRole.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "Start date must be a real date"),
        ("1", "13", "2026", "Start date must be a real date"),
        ("aa", "bb", "cccc", "Start date must be a real date"),
        ("1", "", "2026", "Start date must include a month"),
        ("", "", "2026", "Start date must include a day and a month"),
        ("1", "4", "26", "Start date must include a year with 4 numbers"),
        ("1", "4", "1900", "Start date must be on or after 5 July 1948"),
        ("1", "4", "9999", "Start date must be on or before"),
        ("1\x00", "4", "2026", "Start date must be a real date"),
        ("9" * 10_000, "4", "2026", "Start date must be a real date"),
        ("١", "٤", "٢٠٢٦", "Start date must be a real date"),
        ("", "", "", "Enter the date they started"),
    ],
)
def test_bad_start_dates_are_explained(client, employer, day, month, year, message):
    someone = person()
    response = client.post(
        ADD,
        add_data(
            registration_number=someone.registration_number,
            start_date_day=day,
            start_date_month=month,
            start_date_year=year,
        ),
    )

    assert response.status_code == 200
    html = error_summary(response)
    assert message in html
    assert 'href="#id_start_date"' in html
    assert "\x00" not in html
    assert not CareerRole.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "x" * 10_000},
        {"title": "Chief\x00Officer"},
        {"title": "   "},
        {"category": "emperor"},
        {"is_interim": "maybe"},
        {"on_register": "perhaps"},
        {"employee_number": "E" * 10_000},
        {
            "on_register": "no",
            "legal_forenames": "A" * 10_000,
            "legal_surname": "B\x00",
            "email": "not-an-email",
            "date_of_birth_day": "1",
            "date_of_birth_month": "1",
            "date_of_birth_year": str(TODAY.year + 1),
        },
    ],
)
def test_hostile_input_to_add_changes_nothing(client, employer, overrides):
    someone = person()
    before = Registrant.objects.count()

    response = client.post(
        ADD, add_data(registration_number=someone.registration_number, **overrides)
    )

    assert response.status_code == 200
    error_summary(response)
    assert not CareerRole.objects.exists()
    assert Registrant.objects.count() == before


def test_add_page_renders_nhs_components(client, employer):
    html = client.get(ADD).content.decode()

    assert 'name="start_date_day"' in html
    assert 'name="start_date_month"' in html
    assert 'name="start_date_year"' in html
    assert "nhsuk-date-input" in html
    assert "nhsuk-radios__conditional" in html


# --- Ending a role ----------------------------------------------------------


def test_end_role_with_a_settlement(client, employer, organisation):
    current = role(person(), organisation)
    url = reverse("roster:role_end", args=[current.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        end_data(
            current,
            settlement_agreement="yes",
            settlement_confidentiality_terms="yes",
            reason_for_leaving="Left by mutual agreement",
        ),
    )

    assert response.status_code == 302, response.content.decode()
    current.refresh_from_db()
    assert current.end_date == TODAY
    assert current.reason_for_leaving == "Left by mutual agreement"
    assert current.settlement_agreement is True
    assert current.settlement_confidentiality_terms is True
    assert current.version == 2
    event = AuditEvent.objects.filter(action="register.career_role.updated").last()
    assert event.actor == employer
    # The audit trail names the restricted fields that changed, never their values.
    assert "mutual agreement" not in event.payload
    assert "reason_for_leaving" in json.loads(event.payload)["fields"]


def test_end_role_without_settlement_ignores_confidentiality_answer(client, employer, organisation):
    current = role(person(), organisation)

    response = client.post(
        reverse("roster:role_end", args=[current.pk]),
        end_data(current, settlement_agreement="no", settlement_confidentiality_terms="yes"),
    )

    assert response.status_code == 302
    current.refresh_from_db()
    assert current.settlement_agreement is False
    assert current.settlement_confidentiality_terms is False


def test_settlement_needs_the_confidentiality_answer(client, employer, organisation):
    current = role(person(), organisation)

    response = client.post(
        reverse("roster:role_end", args=[current.pk]),
        end_data(current, settlement_agreement="yes"),
    )

    assert "included confidentiality terms" in error_summary(response)
    current.refresh_from_db()
    assert current.end_date is None


def test_stale_end_is_refused_and_changes_nothing(client, employer, organisation):
    current = role(person(), organisation)
    stale_version = current.version
    # Someone else changes the role after the form was opened.
    services.career_role_update(
        role=current,
        expected_version=stale_version,
        changes={"title": "Chief Financial Officer"},
        actor="tests",
        reason="corrected title",
    )

    response = client.post(
        reverse("roster:role_end", args=[current.pk]),
        end_data(current, version=str(stale_version)),
    )

    assert response.status_code == 200
    html = error_summary(response)
    assert services.STALE_MESSAGE.split(",")[0] in html
    current.refresh_from_db()
    assert current.end_date is None
    assert current.reason_for_leaving == ""
    assert current.title == "Chief Financial Officer"


def test_end_before_start_is_refused(client, employer, organisation):
    current = role(person(), organisation, start_date=dt.date(2024, 3, 3))

    response = client.post(
        reverse("roster:role_end", args=[current.pk]),
        end_data(current, end_date_day="2", end_date_month="3", end_date_year="2024"),
    )

    html = error_summary(response)
    assert "The end date must be on or after the date they started, 3 March 2024" in html
    assert 'href="#id_end_date"' in html
    current.refresh_from_db()
    assert current.end_date is None


@pytest.mark.parametrize(
    "overrides",
    [
        {"end_date_day": "31", "end_date_month": "2", "end_date_year": "2026"},
        {"end_date_day": "x", "end_date_month": "y", "end_date_year": "z"},
        {"reason_for_leaving": ""},
        {"reason_for_leaving": "r" * 10_000},
        {"reason_for_leaving": "Left\x00"},
        {"settlement_agreement": "perhaps"},
        {"version": "not-a-number"},
        {"version": "9" * 10_000},
        {"version": ""},
    ],
)
def test_hostile_input_to_end_changes_nothing(client, employer, organisation, overrides):
    current = role(person(), organisation)

    response = client.post(
        reverse("roster:role_end", args=[current.pk]), end_data(current, **overrides)
    )

    assert response.status_code == 200
    error_summary(response)
    current.refresh_from_db()
    assert current.end_date is None
    assert current.version == 1


def test_cannot_end_a_role_at_another_organisation(client, employer, other_organisation):
    elsewhere = role(person(), other_organisation)
    url = reverse("roster:role_end", args=[elsewhere.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, end_data(elsewhere)).status_code == 403
    elsewhere.refresh_from_db()
    assert elsewhere.end_date is None
    assert client.get(reverse("roster:role_end", args=[987654])).status_code == 404


# --- A person's full record ------------------------------------------------


def test_full_record_shows_restricted_details_for_this_organisation_only(
    client, employer, organisation, other_organisation
):
    someone = person()
    services.previous_name_add(
        registrant=someone, forenames="Adaeze", surname="Maidenname", actor="tests", reason="t"
    )
    services.staff_number_set(
        registrant=someone, organisation=organisation, employee_number="LTH-42", actor="tests"
    )
    services.staff_number_set(
        registrant=someone, organisation=other_organisation, employee_number="BTH-99", actor="t"
    )
    role(
        someone,
        other_organisation,
        title="Director of Operations",
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2019, 12, 31),
        reason_for_leaving="Dismissed after an investigation elsewhere",
        settlement_agreement=True,
        settlement_confidentiality_terms=True,
    )
    role(
        someone,
        organisation,
        title="Deputy Director",
        category=RoleCategory.SENIOR_MANAGER,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2022, 12, 31),
        reason_for_leaving="Promoted to a board role here",
    )
    role(someone, organisation)
    Registrant.objects.filter(pk=someone.pk).update(address="1 Park Row\nLeeds <b>LS1</b>")

    response = client.get(reverse("roster:person", args=[someone.registration_number]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Adaeze Okonkwo-Smith" in html
    assert "1 Park Row<br>Leeds &lt;b&gt;LS1&lt;/b&gt;" in html
    assert "17 May 1971" in html
    assert "ada.okonkwo@nhs.example" in html
    assert "0113 496 0000" in html
    assert "LTH-42" in html
    assert "Promoted to a board role here" in html
    # Public facts of the role elsewhere, never its restricted details.
    assert "Director of Operations" in html
    assert "Dismissed" not in html
    assert "BTH-99" not in html
    assert "confidentiality terms" not in html
    # Previous names are never shown to employers.
    assert "Maidenname" not in html


def test_full_record_view_is_recorded_in_the_audit_trail(client, employer, organisation):
    someone = person()
    role(someone, organisation)

    client.get(reverse("roster:person", args=[someone.registration_number]))

    event = AuditEvent.objects.get(action="register.registrant.restricted_viewed")
    assert event.actor == employer
    assert event.subject_type == "register.registrant"
    assert event.subject_id == str(someone.pk)
    fields = json.loads(event.payload)["fields"]
    assert {"date_of_birth", "email", "phone", "address"} <= set(fields)
    assert "ada.okonkwo@nhs.example" not in event.payload


@pytest.mark.parametrize("case", ["left", "elsewhere", "unknown", "malformed", "merged"])
def test_full_record_is_hidden_unless_employed_here_now(
    client, employer, organisation, other_organisation, case
):
    if case == "left":
        number = person().registration_number
        role(
            Registrant.objects.get(registration_number=number),
            organisation,
            end_date=TODAY - dt.timedelta(days=1),
        )
    elif case == "elsewhere":
        number = person().registration_number
        role(Registrant.objects.get(registration_number=number), other_organisation)
    elif case == "unknown":
        number = registration_number(999_998)
    elif case == "malformed":
        number = "M123%00"
    else:
        kept = person(legal_surname="Kept")
        duplicate = person(legal_surname="Duplicate")
        role(duplicate, organisation)
        Registrant.objects.filter(pk=duplicate.pk).update(merged_into=kept)
        number = duplicate.registration_number

    response = client.get(reverse("roster:person", args=[number]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="register.registrant.restricted_viewed").exists()


def test_person_whose_role_ends_in_future_is_still_employed(client, employer, organisation):
    someone = person()
    role(someone, organisation, end_date=TODAY + dt.timedelta(days=30))

    response = client.get(reverse("roster:person", args=[someone.registration_number]))

    assert response.status_code == 200


# --- Who may use each page --------------------------------------------------


@pytest.fixture
def targets(organisation):
    someone = person()
    current = role(someone, organisation)
    return {
        "list": ROSTER,
        "add": ADD,
        "end": reverse("roster:role_end", args=[current.pk]),
        "person": reverse("roster:person", args=[someone.registration_number]),
    }


@pytest.mark.parametrize("slug", EMPLOYER_ROLES)
def test_every_employer_role_may_use_every_roster_page(client, role_user, targets, slug):
    client.force_login(role_user(slug))
    for name, url in targets.items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("slug", OTHER_ROLES)
def test_other_roles_are_refused(client, settings, role_user, targets, organisation, slug):
    settings.DEMO_SKIP_MFA = True
    client.force_login(role_user(slug))
    for name, url in targets.items():
        assert client.get(url).status_code == 403, name
    assert client.post(ADD, add_data()).status_code == 403
    assert client.post(targets["end"], {}).status_code == 403


def test_a_registrant_cannot_open_their_own_record_here(client, make_user, organisation):
    user = make_user("registrant")
    someone = person(user=user)
    role(someone, organisation)
    client.force_login(user)

    response = client.get(reverse("roster:person", args=[someone.registration_number]))

    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, targets):
    for name, url in targets.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


def test_employer_home_page_links_to_the_roster(client, employer):
    html = client.get(reverse("home")).content.decode()

    assert f'href="{ROSTER}"' in html
    assert "Keep the board and senior manager roster" in html
