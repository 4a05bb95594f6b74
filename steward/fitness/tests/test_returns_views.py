"""The annual return pages: the chair's return, the region's overview with its chart,
and returning a submission to the chair."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from steward.audit.models import AuditEvent
from steward.fitness import returns
from steward.fitness.models import AnnualReturn, ReturnStatus
from steward.fitness.tests import factories_returns as f

pytestmark = pytest.mark.django_db

YEAR = 2025
RETURN = reverse("fitness:return", kwargs={"ods_code": "RR8", "year": YEAR})
REGION = reverse("fitness:region", kwargs={"region_code": "Y63", "year": YEAR})


@pytest.fixture(autouse=True)
def no_mfa(settings):
    settings.DEMO_SKIP_MFA = True  # MFA enrolment is tested on its own


@pytest.fixture
def chair(make_user, organisation):
    return make_user("chair", organisation=organisation, full_name="Adebayo Okonkwo-Hughes")


@pytest.fixture
def director(make_user, region):
    return make_user("regional_director", region=region, full_name="Margaret Ó Súilleabháin")


@pytest.fixture
def concluded_year(organisation):
    return [
        f.assessment(
            organisation, year=YEAR, category="chair", title="Chair", names=("Ruth", "Adeyemi")
        ),
        f.assessment(organisation, year=YEAR, names=("Siobhán", "O'Neill")),
        f.assessment(
            organisation,
            year=YEAR,
            outcome=f.NOT_FIT,
            title="Chief Finance Officer",
            names=("Tomasz", "Wiśniewski"),
        ),
    ]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def submit(organisation, chair):
    return returns.annual_return_submit(
        organisation=organisation, year=YEAR, chair_statement="All assessed.", actor=chair
    )


# --- The chair's return page -----------------------------------------------------------


def test_the_chair_sees_the_deadline_status_assessments_and_can_submit(
    client, chair, concluded_year, travel
):
    travel(dt.date(2026, 6, 2))
    client.force_login(chair)

    response = client.get(RETURN)

    assert response.status_code == 200
    html = text(response)
    assert "Annual fit and proper return 2025" in html
    assert "30 June 2026 (28 days from today)" in html
    assert "Not submitted" in html
    assert "Ruth Adeyemi" in html and "Siobhán O&#39;Neill" in html
    assert "Not fit and proper" in html
    assert "(senior independent director)" in html  # the chair's own was concluded by the SID
    assert 'name="chair_statement"' in html
    assert "Submit the return" in html
    # Seeing named outcomes is recorded.
    assert AuditEvent.objects.filter(
        action="organisations.organisation.restricted_viewed", actor=chair
    ).exists()


def test_submitting_from_the_page(
    client, chair, director, concluded_year, travel, django_capture_on_commit_callbacks
):
    travel(dt.date(2026, 5, 1))
    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            RETURN, {"chair_statement": "Every director was assessed.", "version": "0"}
        )

    assert response.status_code == 302
    assert response["Location"] == RETURN
    annual_return = AnnualReturn.objects.get()
    assert annual_return.chair_statement == "Every director was assessed."
    page = text(client.get(RETURN))
    assert "The 2025 return was submitted to the regional director." in page
    assert "Submitted on time" in page
    assert "Every director was assessed." in page
    assert 'name="chair_statement"' not in page
    assert "Submitted by the chair" in page  # the history


def test_an_empty_statement_shows_the_error_summary_and_saves_nothing(
    client, chair, concluded_year
):
    client.force_login(chair)

    response = client.post(RETURN, {"chair_statement": " ", "version": "0"})

    assert response.status_code == 200
    html = text(response)
    assert "nhsuk-error-summary" in html
    assert "Enter your statement as chair" in html
    assert "<title>Error:" in html
    assert not AnnualReturn.objects.exists()


def test_the_page_says_what_is_left_when_assessments_are_not_concluded(
    client, chair, organisation, concluded_year
):
    f.assessment(organisation, year=YEAR, outcome="", names=("Zoë", "Clarke-Bennett"))
    client.force_login(chair)

    html = text(client.get(RETURN))

    assert "1 assessment still needs concluding before the return can be submitted." in html
    assert "Not concluded" in html
    assert 'name="chair_statement"' not in html
    # Posting anyway is refused by the service with its message.
    response = client.post(RETURN, {"chair_statement": "Done", "version": "0"})
    assert "1 assessment for 2025 is not concluded: Zoë Clarke-Bennett" in response.content.decode()
    assert not AnnualReturn.objects.exists()


def test_a_stale_form_is_refused_with_a_message(client, chair, concluded_year, organisation):
    client.force_login(chair)
    submit(organisation, chair)

    response = client.post(RETURN, {"chair_statement": "Again", "version": "0"})

    assert response.status_code == 200
    assert "Someone else changed this record after you opened it" in text(response)
    assert AnnualReturn.objects.get().chair_statement == "All assessed."


def test_other_employers_see_the_return_but_cannot_submit(
    client, role_user, concluded_year, organisation, chair
):
    client.force_login(role_user("hr_lead"))

    html = text(client.get(RETURN))
    assert "Annual fit and proper return 2025" in html
    assert 'name="chair_statement"' not in html
    response = client.post(RETURN, {"chair_statement": "Sneaky", "version": "0"})
    assert response.status_code == 403
    assert not AnnualReturn.objects.exists()


def test_the_returned_comments_are_shown_in_a_warning_callout(
    client, chair, director, organisation, concluded_year
):
    submitted = submit(organisation, chair)
    returns.annual_return_send_back(
        annual_return=submitted,
        comments="Add the evidence references.\nThen submit again.",
        actor=director,
        expected_version=1,
    )
    client.force_login(chair)

    html = text(client.get(RETURN))

    callout = re.search(r"nhsuk-card--warning.*?</div> </div>", html)
    assert callout, "expected a warning callout"
    assert "Returned for changes" in callout.group(0)
    assert "<p>Add the evidence references.</p><p>Then submit again.</p>" in callout.group(0)
    assert "Submit the return again" in html


@pytest.mark.parametrize(
    "url",
    [
        "/fitness/RR8/1999/return/",
        "/fitness/RR8/3000/return/",
        "/fitness/NOPE/2025/return/",
        "/fitness/R%00R/2025/return/",
        "/fitness/region/Y99/2025/",
        "/fitness/region/Y63/1800/",
        "/fitness/returns/999999/send-back/",
    ],
)
def test_unknown_organisations_regions_years_and_returns_are_not_found(
    client, director, chair, url
):
    client.force_login(director)
    assert client.get(url).status_code == 404


# --- The region -------------------------------------------------------------------


@pytest.fixture
def region_year(region, organisation, chair, director, concluded_year, travel):
    travel(dt.date(2026, 5, 1))
    submit(organisation, chair)
    overdue = f.organisation(region, name="Overdue Hospitals NHS Trust")
    f.assessment(overdue, year=YEAR, outcome="")
    travel(dt.date(2026, 11, 2))
    return overdue


def test_region_start_sends_the_regional_director_to_the_latest_year(
    client, director, region_year, organisation
):
    f.assessment(organisation, year=2026, outcome="")
    client.force_login(director)

    response = client.get(reverse("fitness:region_start"))

    assert response.status_code == 302
    assert response["Location"] == "/fitness/region/Y63/2026/"


def test_region_start_falls_back_to_this_year(client, director, travel):
    travel(dt.date(2026, 11, 2))
    client.force_login(director)

    response = client.get(reverse("fitness:region_start"))

    assert response["Location"] == "/fitness/region/Y63/2026/"


def test_the_region_page_shows_counts_a_chart_with_its_table_and_each_organisation(
    client, director, region_year
):
    client.force_login(director)

    response = client.get(REGION)

    assert response.status_code == 200
    html = text(response)
    assert "Annual fit and proper returns 2025" in html
    assert "30 June 2026 (passed)" in html
    # The chart: an inline SVG image with a text alternative, and its table.
    svg = re.search(r'<svg[^>]*id="return-status-chart"[^>]*>', html).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="return-status-chart-title return-status-chart-desc"' in svg
    assert re.search(r"<desc[^>]*>Bar chart of the 3 organisations in North East", html)
    assert "submitted on time, 1; submitted late, 0; returned for changes, 0; overdue, 2" in html
    assert html.count('role="img" focusable="false" aria-labelledby=') == 2
    assert "Annual returns for 2025 by status: the numbers in the chart</caption>" in html
    # Each organisation, its tag, completion and a link to its return.
    assert 'href="/fitness/RR8/2025/return/"' in html
    assert "Overdue Hospitals NHS Trust" in html
    assert "0 of 1 concluded" in html
    assert "3 of 3 concluded" in html
    assert "nhsuk-tag--red" in html  # overdue
    assert "nhsuk-tag--green" in html  # on time
    assert "No appointment in North East and Yorkshire started in 2025" in html


def test_the_region_page_has_no_inline_style_the_csp_would_block(client, director, region_year):
    client.force_login(director)

    response = client.get(REGION)

    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<svg" in html
    assert not re.search(r"<style\b", html), "an inline <style> element would be blocked"
    assert not re.search(r"\sstyle\s*=", html), "a style attribute would be blocked"
    # Presentation attributes instead of CSS; ids unique across both charts.
    assert 'fill="#007f3b"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_the_region_page_links_other_years(client, director, region_year, organisation):
    f.assessment(organisation, year=2024)
    client.force_login(director)

    html = text(client.get(REGION))

    assert 'href="/fitness/region/Y63/2024/"' in html
    assert '<strong aria-current="page">2025</strong>' in html


def test_the_region_page_runs_a_bounded_number_of_queries(
    client, director, region, region_year, django_assert_max_num_queries
):
    for number in range(12):
        f.assessment(f.organisation(region, name=f"Extra {number} NHS Trust"), year=YEAR)
    client.force_login(director)
    client.get(REGION)  # warm the session

    with django_assert_max_num_queries(14):
        response = client.get(REGION)

    assert response.status_code == 200


def test_the_regional_director_reads_a_return_and_sends_it_back(
    client, director, chair, region_year, django_capture_on_commit_callbacks
):
    client.force_login(director)
    page = text(client.get(RETURN))
    annual_return = AnnualReturn.objects.get(organisation__ods_code="RR8")
    send_back_url = reverse("fitness:return_send_back", kwargs={"pk": annual_return.pk})
    assert f'href="{send_back_url}"' in page
    assert "Back to North East and Yorkshire" in page

    empty = client.post(send_back_url, {"comments": "", "version": "1"})
    assert "Enter what the chair needs to change" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_back_url, {"comments": "Add evidence.", "version": "1"})

    assert response.status_code == 302
    assert response["Location"] == RETURN
    annual_return.refresh_from_db()
    assert annual_return.status == ReturnStatus.RETURNED
    assert "was returned to the chair" in text(client.get(RETURN))
    # Once returned, the page says so instead of offering the form again.
    again = text(client.get(send_back_url))
    assert "You can return it again once the chair resubmits it" in again
    assert 'name="comments"' not in again


def test_a_stale_send_back_is_refused(client, director, region_year):
    client.force_login(director)
    annual_return = AnnualReturn.objects.get(organisation__ods_code="RR8")
    url = reverse("fitness:return_send_back", kwargs={"pk": annual_return.pk})

    response = client.post(url, {"comments": "Add evidence.", "version": "7"})

    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    annual_return.refresh_from_db()
    assert annual_return.status == ReturnStatus.SUBMITTED


def test_the_region_page_lists_appointments_started_before_every_reference(
    client, director, chair, region, region_year
):
    from steward.references.models import Appointment, AppointmentStatus

    organisation = region_year
    person = f.board_role(organisation, names=("Imran", "Qureshi")).registrant
    Appointment.objects.create(
        organisation=organisation,
        registrant=person,
        role_title="Medical Director",
        role_category="executive_director",
        proposed_start_date=dt.date(2025, 9, 1),
        status=AppointmentStatus.STARTED,
        start_date=dt.date(2025, 9, 1),
        proposed_by_label="Test Chair",
        override_reason="Patient safety needed a medical director at once.",
        override_at=dt.datetime(2025, 8, 29, 9, 0, tzinfo=dt.UTC),
        override_by=chair,
        override_by_label="Adebayo Okonkwo-Hughes",
    )
    client.force_login(director)

    html = text(client.get(REGION))

    section = html.split('id="overrides-heading"')[1]
    assert "Overdue Hospitals NHS Trust" in section
    assert "Imran Qureshi" in section
    assert "Medical Director" in section
    assert "1 September 2025" in section
    assert "Patient safety needed a medical director at once." in section
    assert "Adebayo Okonkwo-Hughes, 29 August 2025" in section
