"""The standards, under /standards/: public pages, then the administrator's pages."""

from django.urls import path

from steward.standards import views, views_manage

app_name = "standards"
urlpatterns = [
    path("", views.current, name="current"),
    path("sanctions-guidance/", views.sanctions_guidance, name="sanctions"),
    path("versions/", views.versions, name="versions"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path(
        "versions/<int:number>/sanctions-guidance/",
        views.sanctions_guidance,
        name="version_sanctions",
    ),
    path("manage/", views_manage.manage, name="manage"),
    path("manage/draft/start/", views_manage.draft_start, name="draft_start"),
    path("manage/draft/", views_manage.draft, name="draft"),
    path("manage/draft/discard/", views_manage.draft_discard, name="draft_discard"),
    path("manage/draft/publish/", views_manage.draft_publish, name="draft_publish"),
    path("manage/standards/add/", views_manage.standard_add, name="standard_add"),
    path("manage/standards/<int:pk>/", views_manage.standard_change, name="standard_change"),
    path("manage/standards/<int:pk>/remove/", views_manage.standard_remove, name="standard_remove"),
    path(
        "manage/standards/<int:pk>/guidance/",
        views_manage.standard_guidance,
        name="standard_guidance",
    ),
    path("manage/domains/<int:pk>/", views_manage.domain_change, name="domain_change"),
    path("manage/never-events/add/", views_manage.never_event_add, name="never_event_add"),
    path(
        "manage/never-events/<int:pk>/",
        views_manage.never_event_change,
        name="never_event_change",
    ),
    path(
        "manage/never-events/<int:pk>/remove/",
        views_manage.never_event_remove,
        name="never_event_remove",
    ),
    path(
        "manage/never-events/<int:pk>/guidance/",
        views_manage.never_event_guidance,
        name="never_event_guidance",
    ),
]
