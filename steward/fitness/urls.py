from django.http import HttpResponse
from django.urls import path


def _todo(request, **kwargs):  # replaced by the real views
    return HttpResponse("")


app_name = "fitness"
urlpatterns = [
    path("", _todo, name="organisation_start"),
    path("mine/", _todo, name="mine"),
    path("region/", _todo, name="region_start"),
    path("referrals/", _todo, name="referrals"),
    path("open-year/", _todo, name="open_year"),
]
