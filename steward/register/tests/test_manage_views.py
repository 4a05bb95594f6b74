"""The registrant's and the registrar's signed-in journeys, end to end."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.register import services
from steward.register.models import (
    ApplicationStatus,
    Qualification,
    QualificationStatus,
    RegisterStatus,
    Registrant,
    RegistrationApplication,
    StatusChange,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _skip_mfa(settings):
    settings.DEMO_SKIP_MFA = True


def _text(response) -> str:
    return unescape(response.content.decode())


def _person(forenames="Amara", surname="Okafor", **kwargs):
    return services.registrant_create(
        legal_forenames=forenames, legal_surname=surname, actor="tests", reason="test", **kwargs
    )


APPLY = {
    "legal_forenames": "Siobhán",
    "legal_surname": "O'Connor",
    "known_as": "Shiv",
    "previous_names": "Siobhán Murphy",
    "date_of_birth_day": "3",
    "date_of_birth_month": "4",
    "date_of_birth_year": "1979",
    "email": "siobhan@example.org",
    "phone": "0113 496 0000",
}


def _apply(client, **changes):
    data = {**APPLY, **changes}
    response = client.post(reverse("register_manage:my_apply"), data)
    assert response.status_code == 302, _text(response)
    assert response["Location"] == reverse("register_manage:my_apply_check")
    check = client.get(response["Location"])
    assert "Check your answers" in _text(check) and "3 April 1979" in _text(check)
    sent = client.post(reverse("register_manage:my_apply_check"))
    assert sent.status_code == 302
    return RegistrationApplication.objects.get(applicant_id=client.session["_auth_user_id"])


# --- Journeys ------------------------------------------------------------------------


def test_apply_then_registrar_approves_then_registrant_sees_record(client, make_user):
    applicant = make_user("registrant", full_name="Siobhán O'Connor")
    registrar = make_user("registrar")

    client.force_login(applicant)
    page = _text(client.get(reverse("register_manage:my_record")))
    assert "You are not on the register yet" in page
    application = _apply(client)
    page = _text(client.get(reverse("register_manage:my_record")))
    assert "Waiting for a decision" in page
    # The form is not offered again while one is open.
    assert client.get(reverse("register_manage:my_apply")).status_code == 302

    client.force_login(registrar)
    listing = _text(client.get(reverse("register_manage:applications")))
    assert "Siobhán O'Connor" in listing
    detail_url = reverse("register_manage:application", kwargs={"pk": application.pk})
    detail = _text(client.get(detail_url))
    assert "3 April 1979" in detail and "Siobhán Murphy" in detail
    assert AuditEvent.objects.filter(
        action="register.registrationapplication.restricted_viewed", actor=registrar
    ).exists()
    response = client.post(detail_url, {"decision": "approve", "reason": ""})
    assert response.status_code == 302

    registrant = Registrant.objects.get(user=applicant)
    assert registrant.previous_names.get().surname == "Murphy"
    client.force_login(applicant)
    page = _text(client.get(reverse("register_manage:my_record")))
    assert registrant.registration_number in page
    assert "siobhan@example.org" in page and "3 April 1979" in page
    assert "Registered" in page
    viewed = AuditEvent.objects.filter(
        action="register.registrant.restricted_viewed", actor=applicant
    )
    assert viewed.exists()


def test_registrar_is_warned_of_a_possible_duplicate(client, make_user):
    existing = _person("Siobhan", "Murphy", date_of_birth=dt.date(1979, 4, 3))
    unrelated = _person("Siobhan", "Murphy", date_of_birth=dt.date(1990, 1, 1))
    client.force_login(make_user("registrant"))
    # Her previous surname is the existing record's surname.
    application = _apply(client)
    client.force_login(make_user("registrar"))
    page = _text(client.get(reverse("register_manage:application", kwargs={"pk": application.pk})))
    assert "may already be on the register" in page
    assert existing.registration_number in page
    assert unrelated.registration_number not in page


def test_refusal_reasons_are_shown_to_the_applicant(client, make_user):
    applicant = make_user("registrant")
    client.force_login(applicant)
    application = _apply(client)

    client.force_login(make_user("registrar"))
    url = reverse("register_manage:application", kwargs={"pk": application.pk})
    # Refusing without reasons is refused, with the NHS error summary.
    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 400
    assert "There is a problem" in _text(response)
    assert "Give the reasons for refusing" in _text(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    client.post(url, {"decision": "refuse", "reason": "We could not confirm your identity."})

    client.force_login(applicant)
    page = _text(client.get(reverse("register_manage:my_record")))
    assert "Your application was refused" in page
    assert "We could not confirm your identity." in page
    # They may apply again.
    assert client.get(reverse("register_manage:my_apply")).status_code == 200


def test_bad_application_answers_show_errors_and_keep_what_was_typed(client, make_user):
    client.force_login(make_user("registrant"))
    response = client.post(
        reverse("register_manage:my_apply"),
        {**APPLY, "date_of_birth_month": "13", "email": "nope", "legal_surname": ""},
    )
    body = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Date of birth must be a real date" in body
    assert "Enter an email address in the right format" in body
    assert 'href="#id_date_of_birth"' in body and 'id="id_date_of_birth"' in body
    assert 'value="Siobhán"' in body and 'value="13"' in body
    assert not RegistrationApplication.objects.exists()


def test_date_of_birth_parts_missing_are_named(client, make_user):
    client.force_login(make_user("registrant"))
    response = client.post(reverse("register_manage:my_apply"), {**APPLY, "date_of_birth_year": ""})
    assert "Date of birth must include a year" in _text(response)


def test_check_page_without_answers_goes_back_to_the_form(client, make_user):
    client.force_login(make_user("registrant"))
    response = client.get(reverse("register_manage:my_apply_check"))
    assert response["Location"] == reverse("register_manage:my_apply")


def test_qualification_added_then_verified(client, make_user):
    user = make_user("registrant")
    registrant = _person(user=user)
    client.force_login(user)
    response = client.post(
        reverse("register_manage:my_qualification_add"),
        {
            "title": "MSc Healthcare Leadership",
            "awarding_body": "University of Leeds",
            "awarded_on_day": "1",
            "awarded_on_month": "7",
            "awarded_on_year": "2012",
        },
    )
    assert response.status_code == 302
    assert "Waiting for verification" in _text(client.get(reverse("register_manage:my_record")))
    qualification = Qualification.objects.get(registrant=registrant)
    assert qualification.awarded_on == dt.date(2012, 7, 1)

    client.force_login(make_user("registrar"))
    assert "MSc Healthcare Leadership" in _text(
        client.get(reverse("register_manage:qualifications"))
    )
    url = reverse("register_manage:qualification", kwargs={"pk": qualification.pk})
    bad = client.post(url, {"decision": "not_verified", "note": ""})
    assert bad.status_code == 400 and "Say why" in _text(bad)
    client.post(url, {"decision": "verified", "note": ""})
    qualification.refresh_from_db()
    assert qualification.status == QualificationStatus.VERIFIED

    client.force_login(user)
    page = _text(client.get(reverse("register_manage:my_record")))
    assert "Verified" in page


def test_qualification_form_refuses_bad_input(client, make_user):
    user = make_user("registrant")
    _person(user=user)
    client.force_login(user)
    response = client.post(
        reverse("register_manage:my_qualification_add"),
        {"title": "", "awarding_body": "X", "awarded_on_day": "31", "awarded_on_month": "2",
         "awarded_on_year": "2020"},
    )  # fmt: skip
    body = _text(response)
    assert "There is a problem" in body and "must be a real date" in body
    assert not Qualification.objects.exists()


def test_contact_details_update_and_two_stale_posts_are_refused(client, make_user):
    user = make_user("registrant")
    registrant = _person(user=user, email="old@example.org")
    client.force_login(user)
    url = reverse("register_manage:my_contact")
    form_page = _text(client.get(url))
    assert 'name="version" value="1"' in form_page

    # Someone else (the registrar, say) saves first.
    services.registrant_update(
        registrant=Registrant.objects.get(pk=registrant.pk),
        expected_version=1,
        changes={"phone": "0113 000 0001"},
        actor="registrar",
        reason="phoned in",
    )
    for typed in ("mine@example.org", "again@example.org"):
        response = client.post(
            url, {"email": typed, "phone": "07700 900000", "address": "1 Street", "version": "1"}
        )
        body = _text(response)
        assert response.status_code == 200
        assert "There is a problem" in body
        assert services.STALE_MESSAGE in body
        assert f'value="{typed}"' in body  # what they typed is kept
    stored = Registrant.objects.get(pk=registrant.pk)
    assert stored.email == "old@example.org" and stored.phone == "0113 000 0001"
    assert stored.version == 2

    # A fresh form saves.
    response = client.post(
        url, {"email": "new@example.org", "phone": "", "address": "1 Street", "version": "2"}
    )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.email == "new@example.org" and stored.address == "1 Street"
    assert stored.version == 3


def test_contact_details_bad_input(client, make_user):
    user = make_user("registrant")
    _person(user=user)
    client.force_login(user)
    response = client.post(
        reverse("register_manage:my_contact"),
        {"email": "bad", "phone": "x" * 41, "address": "", "version": "nonsense"},
    )
    assert response.status_code == 200
    assert "There is a problem" in _text(response)


def test_status_change_writes_history_and_audit(client, make_user):
    registrar = make_user("registrar")
    registrant = _person()
    client.force_login(registrar)
    url = reverse(
        "register_manage:record", kwargs={"registration_number": registrant.registration_number}
    )
    page = _text(client.get(url))
    assert "Change register status" in page
    assert AuditEvent.objects.filter(
        action="register.registrant.restricted_viewed", actor=registrar
    ).exists()

    bad = client.post(url, {"to_status": "suspended", "reason": ""})
    assert bad.status_code == 400 and "Enter the reason for this change" in _text(bad)
    future = client.post(
        url,
        {"to_status": "suspended", "reason": "x", "effective_on_day": "1",
         "effective_on_month": "1", "effective_on_year": "2999"},
    )  # fmt: skip
    assert future.status_code == 400 and "must be on or before" in _text(future)
    assert StatusChange.objects.filter(registrant=registrant).count() == 1

    today = dt.date.today()
    response = client.post(
        url,
        {"to_status": "suspended", "reason": "Interim order made by a panel",
         "effective_on_day": str(today.day), "effective_on_month": str(today.month),
         "effective_on_year": str(today.year)},
    )  # fmt: skip
    assert response.status_code == 302
    registrant.refresh_from_db()
    assert registrant.status == RegisterStatus.SUSPENDED
    page = _text(client.get(url))
    assert "Interim order made by a panel" in page and "Suspended" in page
    event = AuditEvent.objects.get(action="register.status.changed")
    assert event.actor == registrar and event.reason == "Interim order made by a panel"


def test_merge_through_the_pages(client, make_user, organisation):
    registrar = make_user("registrar")
    survivor = _person("Amara", "Okafor")
    duplicate = _person("Amara", "Okafor-Jones", date_of_birth=dt.date(1970, 2, 3))
    services.career_role_add(
        registrant=duplicate,
        organisation=organisation,
        title="Director of Finance",
        category="executive_director",
        start_date=dt.date(2015, 1, 1),
        actor="t",
        reason="t",
    )
    services.register_status_change(
        registrant=duplicate, to_status=RegisterStatus.LAPSED, reason="Did not renew", actor="t"
    )
    client.force_login(registrar)
    kwargs = {"registration_number": survivor.registration_number}
    merge_url = reverse("register_manage:merge", kwargs=kwargs)

    # A mistyped number is caught by the check digit.
    typo = duplicate.registration_number[:-2] + duplicate.registration_number[-1:-3:-1]
    if typo != duplicate.registration_number:
        response = client.post(merge_url, {"duplicate": typo})
        assert response.status_code == 400 and "There is a problem" in _text(response)
    itself = client.post(merge_url, {"duplicate": survivor.registration_number})
    assert "into itself" in _text(itself)

    response = client.post(merge_url, {"duplicate": duplicate.registration_number.lower()})
    assert response.status_code == 302
    confirm = client.get(response["Location"])
    body = _text(confirm)
    assert "Check these are the same person" in body
    assert survivor.registration_number in body and duplicate.registration_number in body
    assert "Director of Finance" in body

    no_reason = client.post(
        response["Location"].split("?")[0],
        {"duplicate": duplicate.registration_number, "reason": "",
         "duplicate_version": duplicate.version, "survivor_version": survivor.version},
    )  # fmt: skip
    assert no_reason.status_code == 400
    merged = client.post(
        response["Location"].split("?")[0],
        {"duplicate": duplicate.registration_number, "reason": "Same date of birth and career",
         "duplicate_version": Registrant.objects.get(pk=duplicate.pk).version,
         "survivor_version": Registrant.objects.get(pk=survivor.pk).version},
    )  # fmt: skip
    assert merged.status_code == 302

    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    # The old number leads to the survivor, whose page shows both histories.
    old = client.get(
        reverse(
            "register_manage:record", kwargs={"registration_number": duplicate.registration_number}
        )
    )
    assert old.status_code == 302
    assert old["Location"] == reverse("register_manage:record", kwargs=kwargs)
    page = _text(client.get(old["Location"]))
    assert "Director of Finance" in page
    assert "Did not renew" in page  # the duplicate's status history is kept
    assert "Okafor-Jones" in page  # now a previous name


def test_registrar_search_finds_previous_names(client, make_user):
    registrant = _person("Jane", "Smith", previous_names=[("Jane", "Jones")])
    client.force_login(make_user("registrar"))
    url = reverse("register_manage:records")
    assert registrant.registration_number in _text(client.get(url, {"q": "jane jones"}))
    assert registrant.registration_number in _text(
        client.get(url, {"q": registrant.registration_number})
    )
    assert "No records match" in _text(client.get(url, {"q": "nobody-at-all"}))
    assert client.get(url, {"q": "' OR 1=1 -- \"*"}).status_code == 200
    nul = client.get(url, {"q": "jane\x00"})
    assert nul.status_code == 400 and "There is a problem" in _text(nul)


def test_unknown_numbers_and_ids_are_not_found(client, make_user):
    client.force_login(make_user("registrar"))
    assert (
        client.get(
            reverse("register_manage:record", kwargs={"registration_number": "M0000000"})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("register_manage:record", kwargs={"registration_number": "rubbish"})
        ).status_code
        == 404
    )
    assert client.get(reverse("register_manage:application", kwargs={"pk": 999})).status_code == 404
    assert (
        client.get(reverse("register_manage:qualification", kwargs={"pk": 999})).status_code == 404
    )
    assert (
        client.get(
            reverse("register_manage:merge", kwargs={"registration_number": "M0000000"})
        ).status_code
        == 404
    )


def test_registrant_and_registrar_homes_link_to_the_new_pages(client, make_user):
    client.force_login(make_user("registrant"))
    assert reverse("register_manage:my_record") in _text(client.get(reverse("home")))
    client.force_login(make_user("registrar"))
    home = _text(client.get(reverse("home")))
    assert reverse("register_manage:applications") in home
    assert reverse("register_manage:registrar_home") in home
