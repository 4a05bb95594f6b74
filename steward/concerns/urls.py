"""Concerns pages under /concerns/: raising one and the reporter's inbox
(``urls_report``), the concerns team's queue and triage (``urls_staff``), and
identity reveals, referrals to employers and urgent flags (``urls_custody``)."""

from steward.concerns import urls_custody, urls_report, urls_staff

app_name = "concerns"
urlpatterns = [*urls_report.urlpatterns, *urls_staff.urlpatterns, *urls_custody.urlpatterns]
