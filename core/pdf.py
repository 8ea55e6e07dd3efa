"""PDF rendering: one small interface over WeasyPrint (the apps never call WeasyPrint themselves).

Rendered in the long-lived web or worker process (never one process per PDF), as PDF/A-3b, from a
template extending `pdf/base.html`, with a URL fetcher that serves only the project's static files
and `data:` URLs.
"""

from __future__ import annotations

import gc
import mimetypes
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from .files import content_disposition, safe_filename

PDF_BASE_URL = "https://pdf.bareme.invalid/"
_STATIC_PREFIX = PDF_BASE_URL + "static/"


class ForbiddenResource(ValueError):
    """A PDF template asked for a resource outside the project's static files."""


def _weasyprint():
    import weasyprint  # imported lazily: loading pango costs ~0.5 s, paid once per process

    return weasyprint


_local = threading.local()
_gc_lock = threading.Lock()
_gc_state = {"pauses": 0, "resume": False}


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while WeasyPrint lays a document out.

    A document is a large graph of boxes built at once; each full collection re-walks all of it,
    ~30 % of a 1 000-line statement here and a cost that grew faster than the number of lines.
    Nothing of the render is garbage before it returns; the collector is enabled again then.
    Counted, so that overlapping renders in threads re-enable it only when the last one ends.
    """
    with _gc_lock:
        if _gc_state["pauses"] == 0:
            _gc_state["resume"] = gc.isenabled()
            gc.disable()
        _gc_state["pauses"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["pauses"] -= 1
            if _gc_state["pauses"] == 0 and _gc_state["resume"]:
                gc.enable()


def _reset_gc_state_after_fork() -> None:
    """A process forked while a thread was rendering starts with no render of its own."""
    global _gc_lock
    _gc_lock = threading.Lock()
    if _gc_state["pauses"]:
        _gc_state["pauses"] = 0
        if _gc_state["resume"]:
            gc.enable()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_gc_state_after_fork)


def font_config():
    """One WeasyPrint font configuration per thread, kept for the life of the process.

    A new one per document (WeasyPrint's default) rebuilds the fontconfig and Pango font map and
    starts every document with cold font caches: ~10 ms of a one-page statement. Pango font maps
    are not thread-safe, hence one per thread (the threaded development server).
    """
    if getattr(_local, "font_config", None) is None:
        from weasyprint.text.fonts import FontConfiguration

        _local.font_config = FontConfiguration()
    return _local.font_config


PDF_STYLESHEET = "css/pdf.css"
UA_STYLESHEET = Path(__file__).with_name("pdf_ua.css")
_shared: dict = {}


_VOID_ELEMENT = re.compile(
    r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b([^>]*?)/?>", re.IGNORECASE
)
_DOCTYPE = re.compile(r"^\s*<!doctype[^>]*>", re.IGNORECASE)
_DECLARATION = re.compile(r"<!(?!--)")


def parse_html(html: str):
    """The element tree of a rendered PDF template, the one WeasyPrint's HTML5 parser (tinyhtml5)
    builds, through expat: 20 times faster, a tenth of a one-page statement's render.

    Our templates are well-formed once their void elements (`<br>`, `<col>`, `<meta>`) are
    closed; what the HTML5 parser adds is added here: the `<tbody>` of rows written directly in a
    `<table>`, the white space after `</body>` moved into the body. None when the text is not
    well-formed XML (a named entity, an unclosed `<p>`): WeasyPrint then parses it itself.
    tests/core/test_pdf.py checks that every document type gets the same tree both ways.
    """
    from xml.etree import ElementTree

    text = _DOCTYPE.sub("", _VOID_ELEMENT.sub(r"<\1\2/>", html), count=1)
    if _DECLARATION.search(text):
        return None  # a DTD could declare entities (expansion, external files): never given to expat
    try:
        # No DTD (refused above): no entity but the XML ones and character references; the text is
        # our template's, with every value autoescaped.
        root = ElementTree.fromstring(text)  # noqa: S314
    except ElementTree.ParseError:
        return None
    body = root.find("body")
    if root.tag != "html" or root.find("head") is None or body is None:
        return None
    root.text = None
    trailing = (body.tail or "") + text[text.rfind("</html>") + len("</html>") :]
    body.tail = None
    if len(body):
        body[-1].tail = (body[-1].tail or "") + trailing
    else:
        body.text = (body.text or "") + trailing
    for table in root.iter("table"):
        group = None
        for child in list(table):
            if child.tag != "tr":
                group = None
                continue
            if group is None:
                group = ElementTree.Element("tbody")
                table.insert(list(table).index(child), group)
            table.remove(child)
            group.append(child)
    return root


def _html_class():
    """WeasyPrint's HTML document, parsed by `parse_html` and styled with core/pdf_ua.css as its
    user-agent stylesheet (parsed once per process; a user-agent stylesheet holds no font
    configuration and is never modified)."""
    if "html" not in _shared:
        import cssselect2

        weasyprint = _weasyprint()
        ua = weasyprint.CSS(string=UA_STYLESHEET.read_text(encoding="utf-8"))

        class DocumentHTML(weasyprint.HTML):
            def __init__(self, *, string: str, base_url: str, url_fetcher):
                root = parse_html(string)
                if root is None:
                    super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
                    return
                # What weasyprint.HTML.__init__ sets, from this tree (tested against it).
                self.base_url = weasyprint._find_base_url(root, base_url)
                self.url_fetcher = url_fetcher
                self.media_type = "print"
                self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
                self.etree_element = self.wrapper_element.etree_element

            def _ua_stylesheets(self, forms=False):
                return [ua]

        _shared["html"] = DocumentHTML
    return _shared["html"]


def _stylesheets() -> list:
    """The print stylesheet, parsed once per thread with its font configuration and shared by
    every document (a `<link>` would be fetched and parsed again for each PDF)."""
    if getattr(_local, "stylesheets", None) is None:
        weasyprint = _weasyprint()
        path = finders.find(PDF_STYLESHEET)
        _local.stylesheets = [
            weasyprint.CSS(
                string=Path(path).read_text(encoding="utf-8"),
                base_url=_STATIC_PREFIX + PDF_STYLESHEET,
                url_fetcher=static_only_url_fetcher(),
                font_config=font_config(),
            )
        ]
    return _local.stylesheets


def static_only_url_fetcher():
    """A WeasyPrint URL fetcher that reads static files and `data:` URLs, and nothing else.

    WeasyPrint's default fetcher follows `file://` and any network URL (local file read, SSRF).
    """
    weasyprint_urls = _weasyprint().urls

    class StaticOnlyURLFetcher(weasyprint_urls.URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(_STATIC_PREFIX):
                relative = url[len(_STATIC_PREFIX) :].split("?")[0].split("#")[0]
                if ".." in Path(relative).parts:
                    raise ForbiddenResource(f"refused: {url}")
                found = finders.find(relative)
                if found:
                    path = Path(found)
                    mime, _ = mimetypes.guess_type(path.name)
                    return weasyprint_urls.URLFetcherResponse(
                        url, body=path.read_bytes(), headers={"Content-Type": mime or "application/octet-stream"}
                    )
            raise ForbiddenResource(f"refused: {url}")

    return StaticOnlyURLFetcher()


def issuer_for(scheme: str) -> dict:
    """The issuing authority of a scheme's documents (settings.PDF_ISSUERS), with its address as lines."""
    issuers = settings.PDF_ISSUERS
    issuer = dict(issuers.get(scheme) or issuers["core"])
    address = issuer.get("address") or []
    issuer["address"] = [address] if isinstance(address, str) else list(address)
    return issuer


# Advances of DejaVu Sans (the documents' font, static/css/pdf.css) in em, regular and bold, rounded
# up: digits, separators, « € », « − »; letters by their widest (M, W and m, w apart); anything else
# counts as the widest glyph of the font's Latin letters.
_EM = {
    False: {
        **dict.fromkeys("0123456789€$", 0.636),
        **dict.fromkeys(" \u00a0,.'", 0.318),
        **dict.fromkeys("/-", 0.361),
        "\u202f": 0.2,
        "−": 0.838,
    },
    True: {
        **dict.fromkeys("0123456789€$", 0.696),
        **dict.fromkeys(" \u00a0,.'", 0.38),
        **dict.fromkeys("/-", 0.415),
        "\u202f": 0.2,
        "−": 0.838,
    },
}
_EM_LETTERS = {False: (0.79, 0.64, 1.0), True: (0.85, 0.72, 1.11)}  # upper case, lower case, M W m w
_PT_TO_MM = 25.4 / 72


def _advance(c: str, bold: bool) -> float:
    known = _EM[bold].get(c)
    if known is not None:
        return known
    upper, lower, widest = _EM_LETTERS[bold]
    if c in "MWmw" or not c.isalpha():
        return widest
    return upper if c.isupper() else lower


def figures_width(
    texts,
    *,
    minimum_mm: float,
    maximum_mm: float = 60.0,
    size_pt: float = 9.0,
    padding_mm: float = 2.4,
    bold: bool = True,
) -> str:
    """The CSS width of a fixed-layout table column holding `texts` (figures, dates, references,
    never wrapped) and a header of at least `minimum_mm`: the widest text at `size_pt` (in bold, or
    regular when no text of the column is bold), plus the cells' padding (at most `maximum_mm`,
    for a column of references that may wrap).

    A fixed layout (`table.fixed` and a `<colgroup>`) spares WeasyPrint measuring every cell of a
    long table twice (a fifth of a 200-line notification); sizing its figure columns from the
    figures themselves leaves the rest of the width to the text column, as the automatic layout
    did.
    """
    widest = max((sum(_advance(c, bold) for c in str(t)) for t in texts), default=0.0)
    return f"{min(maximum_mm, max(minimum_mm, widest * size_pt * _PT_TO_MM + padding_mm)):.1f}mm"


def render_pdf(
    template_name: str,
    context: dict,
    *,
    reference: str,
    title: str = "",
    scheme: str = "core",
    document_date=None,
) -> bytes:
    """Render a template extending `pdf/base.html` to PDF/A-3b bytes.

    The document is headed by the issuing authority of `scheme`; `reference` is printed in the
    heading and in every page's margin with the generation date and "page X / Y", and stored in
    the PDF's metadata (subject and keywords) so that a filed copy can be found by it.
    `document_date` is the date the document bears (the decision, the issue); it defaults to today.
    """
    generated_at = timezone.localtime()
    html = render_to_string(
        template_name,
        {
            **context,
            "pdf_reference": reference,
            "pdf_title": title,
            "pdf_generated_at": generated_at,
            "pdf_date": document_date or generated_at,
            "issuer": issuer_for(scheme),
        },
    )
    document = _html_class()(string=html, base_url=PDF_BASE_URL, url_fetcher=static_only_url_fetcher())
    with gc_paused():
        return document.write_pdf(
            pdf_variant="pdf/a-3b", uncompressed_pdf=False, font_config=font_config(), stylesheets=_stylesheets()
        )


def pdf_response(pdf: bytes, *, filename: str, inline: bool = False) -> HttpResponse:
    """Wrap PDF bytes (from a `render_<document>` function) in a download response.

    The file name goes through core.files.safe_filename: a reference or a school name can carry
    quotes, slashes or line breaks that would break the header or the user's file system.
    """
    response = HttpResponse(pdf, content_type="application/pdf")
    name = filename[:-4] if filename.lower().endswith(".pdf") else filename
    response["Content-Disposition"] = content_disposition(f"{safe_filename(name)}.pdf", inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def render_reference_rates(context: dict) -> bytes:
    """The public page "Barèmes en vigueur" as a PDF (index and SSM in force on `context["on"]`)."""
    from django.utils.translation import gettext as _

    return render_pdf(
        "core/reference_rates_pdf.html", context, reference=f"BAR-{context['on']:%Y%m%d}", title=_("Barèmes en vigueur")
    )
