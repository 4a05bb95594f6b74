from html import unescape

import pytest
from django.urls import reverse

from steward.accounts.models import RoleAssignment
from steward.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_home_lists_each_role_held_with_its_place(
    client, settings, make_user, organisation, region
):
    settings.DEMO_SKIP_MFA = True
    user = make_user("chair", organisation=organisation, full_name="Ada Chair")
    RoleAssignment.objects.create(user=user, role="regional_director", region=region)
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    assert "Chair" in body and "Leeds Teaching Hospitals NHS Trust" in body
    assert "Regional director" in body and "North East and Yorkshire" in body
    assert "Submit the organisation" in body


def test_auditor_home_links_to_the_audit_trail(client, settings, make_user):
    settings.DEMO_SKIP_MFA = True
    client.force_login(make_user("auditor"))
    body = client.get(reverse("home")).content.decode()
    assert reverse("audit:list") in body


def test_home_without_roles_explains(client, make_user):
    client.force_login(make_user())
    assert "You do not hold a role" in client.get(reverse("home")).content.decode()


def test_role_pages_describe_every_role(client):
    from steward.accounts.roles import ROLES

    body = client.get(reverse("roles")).content.decode()
    for role in ROLES:
        assert role.name in body
        detail = client.get(reverse("role", kwargs={"slug": role.slug}))
        assert detail.status_code == 200
        assert role.summary in unescape(detail.content.decode())
    assert client.get(reverse("role", kwargs={"slug": "emperor"})).status_code == 404


def test_mfa_role_without_authenticator_must_set_one_up(client, make_user):
    client.force_login(make_user("caseworker"))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Employer roles do not need it.
    client.force_login(make_user("registrant"))
    assert client.get(reverse("home")).status_code == 200


def test_mfa_role_with_authenticator_passes(client, make_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = make_user("caseworker")
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


def test_totp_secret_is_encrypted_at_rest(make_user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    user = make_user("caseworker")
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    stored = Authenticator.objects.get(user=user).data["secret"]
    assert "JBSWY3DPEHPK3PXP" not in stored and stored.startswith("nacl:")


def test_demo_skip_mfa_is_refused_without_debug(monkeypatch):
    import importlib

    import django.core.exceptions

    import steward.settings as settings_module

    monkeypatch.setenv("DEMO_SKIP_MFA", "1")
    monkeypatch.setenv("DEBUG", "0")
    with pytest.raises(django.core.exceptions.ImproperlyConfigured):
        importlib.reload(settings_module)
    monkeypatch.delenv("DEMO_SKIP_MFA")
    importlib.reload(settings_module)


def test_sign_in_with_password_lands_on_home(client, make_user):
    make_user("registrant", email="reg@example.org")
    response = client.post(
        reverse("account_login"),
        {"login": "reg@example.org", "password": "a-long-test-password"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_shows_an_nhs_error_and_is_rate_limited(client, make_user):
    make_user("registrant", email="reg@example.org")
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "reg@example.org", "password": "wrong"}
        )
        assert response.status_code == 200
        assert "nhsuk-error-summary" in response.content.decode()
    response = client.post(
        reverse("account_login"), {"login": "reg@example.org", "password": "a-long-test-password"}
    )
    # allauth refuses further attempts for this address for a while.
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "Accounts are set up for you" in response.content.decode()


def test_administrator_gives_and_takes_away_a_role(client, settings, make_user, organisation):
    settings.DEMO_SKIP_MFA = True
    admin = make_user("administrator")
    person = make_user(full_name="Bea Person")
    client.force_login(admin)
    url = reverse("person", kwargs={"pk": person.pk})
    response = client.post(url, {"role": "chair", "organisation": "rr8", "reason": "appointed"})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=person, role="chair")
    assert assignment.organisation == organisation
    revoke_url = reverse("role_revoke", kwargs={"pk": person.pk, "assignment_pk": assignment.pk})
    assert client.post(revoke_url, {"reason": ""}).status_code == 200  # reason required
    assert client.post(revoke_url, {"reason": "left"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None


def test_bad_role_input_shows_errors_and_changes_nothing(client, settings, make_user):
    settings.DEMO_SKIP_MFA = True
    client.force_login(make_user("administrator"))
    person = make_user()
    url = reverse("person", kwargs={"pk": person.pk})
    for data in (
        {"role": "chair", "organisation": "ZZZ9", "reason": "x"},
        {"role": "chair", "reason": "x"},
        {"role": "emperor", "reason": "x"},
        {"role": "caseworker", "reason": ""},
        {"role": "auditor", "organisation": "\x00", "reason": "x" * 3000},
    ):
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert "There is a problem" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=person).exists()


def test_viewing_a_person_records_who_saw_their_contact_details(client, settings, make_user):
    settings.DEMO_SKIP_MFA = True
    admin = make_user("administrator")
    person = make_user()
    client.force_login(admin)
    client.get(reverse("person", kwargs={"pk": person.pk}))
    event = AuditEvent.objects.filter(action__endswith="restricted_viewed").last()
    assert event.actor == admin and event.subject_id == str(person.pk)


def test_people_list_query_count_is_bounded(
    client, settings, make_user, django_assert_max_num_queries
):
    settings.DEMO_SKIP_MFA = True
    client.force_login(make_user("administrator"))
    for _ in range(60):
        make_user("registrant")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("people")).status_code == 200


def test_employer_sees_only_people_at_their_organisation(client, make_user, organisation, region):
    from steward.organisations.models import Organisation

    elsewhere = Organisation.objects.create(
        ods_code="RAE",
        name="Bradford Teaching Hospitals NHS Foundation Trust",
        org_type="foundation_trust",
        region=region,
    )
    hr_lead = make_user("hr_lead", organisation=organisation)
    colleague = make_user("chair", organisation=organisation, full_name="Colleague Here")
    stranger = make_user("chair", organisation=elsewhere, full_name="Stranger There")
    client.force_login(hr_lead)
    body = client.get(reverse("people")).content.decode()
    assert "Colleague Here" in body and "Stranger There" not in body
    assert client.get(reverse("person", kwargs={"pk": colleague.pk})).status_code == 200
    assert client.get(reverse("person", kwargs={"pk": stranger.pk})).status_code == 404
    # Seeing is not managing: employers cannot give roles.
    response = client.post(
        reverse("person", kwargs={"pk": colleague.pk}), {"role": "auditor", "reason": "x"}
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=colleague, role="auditor").exists()


def test_person_without_employer_role_cannot_list_people(client, make_user):
    client.force_login(make_user("registrant"))
    assert client.get(reverse("people")).status_code == 403
