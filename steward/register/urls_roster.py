"""An employer's board and senior manager roster, under /roster/."""

from django.urls import path

from steward.register import views_roster

app_name = "roster"

urlpatterns = [
    path("", views_roster.roster_list, name="list"),
    path("add/", views_roster.member_add, name="add"),
    path("roles/<int:pk>/end/", views_roster.role_end, name="role_end"),
    path("people/<str:registration_number>/", views_roster.person_detail, name="person"),
    path(
        "people/<str:registration_number>/disciplinary/",
        views_roster.disciplinary_record,
        name="disciplinary",
    ),
]
