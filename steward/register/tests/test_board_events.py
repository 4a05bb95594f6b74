"""Board roles recorded by a bulk import start and end the same way as on the roster:
a departure is owed a leaving reference, a new appointment is assessed."""

import datetime as dt

import pytest
from django.core.management import call_command

from steward.core import clock
from steward.fitness.models import AssessmentTrigger, FitnessAssessment
from steward.references.models import ReferenceRequest, RequestKind
from steward.register.importing import HEADER_LINE
from steward.register.models import CareerRole

pytestmark = pytest.mark.django_db


def _import(tmp_path, organisation, *rows):
    path = tmp_path / "roster.csv"
    path.write_text("\r\n".join([HEADER_LINE, *rows]) + "\r\n", encoding="utf-8")
    call_command("import-register", str(path), "--organisation", organisation.ods_code)


def _row(start: dt.date, end: dt.date | None, category="executive_director") -> str:
    return (
        f"2001,RR8,,Gwen,Board-Events,,,1970-01-01,,Director of Finance,{category},"
        f"{start.isoformat()},{end.isoformat() if end else ''},N"
    )


def test_an_imported_departure_is_owed_a_leaving_reference(tmp_path, organisation):
    start = dt.date(2021, 4, 1)
    _import(tmp_path, organisation, _row(start, None))
    assert not ReferenceRequest.objects.exists()
    left = clock.today() - dt.timedelta(days=10)
    _import(tmp_path, organisation, _row(start, left))
    role = CareerRole.objects.get(registrant__legal_surname="Board-Events")
    request = ReferenceRequest.objects.get(kind=RequestKind.LEAVING)
    assert request.career_role == role
    assert request.referee_organisation == organisation


def test_an_imported_new_board_appointment_is_assessed(tmp_path, organisation):
    _import(tmp_path, organisation, _row(dt.date(2019, 1, 1), dt.date(2019, 12, 31)))
    started = clock.today() - dt.timedelta(days=5)
    _import(tmp_path, organisation, _row(started, None))
    assessment = FitnessAssessment.objects.get(registrant__legal_surname="Board-Events")
    assert assessment.trigger == AssessmentTrigger.APPOINTMENT
    assert assessment.year == started.year
    # The role that ended in 2019 is old history: no leaving reference for it.
    assert not ReferenceRequest.objects.exists()


def test_senior_manager_roles_trigger_neither(tmp_path, organisation):
    start = clock.today() - dt.timedelta(days=5)
    _import(tmp_path, organisation, _row(start, None, category="senior_manager"))
    _import(tmp_path, organisation, _row(start, clock.today(), category="senior_manager"))
    assert not FitnessAssessment.objects.exists()
    assert not ReferenceRequest.objects.exists()
