import pytest

from steward.accounts import services

pytestmark = pytest.mark.django_db


def test_bearer_token_authenticates_the_api(client, make_user, organisation):
    user = make_user("chair", organisation=organisation, full_name="Ada Chair")
    secret = services.token_create(user=user, name="t", actor=None).secret
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Ada Chair"
    assert body["roles"] == [
        {"role": "chair", "role_name": "Chair", "organisation": "RR8", "region": None}
    ]
    assert "email" not in body


@pytest.mark.parametrize("header", ["", "Bearer nonsense", "Bearer stw_x_y", "Basic abc"])
def test_api_refuses_missing_or_bad_tokens(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_token_command_creates_and_revokes(make_user):
    from io import StringIO

    from django.core.management import call_command

    make_user(email="cli@example.org")
    out = StringIO()
    call_command("token", "create", "--email", "cli@example.org", stdout=out)
    secret = out.getvalue().strip()
    assert services.token_authenticate(secret=secret) is not None
    call_command("token", "revoke", "--email", "cli@example.org", stdout=StringIO())
    assert services.token_authenticate(secret=secret) is None
