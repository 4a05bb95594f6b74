import datetime as dt

import pytest

from steward.organisations.presenters import (
    count_text,
    short_name,
    status_tag,
    succession_sentence,
)
from steward.organisations.tests.factories import IcbFactory, SuccessionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


def test_count_text():
    assert count_text(0) == "0 organisations"
    assert count_text(1) == "1 organisation"
    assert count_text(1234) == "1,234 organisations"


def test_short_name():
    assert short_name("NHS Sussex Integrated Care Board") == "NHS Sussex ICB"
    assert short_name("Leeds Teaching Hospitals NHS Trust") == "Leeds Teaching Hospitals NHS Trust"


def test_status_tag():
    assert status_tag(IcbFactory(), today=TODAY) is None
    assert status_tag(IcbFactory(closed_on=dt.date(2026, 3, 31)), today=TODAY)["text"] == "Closed"
    assert status_tag(IcbFactory(closed_on=dt.date(2027, 3, 31)), today=TODAY)["text"] == (
        "Closing 31 March 2027"
    )


@pytest.mark.parametrize(
    ("kind", "sentence"),
    [
        ("merger", "On 1 April 2026 NHS Old ICB merged into NHS New ICB."),
        ("part_transfer", "On 1 April 2026 part of NHS Old ICB transferred to NHS New ICB."),
        ("replacement", "On 1 April 2026 NHS Old ICB was replaced by NHS New ICB."),
    ],
)
def test_succession_sentence(kind, sentence):
    succession = SuccessionFactory(
        predecessor__name="NHS Old Integrated Care Board",
        successor__name="NHS New Integrated Care Board",
        kind=kind,
    )
    assert succession_sentence(succession) == sentence
