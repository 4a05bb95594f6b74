"""Deny by default for the annual return: every URL (pages and API) for every role.

The chair submits; employers at the organisation and the region's regional
director read the return; only the regional director sees the region and
returns a submission. Everyone else signed in gets 403; anonymous visitors are
sent to sign in (pages) or get 401 (API).
"""

import pytest

from steward.accounts.roles import EMPLOYER_ROLES
from steward.core.tests.matrix import ALL_ROLES, check_matrix
from steward.fitness import returns
from steward.fitness.models import AnnualReturn
from steward.fitness.tests import factories_returns as f

pytestmark = pytest.mark.django_db

YEAR = 2025
DIRECTOR = {"regional_director"}
READERS = {*EMPLOYER_ROLES, "regional_director"}

MATRIX = [
    ("fitness:region_start", None, DIRECTOR, "page-or-redirect"),
    ("fitness:region", lambda ctx: {"region_code": "Y63", "year": YEAR}, DIRECTOR, "page"),
    ("fitness:return", lambda ctx: {"ods_code": "RR8", "year": YEAR}, READERS, "page"),
    ("fitness:return_send_back", lambda ctx: {"pk": ctx["return"].pk}, DIRECTOR, "page"),
    (f"/api/v1/regions/Y63/fitness-returns?year={YEAR}", None, DIRECTOR, "api"),
]


@pytest.fixture
def ctx(make_user, organisation):
    chair = make_user("chair", organisation=organisation)
    f.assessment(organisation, year=YEAR)
    annual_return = returns.annual_return_submit(
        organisation=organisation, year=YEAR, chair_statement="Done.", actor=chair
    )
    return {"return": annual_return}


@pytest.fixture(autouse=True)
def no_mfa(settings):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_url_for_every_role(client, role_user, ctx, role):
    if role:
        client.force_login(role_user(role))
    check_matrix(client, role, MATRIX, ctx)


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_who_may_submit_and_send_back(client, role_user, organisation, ctx, role):
    """The writes: submitting (page and API) and returning a submission."""
    if role:
        client.force_login(role_user(role))
    f.assessment(organisation, year=YEAR + 1)
    page = f"/fitness/RR8/{YEAR + 1}/return/"
    api = f"/api/v1/organisations/RR8/fitness-returns/{YEAR + 1}"
    send_back = f"/fitness/returns/{ctx['return'].pk}/send-back/"

    page_response = client.post(page, {"chair_statement": "Done.", "version": "0"})
    api_response = client.post(api, {"chair_statement": "Done."}, content_type="application/json")
    back_response = client.post(send_back, {"comments": "Fix it.", "version": "1"})

    if role is None:
        assert page_response.status_code == 302
        assert page_response["Location"].startswith("/accounts/login/")
        assert api_response.status_code == 401
        assert back_response.status_code == 302
        assert back_response["Location"].startswith("/accounts/login/")
    elif role == "chair":
        assert page_response.status_code == 302  # submitted
        assert api_response.status_code == 409  # already submitted by the page
        assert back_response.status_code == 403
    elif role == "regional_director":
        assert page_response.status_code == 403  # reads, never submits
        assert api_response.status_code == 403
        assert back_response.status_code == 302  # returned to the chair
    else:
        assert page_response.status_code == 403
        assert api_response.status_code == 403
        assert back_response.status_code == 403
    submitted = AnnualReturn.objects.filter(year=YEAR + 1).exists()
    assert submitted == (role == "chair")
    returned = AnnualReturn.objects.get(year=YEAR).status == "returned"
    assert returned == (role == "regional_director")
