import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from steward.accounts import services
from steward.accounts.models import ApiToken, RoleAssignment
from steward.accounts.roles import ROLES
from steward.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_user_create_normalises_email_and_audits(make_user):
    admin = make_user("administrator")
    user = services.user_create(
        email="  New.Person@Example.ORG ",
        full_name="New Person",
        password=None,
        actor=admin,
        reason="joined the regulator",
    )
    assert user.email == "new.person@example.org"
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action="accounts.user.created")
    assert event.actor == admin and event.subject_id == str(user.pk)


def test_user_create_refuses_duplicate_email(make_user):
    make_user(email="dup@example.org")
    with pytest.raises(ValidationError) as error:
        services.user_create(
            email="DUP@example.org", full_name="X", password=None, actor=None, reason="r"
        )
    assert "already" in str(error.value)


def test_role_grant_records_assignment_and_audit_event(make_user, organisation):
    admin, user = make_user("administrator"), make_user()
    assignment = services.role_grant(
        user=user, role="chair", organisation=organisation, actor=admin, reason="appointed"
    )
    assert assignment.is_current and assignment.granted_by == admin
    event = AuditEvent.objects.get(action="accounts.role.granted")
    assert event.reason == "appointed"
    assert '"organisation":"RR8"' in event.payload.replace(" ", "")


@pytest.mark.parametrize(
    ("role", "with_org", "with_region", "message"),
    [
        ("chair", False, False, "organisation"),
        ("chair", True, True, "organisation"),
        ("regional_director", True, False, "region"),
        ("caseworker", True, False, "not held"),
        ("data_request_issuer", True, True, "either"),
        ("panel_member", False, False, "lay or a manager"),
        ("case_examiner", False, False, "lay or a manager"),
        ("made_up", False, False, "Choose a role"),
    ],
)
def test_role_grant_refuses_wrong_scope(
    make_user, organisation, region, role, with_org, with_region, message
):
    user = make_user()
    with pytest.raises(ValidationError) as error:
        services.role_grant(
            user=user,
            role=role,
            actor=None,
            reason="r",
            organisation=organisation if with_org else None,
            region=region if with_region else None,
        )
    assert message in str(error.value)
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="accounts.role.granted").exists()


def test_role_grant_needs_a_reason(make_user):
    with pytest.raises(ValidationError):
        services.role_grant(user=make_user(), role="auditor", actor=None, reason="  ")


def test_role_grant_refuses_the_same_role_twice_but_allows_another_place(
    make_user, organisation, region
):
    from steward.organisations.models import Organisation

    other = Organisation.objects.create(
        ods_code="RAE",
        name="Bradford Teaching Hospitals NHS Foundation Trust",
        org_type="foundation_trust",
        region=region,
        search_name="bradford",
    )
    user = make_user()
    services.role_grant(
        user=user, role="hr_lead", organisation=organisation, actor=None, reason="r"
    )
    with pytest.raises(ValidationError):
        services.role_grant(
            user=user, role="hr_lead", organisation=organisation, actor=None, reason="r"
        )
    services.role_grant(user=user, role="hr_lead", organisation=other, actor=None, reason="r")
    services.role_grant(user=user, role="registrant", actor=None, reason="r")
    assert RoleAssignment.objects.current().filter(user=user).count() == 3


def test_database_enforces_role_scope(make_user):
    user = make_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role="chair")


def test_every_role_has_a_scope_constraint():
    names = {c.name for c in RoleAssignment._meta.constraints}
    scopes = {r.scope.value for r in ROLES}
    assert {f"role_scope_{s}" for s in scopes} <= names


def test_role_revoke_keeps_history(make_user):
    admin, user = make_user("administrator"), make_user()
    assignment = services.role_grant(user=user, role="auditor", actor=admin, reason="joined")
    services.role_revoke(assignment=assignment, actor=admin, reason="left the team")
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None and assignment.revoked_reason == "left the team"
    assert not RoleAssignment.objects.current().filter(user=user).exists()
    assert AuditEvent.objects.filter(action="accounts.role.revoked").count() == 1
    with pytest.raises(ValidationError):
        services.role_revoke(assignment=assignment, actor=admin, reason="again")


def test_token_is_stored_hashed_and_authenticates(make_user):
    user = make_user()
    issued = services.token_create(user=user, name="laptop", actor="steward token")
    stored = ApiToken.objects.get()
    assert issued.secret not in (stored.token_hash, stored.prefix)
    assert issued.secret.split("_")[1] == stored.prefix
    assert services.token_authenticate(secret=issued.secret) == user
    assert services.token_authenticate(secret=issued.secret + "x") is None
    assert services.token_authenticate(secret="") is None
    services.token_revoke(token=stored, actor="steward token")
    assert services.token_authenticate(secret=issued.secret) is None


def test_token_of_deactivated_user_does_not_authenticate(make_user):
    user = make_user()
    issued = services.token_create(user=user, name="", actor=None)
    user.is_active = False
    user.save()
    assert services.token_authenticate(secret=issued.secret) is None


def test_real_password_hasher_is_argon2(settings, make_user):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    assert make_password("a-long-test-password").startswith("argon2$argon2id$")
