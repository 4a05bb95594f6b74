"""People who sign in, the roles they hold, and their API tokens."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q

from steward.accounts.roles import ROLES, Scope
from steward.core import clock


class UserQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The people a viewer may look up.

        Administrators see everyone. Someone holding an employer role sees the
        people who hold a current role at the same organisation. Everyone else
        sees only themselves.
        """
        from steward.accounts.roles import EMPLOYER_ROLES
        from steward.accounts.selectors import current_assignments

        if viewer is None or not viewer.is_authenticated:
            return self.none()
        held = current_assignments(user=viewer)
        if any(a.role == "administrator" for a in held):
            return self
        organisations = {a.organisation_id for a in held if a.role in EMPLOYER_ROLES}
        if organisations:
            return self.filter(
                Q(pk=viewer.pk)
                | Q(
                    role_assignments__organisation_id__in=organisations,
                    role_assignments__revoked_at__isnull=True,
                )
            ).distinct()
        return self.filter(pk=viewer.pk)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in. The email address is the sign-in name."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May sign in to the Django admin site (technical staff only)."
    )
    date_joined = models.DateTimeField(default=clock.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


ROLE_CHOICES = [(role.slug, role.name) for role in ROLES]


class PanelCategory(models.TextChoices):
    LAY = "lay", "Lay member"
    MANAGER = "manager", "Manager member"


# Roles held as a lay or a manager member: panels and case examiners mix both.
CATEGORY_ROLES = ("case_examiner", "panel_member")


def _scope_constraints() -> list[models.CheckConstraint]:
    """Each role's scope, enforced by the database as well as by the services."""
    by_scope: dict[Scope, list[str]] = {}
    for role in ROLES:
        by_scope.setdefault(role.scope, []).append(role.slug)
    no_org, no_region = Q(organisation__isnull=True), Q(region__isnull=True)
    shapes = {
        Scope.NONE: no_org & no_region,
        Scope.ORGANISATION: ~no_org & no_region,
        Scope.REGION: no_org & ~no_region,
        Scope.ORGANISATION_OR_REGION: (~no_org & no_region) | (no_org & ~no_region),
    }
    return [
        models.CheckConstraint(
            condition=~Q(role__in=sorted(slugs)) | shapes[scope],
            name=f"role_scope_{scope.value}",
        )
        for scope, slugs in sorted(by_scope.items())
    ]


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)


class RoleAssignment(models.Model):
    """A role held by a person, scoped to an organisation or region where the role needs it.

    Assignments are never deleted: revoking one records who revoked it, when
    and why, so the history of who could do what is kept.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=ROLE_CHOICES)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    region = models.ForeignKey(
        "organisations.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    panel_category = models.CharField(
        max_length=10, choices=PanelCategory.choices, blank=True, default=""
    )
    granted_at = models.DateTimeField(default=clock.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "granted_at"]
        indexes = [models.Index(fields=["user", "revoked_at"])]
        constraints = [
            *_scope_constraints(),
            models.CheckConstraint(
                condition=Q(panel_category="") | Q(role__in=CATEGORY_ROLES),
                name="category_only_for_panels_and_examiners",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=CATEGORY_ROLES) | ~Q(panel_category=""),
                name="panel_member_or_examiner_has_category",
            ),
        ]

    def __str__(self) -> str:
        scope = self.organisation or self.region
        return f"{self.get_role_display()}{f' – {scope}' if scope else ''}"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 hash of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
