"""The concerns team's queue and concern pages, employers' referrals and the
registrar's urgent flags (in the ``concerns`` namespace, under /concerns/)."""

from django.urls import path

from steward.concerns import views_staff as views

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("queue/<str:reference>/", views.detail, name="detail"),
    path("queue/<str:reference>/assign/", views.assign, name="assign"),
    path("queue/<str:reference>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("queue/<str:reference>/messages/", views.message_send, name="message"),
    path("queue/<str:reference>/notes/", views.note_add, name="note"),
    path("queue/<str:reference>/files/<int:number>/", views.file_download, name="file"),
    path("queue/<str:reference>/triage/", views.triage_page, name="triage"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<int:pk>/", views.referral, name="referral"),
    path("urgent/", views.urgent, name="urgent"),
    path("urgent/<int:pk>/seen/", views.urgent_seen, name="urgent_seen"),
]
