"""PDFs made by the audit module (case studies, subject access exports): WeasyPrint
lays out a template as if it were served from STATIC_ORIGIN, through a fetcher that
reads only the app's own static files. Imported only where a PDF is rendered (the
Celery worker), so that WeasyPrint does not load with every page."""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents are laid out as if served from here; the fetcher maps the static URL under
# it to the app's own static files and refuses everything else.
STATIC_ORIGIN = "https://dtc-static.invalid"
STATIC_TYPES = {".css", ".woff", ".svg", ".png"}  # print.css loads the WOFF fonts


class StaticOnlyFetcher(URLFetcher):
    """Serves the app's own static files (the print CSS and design-system fonts) and
    refuses every other URL: no file://, http(s), data: or anything else."""

    def fetch(self, url, headers=None):
        path = static_path(url)
        if path is None:
            raise ValueError(f"PDFs fetch only the service's own static files, not {url!r}")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_path(url: str) -> str | None:
    """The file behind a static URL of the document, or None if it is not one."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != STATIC_ORIGIN or parts.query:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path.removeprefix(settings.STATIC_URL)
    if posixpath.normpath(relative) != relative or relative.startswith(("/", ".")):
        return None  # no climbing out with .. or absolute paths
    if posixpath.splitext(relative)[1].lower() not in STATIC_TYPES:
        return None
    if settings.STATIC_ROOT:
        candidate = settings.STATIC_ROOT / relative
        return str(candidate) if candidate.is_file() else None
    return finders.find(relative)


def render(template_name: str, context: dict) -> tuple[bytes, int]:
    """The template laid out as PDF: its bytes and its page count."""
    html = render_to_string(template_name, context)
    document = HTML(
        string=html, base_url=f"{STATIC_ORIGIN}/", url_fetcher=StaticOnlyFetcher()
    ).render()
    return document.write_pdf(), len(document.pages)


WARM_UP = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>-</title>
<link rel="stylesheet" href="{href}"></head><body><h1>-</h1><p><b>-</b> -</p>
<table><tr><th>-</th><td>-</td></tr></table></body></html>"""


def warm_up() -> None:
    """Lay out a page in the print styles once, so that a worker's first PDF does not pay
    for reading the fonts and styles (a few tenths of a second): called when a Celery
    worker starts."""
    from django.templatetags.static import static

    HTML(
        string=WARM_UP.format(href=static("audit/print.css")),
        base_url=f"{STATIC_ORIGIN}/",
        url_fetcher=StaticOnlyFetcher(),
    ).render().write_pdf()
