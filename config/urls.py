"""The project's URLs: core at the root, one prefix per app, the admin, the error pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from api import account as api_account
from core.two_factor import second_factor, second_factor_enrol

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"

admin.site.site_header = "Barème — administration"
admin.site.site_title = "Barème"

urlpatterns = [
    path("", include("core.urls")),
    path("apprentissage/", include("apprenticeship.urls")),
    path("are/", include("lycee_aid.urls")),
    path("bts/", include("bts_fees.urls")),
    path("api/v1/", include("api.urls")),
    path("compte/connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("compte/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("compte/mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("compte/mot-de-passe/ok/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("compte/double-authentification/", second_factor, name="second_factor"),
    path("compte/api/", api_account.token_list, name="api_tokens"),
    path("compte/api/<id:pk>/revoquer/", api_account.token_revoke, name="api_token_revoke"),
    path("compte/double-authentification/lien/<str:token>/", second_factor_enrol, name="second_factor_enrol"),
    path("langue/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
