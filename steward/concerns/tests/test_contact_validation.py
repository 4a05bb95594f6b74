"""A named reporter's contact details are checked by the service, so the API cannot
store an email address or phone number nobody could use."""

import pytest
from django.core.exceptions import ValidationError

from steward.concerns import services
from steward.concerns.models import Concern

pytestmark = pytest.mark.django_db

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
PHONE_MESSAGE = "Enter a phone number, like 0113 496 0000 or +44 113 496 0000"


def submit(organisation, **identity):
    return services.concern_submit(
        anonymity="confidential",
        answers={"what_happened": "Rotas were falsified."},
        organisation=organisation,
        reporter_identity={"name": "Ada Whistle", **identity},
    )


@pytest.mark.parametrize(
    ("identity", "field", "message"),
    [
        ({"email": "zzz"}, "email", EMAIL_MESSAGE),
        ({"email": "ada@"}, "email", EMAIL_MESSAGE),
        ({"email": "ada@example"}, "email", EMAIL_MESSAGE),
        ({"email": "ada @example.org"}, "email", EMAIL_MESSAGE),
        ({"phone": "call me maybe"}, "phone", PHONE_MESSAGE),
        ({"phone": "012345"}, "phone", PHONE_MESSAGE),  # 6 digits
        ({"phone": "1" * 21}, "phone", PHONE_MESSAGE),
        ({"phone": "0113 496 0000 ext 2"}, "phone", PHONE_MESSAGE),
        ({"phone": "０１１３４９６００００"}, "phone", PHONE_MESSAGE),  # full-width digits
        ({"email": "ada@example.org", "phone": "x"}, "phone", PHONE_MESSAGE),
    ],
)
def test_contact_details_that_cannot_be_used_are_refused(organisation, identity, field, message):
    with pytest.raises(ValidationError) as refused:
        submit(organisation, **identity)
    assert refused.value.message_dict[field] == [message]
    assert not Concern.objects.exists()


@pytest.mark.parametrize(
    "identity",
    [
        {"email": "ada.whistle@example.nhs.uk"},
        {"phone": "0113 496 0000"},
        {"phone": "+44 (0)113 496-0000"},
        {"phone": "1234567"},
        {"phone": "1" * 20},
        {"email": "ada@example.org", "phone": "07700 900123"},
    ],
)
def test_usable_contact_details_are_accepted(organisation, identity):
    assert submit(organisation, **identity).concern.pk


def test_the_api_answers_a_bad_email_with_a_field_error(client, organisation):
    response = client.post(
        "/api/v1/concerns",
        {
            "anonymity": "confidential",
            "what_happened": "Rotas were falsified.",
            "organisation_ods_code": "RR8",
            "reporter": {"name": "Ada Whistle", "email": "zzz"},
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {"field": "email", "message": EMAIL_MESSAGE} in response.json()["errors"]
    assert not Concern.objects.exists()


def test_the_api_answers_a_bad_phone_with_a_field_error(client, organisation):
    response = client.post(
        "/api/v1/concerns",
        {
            "anonymity": "open",
            "what_happened": "Rotas were falsified.",
            "organisation_ods_code": "RR8",
            "reporter": {"name": "Ada Whistle", "phone": "ring me"},
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {"field": "phone", "message": PHONE_MESSAGE} in response.json()["errors"]
