from steward.fitness import urls_assessments, urls_returns

app_name = "fitness"
urlpatterns = urls_assessments.urlpatterns + urls_returns.urlpatterns
