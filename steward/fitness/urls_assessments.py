from django.http import HttpResponse
from django.urls import path


def _todo(request, **kwargs):  # replaced by the real views
    return HttpResponse("")


urlpatterns = [
    path("", _todo, name="organisation_start"),
    path("mine/", _todo, name="mine"),
    path("referrals/", _todo, name="referrals"),
    path("open-year/", _todo, name="open_year"),
]
