"""Middleware: the language the user chose, and the second factor required of officers and administrators."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """French unless the user chose another language with the switch (cookie).

    The browser's Accept-Language is not followed: the administration's working language is French.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecondFactorRequiredMiddleware:
    """Send an officer or administrator who has not confirmed a second factor to the TOTP page."""

    # The password change is not exempt: it sits behind the second factor.
    EXEMPT_PREFIXES = (
        "/compte/connexion/",
        "/compte/deconnexion/",
        "/compte/double-authentification/",
        "/langue/",
        "/static/",
        "/baremes/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect

        from .selectors import is_admin, is_officer

        user = request.user
        if (
            settings.OTP_REQUIRED
            and user.is_authenticated
            and (is_admin(user) or is_officer(user))
            and not user.is_verified()
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            return redirect(f"/compte/double-authentification/?next={request.get_full_path()}")
        return self.get_response(request)


def accepts_upload(max_bytes: int):
    """Mark a view that receives a file: its requests may carry up to `max_bytes` (plus the form's
    other fields); every other view's body is capped at REQUEST_BODY_MAX_BYTES."""

    def decorate(view):
        view.upload_max_bytes = max_bytes
        return view

    return decorate


class RequestBodyLimitMiddleware:
    """Refuse (413) a request whose declared body is larger than its URL accepts, before anything
    reads it: CSRF and the form parser would otherwise spool it to disk, even for an anonymous
    visitor. Placed before the CSRF middleware; Django reads no more than Content-Length anyway."""

    # Room for the multipart envelope and the form's other fields around an uploaded file.
    UPLOAD_OVERHEAD = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def limit_for(self, request) -> int:
        from django.urls import Resolver404, resolve

        try:
            view = resolve(request.path_info).func
        except Resolver404:
            return settings.REQUEST_BODY_MAX_BYTES
        upload = getattr(view, "upload_max_bytes", None)
        return settings.REQUEST_BODY_MAX_BYTES if upload is None else upload + self.UPLOAD_OVERHEAD

    def __call__(self, request):
        from django.http import HttpResponse
        from django.utils.translation import gettext as _

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES and length > self.limit_for(request):
            return HttpResponse(
                _("La requête est trop volumineuse."), status=413, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages seen signed in, PDFs and exports are never kept by a browser or a shared cache: they
    carry personal data and money, and the back button after signing out must not show them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import patch_cache_control

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.has_header("Content-Disposition"):
            patch_cache_control(response, no_store=True, private=True)
        return response
