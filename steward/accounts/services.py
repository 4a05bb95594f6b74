"""Every write about people, roles and API tokens.

Each service validates, changes state, and records an audit event with the
actor and the reason, inside one transaction.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from steward.accounts.models import CATEGORY_ROLES, ApiToken, RoleAssignment, User
from steward.accounts.roles import ROLES_BY_SLUG, Scope
from steward.audit.services import audit_record
from steward.core import clock

TOKEN_PREFIX = "stw"  # noqa: S105 - a public marker, not a secret


def user_create(*, email: str, full_name: str, password: str | None, actor, reason: str) -> User:
    email = User.objects.normalize_email(email.strip()).lower()
    if not full_name.strip():
        raise ValidationError({"full_name": "Enter the person's full name."})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone already signs in with this email address."})
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
        audit_record(actor=actor, action="accounts.user.created", reason=reason, subject=user)
    return user


def _validate_scope(*, role: str, organisation, region, panel_category: str) -> None:
    info = ROLES_BY_SLUG.get(role)
    if info is None:
        raise ValidationError({"role": "Choose a role from the list."})
    if info.scope is Scope.ORGANISATION and (organisation is None or region is not None):
        raise ValidationError(
            {"organisation": (f"Choose the organisation this {info.name.lower()} role is held at.")}
        )
    if info.scope is Scope.REGION and (region is None or organisation is not None):
        raise ValidationError({"region": "Choose the region this role covers."})
    if info.scope is Scope.NONE and (organisation is not None or region is not None):
        raise ValidationError(
            {"role": f"The {info.name.lower()} role is not held at an organisation or region."}
        )
    if info.scope is Scope.ORGANISATION_OR_REGION and (organisation is None) == (region is None):
        raise ValidationError(
            {"organisation": "Choose either an organisation or a region, not both."}
        )
    if role in CATEGORY_ROLES and panel_category not in {"lay", "manager"}:
        raise ValidationError(
            {"panel_category": "Choose whether they sit as a lay or a manager member."}
        )
    if role not in CATEGORY_ROLES and panel_category:
        raise ValidationError(
            {"panel_category": "Only panel members and case examiners are lay or manager members."}
        )


def role_grant(
    *,
    user: User,
    role: str,
    actor,
    reason: str,
    organisation=None,
    region=None,
    panel_category: str = "",
) -> RoleAssignment:
    """Give someone a role. Holding the same role at the same place twice is refused."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for giving this role."})
    _validate_scope(
        role=role, organisation=organisation, region=region, panel_category=panel_category
    )
    with transaction.atomic():
        duplicate = RoleAssignment.objects.current().filter(
            user=user, role=role, organisation=organisation, region=region
        )
        if duplicate.exists():
            raise ValidationError({"role": "They already hold this role there."})
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            organisation=organisation,
            region=region,
            panel_category=panel_category,
            granted_by=actor if isinstance(actor, User) else None,
        )
        audit_record(
            actor=actor,
            action="accounts.role.granted",
            reason=reason,
            subject=user,
            payload={
                "role": role,
                "organisation": organisation.ods_code if organisation else None,
                "region": region.code if region else None,
                "panel_category": panel_category or None,
                "assignment": assignment.pk,
            },
        )
    return assignment


def role_revoke(*, assignment: RoleAssignment, actor, reason: str) -> RoleAssignment:
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for taking this role away."})
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.revoked_at is not None:
            raise ValidationError("This role has already been taken away.")
        assignment.revoked_at = clock.now()
        assignment.revoked_by = actor if isinstance(actor, User) else None
        assignment.revoked_reason = reason
        assignment.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
        audit_record(
            actor=actor,
            action="accounts.role.revoked",
            reason=reason,
            subject=assignment.user,
            payload={"role": assignment.role, "assignment": assignment.pk},
        )
    return assignment


def _hash_secret(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough: there is
    # nothing to brute-force, unlike a password.
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_create(*, user: User, name: str, actor, reason: str = "") -> IssuedToken:
    if not user.is_active:
        raise ValidationError("Tokens cannot be issued to a deactivated account.")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=prefix, token_hash=_hash_secret(secret)
        )
        audit_record(
            actor=actor,
            action="accounts.api_token.created",
            reason=reason or "API token issued",
            subject=user,
            payload={"token_prefix": prefix, "name": token.name},
        )
    return IssuedToken(token=token, secret=secret)


def token_revoke(*, token: ApiToken, actor, reason: str = "") -> ApiToken:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor,
                action="accounts.api_token.revoked",
                reason=reason or "API token revoked",
                subject=token.user,
                payload={"token_prefix": token.prefix},
            )
    return token


def token_authenticate(*, secret: str) -> User | None:
    """The active user a bearer token belongs to, or None. Constant-time by hash lookup."""
    if not secret or not secret.startswith(f"{TOKEN_PREFIX}_") or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        # Coarse on purpose: one write per token per five minutes at most.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
