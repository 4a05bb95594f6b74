"""The annual return pages, under /fitness/."""

from django.urls import path

from steward.fitness import views_returns

urlpatterns = [
    path("region/", views_returns.region_start, name="region_start"),
    path(
        "region/<str:region_code>/<int:year>/",
        views_returns.region_detail,
        name="region",
    ),
    path("returns/<int:pk>/send-back/", views_returns.send_back, name="return_send_back"),
    path("<str:ods_code>/<int:year>/return/", views_returns.return_detail, name="return"),
]
