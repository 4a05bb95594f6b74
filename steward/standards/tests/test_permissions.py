"""Deny by default: every URL of the standards for every role, anonymous included.

The public pages and the API are for everyone; the pages that edit the standards
are the administrator's alone.
"""

import pytest
from django.urls import reverse

from steward.core.tests.matrix import ALL_ROLES, EVERYONE, check_matrix
from steward.standards import services
from steward.standards.models import CompetencyDomain, NeverEvent, Standard

pytestmark = pytest.mark.django_db

ADMIN = {"administrator"}


def _pk(model, ref):
    return lambda ctx: {"pk": model.objects.get(version=ctx["draft"], ref=ref).pk}


# (url name or path, kwargs builder, who may see it, kind)
MATRIX = [
    ("standards:current", None, EVERYONE, "page"),
    ("standards:sanctions", None, EVERYONE, "page"),
    ("standards:versions", None, EVERYONE, "page"),
    ("standards:version", lambda ctx: {"number": 1}, EVERYONE, "page"),
    ("standards:version_sanctions", lambda ctx: {"number": 1}, EVERYONE, "page"),
    ("/api/v1/standards", None, EVERYONE, "api"),
    ("/api/v1/standards?on=2025-06-01", None, EVERYONE, "api"),
    ("/api/v1/standards/versions/1", None, EVERYONE, "api"),
    ("standards:manage", None, ADMIN, "page"),
    # With a draft open, starting one leads to it.
    ("standards:draft_start", None, ADMIN, "page-or-redirect"),
    ("standards:draft", None, ADMIN, "page"),
    ("standards:draft_discard", None, ADMIN, "page"),
    ("standards:draft_publish", None, ADMIN, "page"),
    ("standards:standard_add", None, ADMIN, "page"),
    ("standards:standard_change", _pk(Standard, "CC3"), ADMIN, "page"),
    ("standards:standard_remove", _pk(Standard, "CC3"), ADMIN, "page"),
    ("standards:standard_guidance", _pk(Standard, "CC3"), ADMIN, "page"),
    ("standards:domain_change", _pk(CompetencyDomain, "D1"), ADMIN, "page"),
    ("standards:never_event_add", None, ADMIN, "page"),
    ("standards:never_event_change", _pk(NeverEvent, "NE1"), ADMIN, "page"),
    ("standards:never_event_remove", _pk(NeverEvent, "NE1"), ADMIN, "page"),
    ("standards:never_event_guidance", _pk(NeverEvent, "NE1"), ADMIN, "page"),
]


@pytest.fixture
def ctx(db):
    return {"draft": services.standards_draft_create(actor="tests", reason="test")}


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_url_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own
    if role:
        client.force_login(role_user(role))
    check_matrix(client, role, MATRIX, ctx)


def test_without_a_draft_the_draft_pages_lead_back_to_the_manage_page(client, settings, role_user):
    settings.DEMO_SKIP_MFA = True
    client.force_login(role_user("administrator"))
    for name in (
        "standards:draft",
        "standards:draft_discard",
        "standards:draft_publish",
        "standards:standard_add",
        "standards:never_event_add",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == "/standards/manage/"
