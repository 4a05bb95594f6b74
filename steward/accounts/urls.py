from django.urls import path

from steward.accounts import views

urlpatterns = [
    path("home/", views.home, name="home"),
    path("roles/", views.role_list, name="roles"),
    path("roles/<slug:slug>/", views.role_detail, name="role"),
    path("people/", views.people_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path(
        "people/<int:pk>/roles/<int:assignment_pk>/revoke/",
        views.role_revoke,
        name="role_revoke",
    ),
]
