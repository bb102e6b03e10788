"""Request-wide rules: query strings hold no control or invisible characters; for
signed-in people, private pages are never cached, a session is extended while it is
used and ends at an absolute age however active it has been."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from . import form_tokens
from .text import without_invisible

SIGNED_IN_AT = "dtc_signed_in_at"
EXTENDED_AT = "dtc_extended_at"


def record_sign_in(sender, request, user, **kwargs):
    """user_logged_in receiver: the start of the session's absolute lifetime."""
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()


class PrivateSessionMiddleware:
    """Ends a session older than SESSION_ABSOLUTE_AGE seconds, extends one last extended
    SESSION_REFRESH_SECONDS or more before (it expires SESSION_COOKIE_AGE after it was
    last saved: idle for 29 to 30 minutes), and marks every response to a signed-in
    user no-store: pages, CSV and PDF hold clinical records that no browser or proxy
    may keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, timezone.now().timestamp())
            if timezone.now().timestamp() - signed_in_at > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                hours = settings.SESSION_ABSOLUTE_AGE // 3600
                messages.info(
                    request, f"You have been signed out: a session lasts {hours} hours at most."
                )
                response = redirect_to_login(request.get_full_path())
                add_never_cache_headers(response)
                return response
            response = self.get_response(request)
            session = request.session
            now = timezone.now().timestamp()
            if now - session.get(EXTENDED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                # Saved by SessionMiddleware on the way out, with a new expiry.
                session[EXTENDED_AT] = now
            add_never_cache_headers(response)
            return response
        return self.get_response(request)


class QueryStringCleaningMiddleware:
    """Removes control and invisible characters from the query string's names and values
    before any view reads them (dtc.text): a search for "a\\x00b" is a search for "ab",
    not a server error (PostgreSQL refuses a NUL in a query parameter outright)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pairs = list(request.GET.lists())
        if any(
            without_invisible(key) != key or without_invisible(value) != value
            for key, values in pairs
            for value in values
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in pairs:
                cleaned.setlist(without_invisible(key), [without_invisible(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class FormTokenMiddleware:
    """Lets dtc.pages.submit claim a form's one-time token (dtc.form_tokens) for the
    signed-in user, keeps where the saving submission led, and answers a second
    submission of the same form (AlreadySaved) by going there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset = form_tokens.current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            form_tokens.current_request.reset(reset)
        claimed = getattr(request, "form_token_claimed", None)
        if claimed and response.status_code in (301, 302, 303) and response.has_header("Location"):
            form_tokens.record_destination(claimed, response["Location"])
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, form_tokens.AlreadySaved):
            messages.info(request, form_tokens.MESSAGE)
            return redirect(exception.url or request.get_full_path())
        return None
