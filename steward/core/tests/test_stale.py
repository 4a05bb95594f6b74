import pytest
from django.core.exceptions import ValidationError

from steward.cases.determinations import StaleDetermination
from steward.cases.panels import StaleHearing
from steward.concerns import triage
from steward.core.stale import StaleEdit, is_stale
from steward.fitness import services as fitness_services
from steward.register import services as register_services
from steward.standards import services as standards_services


def test_stale_edit_has_the_stale_code_and_a_default_message():
    error = StaleEdit()

    assert isinstance(error, ValidationError)
    assert error.code == "stale"
    assert error.messages == [StaleEdit.default_message]
    assert is_stale(error)


def test_stale_edit_takes_its_own_message():
    error = StaleEdit("This draft changed. Reload it.")

    assert error.messages == ["This draft changed. Reload it."]
    assert is_stale(error)


def test_other_validation_errors_are_not_stale():
    assert not is_stale(ValidationError("Enter a date"))
    assert not is_stale(ValidationError("Enter a date", code="invalid"))
    assert not is_stale(ValueError("stale"))


@pytest.mark.parametrize(
    ("error_class", "message"),
    [
        (register_services.StaleEdit, register_services.STALE_MESSAGE),
        (standards_services.StaleEdit, standards_services.STALE_MESSAGE),
        (fitness_services.StaleEdit, fitness_services.STALE_MESSAGE),
        (triage.StaleConcern, triage.STALE_MESSAGE),
        (StaleHearing, StaleHearing().message),
        (StaleDetermination, StaleDetermination.default_message),
    ],
)
def test_each_app_keeps_its_name_and_message_and_is_recognised_as_stale(error_class, message):
    error = error_class()

    assert error.messages == [message]
    assert message != StaleEdit.default_message
    assert is_stale(error)
    assert triage.is_stale(error)
    with pytest.raises(StaleEdit):
        raise error
