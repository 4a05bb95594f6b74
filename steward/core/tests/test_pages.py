import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_unknown_url_is_an_nhs_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and "nhsuk-header" in body


def test_unknown_api_url_is_404_not_500(client):
    assert client.get("/api/v1/no-such-thing").status_code == 404


def test_500_page_is_nhs_styled_and_reveals_nothing(rf):
    from steward.core.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"Traceback" not in response.content


def test_security_headers_and_csp(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_inline_script_carries_the_csp_nonce(client):
    response = client.get("/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_pages_make_no_third_party_requests(client):
    import re

    body = client.get("/").content.decode()
    for attr in re.findall(r'(?:src|href)="([^"]+)"', body):
        assert not attr.startswith(("http://", "https://", "//")), attr


def test_layout_has_skip_link_service_name_and_footer_links(client):
    body = client.get("/").content.decode()
    assert 'href="#maincontent"' in body
    assert "Steward" in body
    assert "/accessibility/" in body and "/privacy/" in body


def test_signed_in_pages_are_not_cached(client, make_user):
    client.force_login(make_user("registrant"))
    assert client.get("/home/")["Cache-Control"] == "no-store"


def test_uk_date_formats():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from steward.core.formatting import uk_date, uk_datetime

    assert uk_date(dt.date(2026, 3, 3)) == "3 March 2026"
    summer = dt.datetime(2026, 7, 1, 13, 5, tzinfo=ZoneInfo("UTC"))
    assert uk_datetime(summer) == "1 July 2026 at 2:05pm"  # British Summer Time
