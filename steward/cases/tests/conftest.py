"""Fixtures the cases tests share.

``today`` moves Steward's clock to the test module's ``TODAY``; a module opts in with
``pytest.mark.usefixtures("today")`` (add ``"skip_mfa"`` for pages signed in without
enrolling for MFA, which is tested on its own).
"""

import pytest

from steward.cases.tests.factories import make_case, make_registrant


@pytest.fixture
def today(request, travel):
    when = getattr(request.module, "TODAY", None)
    assert when is not None, f"{request.module.__name__} uses the today fixture without a TODAY"
    travel(when)
    return when


@pytest.fixture
def skip_mfa(settings):
    settings.DEMO_SKIP_MFA = True


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker", full_name="Casey Worker", email="casey@regulator.example")


@pytest.fixture
def officer(make_user):
    return make_user("hearings_officer")


@pytest.fixture
def signed_in(client, caseworker):
    """The test client, signed in as the caseworker."""
    client.force_login(caseworker)
    return client


@pytest.fixture
def registrant(organisation):
    """Alex Morgan, Chief Operating Officer at the organisation since April 2021."""
    return make_registrant(organisation)


@pytest.fixture
def case(registrant, caseworker):
    return make_case(registrant, caseworker)
