import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from steward.audit.models import AuditEvent
from steward.organisations.services import organisation_risk_set

pytestmark = pytest.mark.django_db


def test_risk_level_is_recorded_with_an_audit_event(organisation):
    organisation_risk_set(organisation=organisation, risk_level="high", actor=None, reason="CQC")
    organisation.refresh_from_db()
    assert organisation.risk_level == "high"
    event = AuditEvent.objects.get(action="organisations.risk_level.set")
    assert event.reason == "CQC"


@pytest.mark.parametrize(("level", "reason"), [("severe", "x"), ("high", "  ")])
def test_bad_input_changes_nothing(organisation, level, reason):
    with pytest.raises(ValidationError):
        organisation_risk_set(
            organisation=organisation, risk_level=level, actor=None, reason=reason
        )
    organisation.refresh_from_db()
    assert organisation.risk_level == "not_assessed"


def test_the_command_sets_the_level_and_refuses_unknown_codes(organisation, capsys):
    call_command("organisations", "set-risk", "rr8", "medium", "--reason", "Board review")
    organisation.refresh_from_db()
    assert organisation.risk_level == "medium"
    with pytest.raises(CommandError, match="No organisation has the ODS code XXX"):
        call_command("organisations", "set-risk", "XXX", "high", "--reason", "x")
