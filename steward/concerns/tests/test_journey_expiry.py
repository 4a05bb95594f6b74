"""The answers carried between the pages of raising a concern expire (ADR 005): the
time they were signed lives only in the reporter's hidden field."""

import datetime as dt

import pytest
from django.utils import timezone

from steward.concerns import journey
from steward.concerns.models import Concern, DailyCount
from steward.concerns.tests.test_report_pages import CLIENT as PAGE_CLIENT
from steward.concerns.tests.test_report_pages import (
    ORGANISATION_ANSWERS,
    h1,
    post,
    url,
    walk,
)

pytestmark = pytest.mark.django_db

MORNING = timezone.make_aware(dt.datetime(2026, 11, 5, 9, 0))


def ready_to_send(client) -> str:
    steps = [
        *ORGANISATION_ANSWERS,
        ("how", {"anonymity": "anonymous"}),
        ("employer", {"employer_may_see": "no"}),
    ]
    response, state = walk(client, steps)
    assert h1(response) == "Check your answers before sending your concern"
    return state


def test_answers_last_six_hours_from_the_last_page(client, organisation, travel):
    travel(MORNING)
    state = ready_to_send(client)
    travel(MORNING + dt.timedelta(hours=5, minutes=59))
    sent = client.post(url("check"), {"state": state, "_send": "send"}, **PAGE_CLIENT)
    assert sent.status_code == 200
    assert Concern.objects.count() == 1


def test_answers_older_than_six_hours_mean_starting_again(client, organisation, travel):
    travel(MORNING)
    state = ready_to_send(client)
    travel(MORNING + dt.timedelta(hours=6, minutes=1))
    sent = client.post(url("check"), {"state": state, "_send": "send"}, **PAGE_CLIENT)
    assert sent.status_code == 400
    assert "You need to start again" in sent.content.decode()
    assert not Concern.objects.exists()
    # A question page too, never an error.
    answered = post(client, "when", state, {"when": "Last week"})
    assert answered.status_code == 400
    assert "You need to start again" in answered.content.decode()


def test_each_page_signs_the_answers_afresh(travel):
    travel(MORNING)
    state = journey.state_dump(journey.new_state())
    travel(MORNING + dt.timedelta(hours=5))
    state = journey.state_dump(journey.state_load(state))
    travel(MORNING + dt.timedelta(hours=10))
    assert journey.state_load(state)["v"] == 1


def test_the_age_is_a_setting(organisation, travel, settings):
    settings.CONCERNS_JOURNEY_MAX_AGE_SECONDS = 60
    travel(MORNING)
    state = journey.state_dump(journey.new_state())
    travel(MORNING + dt.timedelta(seconds=59))
    journey.state_load(state)
    travel(MORNING + dt.timedelta(seconds=61))
    with pytest.raises(journey.BadState):
        journey.state_load(state)


def test_the_default_age_is_six_hours(settings):
    assert settings.CONCERNS_JOURNEY_MAX_AGE_SECONDS == 6 * 60 * 60


def test_the_time_is_never_stored(client, organisation, travel):
    travel(MORNING)
    state = ready_to_send(client)
    client.post(url("check"), {"state": state, "_send": "send"}, **PAGE_CLIENT)
    concern = Concern.objects.get()
    assert concern.received_on == MORNING.date()
    assert set(DailyCount.objects.values_list("day", flat=True)) == {MORNING.date()}
