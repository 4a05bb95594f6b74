"""Deny by default: every case page, for every role and for anonymous visitors.

Each row names who may see a page; everyone else signed in gets 403 and anonymous
visitors are sent to sign in. The registrant's own pages answer 404 for a case
that is not theirs (tested in test_pages_mine), so nobody learns it exists.
"""

import pytest
from django.urls import reverse

from steward.accounts.roles import REGULATOR_ROLES
from steward.cases.models import Evidence
from steward.cases.tests.factories import matrix_sign_in
from steward.cases.tests.test_pages_staff import (
    add_evidence,
    not_fit_referral,
    open_case,
    person,
    recommended,
)
from steward.core.tests.matrix import ALL_ROLES, check_matrix
from steward.register.models import Registrant

pytestmark = pytest.mark.django_db

CASEWORKERS = {"caseworker"}
CASE_STAFF = {"caseworker", "case_examiner", "hearings_officer", "registrar"}
REGISTRANTS = {"registrant"}


def ref(ctx):
    return {"reference": ctx["case"].reference}


MATRIX = [
    ("cases:list", None, CASE_STAFF, "page"),
    ("cases:detail", ref, CASE_STAFF, "page"),
    ("cases:evidence", lambda ctx: {**ref(ctx), "number": 1}, CASE_STAFF, "page"),
    ("cases:allegation_add", ref, CASEWORKERS, "page"),
    ("cases:open", None, CASEWORKERS, "page"),
    ("cases:open_concern", lambda ctx: {"pk": ctx["decision"].pk}, CASEWORKERS, "page"),
    ("cases:open_not_fit", lambda ctx: {"pk": ctx["referral"].pk}, CASEWORKERS, "page"),
    ("cases:open_employer", None, CASEWORKERS, "page"),
    ("cases:open_own_motion", None, CASEWORKERS, "page"),
    ("cases:timeliness", None, REGULATOR_ROLES, "page"),
    ("cases:mine", None, REGISTRANTS, "page"),
    ("cases:mine_detail", ref, REGISTRANTS, "page"),
    ("cases:mine_evidence", lambda ctx: {**ref(ctx), "number": 1}, REGISTRANTS, "page"),
]


@pytest.fixture
def ctx(make_user, organisation):
    caseworker = make_user("caseworker")
    case = open_case(person(("Rhiannon", "Matrix")), caseworker)
    add_evidence(case, caseworker, disclosed=True)
    return {
        "case": case,
        "decision": recommended(organisation, caseworker, person(("Dev", "Subject"))),
        "referral": not_fit_referral(organisation),
    }


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_page_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True  # enrolment is tested on its own
    matrix_sign_in(client, role_user, role, ctx["case"])
    check_matrix(client, role, MATRIX, ctx)


def check_posts(client, role, posts) -> None:
    """Send each empty form: anonymous visitors are sent to sign in, those allowed reach
    the form (its errors, never a refusal or a crash), everyone else gets 403."""
    failures = []
    for url, allowed in posts:
        response = client.post(url, {})
        status = response.status_code
        if role is None:
            ok = status == 302 and response["Location"].startswith(reverse("account_login"))
        elif role in allowed:
            ok = status not in {401, 403, 404, 405} and status < 500
        else:
            ok = status == 403
        if not ok:
            failures.append(f"POST {url}: {status}")
    assert not failures, f"role {role}: " + "; ".join(failures)


def _posts(ctx):
    case_kwargs = ref(ctx)
    return [
        (reverse("cases:evidence_add", kwargs=case_kwargs), CASEWORKERS),
        (reverse("cases:move", kwargs=case_kwargs), CASEWORKERS),
        (reverse("cases:allegation_add", kwargs=case_kwargs), CASEWORKERS),
        (reverse("cases:open_concern", kwargs={"pk": ctx["decision"].pk}), CASEWORKERS),
        (reverse("cases:open_not_fit", kwargs={"pk": ctx["referral"].pk}), CASEWORKERS),
        (reverse("cases:open_employer"), CASEWORKERS),
        (reverse("cases:open_own_motion"), CASEWORKERS),
        (reverse("cases:mine_respond", kwargs=case_kwargs), REGISTRANTS),
    ]


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_every_change_for_every_role(client, settings, role_user, ctx, role):
    settings.DEMO_SKIP_MFA = True
    matrix_sign_in(client, role_user, role, ctx["case"])
    check_posts(client, role, _posts(ctx))
    # Empty forms change nothing, whoever sends them.
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("url_name", ["cases:evidence_add", "cases:move", "cases:mine_respond"])
def test_changes_are_never_made_by_a_get(client, settings, make_user, ctx, url_name):
    settings.DEMO_SKIP_MFA = True
    client.force_login(make_user("caseworker"))
    assert client.get(reverse(url_name, kwargs=ref(ctx))).status_code == 405


def test_someone_whose_sign_in_is_linked_to_a_record_sees_their_case(client, role_user, ctx):
    """Without the registrant role: a chair on the register, say."""
    user = role_user("chair")
    Registrant.objects.filter(pk=ctx["case"].registrant_id).update(user=user)
    client.force_login(user)
    assert client.get(reverse("cases:mine")).status_code == 200
    assert client.get(reverse("cases:mine_detail", kwargs=ref(ctx))).status_code == 200
    assert client.get(reverse("cases:detail", kwargs=ref(ctx))).status_code == 403


def test_staff_never_work_on_or_read_a_case_about_themselves(client, settings, make_user, ctx):
    """A caseworker the case is about sees it only as its registrant does."""
    settings.DEMO_SKIP_MFA = True
    user = make_user("caseworker")
    Registrant.objects.filter(pk=ctx["case"].registrant_id).update(user=user)
    client.force_login(user)
    case_kwargs = ref(ctx)
    assert ctx["case"].reference not in client.get(reverse("cases:list")).content.decode()
    for name, kwargs in [
        ("cases:detail", case_kwargs),
        ("cases:allegation_add", case_kwargs),
        ("cases:evidence", {**case_kwargs, "number": 1}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403, name
    for name in ("cases:move", "cases:evidence_add"):
        assert client.post(reverse(name, kwargs=case_kwargs), {}).status_code == 403, name
    page = client.get(reverse("cases:mine_detail", kwargs=case_kwargs)).content.decode()
    assert "Stage history" not in page and "SHA-256" not in page
