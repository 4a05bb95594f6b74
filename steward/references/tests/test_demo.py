"""The demo data: every state of a reference and an appointment, loaded once."""

import pytest

from steward.references.demo import references_demo_load
from steward.references.models import Appointment, BoardMemberReference, ReferenceRequest
from steward.references.selectors import overrides_in_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, travel):
    import datetime as dt

    from steward.core.demo import demo_load

    travel(dt.date(2026, 11, 22))
    demo_load()
    references_demo_load(actor="steward demo")


def test_demo_has_every_state_and_loads_once(demo):
    from steward.organisations.models import Region

    appointments = Appointment.objects.filter(organisation__ods_code="RR8")
    assert appointments.filter(status="started", override_reason="").exists()
    assert appointments.filter(status="started").exclude(override_reason="").exists()
    assert appointments.filter(status="proposed", support_plan_recommended=True).exists()
    assert appointments.filter(status="proposed", registrant__status="barred").exists()
    assert ReferenceRequest.objects.filter(kind="appointment", status="requested").exists()
    assert ReferenceRequest.objects.filter(
        kind="appointment", status="requested", referee_organisation__ods_code="RR8"
    ).exists()
    assert ReferenceRequest.objects.filter(kind="leaving", status="requested").exists()
    assert ReferenceRequest.objects.filter(kind="leaving", status="completed").exists()
    references = BoardMemberReference.objects.all()
    assert any(not r.disclosures for r in references)
    assert any(r.disclosures for r in references)
    assert references.filter(supersedes__isnull=False).exists()
    assert references.filter(registrant__user__email="registrant@demo.steward.example").exists()
    y63 = Region.objects.get(code="Y63")
    assert len(overrides_in_region(region=y63, year=2026)) == 1

    counts = (Appointment.objects.count(), BoardMemberReference.objects.count())
    references_demo_load(actor="steward demo")
    assert (Appointment.objects.count(), BoardMemberReference.objects.count()) == counts
