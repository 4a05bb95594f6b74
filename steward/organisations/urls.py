from django.urls import path

from steward.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<str:ods_code>/", views.organisation_detail, name="detail"),
]
