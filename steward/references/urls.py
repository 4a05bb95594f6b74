from django.http import HttpResponse
from django.urls import path


def _todo(request, **kwargs):  # replaced by the real views
    return HttpResponse("")


app_name = "references"
urlpatterns = [
    path("appointments/", _todo, name="appointments"),
    path("references/", _todo, name="requests"),
    path("my-record/references/", _todo, name="mine"),
]
