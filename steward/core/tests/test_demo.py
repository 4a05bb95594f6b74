"""The demo data: every role can sign in, the register looks real, reloading changes nothing."""

import pytest

from steward.accounts.models import RoleAssignment
from steward.accounts.roles import ROLES
from steward.audit.models import AuditEvent
from steward.audit.verification import verify
from steward.core.demo import demo_load
from steward.organisations.models import Organisation
from steward.register.models import CareerRole, PreviousName, RegisterStatus, Registrant

pytestmark = pytest.mark.django_db


def test_demo_loads_everything_once():
    sign_ins = demo_load()
    assert {r.role for r in RoleAssignment.objects.current()} == {r.slug for r in ROLES}
    assert len(sign_ins) == 19
    assert Organisation.objects.count() == 251

    registrants = Registrant.objects.count()
    assert registrants > 3000
    statuses = set(Registrant.objects.values_list("status", flat=True))
    assert {RegisterStatus.CONDITIONS, RegisterStatus.SUSPENDED, RegisterStatus.BARRED} <= statuses
    assert PreviousName.objects.exists()
    names = "".join(Registrant.objects.values_list("legal_surname", flat=True))
    assert "'" in names and "-" in names and "ó" in names.lower()
    # Every open NHS trust and ICB has a chair and a chief executive.
    for organisation in Organisation.objects.filter(closed_on__isnull=True).exclude(
        org_type="national_body"
    ):
        current = CareerRole.objects.filter(organisation=organisation, end_date__isnull=True)
        assert current.filter(category="chair").exists(), organisation
        assert current.filter(category="chief_executive").exists(), organisation

    # The demo chair is also on the register, as RR8's chair.
    chair = Registrant.objects.get(user__email="chair@demo.steward.example")
    assert chair.career_roles.filter(organisation__ods_code="RR8", category="chair").exists()

    events = AuditEvent.objects.count()
    demo_load()
    assert Registrant.objects.count() == registrants
    assert AuditEvent.objects.count() == events
    assert verify().ok
