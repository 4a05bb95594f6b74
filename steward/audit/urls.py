from django.urls import path

from steward.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("verify/", views.verify, name="verify"),
    path("<int:seq>/", views.event_detail, name="detail"),
]
