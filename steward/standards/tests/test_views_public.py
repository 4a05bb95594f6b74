"""The public pages: the standards in force, sanctions guidance, and every version."""

import datetime as dt
import html as htmllib
import re

import pytest
from django.urls import reverse

from steward.standards import services
from steward.standards.demo import standards_demo_load
from steward.standards.models import Standard
from steward.standards.tests.conftest import publish

pytestmark = pytest.mark.django_db

CURRENT = reverse("standards:current")
SANCTIONS = reverse("standards:sanctions")
VERSIONS = reverse("standards:versions")


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_current_page_shows_everything_in_version_1(client, today, version_1):
    html = page(client, CURRENT)
    plain = text(html)
    assert "Version 1, in force from 1 April 2025" in plain
    assert html.count("<h1") == 1
    for n in range(1, 13):
        assert f'id="CC{n}"' in html
    for n in range(1, 7):
        assert f'id="D{n}"' in html
    for n in range(1, 9):
        assert f'id="NE{n}"' in html
    assert "CC3: Speak up, and protect those who do" in plain
    assert "D5: Creating a compassionate, just and positive culture" in plain
    assert "What good looks like" in plain
    # A never event links to the standards it breaches, on the same page.
    ne1 = html[html.index('id="NE1"') : html.index('id="NE2"')]
    assert 'href="#CC3"' in ne1 and 'href="#CC4"' in ne1
    assert f'href="{SANCTIONS}"' in html


def test_the_sanctions_guidance_page_shows_every_range_and_factor(client, today, version_1):
    html = page(client, SANCTIONS)
    plain = text(html)
    assert "Version 1, in force from 1 April 2025" in plain
    assert 'id="CC11"' in html and 'id="NE8"' in html
    assert "No further action to conditions" in plain  # CC11
    assert "Suspension to barring" in plain  # NE1
    assert "Aggravating factors" in plain and "Mitigating factors" in plain
    assert "The manager reported it themselves and repaid in full" in plain
    assert f'href="{CURRENT}#NE6"' in html


def test_earlier_versions_are_reachable_once_a_new_version_is_in_force(client, today):
    standards_demo_load(actor="tests")
    html = page(client, CURRENT)
    plain = text(html)
    assert "Version 2, in force from 1 April 2026" in plain
    assert 'id="NE9"' in html
    version_1_url = reverse("standards:version", kwargs={"number": 1})
    assert f'href="{version_1_url}"' in html

    earlier = text(page(client, version_1_url))
    assert "This is an earlier version. It was in force from 1 April 2025 to 31 March 2026" in (
        earlier
    )
    assert "Read version 2, the version in force now" in earlier
    assert "NE9" not in earlier

    listing = text(page(client, VERSIONS))
    assert "In force from 1 April 2026" in listing
    assert "In force from 1 April 2025 to 31 March 2026" in listing
    assert "Earlier version" in listing
    assert "New never event NE9" in listing


def test_a_scheduled_version_is_announced_but_not_yet_in_force(client, today, draft):
    cc3 = Standard.objects.get(version=draft, ref="CC3")
    services.standard_update(
        standard=cc3,
        expected_revision=1,
        ref="CC3",
        title=cc3.title,
        text="Tomorrow's text.",
        actor="tests",
        reason="t",
    )
    publish(draft, effective_from=dt.date(2027, 4, 1))
    current = text(page(client, CURRENT))
    assert "Version 1, in force from 1 April 2025" in current
    assert "Version 2 takes effect on 1 April 2027" in current
    assert "Tomorrow's text." not in current
    scheduled = text(page(client, reverse("standards:version", kwargs={"number": 2})))
    assert "This version is scheduled: it takes effect on 1 April 2027" in scheduled
    assert "Tomorrow's text." in scheduled


def test_the_version_in_force_has_a_page_of_its_own_saying_so(client, today, version_1):
    plain = text(page(client, reverse("standards:version", kwargs={"number": 1})))
    assert "This is the version in force now." in plain


def test_a_draft_is_not_found_publicly(client, draft):
    for name in ("standards:version", "standards:version_sanctions"):
        response = client.get(reverse(name, kwargs={"number": draft.number}))
        assert response.status_code == 404


@pytest.mark.parametrize("number", [0, 99, 2**40, 10**30])
def test_an_unknown_version_is_not_found(client, version_1, number):
    assert client.get(f"/standards/versions/{number}/").status_code == 404
    assert client.get(f"/standards/versions/{number}/sanctions-guidance/").status_code == 404


def test_earlier_version_sanctions_guidance(client, today):
    standards_demo_load(actor="tests")
    html = page(client, reverse("standards:version_sanctions", kwargs={"number": 1}))
    assert "This is an earlier version" in text(html)
    assert 'id="NE9"' not in html


def test_pages_when_nothing_is_published(client, db):
    from steward.standards.models import StandardsVersion

    StandardsVersion.objects.all().delete()
    assert "No version of the standards has been published yet" in page(client, CURRENT)
    assert "No version of the standards has been published yet" in page(client, SANCTIONS)
    assert "No version of the standards has been published yet" in page(client, VERSIONS)


@pytest.mark.parametrize("url", [CURRENT, SANCTIONS, VERSIONS, "/standards/versions/1/"])
def test_public_pages_run_a_fixed_number_of_queries(
    client, today, url, django_assert_max_num_queries
):
    standards_demo_load(actor="tests")
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_public_pages_refuse_posts(client, version_1):
    assert client.post(CURRENT).status_code == 405


def test_public_pages_and_api_never_name_the_staff_who_edited(client, today, make_user):
    """Who started and published a version is for the administrators' own pages only."""
    from steward.standards.models import StandardsVersion

    staff = make_user(
        "administrator", full_name="Prudence Publisher", email="prudence@test.steward.example"
    )
    draft = services.standards_draft_create(actor=staff, reason="t")
    services.standards_version_publish(
        version=draft, effective_from=today, summary="Clearer wording.", actor=staff
    )
    assert StandardsVersion.objects.get(pk=draft.pk).published_by == staff
    number = {"number": draft.number}
    pages = [
        page(client, url)
        for url in (
            CURRENT,
            SANCTIONS,
            VERSIONS,
            reverse("standards:version", kwargs=number),
            reverse("standards:version_sanctions", kwargs=number),
        )
    ]
    assert "Clearer wording." in pages[2]
    answers = [
        client.get("/api/v1/standards").content.decode(),
        client.get(f"/api/v1/standards/versions/{draft.number}").content.decode(),
    ]
    for shown in pages + answers:
        assert "Prudence" not in shown
        assert "prudence@" not in shown
