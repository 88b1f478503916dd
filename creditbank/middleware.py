"""Security headers Django 5.2 does not set by itself."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    """Scripts and everything else only from this site; no framing; forms post only here.

    Inline style attributes stay allowed (progress bars, Bootstrap); inline scripts do not.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class RequireTOTPMiddleware:
    """Accounts of the roles in REQUIRE_TOTP_FOR reach nothing but the TOTP pages until the login is verified.

    With no device yet they are sent to set one up; with one, to type the current code.
    """

    ALLOWED = ("totp_setup", "totp_verify", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "role", None) in settings.REQUIRE_TOTP_FOR
            and not user.is_verified()
            and not request.path.startswith(settings.STATIC_URL)
        ):
            from django.shortcuts import redirect
            from django.urls import resolve
            from django_otp import devices_for_user

            if resolve(request.path_info).url_name not in self.ALLOWED:
                confirmed = any(True for _ in devices_for_user(user, confirmed=True))
                return redirect("totp_verify" if confirmed else "totp_setup")
        return self.get_response(request)


class RequirePasswordChangeMiddleware:
    """A login whose password someone else chose reaches only the password change page until it sets its own."""

    ALLOWED = ("password_change", "password_change_done", "logout", "set_language", "totp_setup", "totp_verify")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "password_change_required", False)
            and not request.path.startswith(settings.STATIC_URL)
        ):
            from django.shortcuts import redirect
            from django.urls import Resolver404, resolve

            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in self.ALLOWED:
                return redirect("password_change")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages for a signed-in user are kept by no cache: not a proxy's, and not the browser's either.

    School computers are shared: after one user signs out, the Back button must not show the next person their
    balance, their learners or their queue from the browser's cache. A view that sets its own Cache-Control keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class ChosenLanguageMiddleware:
    """Thai for everyone until they choose English; the browser's Accept-Language is never read.

    Thailand's registrars often run English-language Windows, and the registry is Thai first. The choice is the
    signed-in account's (User.language, saved by the language switch) or, before signing in, the language cookie
    the switch sets. Stands where Django's LocaleMiddleware would, after authentication so the account is known.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = self.chosen(request) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    def chosen(self, request) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.languages:
            return user.language
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        return cookie if cookie in self.languages else None
