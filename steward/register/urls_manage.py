"""Signed-in register pages: /my-record/ for registrants, /registrar/ for the registrar."""

from django.urls import path

from steward.register import views_manage as views

app_name = "register_manage"

urlpatterns = [
    path("my-record/", views.my_record, name="my_record"),
    path("my-record/contact-details/", views.my_contact, name="my_contact"),
    path("my-record/qualifications/add/", views.my_qualification_add, name="my_qualification_add"),
    path("my-record/apply/", views.my_apply, name="my_apply"),
    path("my-record/apply/check/", views.my_apply_check, name="my_apply_check"),
    path("registrar/", views.registrar_home, name="registrar_home"),
    path("registrar/applications/", views.application_list, name="applications"),
    path("registrar/applications/<int:pk>/", views.application_detail, name="application"),
    path("registrar/qualifications/", views.qualification_list, name="qualifications"),
    path("registrar/qualifications/<int:pk>/", views.qualification_detail, name="qualification"),
    path("registrar/records/", views.record_search, name="records"),
    path("registrar/records/<str:registration_number>/", views.record_detail, name="record"),
    path(
        "registrar/records/<str:registration_number>/merge/",
        views.record_merge,
        name="merge",
    ),
    path(
        "registrar/records/<str:registration_number>/merge/confirm/",
        views.record_merge_confirm,
        name="merge_confirm",
    ),
]
