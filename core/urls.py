"""URLs of core: home, help and legal pages, public reference rates, journal, jobs."""

from django.urls import path

from . import chart_views, reference_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("aide/", views.help_page, name="help"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal, name="legal"),
    path("baremes/", views.reference_rates, name="reference_rates"),
    path("baremes/pdf/", views.reference_rates_pdf, name="reference_rates_pdf"),
    path("baremes/historique/", chart_views.reference_history, name="reference_history"),
    path("baremes/saisie/", reference_views.reference_entry, name="reference_entry"),
    path("baremes/saisie/<slug:key>/", reference_views.reference_entry_kind, name="reference_entry_kind"),
    path("journal/", views.JournalView.as_view(), name="journal"),
    path("taches/", views.job_list, name="jobs"),
    path("taches/<id:pk>/", views.job_detail, name="job_detail"),
    path("taches/<id:pk>/resultat/", views.job_download, name="job_download"),
    path("taches/<id:pk>/relancer/", views.job_retry, name="job_retry"),
]
