import logging
import smtplib

import pytest
from django.core import mail
from django.urls import reverse

from steward.notifications.models import Notification
from steward.notifications.services import notify, notify_address

pytestmark = pytest.mark.django_db


def test_notify_tells_each_person_in_the_service_and_by_email(
    make_user, django_capture_on_commit_callbacks
):
    alice = make_user(email="alice@test.steward.example")
    bob = make_user(email="bob@test.steward.example")
    with django_capture_on_commit_callbacks(execute=True):
        told = notify(
            users=[alice, bob, alice, None], subject="Return due", body="Due soon.", url="/fitness/"
        )
    assert told == 2
    assert Notification.objects.filter(user=alice, subject="Return due").count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@test.steward.example",
        "bob@test.steward.example",
    ]
    assert "http://127.0.0.1:8000/fitness/" in mail.outbox[0].body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_no_email_when_the_decision_is_rolled_back(make_user, django_capture_on_commit_callbacks):
    from django.db import transaction

    alice = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(users=[alice], subject="Decided", body="A decision.")
                raise RuntimeError("the decision failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_inactive_people_are_not_told(make_user):
    gone = make_user()
    gone.is_active = False
    gone.save()
    assert notify(users=[gone], subject="x", body="y") == 0


def test_the_list_shows_new_notifications_then_marks_them_read(client, make_user):
    alice = make_user()
    other = make_user()
    notify(users=[alice], subject="Your return was sent back", body="See the comments.", url="/x/")
    notify(users=[other], subject="Not for Alice", body="Private.")
    client.force_login(alice)
    home = client.get(reverse("home"))
    assert "Notifications (1 new)" in home.content.decode()
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Your return was sent back" in page
    assert "New" in page
    assert "Not for Alice" not in page
    assert Notification.objects.get(user=alice).read_at is not None
    assert "Notifications (1 new)" not in client.get(reverse("home")).content.decode()


def test_the_list_pages_with_a_bounded_number_of_queries(
    client, make_user, django_assert_max_num_queries
):
    alice = make_user()
    for n in range(60):
        notify(users=[alice], subject=f"Notice {n}", body="Body")
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications:list"), {"page": "2"})
    assert response.status_code == 200
    assert "Notice 34" in response.content.decode()
    assert client.get(reverse("notifications:list"), {"page": "nonsense"}).status_code == 200


def test_notify_address_emails_someone_without_an_account_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = notify_address(
            email=" pat@test.steward.example ", subject="Case opened", body="See it.", url="/c/"
        )
    assert sent is True
    [email] = mail.outbox
    assert email.to == ["pat@test.steward.example"] and email.subject == "Case opened"
    assert email.body == "See it.\n\nhttp://127.0.0.1:8000/c/"
    assert not Notification.objects.exists()


@pytest.mark.parametrize("address", ["", None, "not an address"])
def test_notify_address_without_an_address_sends_nothing(
    address, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_address(email=address, subject="x", body="y") is False
    assert mail.outbox == []


def test_a_failed_email_is_logged_without_the_address_or_what_it_said(
    make_user, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("steward.notifications.services.send_mail", refuse)
    alice = make_user(email="alice.private@test.steward.example")
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        notify(users=[alice], subject="Subject-SECRET", body="Body-SECRET", url="/x/")
        notify_address(
            email="pat.private@test.steward.example", subject="Subject-SECRET", body="Body-SECRET"
        )
    assert [r.getMessage() for r in caplog.records] == [
        "notification email failed: SMTPServerDisconnected"
    ] * 2
    logged = caplog.text
    for secret in ("alice.private", "pat.private", "Subject-SECRET", "Body-SECRET"):
        assert secret not in logged
    # The in-service copy stands, not marked as emailed.
    assert Notification.objects.get(user=alice).emailed_at is None
