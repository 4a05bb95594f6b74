from django.http import HttpResponse
from django.urls import path


def _todo(request, **kwargs):  # replaced by the real views
    return HttpResponse("")


urlpatterns = [
    path("region/", _todo, name="region_start"),
]
