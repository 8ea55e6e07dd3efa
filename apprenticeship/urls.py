from django.urls import path

from . import recap_views, views

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
    path("contrats/<int:pk>/cloturer/verifier/", recap_views.contract_end_check, name="contract_end_check"),
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
]
