from django.urls import path

from steward.accounts import views

urlpatterns = [
    path("home/", views.home, name="home"),
    path("roles/", views.role_list, name="roles"),
    path("roles/<slug:slug>/", views.role_detail, name="role"),
    path("people/", views.people_list, name="people"),
]
