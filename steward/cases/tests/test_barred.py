"""The barred list: /register/barred/ and GET /api/v1/barred. Everyone barred now
(by a case, or recorded as barred before cases existed), with a link to the decision's
published summary, and nothing restricted."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from steward.cases.models import DeterminationKind
from steward.cases.sanctions import sanction_from_determination
from steward.cases.tests.factories import (
    RESTRICTED,
    decide,
    make_case,
    make_determination,
    make_registrant,
    months_later,
)
from steward.cases.tests.test_sanctions import TODAY  # noqa: F401 - the today fixture reads it
from steward.core.tests.matrix import ALL_ROLES, EVERYONE, check_matrix
from steward.register.services import register_status_change

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

API = "/api/v1/barred"


@pytest.fixture
def barred(organisation, caseworker, officer):
    """Someone barred by a panel: their case holds restricted allegations and evidence."""
    registrant = make_registrant(organisation, legal_forenames="Siobhán", legal_surname="O'Brien")
    case = make_case(registrant, caseworker, restricted=True)
    return registrant, decide(case, officer, "barring")


@pytest.fixture
def legacy(organisation, travel):
    """Someone recorded as barred before cases existed."""
    registrant = make_registrant(legal_forenames="Bernard", legal_surname="Adeyemi")
    register_status_change(
        registrant=registrant,
        to_status="barred",
        reason="Barred by the previous regulator",
        actor="tests",
        effective_on=dt.date(2024, 6, 3),
    )
    return registrant


def page_text(client, **params) -> tuple[int, str]:
    cache.clear()
    response = client.get(reverse("register:barred"), params)
    return response.status_code, response.content.decode()


def api(client, **params):
    cache.clear()
    return client.get(API, params)


def assert_nothing_restricted(text: str) -> None:
    for label, value in RESTRICTED.items():
        assert value not in text, f"the {label} appeared publicly"


def test_the_page_lists_everyone_barred_with_a_link_to_the_summary(
    client, barred, legacy, organisation, caseworker, officer
):
    registrant, sanction = barred
    suspended = make_registrant(organisation, legal_forenames="Sam", legal_surname="Suspended")
    decide(make_case(suspended, caseworker), officer, "suspension", ends_on=months_later(3))
    status, page = page_text(client)
    assert status == 200
    assert "People barred from NHS management" in page
    assert "2 people barred" in page
    assert "Siobhán O&#39;Brien" in page and registrant.registration_number in page
    assert "2 November 2026" in page
    entry = reverse(
        "register:entry", kwargs={"registration_number": registrant.registration_number}
    )
    assert f'href="{entry}#sanction-{sanction.pk}"' in page
    assert "Bernard Adeyemi" in page and "3 June 2024" in page
    legacy_entry = reverse(
        "register:entry", kwargs={"registration_number": legacy.registration_number}
    )
    assert f'href="{legacy_entry}#restriction"' in page
    assert "Sam Suspended" not in page
    assert_nothing_restricted(page)
    # The anchors the list links to exist on the entries.
    cache.clear()
    assert f'id="sanction-{sanction.pk}"' in client.get(entry).content.decode()
    cache.clear()
    assert 'id="restriction"' in client.get(legacy_entry).content.decode()


def test_the_api_lists_the_same_people_and_fields(client, barred, legacy):
    registrant, sanction = barred
    response = api(client)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and data["next"] is None and data["previous"] is None
    first, second = data["results"]  # by surname: Adeyemi, O'Brien
    assert first["registration_number"] == legacy.registration_number
    assert first["barred_since"] == "2024-06-03"
    assert first["determination_summary_url"].endswith("#restriction")
    assert second == {
        "registration_number": registrant.registration_number,
        "name": "Siobhán O'Brien",
        "barred_since": "2026-11-02",
        "determination_summary_url": (
            f"http://testserver/register/{registrant.registration_number}/#sanction-{sanction.pk}"
        ),
        "url": f"http://testserver/api/v1/register/{registrant.registration_number}",
    }
    assert_nothing_restricted(response.content.decode())


def test_a_bar_replaced_on_appeal_leaves_the_list(client, organisation, caseworker, officer):
    registrant = make_registrant(organisation)
    case = make_case(registrant, caseworker)
    earlier = make_determination(case, "barring")
    sanction_from_determination(determination=earlier, actor=officer)
    assert api(client).json()["count"] == 1
    appeal = make_determination(
        case,
        "suspension",
        kind=DeterminationKind.APPEAL,
        supersedes=earlier,
        ends_on=months_later(6),
    )
    sanction_from_determination(determination=appeal, actor=officer)
    assert api(client).json()["count"] == 0
    status, page = page_text(client)
    assert "No one is barred from NHS management." in page


def test_a_health_related_bar_is_listed_without_a_summary(
    client, organisation, caseworker, officer
):
    registrant = make_registrant(organisation)
    decide(make_case(registrant, caseworker, health_related=True), officer, "barring")
    [row] = api(client).json()["results"]
    assert row["determination_summary_url"].endswith("#restriction")


def _bar_many(count: int) -> None:
    for i in range(count):
        person = make_registrant(legal_forenames=f"Person{i:02d}", legal_surname="Barred")
        register_status_change(registrant=person, to_status="barred", reason="x", actor="tests")


def test_the_list_pages_in_fifties_with_bounded_queries(client, django_assert_max_num_queries):
    _bar_many(51)
    cache.clear()
    with django_assert_max_num_queries(4):
        response = client.get(reverse("register:barred"))
    page = response.content.decode()
    assert "Showing 1 to 50 of 51 people barred" in page
    assert "nhsuk-pagination" in page
    status, page = page_text(client, page=2)
    assert status == 200 and "Showing 51 to 51 of 51 people barred" in page
    cache.clear()
    with django_assert_max_num_queries(4):
        data = client.get(API).json()
    assert data["count"] == 51 and len(data["results"]) == 50
    assert data["next"].endswith("/api/v1/barred?page=2")
    data = api(client, page=2).json()
    assert len(data["results"]) == 1 and data["previous"].endswith("page=1")


WHOLE_NUMBER = "Page must be a whole number, like 2"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("two", WHOLE_NUMBER),
        ("0", WHOLE_NUMBER),
        ("-1", WHOLE_NUMBER),
        ("99999999", WHOLE_NUMBER),
        ("1\x00", WHOLE_NUMBER),
        ("2", "There is no page 2"),
    ],
)
def test_a_bad_page_gives_a_message_not_an_error(client, legacy, value, message):
    status, page = page_text(client, page=value)
    assert status == 400
    assert "There is a problem" in page
    assert message in page


def test_the_api_refuses_bad_pages_with_documented_errors(client, legacy):
    assert api(client, page="two").status_code == 422
    assert api(client, page=0).status_code == 422
    response = api(client, page=2)
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no page 2: there is 1 page."}


@override_settings(REGISTER_PUBLIC_RATE="2/m")
def test_the_register_rate_limit_applies(client, legacy):
    cache.clear()
    assert client.get(API).status_code == 200
    assert client.get(reverse("register:barred")).status_code == 200
    response = client.get(API)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert client.get(reverse("register:barred")).status_code == 429


def test_the_api_is_declared_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/barred"]["get"]
    assert set(operation["responses"]) == {"200", "404", "422", "429"}
    assert "security" not in operation  # public


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_everyone_may_see_the_barred_list(client, settings, role_user, legacy, role):
    settings.DEMO_SKIP_MFA = True
    if role:
        client.force_login(role_user(role))
    cache.clear()
    check_matrix(
        client,
        role,
        [("register:barred", None, EVERYONE, "page"), (API, None, EVERYONE, "api")],
        {},
    )
