"""URLs of the apprenticeship app (French paths under /apprentissage/)."""

from django.urls import path

from . import chart_views, views
from .reforms import views as reform_views

app_name = "apprenticeship"

# Views anyone may open without an account, by namespaced name (checked by tests/test_urls.py).
PUBLIC_URL_NAMES: set[str] = {"apprenticeship:calculator"}

urlpatterns = [
    path("calculateur/", views.calculator, name="calculator"),
    path("contrats/", views.ContractListView.as_view(), name="contract_list"),
    path("contrats/nouveau/", views.contract_create, name="contract_create"),
    path("contrats/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contrats/<int:pk>/modifier/", views.contract_update, name="contract_update"),
    path("contrats/<int:pk>/mettre-en-cours/", views.contract_activate, name="contract_activate"),
    path("contrats/<int:pk>/cloturer/", views.contract_end, name="contract_end"),
    path("contrats/<int:pk>/annee-de-formation/", views.training_year_record, name="training_year_record"),
    path("contrats/<int:pk>/pii/", views.pii_record, name="pii_record"),
    path("contrats/<int:pk>/versements/", views.payment_record, name="payment_record"),
    path("contrats/<int:pk>/releves/emettre/", views.statement_issue, name="statement_issue"),
    path("contrats/<int:pk>/aide/", views.aid_request_prepare, name="aid_prepare"),
    path("releves/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("releves/<int:pk>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("aides/<int:pk>/", views.aid_detail, name="aid_detail"),
    path("aides/<int:pk>/pdf/", views.aid_pdf, name="aid_pdf"),
    path("arrieres/", views.arrears, name="arrears"),
    path("reformes/", reform_views.reform_list, name="reform_list"),
    path("reformes/<int:pk>/", reform_views.reform_detail, name="reform_detail"),
    path("reformes/<int:pk>/simuler/", reform_views.reform_simulate, name="reform_simulate"),
    path("reformes/<int:pk>/adopter/", reform_views.reform_adopt, name="reform_adopt"),
    path(
        "reformes/<int:pk>/totaux-<str:group>.<str:fmt>",
        reform_views.reform_export,
        name="reform_export",
    ),
    path("arrieres/graphique/", chart_views.arrears_chart, name="arrears_chart"),
    path("contrats/<int:pk>/graphique/", chart_views.contract_chart, name="contract_chart"),
]
