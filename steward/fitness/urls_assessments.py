"""The assessment half of the fit and proper person test, under /fitness/."""

from django.urls import path, re_path

from steward.fitness import views

# ODS codes are upper-case letters and digits, so lower-case paths of the annual
# return pages (such as region/) never reach the organisation's year.
ODS_CODE = r"(?P<ods_code>[A-Z0-9]{2,10})"
YEAR = r"(?P<year>[0-9]{4})"

urlpatterns = [
    path("", views.organisation_start, name="organisation_start"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/competency/", views.competency, name="competency"),
    path("mine/<int:pk>/attestation/", views.attestation, name="attestation"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("open-year/", views.open_year, name="open_year"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/checks/<str:kind>/", views.check_record, name="check"),
    path("assessments/<int:pk>/conclude/", views.conclude, name="conclude"),
    re_path(rf"^{ODS_CODE}/{YEAR}/$", views.organisation_year, name="organisation_year"),
]
