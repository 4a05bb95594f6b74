"""Raising a concern and the reporter's inbox (no sign-in needed), and the concerns an
open reporter raised with their account (signed in)."""

from django.urls import path

from steward.concerns import views_report

urlpatterns = [
    path("", views_report.start, name="start"),
    path("new/", views_report.journey_step, name="new"),
    path("new/<slug:step>/", views_report.journey_step, name="new"),
    path("inbox/", views_report.inbox, name="inbox"),
    path("inbox/reply/", views_report.inbox_reply, name="inbox_reply"),
    path("mine/", views_report.mine, name="mine"),
    path("mine/<str:reference>/", views_report.mine_detail, name="mine_detail"),
]
