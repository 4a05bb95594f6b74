"""Who raised a concern (read inside the team, revealed outside with a custodian's
approval), detriment flags and their review."""

from django.urls import path

from steward.concerns import views_custody

urlpatterns = [
    path("queue/<str:reference>/identity/", views_custody.identity_show, name="identity"),
    path("queue/<str:reference>/reveal/", views_custody.reveal_request_page, name="reveal_request"),
    path("reveals/", views_custody.reveal_list, name="reveals"),
    path("reveals/<int:pk>/", views_custody.reveal_detail, name="reveal"),
    path("reveals/<int:pk>/disclose/", views_custody.reveal_disclose_page, name="reveal_disclose"),
    path("detriment/", views_custody.detriment_list, name="detriment"),
    path("detriment/<int:pk>/", views_custody.detriment_review, name="detriment_review"),
]
