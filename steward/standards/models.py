"""The standards managers are held to, as versioned data the regulator edits.

A version is a draft until it is published with the date it takes effect;
from then on it never changes (services refuse, and a new draft copies it).
Each version holds the code of conduct (``CC1``…), the board-member
competency framework's six domains (``D1``…), the never events (``NE1``…)
with the standards each breaches, and the sanctions guidance for each
standard and never event. Everything here is public.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from steward.core import clock


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class StandardsVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="What changed from the version before.")
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(effective_from__isnull=False) & Q(published_at__isnull=False)),
                name="published_version_has_dates",
            ),
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=Q(status="published"),
                name="one_version_per_effective_date",
            ),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="draft"), name="one_draft_at_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class Standard(models.Model):
    """One standard of the code of conduct, e.g. ``CC3`` Speaking up."""

    version = models.ForeignKey(
        StandardsVersion, on_delete=models.CASCADE, related_name="standards"
    )
    ref = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    # Optimistic locking: a save over someone else's newer change is refused.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["version", "position", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["version", "ref"], name="standard_ref_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class CompetencyDomain(models.Model):
    """A domain of the board-member competency framework."""

    version = models.ForeignKey(
        StandardsVersion, on_delete=models.CASCADE, related_name="competency_domains"
    )
    ref = models.CharField(max_length=10)
    name = models.CharField(max_length=200)
    description = models.TextField()
    # "What good looks like": one statement per line.
    what_good_looks_like = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Optimistic locking: a save over someone else's newer change is refused.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["version", "position", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["version", "ref"], name="domain_ref_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.name}"

    @property
    def good_practice(self) -> list[str]:
        return [line.strip() for line in self.what_good_looks_like.splitlines() if line.strip()]


class NeverEvent(models.Model):
    """Conduct that should always lead to a sanction, and the standards it breaches."""

    version = models.ForeignKey(
        StandardsVersion, on_delete=models.CASCADE, related_name="never_events"
    )
    ref = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    standards = models.ManyToManyField(Standard, related_name="never_events")
    position = models.PositiveSmallIntegerField(default=0)
    # Optimistic locking: a save over someone else's newer change is refused.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["version", "position", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["version", "ref"], name="never_event_ref_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class Outcome(models.TextChoices):
    """Outcomes of a fitness-to-practise case, least severe first."""

    NO_FURTHER_ACTION = "no_further_action", "No further action"
    ADVICE = "advice", "Advice"
    WARNING = "warning", "Warning"
    UNDERTAKINGS = "undertakings", "Agreed undertakings"
    CONDITIONS = "conditions", "Conditions"
    SUSPENSION = "suspension", "Suspension"
    BARRING = "barring", "Barring"


OUTCOME_SEVERITY = {value: rank for rank, value in enumerate(Outcome.values)}


class SanctionsGuidance(models.Model):
    """For one standard or never event: the range of outcomes and what moves a case
    up or down it."""

    version = models.ForeignKey(
        StandardsVersion, on_delete=models.CASCADE, related_name="sanctions_guidance"
    )
    standard = models.OneToOneField(
        Standard, null=True, blank=True, on_delete=models.CASCADE, related_name="guidance"
    )
    never_event = models.OneToOneField(
        NeverEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="guidance"
    )
    least_severe = models.CharField(max_length=30, choices=Outcome.choices)
    most_severe = models.CharField(max_length=30, choices=Outcome.choices)
    guidance = models.TextField(blank=True)
    # One factor per line.
    aggravating_factors = models.TextField(blank=True)
    mitigating_factors = models.TextField(blank=True)
    # Optimistic locking: a save over someone else's newer change is refused.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(standard__isnull=False) & Q(never_event__isnull=True))
                | (Q(standard__isnull=True) & Q(never_event__isnull=False)),
                name="guidance_for_a_standard_or_a_never_event",
            )
        ]

    def __str__(self) -> str:
        return f"Guidance for {self.standard or self.never_event}"

    @property
    def aggravating(self) -> list[str]:
        return [line.strip() for line in self.aggravating_factors.splitlines() if line.strip()]

    @property
    def mitigating(self) -> list[str]:
        return [line.strip() for line in self.mitigating_factors.splitlines() if line.strip()]
