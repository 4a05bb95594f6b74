"""Case examiners' decisions, undertakings and declared interests: pages under
/cases/ (in the ``cases`` namespace)."""

from django.urls import path, re_path

from steward.cases import views_examiners as views
from steward.cases.urls_staff import REFERENCE

urlpatterns = [
    path("examiners/", views.examiners_queue, name="examiners"),
    path("interests/", views.interests, name="interests"),
    re_path(
        rf"^{REFERENCE}/examiners/decide/$",
        views.examiner_decide_page,
        name="examiner_decide",
    ),
    re_path(
        rf"^mine/{REFERENCE}/undertakings/$",
        views.mine_undertakings,
        name="mine_undertakings",
    ),
]
