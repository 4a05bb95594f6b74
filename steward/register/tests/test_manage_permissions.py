"""Who may open each signed-in register page, and how many queries the lists take."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steward.register import services
from steward.register.applications import application_submit

pytestmark = pytest.mark.django_db

ROLES = ("registrant", "registrar", "employer", "auditor", "anonymous")


@pytest.fixture(autouse=True)
def _skip_mfa(settings):
    settings.DEMO_SKIP_MFA = True


def _person(forenames="Amara", surname="Okafor", **kwargs):
    return services.registrant_create(
        legal_forenames=forenames, legal_surname=surname, actor="tests", reason="test", **kwargs
    )


@pytest.fixture
def world(make_user, organisation):
    """A registrant with a record and a current role at the employer's organisation."""
    users = {
        "registrant": make_user("registrant"),
        "registrar": make_user("registrar"),
        "employer": make_user("chair", organisation=organisation),
        "auditor": make_user("auditor"),
        "anonymous": None,
    }
    registrant = _person(user=users["registrant"])
    services.career_role_add(
        registrant=registrant,
        organisation=organisation,
        title="Director of Nursing",
        category="executive_director",
        start_date=dt.date(2020, 1, 1),
        actor="t",
        reason="t",
    )
    other = _person("Ben", "Cole")
    qualification = services.qualification_add(
        registrant=registrant, title="MBA", awarding_body="OU", actor="t"
    )
    application = application_submit(
        applicant=make_user(),
        legal_forenames="New",
        legal_surname="Person",
        date_of_birth=dt.date(1980, 1, 1),
        email="new@example.org",
    )
    return {
        "users": users,
        "registrant": registrant,
        "other": other,
        "qualification": qualification,
        "application": application,
    }


def _urls(world):
    number = world["registrant"].registration_number
    return {
        # name: (url, roles allowed)
        "my_record": (reverse("register_manage:my_record"), {"registrant"}),
        "my_contact": (reverse("register_manage:my_contact"), {"registrant"}),
        "my_qualification_add": (
            reverse("register_manage:my_qualification_add"),
            {"registrant"},
        ),
        "registrar_home": (reverse("register_manage:registrar_home"), {"registrar"}),
        "applications": (reverse("register_manage:applications"), {"registrar"}),
        "application": (
            reverse("register_manage:application", kwargs={"pk": world["application"].pk}),
            {"registrar"},
        ),
        "qualifications": (reverse("register_manage:qualifications"), {"registrar"}),
        "qualification": (
            reverse("register_manage:qualification", kwargs={"pk": world["qualification"].pk}),
            {"registrar"},
        ),
        "records": (reverse("register_manage:records") + "?q=okafor", {"registrar"}),
        "record": (
            reverse("register_manage:record", kwargs={"registration_number": number}),
            {"registrar"},
        ),
        "merge": (
            reverse("register_manage:merge", kwargs={"registration_number": number}),
            {"registrar"},
        ),
        "merge_confirm": (
            reverse("register_manage:merge_confirm", kwargs={"registration_number": number})
            + f"?duplicate={world['other'].registration_number}",
            {"registrar"},
        ),
    }


URL_NAMES = [
    "my_record",
    "my_contact",
    "my_qualification_add",
    "registrar_home",
    "applications",
    "application",
    "qualifications",
    "qualification",
    "records",
    "record",
    "merge",
    "merge_confirm",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URL_NAMES)
def test_permission_matrix(client, world, role, name):
    url, allowed = _urls(world)[name]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
    # Writes are refused the same way.
    if role not in allowed:
        assert client.post(url, {}).status_code in {302, 403, 405}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["my_apply", "my_apply_check"])
def test_apply_pages_are_for_registrants_without_a_record(client, world, make_user, role, name):
    url = reverse(f"register_manage:{name}")
    user = make_user("registrant") if role == "registrant" else world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    elif role == "registrant":
        # The form, or (with no answers yet) back to the form.
        assert response.status_code == 200 if name == "my_apply" else response.status_code == 302
    else:
        assert response.status_code == 403


def test_a_registrant_with_a_record_is_not_offered_the_application(client, world):
    client.force_login(world["users"]["registrant"])
    response = client.get(reverse("register_manage:my_apply"))
    assert response["Location"] == reverse("register_manage:my_record")


def test_registrar_needs_an_authenticator(client, world, settings):
    settings.DEMO_SKIP_MFA = False
    client.force_login(world["users"]["registrar"])
    response = client.get(reverse("register_manage:registrar_home"))
    assert response["Location"] == reverse("mfa_activate_totp")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow(make_user, count, start):
    for i in range(start, start + count):
        registrant = _person("Person", f"Number{i}", previous_names=[("", f"Old{i}")])
        services.qualification_add(
            registrant=registrant, title=f"Q{i}", awarding_body="X", actor="t"
        )
        application_submit(
            applicant=make_user(),
            legal_forenames="Applicant",
            legal_surname=f"Number{i}",
            date_of_birth=dt.date(1980, 1, 1),
            email=f"a{i}@example.org",
        )


@pytest.mark.parametrize(
    "url",
    [
        reverse("register_manage:registrar_home"),
        reverse("register_manage:applications"),
        reverse("register_manage:qualifications"),
        reverse("register_manage:records") + "?q=person",
    ],
)
def test_registrar_lists_take_a_bounded_number_of_queries(
    client, world, make_user, url, django_assert_max_num_queries
):
    client.force_login(world["users"]["registrar"])
    _grow(make_user, 3, 0)
    few = _queries(client, url)
    _grow(make_user, 30, 100)
    many = _queries(client, url)
    assert many == few
    with django_assert_max_num_queries(15):
        client.get(url)


def test_full_record_takes_a_bounded_number_of_queries(
    client, world, organisation, django_assert_max_num_queries
):
    client.force_login(world["users"]["registrar"])
    registrant = world["registrant"]
    url = reverse(
        "register_manage:record", kwargs={"registration_number": registrant.registration_number}
    )
    few = _queries(client, url)
    for i in range(10):
        services.career_role_add(
            registrant=registrant,
            organisation=organisation,
            title=f"Role {i}",
            category="senior_manager",
            start_date=dt.date(2000 + i, 1, 1),
            actor="t",
            reason="t",
        )
        services.qualification_add(
            registrant=registrant, title=f"Q{i}", awarding_body="X", actor="t"
        )
        services.previous_name_add(
            registrant=registrant, forenames="", surname=f"Old{i}", actor="t", reason="t"
        )
    assert _queries(client, url) == few
    with django_assert_max_num_queries(30):
        client.get(url)
