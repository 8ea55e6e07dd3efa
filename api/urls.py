"""Routes of the JSON API under /api/v1/ (SPEC "JSON API" fixes the public paths and field names)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from bts_fees.selectors import MAX_SHEET_BYTES
from core.middleware import accepts_upload

from .views import account, apprenticeship, bts_fees, lycee_aid, reference

app_name = "api"


def open_view(view_class, **kwargs):
    """API views authenticate by token, not by the session: the login middleware lets them through
    and DRF answers 401 itself where a key is needed."""
    return login_not_required(view_class.as_view(**kwargs))


urlpatterns = [
    path("schema/", open_view(SpectacularAPIView), name="schema"),
    path("docs/", open_view(SpectacularSwaggerSplitView, url_name="api:schema"), name="docs"),
    path("redoc/", open_view(SpectacularRedocView, url_name="api:schema"), name="redoc"),
    path("reference/index/", open_view(reference.IndexView), name="reference_index"),
    path("reference/ssm/", open_view(reference.SsmView), name="reference_ssm"),
    path("apprenticeship/calculator/", open_view(reference.CalculatorView), name="calculator"),
    path(
        "apprenticeship/cross-border-formations/",
        open_view(reference.CrossBorderFormationsView),
        name="cross_border_formations",
    ),
    path("bts/rates/", open_view(reference.BtsRatesView), name="bts_rates"),
    path("me/", open_view(account.MeView), name="me"),
    # apprenticeship
    path("apprenticeship/contracts/", open_view(apprenticeship.ContractListView), name="contracts"),
    path("apprenticeship/contracts/<int:pk>/", open_view(apprenticeship.ContractDetailView), name="contract"),
    path(
        "apprenticeship/contracts/<int:pk>/schedule/", open_view(apprenticeship.ScheduleView), name="contract_schedule"
    ),
    path(
        "apprenticeship/contracts/<int:pk>/statements/",
        open_view(apprenticeship.StatementListView),
        name="contract_statements",
    ),
    path(
        "apprenticeship/contracts/<int:pk>/payments/", open_view(apprenticeship.PaymentView), name="contract_payments"
    ),
    # ARE
    path(
        "are/schools/<int:school_pk>/enrolments/<str:school_year>/",
        open_view(lycee_aid.EnrolmentsView),
        name="are_enrolments",
    ),
    path("are/dotations/", open_view(lycee_aid.DotationListView), name="are_dotations"),
    path("are/campaigns/<str:school_year>/", open_view(lycee_aid.CampaignView), name="are_campaign"),
    # BTS
    path("bts/declarations/", open_view(bts_fees.DeclarationListView), name="bts_declarations"),
    path("bts/declarations/validate/", open_view(bts_fees.BulkValidateView), name="bts_declarations_validate"),
    path("bts/declarations/<int:pk>/", open_view(bts_fees.DeclarationDetailView), name="bts_declaration"),
    path("bts/declarations/<int:pk>/lines/", open_view(bts_fees.LineView), name="bts_declaration_lines"),
    path(
        "bts/declarations/<int:pk>/attendance-sheet/",
        accepts_upload(MAX_SHEET_BYTES)(open_view(bts_fees.SheetView)),
        name="bts_declaration_sheet",
    ),
    path("bts/declarations/<int:pk>/submit/", open_view(bts_fees.SubmitView), name="bts_declaration_submit"),
    path("bts/declarations/<int:pk>/validate/", open_view(bts_fees.ValidateView), name="bts_declaration_validate"),
    path("bts/declarations/<int:pk>/reject/", open_view(bts_fees.RejectView), name="bts_declaration_reject"),
]

# Reached without an account (tests/test_urls.py); every other route answers 401 without a key.
PUBLIC_URL_NAMES = {
    "api:schema",
    "api:docs",
    "api:redoc",
    "api:reference_index",
    "api:reference_ssm",
    "api:calculator",
    "api:cross_border_formations",
    "api:bts_rates",
}
