"""Fixtures shared by every app's tests."""

import pytest

from steward.accounts.models import CATEGORY_ROLES, RoleAssignment, User
from steward.core.tests.browser import browser, page, server  # noqa: F401 - shared fixtures
from steward.organisations.models import Organisation, OrganisationType, Region


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so rate-limit counts never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def region(db):
    return Region.objects.get_or_create(
        code="Y63",
        defaults={"name": "North East and Yorkshire", "slug": "north-east-and-yorkshire"},
    )[0]


@pytest.fixture
def organisation(db, region):
    icb = Organisation.objects.get_or_create(
        ods_code="QWO",
        defaults={
            "name": "NHS West Yorkshire Integrated Care Board",
            "org_type": OrganisationType.ICB,
            "region": region,
            "search_name": "nhs west yorkshire integrated care board",
        },
    )[0]
    return Organisation.objects.get_or_create(
        ods_code="RR8",
        defaults={
            "name": "Leeds Teaching Hospitals NHS Trust",
            "org_type": OrganisationType.NHS_TRUST,
            "region": region,
            "parent_icb": icb,
            "search_name": "leeds teaching hospitals nhs trust",
        },
    )[0]


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(
        role: str | None = None,
        *,
        organisation=None,
        region=None,
        panel_category="",
        email: str | None = None,
        full_name: str = "Test Person",
    ) -> User:
        user = User.objects.create_user(
            email=email or f"person{next(counter)}@test.steward.example",
            password="a-long-test-password",  # noqa: S106
            full_name=full_name,
        )
        if role:
            if role in CATEGORY_ROLES and not panel_category:
                panel_category = "lay"
            RoleAssignment.objects.create(
                user=user,
                role=role,
                organisation=organisation,
                region=region,
                panel_category=panel_category,
            )
        return user

    return make


@pytest.fixture
def role_user(make_user, organisation, region):
    """A user holding one role, scoped the way that role needs."""
    from steward.accounts.roles import ROLES_BY_SLUG, Scope

    def make(slug: str) -> User:
        info = ROLES_BY_SLUG[slug]
        return make_user(
            slug,
            organisation=organisation
            if info.scope in {Scope.ORGANISATION, Scope.ORGANISATION_OR_REGION}
            else None,
            region=region if info.scope is Scope.REGION else None,
        )

    return make


@pytest.fixture
def travel():
    """Move Steward's clock: ``travel(date_or_datetime)``; put back after the test."""
    from steward.core import clock

    yield clock.travel_to
    clock.travel_back()
