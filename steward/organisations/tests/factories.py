"""Factories for organisations, regions and successions."""

import datetime as dt

import factory
from django.utils.text import slugify

from steward.organisations.models import (
    Organisation,
    OrganisationType,
    Region,
    Succession,
    SuccessionKind,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"Y{70 + n % 30:02d}")
    name = factory.Sequence(lambda n: f"Test Region {n}")
    slug = factory.LazyAttribute(lambda region: slugify(region.name))


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An NHS trust; ``search_name`` is kept in step by ``Organisation.save``."""

    class Meta:
        model = Organisation
        django_get_or_create = ("ods_code",)

    ods_code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Test Number {n} NHS Trust")
    org_type = OrganisationType.NHS_TRUST
    region = factory.SubFactory(RegionFactory)
    parent_icb = None


class IcbFactory(OrganisationFactory):
    ods_code = factory.Sequence(lambda n: f"Q{n:04d}")
    name = factory.Sequence(lambda n: f"NHS Test Number {n} Integrated Care Board")
    org_type = OrganisationType.ICB


class SuccessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Succession

    predecessor = factory.SubFactory(IcbFactory, closed_on=dt.date(2026, 3, 31))
    successor = factory.SubFactory(IcbFactory, opened_on=dt.date(2026, 4, 1))
    kind = SuccessionKind.MERGER
    effective_on = dt.date(2026, 4, 1)
    note = ""
