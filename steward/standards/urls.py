from django.http import HttpResponse
from django.urls import path


def _todo(request, **kwargs):  # replaced by the real views
    return HttpResponse("")


app_name = "standards"
urlpatterns = [
    path("", _todo, name="current"),
    path("manage/", _todo, name="manage"),
]
