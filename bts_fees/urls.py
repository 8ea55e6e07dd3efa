from django.urls import path

from . import recap_views, views

app_name = "bts_fees"

# Views anyone may open without an account, by namespaced name (checked by tests/test_urls.py).
PUBLIC_URL_NAMES: set[str] = {"bts_fees:rate_table", "bts_fees:rate_table_pdf"}

urlpatterns = [
    path("tarifs/", views.rate_table, name="rate_table"),
    path("tarifs/pdf/", views.rate_table_pdf, name="rate_table_pdf"),
    path("declarations/", views.DeclarationListView.as_view(), name="declaration_list"),
    path("declarations/nouvelle/", views.declaration_create, name="declaration_create"),
    path("declarations/valider/", views.declarations_validate_bulk, name="declarations_validate_bulk"),
    path("declarations/valider/verifier/", recap_views.declarations_validate_check, name="declarations_validate_check"),
    path("declarations/<int:pk>/", views.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/lignes/", views.declaration_add_line, name="declaration_add_line"),
    path(
        "declarations/<int:pk>/lignes/<int:line_pk>/supprimer/",
        views.declaration_remove_line,
        name="declaration_remove_line",
    ),
    path("declarations/<int:pk>/epreuves/", views.exam_paper_record, name="exam_paper_record"),
    path("declarations/<int:pk>/liste-presence/", views.declaration_sheet, name="declaration_sheet"),
    path(
        "declarations/<int:pk>/liste-presence/joindre/", views.declaration_attach_sheet, name="declaration_attach_sheet"
    ),
    path("declarations/<int:pk>/soumettre/", views.declaration_submit, name="declaration_submit"),
    path(
        "declarations/<int:pk>/soumettre/verifier/",
        recap_views.declaration_submit_check,
        name="declaration_submit_check",
    ),
    path("declarations/<int:pk>/valider/", views.declaration_validate, name="declaration_validate"),
    path("declarations/<int:pk>/rejeter/", views.declaration_reject, name="declaration_reject"),
    path("declarations/<int:pk>/rouvrir/", views.declaration_reopen, name="declaration_reopen"),
    path("declarations/<int:pk>/pdf/", views.declaration_pdf, name="declaration_pdf"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/nouveau/", views.programme_create, name="programme_create"),
    path("personnes/", views.PersonListView.as_view(), name="person_list"),
    path("personnes/nouvelle/", views.person_create, name="person_create"),
    path("personnes/<int:pk>/", views.person_detail, name="person_detail"),
    path("personnes/<int:pk>/modifier/", views.person_update, name="person_update"),
    path("personnes/<int:pk>/releve/<int:year_pk>/emettre/", views.statement_issue, name="statement_issue"),
    path("releves/<int:pk>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("instances/", views.BodyListView.as_view(), name="body_list"),
    path("instances/nouvelle/", views.body_create, name="body_create"),
    path("instances/<int:pk>/", views.body_detail, name="body_detail"),
    path("instances/<int:pk>/nominations/", views.appointment_create, name="appointment_create"),
    path("instances/<int:pk>/propositions/", views.body_record_proposals, name="body_record_proposals"),
    path("nominations/<int:pk>/arrete/", views.appointment_record_order, name="appointment_record_order"),
    path("contrats/", views.ContractListView.as_view(), name="contract_list"),
    path("contrats/nouveau/", views.contract_create, name="contract_create"),
    path("contrats/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contrats/<int:pk>/lecons/", views.lesson_record, name="lesson_record"),
    path(
        "contrats/<int:pk>/signature-ministere/",
        views.contract_record_ministry_signature,
        name="contract_record_ministry_signature",
    ),
    path("incompatibilites/", views.conflict_list, name="conflict_list"),
    path("synthese/", views.SummaryView.as_view(), name="summary"),
]
