"""URLs of the ARE (French paths under /are/)."""

from django.urls import path

from . import chart_views, confirmation_views, payment_views, views

app_name = "lycee_aid"

# Views anyone may open without an account, by namespaced name (checked by tests/test_urls.py).
PUBLIC_URL_NAMES: set[str] = set()

LYCEE = "annees/<id:pk>/lycees/<id:school_pk>/"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("annees/nouvelle/", views.year_create, name="year_create"),
    path("annees/<id:pk>/", views.year_detail, name="year_detail"),
    path("annees/<id:pk>/forfaits/", views.forfaits, name="forfaits"),
    path("annees/<id:pk>/formations/", views.FormationListView.as_view(), name="formation_list"),
    path("annees/<id:pk>/formations/importer/", views.formations_import, name="formations_import"),
    path("annees/<id:pk>/lycees/", views.situation_list, name="situation_list"),
    path("annees/<id:pk>/campagne/", views.CampaignView.as_view(), name="campaign"),
    path("annees/<id:pk>/campagne/graphique/", chart_views.campaign_chart, name="campaign_chart"),
    path("annees/<id:pk>/campagne/pdf/", views.campaign_pdf, name="campaign_pdf"),
    path("annees/<id:pk>/campagne/calculer/", views.campaign_run, name="campaign_run"),
    path("annees/<id:pk>/campagne/voter/", views.campaign_vote, name="campaign_vote"),
    path("annees/<id:pk>/campagne/votee/", confirmation_views.campaign_voted, name="campaign_voted"),
    path("annees/<id:pk>/campagne/notifier/", views.campaign_notify, name="campaign_notify"),
    path("annees/<id:pk>/campagne/notifiee/", confirmation_views.campaign_notified, name="campaign_notified"),
    path("annees/<id:pk>/campagne/notifications.zip", views.notifications_zip, name="notifications_zip"),
    path(LYCEE, views.lycee_year, name="lycee_year"),
    path(LYCEE + "situation/", views.situation_edit, name="situation_edit"),
    path(LYCEE + "effectifs/", views.enrolments_edit, name="enrolments_edit"),
    path(LYCEE + "effectifs/deposer/", views.enrolments_upload, name="enrolments_upload"),
    path(LYCEE + "effectifs/modele.csv", views.enrolments_template, name="enrolments_template"),
    path(LYCEE + "demandes/nouvelle/", views.request_create, name="request_create"),
    path(LYCEE + "compte-rendu/", views.report_create, name="report_create"),
    path(LYCEE + "cpge/nouvelle/", views.cpge_create, name="cpge_create"),
    path("ipc/", views.cpi_list, name="cpi_list"),
    path("dotations/<id:pk>/", views.dotation_detail, name="dotation_detail"),
    path("dotations/<id:pk>/pdf/", views.dotation_pdf, name="dotation_pdf"),
    path("dotations/<id:pk>/versee/", payment_views.dotation_paid, name="dotation_paid"),
    path("dotations/<id:pk>/versee/confirmation/", payment_views.dotation_paid_done, name="dotation_paid_done"),
    path("demandes/", views.RequestListView.as_view(), name="request_list"),
    path("demandes/<id:pk>/", views.request_detail, name="request_detail"),
    path("demandes/<id:pk>/pdf/", views.request_pdf, name="request_pdf"),
    path("comptes-rendus/", views.UsageReportListView.as_view(), name="report_list"),
    path("comptes-rendus/<id:pk>/", views.report_detail, name="report_detail"),
    path("comptes-rendus/<id:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("cpge/", views.CpgeListView.as_view(), name="cpge_list"),
]
