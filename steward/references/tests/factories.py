"""Helpers that make register records and appointments through the real services."""

import datetime as dt

from steward.references import services
from steward.register import services as register_services
from steward.register.models import Registrant


def person(**overrides) -> Registrant:
    details = {
        "legal_forenames": "Adaeze",
        "legal_surname": "Okonkwo-Smith",
        "date_of_birth": dt.date(1971, 5, 17),
        "actor": "tests",
        "reason": "test data",
        **overrides,
    }
    return register_services.registrant_create(**details)


def career_role(registrant, organisation, **overrides):
    details = {
        "title": "Chief Finance Officer",
        "category": "executive_director",
        "start_date": dt.date(2020, 1, 1),
        "actor": "tests",
        "reason": "test data",
        **overrides,
    }
    return register_services.career_role_add(
        registrant=registrant, organisation=organisation, **details
    )


def propose(organisation, registrant, *, actor="tests", **overrides):
    details = {
        "registration_number": registrant.registration_number,
        "role_title": "Chief Finance Officer",
        "role_category": "executive_director",
        "proposed_start_date": dt.date(2026, 12, 1),
        **overrides,
    }
    return services.appointment_propose(organisation=organisation, actor=actor, **details)


def all_no(**overrides) -> dict:
    answers = {
        "roles_and_dates": "Director of Finance, 1 April 2018 to date",
        "disciplinary_findings": "no",
        "investigations": "no",
        "upheld_concerns": "no",
        "fitness_outcomes": "no",
        "settlement_agreements": "no",
    }
    answers.update(overrides)
    return answers


def complete(request, *, actor="tests", **answers):
    return services.reference_complete(
        request=request,
        answers=all_no(**answers),
        referee_name="Helen D'Souza",
        referee_job_title="Chair",
        actor=actor,
    )
