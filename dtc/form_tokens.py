"""One-time form tokens: a form that saves a record saves it once, however often it is
submitted (Back then submit again, a refresh, a double click).

Every form page renders a token (`{% form_token %}`, dtc.templatetags.dtc_forms);
`dtc.pages.submit` claims it in the transaction of the save, so a refused save leaves it
unused. A second submission of a claimed token saves nothing: AlreadySaved sends the user
to where the first one led, with MESSAGE (FormTokenMiddleware). A submission without a
token (the API, a test posting directly) or with one no longer known claims nothing."""

import re
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import FormToken

FIELD = "form_token"
# What issue() makes (secrets.token_urlsafe(32)); anything else posted is no token.
SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
MESSAGE = "This was already saved. Nothing new was recorded."
# Long enough for a form left open over a weekend; purged daily after that (dtc.tasks).
KEPT_FOR = timedelta(days=3)

# The request being answered, set by FormTokenMiddleware: `claim` is called by
# dtc.pages.submit, which is not given the request.
current_request = ContextVar("form_token_request", default=None)


class AlreadySaved(Exception):
    """The form's token was claimed by an earlier submission, which led to `url`."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def issue(request) -> str:
    """The token to render in a form: the one posted with it when the form is shown again
    (with errors, or back from check-your-answers), else a new one. Empty for a visitor
    not signed in."""
    user = request.user
    if not user.is_authenticated:
        return ""
    posted = posted_token(request.POST) if request.method == "POST" else ""
    if (
        posted
        and posted != getattr(request, "form_token_claimed", None)
        and FormToken.objects.filter(token=posted, user=user).exists()
    ):
        return posted
    return FormToken.objects.create(token=secrets.token_urlsafe(32), user=user).token


def posted_token(data) -> str:
    """The token posted in `data`, or "" when there is none or it is not one issue() made
    (a hostile value is never looked up)."""
    token = data.get(FIELD, "") if hasattr(data, "get") else ""
    return token if isinstance(token, str) and SHAPE.fullmatch(token) else ""


@contextmanager
def claimed(data):
    """The save's transaction, with the token posted in `data` claimed in it (or
    AlreadySaved raised); without a token, the save as it is."""
    token = posted_token(data)
    if not token:
        yield
        return
    with transaction.atomic():
        claim(token)
        yield


def claim(token: str) -> None:
    """Claims the token, inside the caller's transaction, or raises AlreadySaved. A
    conditional update: of two submissions at once, the second waits for the first's
    transaction and then finds the token claimed (or unclaimed again, if the first was
    rolled back). A token no longer known (purged) claims nothing."""
    request = current_request.get()
    tokens = FormToken.objects.filter(token=token)
    if request is not None:
        tokens = tokens.filter(user_id=request.user.pk)
    if tokens.filter(used_at__isnull=True).update(used_at=timezone.now()):
        if request is not None:
            request.form_token_claimed = token
        return
    saved = tokens.first()
    if saved is not None:
        raise AlreadySaved(saved.saved_url)


def record_destination(token: str, url: str) -> None:
    """Where the claiming submission led, for a second submission to be sent there."""
    FormToken.objects.filter(token=token).update(saved_url=url[:500])


def purge(*, now) -> int:
    """Deletes the tokens older than KEPT_FOR; returns how many."""
    deleted, _ = FormToken.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted
