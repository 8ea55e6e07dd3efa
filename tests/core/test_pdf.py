"""The PDF engine: what a template may fetch, and the garbage collector paused during a render."""

import gc

import pytest
from django.template import engines

from core.pdf import ForbiddenResource, figures_width, gc_paused, render_pdf, static_only_url_fetcher
from tests.core.test_views import pdf_text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://pdf.bareme.invalid/static/../../../../etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://example.org/x",
        "https://pdf.bareme.invalid/static/does-not-exist.css",
    ],
)
def test_fetcher_refuses_anything_but_static_and_data(url):
    with pytest.raises(ForbiddenResource):
        static_only_url_fetcher().fetch(url)


def test_fetcher_serves_static_files_and_data_urls():
    fetcher = static_only_url_fetcher()
    assert b"font-family" in fetcher.fetch("https://pdf.bareme.invalid/static/css/pdf.css").read()
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"


def test_a_template_pointing_at_a_local_file_does_not_leak_it(settings, tmp_path):
    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "leak.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<p>before</p>'
        '<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>'
        '<img src="file:///etc/passwd"><link rel="stylesheet" href="file:///etc/passwd"><p>after</p>'
        "{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]
    engines._engines = {}
    engines.__dict__.pop("templates", None)
    try:
        text = pdf_text(render_pdf("leak.html", {}, reference="T-1", title="Test"))
    finally:
        engines.__dict__.pop("templates", None)
        engines._engines = {}
    assert "before" in text and "after" in text
    assert "root:" not in text


def test_the_garbage_collector_is_paused_during_a_render_and_resumed_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # a second render overlapping the first (threads)
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first one is still running
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), gc_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_figures_column_is_as_wide_as_its_widest_figure_in_bold_and_never_narrower_than_its_header():
    # DejaVu Sans Bold at 9 pt: a digit and « € » are 0.696 em, a space or a comma 0.38 em, « − » 0.838 em.
    # « 1 234 567,89 € » = 10 × 0.696 + 4 × 0.38 = 8.48 em = 76.32 pt = 26.92 mm, + 2.4 mm of padding = 29.3 mm.
    assert figures_width(["1\u00a0234\u00a0567,89\u00a0€", "12,50\u00a0€"], minimum_mm=17) == "29.3mm"
    # « − 12,50 € » = 0.838 + 5 × 0.696 + 3 × 0.38 = 5.458 em = 49.12 pt = 17.33 mm + 2.4 = 19.7 mm.
    assert figures_width(["− 12,50\u00a0€"], minimum_mm=17) == "19.7mm"
    assert figures_width([12, 7], minimum_mm=21) == "21.0mm"
    assert figures_width([], minimum_mm=9) == "9.0mm"
    # Regular weight at 8 pt: « 15/09/2025 » = 8 × 0.636 + 2 × 0.361 = 5.81 em = 46.48 pt = 16.4 mm, + 2 mm.
    assert figures_width(["15/09/2025"], minimum_mm=10, size_pt=8, padding_mm=2, bold=False) == "18.4mm"
    # A reference column stops at its maximum (its text wraps).
    assert figures_width(["X" * 80], minimum_mm=21, maximum_mm=45) == "45.0mm"


def _rendered_templates(monkeypatch) -> list[str]:
    """The HTML of every document type (short and long variants of the layout tests), not laid out."""
    import core.pdf
    from tests.core.test_pdf_layout import DOCUMENTS, VARIANTS

    captured = []

    class Capture:
        def __init__(self, *, string, base_url, url_fetcher):
            captured.append(string)

        def write_pdf(self, **options):
            return b""

    monkeypatch.setattr(core.pdf, "_html_class", lambda: Capture)
    for build in DOCUMENTS.values():
        for variant in ("short", "long-1"):
            build(VARIANTS[variant])
    return captured


def _shape(element) -> list:
    """Tags, attributes, texts and tails of a tree, in document order."""
    return [(e.tag, sorted(e.attrib.items()), e.text or "", e.tail or "") for e in element.iter()]


def test_every_document_type_parses_to_the_tree_weasyprints_html5_parser_builds(monkeypatch):
    import tinyhtml5

    from core.pdf import parse_html

    documents = _rendered_templates(monkeypatch)
    assert len(documents) == 20
    for html in documents:
        fast = parse_html(html)
        assert fast is not None  # well-formed: the fast path is taken
        assert _shape(fast) == _shape(tinyhtml5.parse(html, namespace_html_elements=False))


def test_a_template_that_is_not_well_formed_xml_is_left_to_weasyprints_parser():
    from core.pdf import parse_html

    assert parse_html("<!doctype html><html><head></head><body><p>A&nbsp;B</body></html>") is None
    assert parse_html("<!doctype html><html><head></head><body><p>one<p>two</body></html>") is None
    entities = '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    assert parse_html(f"{entities}<html><head></head><body><p>&b;</p></body></html>") is None  # no DTD to expat
    assert parse_html("<!doctype html><html><head></head><body><p>a<![CDATA[b]]></p></body></html>") is None
    html = "<!doctype html><html><head><meta charset=utf-8></head><body><p>A&nbsp;B<p>two</body></html>"
    assert pdf_text(render_pdf_from_string(html)).split() == ["A", "B", "two"]  # rendered all the same


def render_pdf_from_string(html: str) -> bytes:
    import core.pdf

    document = core.pdf._html_class()(string=html, base_url=core.pdf.PDF_BASE_URL, url_fetcher=None)
    return document.write_pdf(font_config=core.pdf.font_config(), stylesheets=core.pdf._stylesheets())


def test_the_fast_document_carries_what_weasyprints_own_html_document_carries():
    import weasyprint

    import core.pdf

    html = "<!doctype html><html><head><title>t</title></head><body><table><tr><td>1</td></tr></table></body></html>"
    ours = core.pdf._html_class()(string=html, base_url=core.pdf.PDF_BASE_URL, url_fetcher=None)
    theirs = weasyprint.HTML(string=html, base_url=core.pdf.PDF_BASE_URL)
    assert vars(ours).keys() == vars(theirs).keys()
    assert ours.base_url == theirs.base_url
    assert _shape(ours.etree_element) == _shape(theirs.etree_element)
