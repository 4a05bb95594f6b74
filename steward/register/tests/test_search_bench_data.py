"""``steward bench-data``: realistic synthetic people, findable through the search index."""

import io

import pytest
from django.core.management import call_command

from steward.register import search
from steward.register.models import CareerRole, RegisterSequence, Registrant
from steward.register.numbers import is_valid_registration_number

pytestmark = pytest.mark.django_db


def test_bench_data_adds_people_the_search_finds():
    out = io.StringIO()
    call_command("bench-data", registrants=300, seed=7, stdout=out)
    assert "Added 300 registrants" in out.getvalue()
    people = list(Registrant.objects.all())
    assert len(people) == 300
    assert all(is_valid_registration_number(p.registration_number) for p in people)
    assert RegisterSequence.objects.get(name="registration").last_value == 300
    assert 1.5 < CareerRole.objects.count() / 300 < 4.5
    # Written with plain INSERTs, yet every person is in the search index.
    for person in people[:40]:
        page = search.registrant_search(q=f"{person.legal_forenames} {person.legal_surname}")
        assert person.pk in page.ids
    assert search.registrant_search(q="").count == 300
    # Names from many backgrounds: accents, apostrophes or hyphens turn up.
    surnames = "".join(p.legal_surname + p.legal_forenames for p in people)
    assert any(ch in surnames for ch in "'-") and any(ord(ch) > 127 for ch in surnames)


def test_bench_data_refuses_more_numbers_than_the_register_has():
    RegisterSequence.objects.create(name="registration", last_value=999_990)
    with pytest.raises(Exception, match="room for 9 more numbers"):
        call_command("bench-data", registrants=20, stdout=io.StringIO())


@pytest.mark.django_db
def test_bench_data_refuses_a_register_that_has_people():
    from django.core.management import CommandError, call_command

    from steward.register.services import registrant_create

    registrant_create(legal_forenames="Real", legal_surname="Person", actor=None, reason="test")
    with pytest.raises(CommandError, match="empty register"):
        call_command("bench-data", "--registrants", "5")
