"""Hearings, panels and interim orders: pages under /cases/ (in the ``cases`` namespace)."""

from django.urls import path, re_path

from steward.cases import views_hearings as views
from steward.cases.urls_staff import REFERENCE

HEARING = r"(?P<hearing_id>[0-9]{1,10})"
ORDER = r"(?P<order_id>[0-9]{1,10})"
NUMBER = r"(?P<number>[0-9]{1,10})"

urlpatterns = [
    path("hearings/", views.hearing_list, name="hearings"),
    re_path(rf"^{REFERENCE}/hearings/schedule/$", views.schedule, name="hearing_schedule"),
    re_path(rf"^{REFERENCE}/hearings/{HEARING}/$", views.hearing_detail, name="hearing"),
    re_path(
        rf"^{REFERENCE}/hearings/{HEARING}/reschedule/$",
        views.reschedule,
        name="hearing_reschedule",
    ),
    re_path(rf"^{REFERENCE}/hearings/{HEARING}/panel/$", views.panel, name="hearing_panel"),
    re_path(rf"^{REFERENCE}/hearings/{HEARING}/held/$", views.held, name="hearing_held"),
    re_path(
        rf"^{REFERENCE}/hearings/{HEARING}/bundle/{NUMBER}/$",
        views.bundle_download,
        name="hearing_bundle",
    ),
    re_path(rf"^{REFERENCE}/interim-orders/new/$", views.interim_make, name="interim_order_make"),
    re_path(
        rf"^{REFERENCE}/interim-orders/{ORDER}/review/$",
        views.interim_review,
        name="interim_order_review",
    ),
    re_path(
        rf"^mine/{REFERENCE}/hearings/{HEARING}/respond/$",
        views.mine_respond,
        name="mine_hearing_respond",
    ),
]
