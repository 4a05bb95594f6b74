"""The administrator's pages: start a draft, change it, publish or discard it."""

import datetime as dt
import html as htmllib
import re

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.standards.models import (
    CompetencyDomain,
    NeverEvent,
    SanctionsGuidance,
    Standard,
    StandardsVersion,
)
from steward.standards.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

MANAGE = reverse("standards:manage")
DRAFT = reverse("standards:draft")


@pytest.fixture(autouse=True)
def skip_mfa(settings):
    settings.DEMO_SKIP_MFA = True  # enrolment is the accounts app's concern, tested there


@pytest.fixture
def signed_in(client, admin, today):
    client.force_login(admin)
    return client


def text(response) -> str:
    html = response.content.decode()
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def error_summary(response) -> str:
    html = response.content.decode()
    assert "nhsuk-error-summary" in html, "expected the NHS error summary"
    return text(response)


def test_the_manage_page_lists_published_versions_and_offers_a_draft(signed_in, version_1):
    response = signed_in.get(MANAGE)
    page = text(response)
    assert "Edit the standards" in page
    assert "There is no draft at the moment." in page
    assert "In force from 1 April 2025" in page
    assert reverse("standards:draft_start") in response.content.decode()


def test_starting_a_draft_through_the_pages(signed_in, version_1, admin):
    start = reverse("standards:draft_start")
    assert "The draft begins as a copy of version 1" in text(signed_in.get(start))
    response = signed_in.post(start)
    assert response.status_code == 302 and response["Location"] == DRAFT
    draft = StandardsVersion.objects.get(status="draft")
    assert draft.created_by == admin
    page = text(signed_in.get(DRAFT))
    assert "Draft version 2" in page
    assert "CC3: Speak up, and protect those who do" in page
    assert "Everything needed is in place" in page
    assert "Outcomes: Advice to barring" in page
    assert AuditEvent.objects.filter(action="standards.draft.created").exists()
    # With a draft open, starting another leads to it.
    assert signed_in.get(start)["Location"] == DRAFT


def test_the_draft_page_without_a_draft_goes_back_with_a_message(signed_in, version_1):
    response = signed_in.get(DRAFT, follow=True)
    assert response.redirect_chain[-1][0] == MANAGE
    assert "There is no draft of the standards at the moment" in text(response)


def test_adding_a_standard_and_its_guidance(signed_in, draft):
    add = reverse("standards:standard_add")
    assert 'value="CC13"' in signed_in.get(add).content.decode()
    response = signed_in.post(
        add, {"ref": "cc 13", "title": "Look after yourself", "text": "You rest."}
    )
    assert response.status_code == 302
    standard = Standard.objects.get(version=draft, ref="CC13")
    page = text(signed_in.get(DRAFT))
    assert "CC13 added. Add its sanctions guidance before you publish." in page
    assert "Add sanctions guidance for CC13 Look after yourself." in page
    assert "No sanctions guidance" in page

    guidance_url = reverse("standards:standard_guidance", kwargs={"pk": standard.pk})
    response = signed_in.post(
        guidance_url,
        {
            "least_severe": "advice",
            "most_severe": "conditions",
            "guidance": "Support first.",
            "aggravating_factors": "Ignored advice\r\n\r\nHarm resulted",
            "mitigating_factors": "Sought help",
            "revision": "",
        },
    )
    assert response.status_code == 302
    guidance = SanctionsGuidance.objects.get(standard=standard)
    assert guidance.aggravating == ["Ignored advice", "Harm resulted"]
    page = text(signed_in.get(DRAFT))
    assert "Sanctions guidance for CC13 saved." in page
    assert "Outcomes: Advice to conditions" in page


def test_adding_a_standard_with_a_taken_reference_shows_the_services_message(signed_in, draft):
    response = signed_in.post(
        reverse("standards:standard_add"), {"ref": "CC3", "title": "x", "text": "x"}
    )
    assert response.status_code == 200
    assert "The draft already has a standard CC3. Enter a different reference." in error_summary(
        response
    )
    assert 'href="#id_ref"' in response.content.decode()
    assert Standard.objects.filter(version=draft).count() == 12


def test_adding_a_standard_with_nothing_filled_in(signed_in, draft):
    page = error_summary(signed_in.post(reverse("standards:standard_add"), {}))
    assert "Enter the reference, like CC13" in page
    assert "Enter the title" in page
    assert "Enter the text of the standard" in page


def test_changing_a_standard(signed_in, draft):
    cc3 = Standard.objects.get(version=draft, ref="CC3")
    url = reverse("standards:standard_change", kwargs={"pk": cc3.pk})
    assert 'value="Speak up, and protect those who do"' in signed_in.get(url).content.decode()
    response = signed_in.post(
        url, {"ref": "CC3", "title": cc3.title, "text": "Stronger.", "revision": "1"}
    )
    assert response.status_code == 302
    cc3.refresh_from_db()
    assert cc3.text == "Stronger."
    assert "CC3 saved." in text(signed_in.get(DRAFT))
    # The same form sent again is out of date.
    stale = signed_in.post(url, {"ref": "CC3", "title": "x", "text": "x", "revision": "1"})
    assert "Someone else changed this after you opened it" in error_summary(stale)
    cc3.refresh_from_db()
    assert cc3.title != "x"


def test_removing_a_standard_asks_first(signed_in, draft):
    cc12 = Standard.objects.get(version=draft, ref="CC12")
    url = reverse("standards:standard_remove", kwargs={"pk": cc12.pk})
    assert "Remove CC12 from the draft?" in text(signed_in.get(url))
    assert signed_in.post(url).status_code == 302
    assert not Standard.objects.filter(version=draft, ref="CC12").exists()


def test_removing_a_standard_a_never_event_needs_shows_why_not(signed_in, draft):
    cc3 = Standard.objects.get(version=draft, ref="CC3")
    NeverEvent.objects.get(version=draft, ref="NE1").standards.set([cc3])
    response = signed_in.post(reverse("standards:standard_remove", kwargs={"pk": cc3.pk}))
    assert "NE1 breaches only CC3" in error_summary(response)
    assert Standard.objects.filter(pk=cc3.pk).exists()


def test_changing_a_domain(signed_in, draft):
    d2 = CompetencyDomain.objects.get(version=draft, ref="D2")
    url = reverse("standards:domain_change", kwargs={"pk": d2.pk})
    response = signed_in.post(
        url,
        {
            "name": d2.name,
            "description": "Where we are going.",
            "what_good_looks_like": "One\r\nTwo\r\n",
            "revision": "1",
        },
    )
    assert response.status_code == 302
    d2.refresh_from_db()
    assert d2.good_practice == ["One", "Two"]


def test_adding_a_never_event_with_standards_chosen_by_checkbox(signed_in, draft):
    url = reverse("standards:never_event_add")
    form = signed_in.get(url).content.decode()
    assert 'type="checkbox"' in form and 'value="CC12"' in form
    missing = signed_in.post(url, {"ref": "NE9", "title": "Gagging", "description": ""})
    assert "Select at least one standard this never event breaches" in error_summary(missing)
    response = signed_in.post(
        url, {"ref": "NE9", "title": "Gagging", "description": "", "standards": ["CC1", "CC3"]}
    )
    assert response.status_code == 302
    event = NeverEvent.objects.get(version=draft, ref="NE9")
    assert sorted(s.ref for s in event.standards.all()) == ["CC1", "CC3"]


def test_changing_a_never_event(signed_in, draft):
    ne5 = NeverEvent.objects.get(version=draft, ref="NE5")
    url = reverse("standards:never_event_change", kwargs={"pk": ne5.pk})
    form = " ".join(signed_in.get(url).content.decode().split())
    assert 'type="checkbox" value="CC8" checked' in form
    assert 'type="checkbox" value="CC1" checked' in form
    assert 'type="checkbox" value="CC2" >' in form
    response = signed_in.post(
        url,
        {
            "ref": "NE5",
            "title": ne5.title,
            "description": "",
            "standards": ["CC8"],
            "revision": "1",
        },
    )
    assert response.status_code == 302
    assert [s.ref for s in ne5.standards.all()] == ["CC8"]


def test_never_event_guidance_below_a_warning_shows_the_services_message(signed_in, draft):
    ne1 = NeverEvent.objects.get(version=draft, ref="NE1")
    url = reverse("standards:never_event_guidance", kwargs={"pk": ne1.pk})
    page = signed_in.get(url).content.decode()
    assert "<select" in page and 'value="suspension" selected' in page
    response = signed_in.post(
        url,
        {
            "least_severe": "advice",
            "most_severe": "barring",
            "guidance": "g",
            "aggravating_factors": "a",
            "mitigating_factors": "m",
            "revision": str(ne1.guidance.revision),
        },
    )
    assert "must be a warning or a more severe outcome" in error_summary(response)
    ne1.guidance.refresh_from_db()
    assert ne1.guidance.least_severe == "suspension"


def test_removing_a_never_event(signed_in, draft):
    ne8 = NeverEvent.objects.get(version=draft, ref="NE8")
    url = reverse("standards:never_event_remove", kwargs={"pk": ne8.pk})
    assert signed_in.post(url).status_code == 302
    assert not NeverEvent.objects.filter(version=draft, ref="NE8").exists()


def test_items_of_a_published_version_cannot_be_changed(signed_in, version_1):
    cc3 = Standard.objects.get(version=version_1, ref="CC3")
    ne1 = NeverEvent.objects.get(version=version_1, ref="NE1")
    d1 = CompetencyDomain.objects.get(version=version_1, ref="D1")
    urls = [
        reverse("standards:standard_change", kwargs={"pk": cc3.pk}),
        reverse("standards:standard_remove", kwargs={"pk": cc3.pk}),
        reverse("standards:standard_guidance", kwargs={"pk": cc3.pk}),
        reverse("standards:domain_change", kwargs={"pk": d1.pk}),
        reverse("standards:never_event_change", kwargs={"pk": ne1.pk}),
        reverse("standards:never_event_remove", kwargs={"pk": ne1.pk}),
        reverse("standards:never_event_guidance", kwargs={"pk": ne1.pk}),
    ]
    for url in urls:
        for response in (
            signed_in.get(url),
            signed_in.post(url, {"ref": "CC3", "title": "x", "text": "x", "revision": "1"}),
        ):
            assert response.status_code == 200, url
            assert "Version 1 is published, and a published version never changes" in (
                error_summary(response)
            )
    cc3.refresh_from_db()
    assert cc3.title == "Speak up, and protect those who do"
    assert Standard.objects.filter(version=version_1).count() == 12
    assert not AuditEvent.objects.filter(action__startswith="standards.").exists()


def test_unknown_items_are_not_found(signed_in, draft):
    for name in ("standards:standard_change", "standards:never_event_guidance"):
        assert signed_in.get(reverse(name, kwargs={"pk": 999_999})).status_code == 404
    assert signed_in.get("/standards/manage/standards/99999999999999999999999/").status_code == 404


def test_publishing_through_the_page(signed_in, draft, admin):
    url = reverse("standards:draft_publish")
    form = signed_in.get(url).content.decode()
    assert 'name="effective_from_day"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    response = signed_in.post(
        url,
        {
            "effective_from_day": "1",
            "effective_from_month": "4",
            "effective_from_year": "2027",
            "summary": "Stronger speaking up.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == MANAGE
    assert "Version 2 published. It takes effect on 1 April 2027." in text(response)
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.effective_from == dt.date(2027, 4, 1)
    assert draft.published_by == admin


def test_publishing_errors_are_shown_with_the_error_summary(signed_in, draft):
    url = reverse("standards:draft_publish")
    yesterday = TODAY - dt.timedelta(days=1)
    response = signed_in.post(
        url,
        {
            "effective_from_day": str(yesterday.day),
            "effective_from_month": str(yesterday.month),
            "effective_from_year": str(yesterday.year),
            "summary": "",
        },
    )
    page = error_summary(response)
    assert "Enter a summary of what changed from the version before" in page
    bad_date = signed_in.post(
        url,
        {
            "effective_from_day": str(yesterday.day),
            "effective_from_month": str(yesterday.month),
            "effective_from_year": str(yesterday.year),
            "summary": "Changes",
        },
    )
    assert "must be today or in the future" in error_summary(bad_date)
    assert 'href="#id_effective_from"' in bad_date.content.decode()
    nonsense = signed_in.post(
        url,
        {
            "effective_from_day": "31",
            "effective_from_month": "2",
            "effective_from_year": "2027",
            "summary": "Changes",
        },
    )
    assert "Date it takes effect must be a real date" in error_summary(nonsense)
    assert StandardsVersion.objects.get(pk=draft.pk).status == "draft"


def test_publishing_a_draft_with_missing_guidance_lists_what_is_missing(signed_in, draft, admin):
    signed_in.post(reverse("standards:standard_add"), {"ref": "CC13", "title": "New", "text": "x"})
    url = reverse("standards:draft_publish")
    assert "Add sanctions guidance for CC13 New." in text(signed_in.get(url))
    response = signed_in.post(
        url,
        {
            "effective_from_day": "1",
            "effective_from_month": "4",
            "effective_from_year": "2027",
            "summary": "New standard",
        },
    )
    assert "Add sanctions guidance for CC13 New." in error_summary(response)
    assert StandardsVersion.objects.get(pk=draft.pk).status == "draft"


def test_discarding_the_draft_asks_first(signed_in, draft):
    url = reverse("standards:draft_discard")
    assert "Discard draft version 2?" in text(signed_in.get(url))
    response = signed_in.post(url, follow=True)
    assert "Draft version 2 discarded." in text(response)
    assert not StandardsVersion.objects.filter(pk=draft.pk).exists()


def test_forms_need_the_csrf_token(client, admin, draft):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin)
    assert strict.post(reverse("standards:draft_discard")).status_code == 403
    assert StandardsVersion.objects.filter(pk=draft.pk).exists()


def test_the_draft_page_runs_a_fixed_number_of_queries(
    signed_in, draft, django_assert_max_num_queries
):
    for n in range(13, 23):
        Standard.objects.create(version=draft, ref=f"CC{n}", title="x", text="x", position=n)
    with django_assert_max_num_queries(20):
        assert signed_in.get(DRAFT).status_code == 200
