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


class SignedInGate:
    """A signed-in user who owes a step reaches only the pages of that step (ALLOWED, by URL name) until it is done;
    any other page sends them to it. Static files and addresses no URL names pass through as they are."""

    ALLOWED: tuple = ()

    def __init__(self, get_response):
        self.get_response = get_response

    def owes_step(self, user) -> bool:
        raise NotImplementedError

    def step(self, user) -> str:
        """The URL name of the step's page."""
        raise NotImplementedError

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(settings.STATIC_URL) and self.owes_step(user):
            from django.shortcuts import redirect
            from django.urls import Resolver404, resolve

            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                return self.get_response(request)  # Django's 404
            if name not in self.ALLOWED:
                return redirect(self.step(user))
        return self.get_response(request)


class RequireTOTPMiddleware(SignedInGate):
    """Accounts of the roles in REQUIRE_TOTP_FOR reach nothing but the TOTP pages until the login is verified.

    With no device yet they are sent to set one up; with one, to type the current code.
    """

    ALLOWED = ("totp_setup", "totp_verify", "logout", "set_language")

    def owes_step(self, user) -> bool:
        return getattr(user, "role", None) in settings.REQUIRE_TOTP_FOR and not user.is_verified()

    def step(self, user) -> str:
        from django_otp import devices_for_user

        confirmed = any(True for _ in devices_for_user(user, confirmed=True))
        return "totp_verify" if confirmed else "totp_setup"


class RequirePasswordChangeMiddleware(SignedInGate):
    """A login whose password someone else chose reaches only the password change page until it sets its own."""

    ALLOWED = ("password_change", "password_change_done", "logout", "set_language", "totp_setup", "totp_verify")

    def owes_step(self, user) -> bool:
        return getattr(user, "password_change_required", False)

    def step(self, user) -> str:
        return "password_change"


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
    signed-in account's (User.language, saved by the language switch) or, before signing in, a link's ?lang= or
    the language cookie the switch sets. Stands where Django's LocaleMiddleware would, after authentication so the
    account is known.
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
        # A printed link's own language (?lang=en on the verify address of an English transcript): the employer who
        # scans it reads the answer in the transcript's language, not Thai.
        asked = request.GET.get("lang")
        if asked in self.languages:
            return asked
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        return cookie if cookie in self.languages else None
