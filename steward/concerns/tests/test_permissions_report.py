"""The reporter's pages: open to everyone (raising a concern and the inbox need no
account), except the signed-in reporter's own list, and nobody else's concern."""

import pytest
from django.urls import reverse

from steward.concerns import services
from steward.core.tests.matrix import ALL_ROLES, EVERYONE, SIGNED_IN, check_matrix

pytestmark = pytest.mark.django_db

MATRIX = [
    ("concerns:start", None, EVERYONE, "page"),
    ("concerns:new", None, EVERYONE, "page"),
    ("concerns:inbox", None, EVERYONE, "page"),
    ("concerns:mine", None, SIGNED_IN, "page"),
]


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_reporter_url_for_every_role(client, settings, role_user, role):
    settings.DEMO_SKIP_MFA = True
    if role:
        client.force_login(role_user(role))
    check_matrix(client, role, MATRIX, {})
    # A later question without answers, and the reply address opened directly, go
    # back to the start of their journey (never to signing in).
    for url, start in (
        ("/concerns/new/when/", reverse("concerns:new")),
        (reverse("concerns:inbox_reply"), reverse("concerns:inbox")),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == start, url


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_an_open_reporters_concern_is_theirs_alone(
    client, settings, role_user, make_user, organisation, role
):
    settings.DEMO_SKIP_MFA = True
    owner = make_user("registrant")
    concern = services.concern_submit(
        anonymity="open",
        answers={"what_happened": "Something happened"},
        organisation=organisation,
        reporter_user=owner,
    ).concern
    url = reverse("concerns:mine_detail", kwargs={"reference": concern.reference})
    if role:
        client.force_login(role_user(role))
    response = client.get(url)
    assert response.status_code == (302 if role is None else 404)
    client.force_login(owner)
    assert client.get(url).status_code == 200
