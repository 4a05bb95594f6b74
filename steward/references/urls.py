"""Appointments and references. Included at the site root, so each path is whole."""

from django.urls import path

from steward.references import views

app_name = "references"
urlpatterns = [
    path("appointments/", views.appointment_list, name="appointments"),
    path("appointments/propose/", views.appointment_propose, name="appointment_propose"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path(
        "appointments/<int:pk>/request-references/",
        views.appointment_request_references,
        name="appointment_request_references",
    ),
    path(
        "appointments/<int:pk>/withdraw/",
        views.appointment_withdraw,
        name="appointment_withdraw",
    ),
    path("references/", views.reference_list, name="requests"),
    path("references/requests/<int:pk>/", views.reference_complete, name="complete"),
    path("references/<int:pk>/", views.reference_detail, name="reference"),
    path("references/<int:pk>/pdf", views.reference_download, name="reference_pdf"),
    path("references/<int:pk>/update/", views.reference_update, name="reference_update"),
    path("my-record/references/", views.my_references, name="mine"),
]
