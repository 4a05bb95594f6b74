"""The registrant's own case pages (in the ``cases`` namespace, under /cases/mine/)."""

from django.urls import path, re_path

from steward.cases import views_mine as views
from steward.cases.urls_staff import REFERENCE

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    re_path(rf"^mine/{REFERENCE}/$", views.mine_detail, name="mine_detail"),
    re_path(rf"^mine/{REFERENCE}/respond/$", views.mine_respond, name="mine_respond"),
    re_path(
        rf"^mine/{REFERENCE}/evidence/(?P<number>[0-9]{{1,10}})/$",
        views.mine_evidence,
        name="mine_evidence",
    ),
]
