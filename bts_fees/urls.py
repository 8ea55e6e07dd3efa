"""URLs of the bts_fees app (French paths under /bts/)."""

from django.urls import path

from . import chart_views, confirmation_views, recap_views, views

app_name = "bts_fees"

# Views anyone may open without an account, by namespaced name (checked by tests/test_urls.py).
PUBLIC_URL_NAMES: set[str] = {"bts_fees:rate_table", "bts_fees:rate_table_pdf"}

urlpatterns = [
    path("tarifs/", views.rate_table, name="rate_table"),
    path("tarifs/pdf/", views.rate_table_pdf, name="rate_table_pdf"),
    path("declarations/", views.DeclarationListView.as_view(), name="declaration_list"),
    path("declarations/nouvelle/", views.declaration_create, name="declaration_create"),
    path("declarations/valider/", views.declarations_validate_bulk, name="declarations_validate_bulk"),
    path("declarations/validees/", confirmation_views.declarations_validated, name="declarations_validated"),
    path("declarations/valider/verifier/", recap_views.declarations_validate_check, name="declarations_validate_check"),
    path("declarations/<id:pk>/", views.declaration_detail, name="declaration_detail"),
    path("declarations/<id:pk>/lignes/", views.declaration_add_line, name="declaration_add_line"),
    path(
        "declarations/<id:pk>/lignes/<id:line_pk>/supprimer/",
        views.declaration_remove_line,
        name="declaration_remove_line",
    ),
    path(
        "declarations/<id:pk>/lignes/<id:line_pk>/supprimer/verifier/",
        recap_views.declaration_remove_line_check,
        name="declaration_remove_line_check",
    ),
    path("declarations/<id:pk>/epreuves/", views.exam_paper_record, name="exam_paper_record"),
    path("declarations/<id:pk>/liste-presence/", views.declaration_sheet, name="declaration_sheet"),
    path(
        "declarations/<id:pk>/liste-presence/joindre/", views.declaration_attach_sheet, name="declaration_attach_sheet"
    ),
    path("declarations/<id:pk>/soumettre/", views.declaration_submit, name="declaration_submit"),
    path(
        "declarations/<id:pk>/soumettre/verifier/",
        recap_views.declaration_submit_check,
        name="declaration_submit_check",
    ),
    path("declarations/<id:pk>/soumise/", confirmation_views.declaration_submitted, name="declaration_submitted"),
    path("declarations/<id:pk>/valider/", views.declaration_validate, name="declaration_validate"),
    path("declarations/<id:pk>/rejeter/", views.declaration_reject, name="declaration_reject"),
    path("declarations/<id:pk>/rouvrir/", views.declaration_reopen, name="declaration_reopen"),
    path("declarations/<id:pk>/pdf/", views.declaration_pdf, name="declaration_pdf"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/nouveau/", views.programme_create, name="programme_create"),
    path("personnes/", views.PersonListView.as_view(), name="person_list"),
    path("personnes/nouvelle/", views.person_create, name="person_create"),
    path("personnes/<id:pk>/", views.person_detail, name="person_detail"),
    path("personnes/<id:pk>/modifier/", views.person_update, name="person_update"),
    path("personnes/<id:pk>/releve/<id:year_pk>/emettre/", views.statement_issue, name="statement_issue"),
    path("releves/<id:pk>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("instances/", views.BodyListView.as_view(), name="body_list"),
    path("instances/nouvelle/", views.body_create, name="body_create"),
    path("instances/<id:pk>/", views.body_detail, name="body_detail"),
    path("instances/<id:pk>/nominations/", views.appointment_create, name="appointment_create"),
    path("instances/<id:pk>/propositions/", views.body_record_proposals, name="body_record_proposals"),
    path("nominations/<id:pk>/arrete/", views.appointment_record_order, name="appointment_record_order"),
    path("contrats/", views.ContractListView.as_view(), name="contract_list"),
    path("contrats/nouveau/", views.contract_create, name="contract_create"),
    path("contrats/<id:pk>/", views.contract_detail, name="contract_detail"),
    path("contrats/<id:pk>/lecons/", views.lesson_record, name="lesson_record"),
    path(
        "contrats/<id:pk>/signature-ministere/",
        views.contract_record_ministry_signature,
        name="contract_record_ministry_signature",
    ),
    path("incompatibilites/", views.conflict_list, name="conflict_list"),
    path("synthese/", views.SummaryView.as_view(), name="summary"),
    path("synthese/graphique/", chart_views.spending_chart, name="spending_chart"),
]
