from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from steward.api import api
from steward.core import views as core_views

urlpatterns = [
    path("", core_views.start, name="start"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("accounts/", include("allauth.urls")),
    path("", include("steward.accounts.urls")),
    path("organisations/", include("steward.organisations.urls")),
    path("audit/", include("steward.audit.urls")),
    # The import pages come before the public register's /register/<number>/.
    path("register/import/", include("steward.register.urls_import")),
    path("register/", include("steward.register.urls_public")),
    path("", include("steward.register.urls_manage")),
    path("roster/", include("steward.register.urls_roster")),
    path("notifications/", include("steward.notifications.urls")),
    path("standards/", include("steward.standards.urls")),
    path("fitness/", include("steward.fitness.urls")),
    path("", include("steward.references.urls")),
    path("concerns/", include("steward.concerns.urls")),
    path("cases/", include("steward.cases.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler400 = "steward.core.views.error_400"
handler403 = "steward.core.views.error_403"
handler404 = "steward.core.views.error_404"
handler500 = "steward.core.views.error_500"

if settings.DEBUG:
    # Lets a developer see the NHS-styled error pages with DEBUG on.
    urlpatterns += [
        path("_errors/404/", core_views.error_404),
        path("_errors/500/", core_views.error_500),
    ]
