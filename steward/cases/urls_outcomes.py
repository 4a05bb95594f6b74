"""Determinations, sanctions and appeals: pages under /cases/ (in the ``cases`` namespace)."""

from django.urls import path, re_path

from steward.cases import views_outcomes as views
from steward.cases.urls_staff import REFERENCE

ID = "[0-9]{1,18}"
HEARING = rf"^{REFERENCE}/hearings/(?P<hearing_id>{ID})/outcome"

urlpatterns = [
    path("outcomes/", views.outcome_work, name="outcomes"),
    re_path(rf"{HEARING}/$", views.hearing_outcome, name="hearing_outcome"),
    re_path(rf"{HEARING}/facts/$", views.outcome_facts, name="outcome_facts"),
    re_path(rf"{HEARING}/impairment/$", views.outcome_impairment, name="outcome_impairment"),
    re_path(rf"{HEARING}/sanction/$", views.outcome_sanction, name="outcome_sanction"),
    re_path(
        rf"^{REFERENCE}/determinations/(?P<determination_id>{ID})/issue/$",
        views.determination_issue_page,
        name="determination_issue",
    ),
    re_path(
        rf"^{REFERENCE}/determinations/(?P<determination_id>{ID})/pdf/$",
        views.determination_pdf,
        name="determination_pdf",
    ),
    re_path(
        rf"^{REFERENCE}/appeals/(?P<appeal_id>{ID})/decide/$",
        views.appeal_decide_page,
        name="appeal_decide",
    ),
    re_path(rf"^mine/{REFERENCE}/appeal/$", views.mine_appeal, name="mine_appeal"),
    re_path(
        rf"^mine/{REFERENCE}/determinations/(?P<determination_id>{ID})/pdf/$",
        views.mine_determination_pdf,
        name="mine_determination_pdf",
    ),
]
