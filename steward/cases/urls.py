"""Case pages under /cases/: the regulator's case work (``urls_staff``), panels and
hearings (``urls_hearings``) and the registrant's own cases (``urls_mine``)."""

from steward.cases import urls_hearings, urls_mine, urls_staff

app_name = "cases"
urlpatterns = [*urls_staff.urlpatterns, *urls_hearings.urlpatterns, *urls_mine.urlpatterns]
