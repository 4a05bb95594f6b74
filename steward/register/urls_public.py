from django.urls import path

from steward.register import views_public

app_name = "register"

urlpatterns = [
    path("", views_public.register_search, name="search"),
    path("download.csv", views_public.register_download, name="download"),
    path("barred/", views_public.register_barred, name="barred"),
    path("<str:registration_number>/", views_public.register_entry, name="entry"),
]
