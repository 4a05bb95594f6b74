"""Case pages under /cases/: the regulator's case work (``urls_staff``), case
examiners (``urls_examiners``), panels and hearings (``urls_hearings``),
determinations and appeals (``urls_outcomes``) and the registrant's own cases
(``urls_mine``)."""

from steward.cases import urls_examiners, urls_hearings, urls_mine, urls_outcomes, urls_staff

app_name = "cases"
urlpatterns = [
    *urls_staff.urlpatterns,
    *urls_examiners.urlpatterns,
    *urls_hearings.urlpatterns,
    *urls_outcomes.urlpatterns,
    *urls_mine.urlpatterns,
]
