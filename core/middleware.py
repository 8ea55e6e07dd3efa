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

    EXEMPT_PREFIXES = ("/compte/", "/langue/", "/static/", "/baremes/")

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
