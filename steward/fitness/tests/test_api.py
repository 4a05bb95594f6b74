"""GET /api/v1/organisations/{ods_code}/fitness-assessments: shape, scoping, errors."""

import pytest

from steward.accounts.services import token_create
from steward.core import clock
from steward.fitness.models import AssessmentOutcome, CheckKind
from steward.fitness.services import assessment_conclude
from steward.fitness.tests.factories_assessments import (
    assessment_for,
    board_member,
    complete_checks,
    other_organisation,
)
from steward.organisations.models import Region
from steward.register.models import RoleCategory

pytestmark = pytest.mark.django_db

YEAR = clock.today().year
URL = "/api/v1/organisations/RR8/fitness-assessments"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_create(user=user, name='t', actor=None).secret}"}


@pytest.fixture
def board(organisation, make_user):
    chair_user = make_user("chair", organisation=organisation)
    executive = complete_checks(
        assessment_for(board_member(organisation, title="Chief Nurse", names=("Ada", "Okafor")))
    )
    assessment_conclude(
        assessment=executive,
        expected_version=executive.version,
        outcome=AssessmentOutcome.FIT,
        reasons="Confidential reasons that stay on the page.",
        actor=chair_user,
    )
    chair = assessment_for(
        board_member(organisation, category=RoleCategory.CHAIR, title="Chair", names=("Bo", "Li"))
    )
    assessment_for(board_member(organisation), year=YEAR - 1)
    return {"chair_user": chair_user, "executive": executive, "chair": chair}


def test_employers_get_the_years_assessments(client, board):
    response = client.get(URL, {"year": YEAR}, headers=bearer(board["chair_user"]))

    assert response.status_code == 200
    items = {item["name"]: item for item in response.json()}
    assert set(items) == {"Ada Okafor", "Bo Li"}
    ada = items["Ada Okafor"]
    assert ada["id"] == board["executive"].pk
    assert ada["registration_number"] == board["executive"].registrant.registration_number
    assert ada["role_title"] == "Chief Nurse"
    assert ada["role_category"] == "executive_director"
    assert ada["trigger"] == "annual"
    assert ada["outcome"] == "fit_and_proper"
    assert ada["concluded_on"] == clock.today().isoformat()
    assert [c["kind"] for c in ada["checks"]] == [kind.value for kind in CheckKind]
    assert {c["outcome"] for c in ada["checks"]} == {"satisfactory"}
    bo = items["Bo Li"]
    assert bo["outcome"] is None and bo["concluded_on"] is None
    register = next(c for c in bo["checks"] if c["kind"] == "register_status")
    assert register == {
        "kind": "register_status",
        "outcome": "satisfactory",
        "checked_on": clock.today().isoformat(),
    }
    assert "Confidential reasons" not in response.content.decode()


def test_the_year_defaults_to_this_year(client, board):
    client.force_login(board["chair_user"])
    assert len(client.get(URL).json()) == 2
    assert len(client.get(URL, {"year": YEAR - 1}).json()) == 1
    assert client.get(URL, {"year": 1990}).json() == []


def test_the_regional_director_of_the_region_may_read(client, board, make_user, region):
    response = client.get(URL, headers=bearer(make_user("regional_director", region=region)))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["registrar", "registrant", "auditor", "administrator"])
def test_others_are_refused(client, board, make_user, role):
    response = client.get(URL, headers=bearer(make_user(role)))
    assert response.status_code == 403
    assert "employers" in response.json()["detail"]


def test_employers_and_regions_elsewhere_are_refused(client, board, make_user, region):
    chair_elsewhere = make_user("chair", organisation=other_organisation(region))
    assert client.get(URL, headers=bearer(chair_elsewhere)).status_code == 403
    london = Region.objects.create(code="Y56", name="London", slug="london")
    director = make_user("regional_director", region=london)
    assert client.get(URL, headers=bearer(director)).status_code == 403


def test_anonymous_is_asked_to_authenticate(client, board):
    assert client.get(URL).status_code == 401


def test_unknown_organisation_and_bad_year(client, board):
    headers = bearer(board["chair_user"])
    missing = client.get("/api/v1/organisations/NOPE1/fitness-assessments", headers=headers)
    assert missing.status_code == 404
    assert client.get(URL, {"year": "next"}, headers=headers).status_code == 422
    assert client.get(URL, {"year": "0"}, headers=headers).status_code == 422


def test_the_list_runs_a_fixed_number_of_queries(
    client, board, organisation, django_assert_max_num_queries
):
    headers = bearer(board["chair_user"])
    client.get(URL, headers=headers)
    for _ in range(25):
        assessment_for(board_member(organisation))
    with django_assert_max_num_queries(10):
        response = client.get(URL, headers=headers)
    assert len(response.json()) == 27
