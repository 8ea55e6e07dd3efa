"""URLs of the apprenticeship app (French paths under /apprentissage/)."""

from django.urls import path

from . import chart_views, confirmation_views, recap_views, views
from .reforms import views as reform_views

app_name = "apprenticeship"

# Views anyone may open without an account, by namespaced name (checked by tests/test_urls.py).
PUBLIC_URL_NAMES: set[str] = {"apprenticeship:calculator"}

urlpatterns = [
    path("calculateur/", views.calculator, name="calculator"),
    path("contrats/", views.ContractListView.as_view(), name="contract_list"),
    path("contrats/nouveau/", views.contract_create, name="contract_create"),
    path("contrats/<id:pk>/", views.contract_detail, name="contract_detail"),
    path("contrats/<id:pk>/modifier/", views.contract_update, name="contract_update"),
    path("contrats/<id:pk>/mettre-en-cours/", views.contract_activate, name="contract_activate"),
    path("contrats/<id:pk>/cloturer/", views.contract_end, name="contract_end"),
    path("contrats/<id:pk>/cloturer/verifier/", recap_views.contract_end_check, name="contract_end_check"),
    path("contrats/<id:pk>/cloture/", confirmation_views.contract_ended, name="contract_ended"),
    path("contrats/<id:pk>/annee-de-formation/", views.training_year_record, name="training_year_record"),
    path("contrats/<id:pk>/pii/", views.pii_record, name="pii_record"),
    path("contrats/<id:pk>/versements/", views.payment_record, name="payment_record"),
    path("contrats/<id:pk>/releves/emettre/", views.statement_issue, name="statement_issue"),
    path("contrats/<id:pk>/aide/", views.aid_request_prepare, name="aid_prepare"),
    path("releves/<id:pk>/", views.statement_detail, name="statement_detail"),
    path("releves/<id:pk>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("aides/<id:pk>/", views.aid_detail, name="aid_detail"),
    path("aides/<id:pk>/pdf/", views.aid_pdf, name="aid_pdf"),
    path("arrieres/", views.arrears, name="arrears"),
    path("reformes/", reform_views.reform_list, name="reform_list"),
    path("reformes/<id:pk>/", reform_views.reform_detail, name="reform_detail"),
    path("reformes/<id:pk>/simuler/", reform_views.reform_simulate, name="reform_simulate"),
    path("reformes/<id:pk>/adopter/", reform_views.reform_adopt, name="reform_adopt"),
    path(
        "reformes/<id:pk>/totaux-<str:group>.<str:fmt>",
        reform_views.reform_export,
        name="reform_export",
    ),
    path("arrieres/graphique/", chart_views.arrears_chart, name="arrears_chart"),
    path("contrats/<id:pk>/graphique/", chart_views.contract_chart, name="contract_chart"),
]
