"""NHS organisations in England, their regions and their successors."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse

from steward.organisations.search import search_text


class Region(models.Model):
    """One of the seven NHS England regions, keyed by its ODS code (e.g. Y56 London)."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationType(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    FOUNDATION_TRUST = "foundation_trust", "NHS foundation trust"
    ICB = "icb", "Integrated care board"
    NATIONAL_BODY = "national_body", "National body"


class RiskLevel(models.TextChoices):
    """A simple stored risk level until the oversight capability's risk profile exists."""

    NOT_ASSESSED = "not_assessed", "Not assessed"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class OrganisationQuerySet(models.QuerySet):
    def open_on(self, date):
        return self.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=date)).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=date)
        )

    def trusts(self):
        return self.filter(
            org_type__in=[OrganisationType.NHS_TRUST, OrganisationType.FOUNDATION_TRUST]
        )


class Organisation(models.Model):
    """An NHS organisation identified by its ODS code."""

    ods_code = models.CharField("ODS code", max_length=10, unique=True)
    name = models.CharField(max_length=200)
    org_type = models.CharField("type", max_length=20, choices=OrganisationType.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    parent_icb = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_organisations",
        limit_choices_to={"org_type": OrganisationType.ICB},
        verbose_name="parent ICB",
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    risk_level = models.CharField(
        max_length=20, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED
    )
    # Lower-case, accent- and punctuation-free name for search; kept in step by
    # the services that write organisations.
    search_name = models.CharField(max_length=200, db_index=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["org_type", "region"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="organisation_closes_after_opening",
            ),
            # Codes are stored in upper case so an exact, indexed match finds them.
            models.CheckConstraint(
                condition=Q(ods_code=Upper("ods_code")), name="organisation_ods_code_upper_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    def save(self, *args, **kwargs):
        # Services set search_name themselves (bulk writes skip save()); this
        # keeps it right for any other single save, such as the admin site.
        self.ods_code = (self.ods_code or "").strip().upper()
        self.search_name = search_text(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"ods_code": self.ods_code})

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def is_icb(self) -> bool:
        return self.org_type == OrganisationType.ICB

    @property
    def type_label(self) -> str:
        return self.get_org_type_display()


class SuccessionKind(models.TextChoices):
    MERGER = "merger", "Merged into"
    PART_TRANSFER = "part_transfer", "Part transferred to"
    REPLACEMENT = "replacement", "Replaced by"


class Succession(models.Model):
    """An organisation merges into, or is replaced by, another from a date.

    Records and open matters of the predecessor pass to the successor from
    ``effective_on``. An organisation split between several successors has one
    row per successor (``PART_TRANSFER``).
    """

    predecessor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="successions_in"
    )
    kind = models.CharField(max_length=20, choices=SuccessionKind.choices)
    effective_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["effective_on", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="succession_not_to_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.ods_code} → {self.successor.ods_code} ({self.effective_on})"
