from django.urls import path

from steward.register import views_import

app_name = "register_import"

urlpatterns = [
    path("", views_import.import_start, name="start"),
    path("template.csv", views_import.import_template, name="template"),
    path("<str:ods_code>/", views_import.import_upload, name="upload"),
    path("<str:ods_code>/<int:pk>/", views_import.import_run, name="run"),
]
