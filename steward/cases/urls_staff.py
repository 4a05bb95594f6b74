"""The regulator's case pages (in the ``cases`` namespace, under /cases/).

Case references are matched by their shape (FTP-2026-0001, any case), so the
other pages under /cases/ (mine/, open/, timeliness/) never look like a case.
"""

from django.urls import path, re_path

from steward.cases import views_open
from steward.cases import views_staff as views

REFERENCE = r"(?P<reference>[Ff][Tt][Pp]-[0-9]{4}-[0-9]{1,8})"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("open/", views_open.case_open_start, name="open"),
    path("open/concern/<int:pk>/", views_open.case_open_concern, name="open_concern"),
    path("open/not-fit/<int:pk>/", views_open.case_open_not_fit, name="open_not_fit"),
    path("open/employer/", views_open.case_open_employer, name="open_employer"),
    path("open/own-motion/", views_open.case_open_own_motion, name="open_own_motion"),
    path("timeliness/", views.case_timeliness, name="timeliness"),
    re_path(rf"^{REFERENCE}/$", views.case_detail, name="detail"),
    re_path(rf"^{REFERENCE}/allegations/add/$", views.allegation_add, name="allegation_add"),
    re_path(rf"^{REFERENCE}/evidence/add/$", views.evidence_add, name="evidence_add"),
    re_path(
        rf"^{REFERENCE}/evidence/(?P<number>[0-9]{{1,10}})/$",
        views.evidence_download,
        name="evidence",
    ),
    re_path(rf"^{REFERENCE}/move/$", views.case_move, name="move"),
]
