"""The web book (`python dev.py book`) in a real browser, offline.

The book is built once from the notebooks of this checkout into a temporary folder and served
from 127.0.0.1 by a static file server; the headless Chromium is allowed no other host (any
request elsewhere is blocked and fails the test that made it).  Every page (index, each chapter,
each page of worked solutions) must load without a console error or a failed request, show
every figure its notebook holds (each <img> decoded: naturalWidth > 0), have its maths typeset
by the local MathJax (no TeX left in the text, no MathJax error), show a note in place of each
live widget view, and every link on it that
stays in the book must lead to a page that exists and, for `#fragment` links, to an element
with that id.
"""
import functools
import http.server
import importlib.util
import os
import re
import threading
import time
import urllib.parse
import urllib.request

import nbformat
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location("build_book", os.path.join(ROOT, "tools", "build_book.py"))
book_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(book_tool)

NAMES = book_tool.notebooks()  # the notebooks found now: a new chapter is tested too
IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
TYPESET_TIMEOUT = 120_000  # ms: MathJax on a 3 MB page on a busy 2-core machine
# TeX that MathJax should have typeset: $$, \( or \[, or an inline $x$ pair (an escaped
# dollar, `\$5 or \$10`, leaves a space before the second $ and does not match)
RAW_MATH = re.compile(r"\$\$|\\\(|\\\[|\$[^$\s](?:[^$]*[^$\s])?\$")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def book(tmp_path_factory, timings):
    out = tmp_path_factory.mktemp("book") / "book"
    t = time.monotonic()
    book_tool.build(str(out), log=lambda *a: None)
    timings["book build"] = time.monotonic() - t
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Page:
    """One page of the book open in its own browser context, with what went wrong on it."""

    def __init__(self, browser, base, path):
        self.problems, self.offsite = [], []
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.context.route("**/*", self._route(base))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console.error: {m.text} ({m.location.get('url', '')})"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(
            f"request failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))
        self.page.goto(base + path, wait_until="load")

    def _route(self, base):
        def handle(route):
            if route.request.url.startswith(base):
                route.continue_()
            else:
                self.offsite.append(route.request.url)
                route.abort()
        return handle

    def typeset(self):
        """Wait until MathJax 3 has typeset the page (its startup promise: the first typeset)."""
        self.page.wait_for_function("() => window.MathJax && MathJax.startup && "
                                    "MathJax.startup.promise", timeout=TYPESET_TIMEOUT)
        self.page.evaluate("() => { MathJax.startup.promise.then(() => window.bookTypeset = true) }")
        self.page.wait_for_function("() => window.bookTypeset === true", timeout=TYPESET_TIMEOUT)

    def close(self):
        self.context.close()


def expected_images(nb):
    return sum(any(m in out.get("data", {}) for m in IMAGE_MIMES)
               for cell in nb.cells for out in cell.get("outputs", []))


def widget_outputs(nb):
    return sum(book_tool.WIDGET_MIME in out.get("data", {})
               for cell in nb.cells for out in cell.get("outputs", []))


def has_maths(nb):
    return any("$" in cell.source for cell in nb.cells if cell.cell_type == "markdown")


def check_links(page, base):
    """Every link of the page that stays in the book leads to a page that the server has and,
    with a #fragment, to an element of that id.  Returns the broken ones."""
    hrefs = page.page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    broken, html_of = [], {}
    for href in sorted(set(hrefs)):
        if not href.startswith(base):
            continue
        url, _, frag = href.partition("#")
        if url not in html_of:
            try:
                with urllib.request.urlopen(url, timeout=30) as r:
                    html_of[url] = r.read().decode("utf-8", "replace")
            except OSError as e:
                html_of[url] = None
                broken.append(f"{href}: {e}")
                continue
        target = html_of[url]
        if target is not None and frag:
            ids = set(re.findall(r'\bid="([^"]*)"', target))
            if urllib.parse.unquote(frag) not in {urllib.parse.unquote(i) for i in ids}:
                broken.append(f"{href}: no element with id {urllib.parse.unquote(frag)!r}")
    return broken


def test_index_lists_every_notebook_with_its_title(browser, book):
    page = Page(browser, book, "index.html")
    try:
        links = page.page.eval_on_selector_all(
            "a[href]", "els => els.map(a => [a.getAttribute('href'), a.textContent.trim()])")
        hrefs = {h for h, _ in links}
        for name in NAMES:
            assert book_tool.html_name(name) in hrefs, f"index.html has no link to {name}"
        for name in (n for n in NAMES if "/" not in n):
            nb = nbformat.read(os.path.join(ROOT, "notebooks", name), as_version=4)
            title = book_tool.first_heading(nb, None)
            assert [book_tool.html_name(name), title] in [list(x) for x in links], \
                f"index.html does not title {name} {title!r}"
        assert check_links(page, book) == []
        assert page.problems == [] and page.offsite == []
    finally:
        page.close()


@pytest.mark.parametrize("name", NAMES)
def test_page_renders_its_figures_and_maths_offline(browser, book, name):
    nb = nbformat.read(os.path.join(ROOT, "notebooks", name), as_version=4)
    page = Page(browser, book, book_tool.html_name(name))
    try:
        page.typeset()
        p = page.page
        # figures: one decoded picture per image output of the notebook
        imgs = p.eval_on_selector_all(
            ".jp-OutputArea-output img",
            "els => els.map(i => [i.complete, i.naturalWidth, i.src.slice(0, 40)])")
        assert len(imgs) == expected_images(nb), (len(imgs), expected_images(nb))
        undecoded = [src for done, width, src in imgs if not (done and width > 0)]
        assert undecoded == [], f"{len(undecoded)} figures did not load: {undecoded[:3]}"
        # maths: typeset by MathJax (drawn: width > 0), nothing left raw, no MathJax error
        if has_maths(nb):
            drawn = p.eval_on_selector_all(
                "mjx-container", "els => els.filter(e => e.getBoundingClientRect().width > 0).length")
            assert drawn > 0, "no typeset maths on a page whose notebook has some"
        errors = p.eval_on_selector_all("mjx-merror, [data-mml-node='merror']",
                                        "els => els.map(e => e.textContent)")
        assert errors == [], f"MathJax errors: {errors[:5]}"
        text = p.eval_on_selector_all(
            ".jp-RenderedMarkdown",
            """els => els.map(e => { const c = e.cloneNode(true);
                   c.querySelectorAll('code, pre, script, mjx-container').forEach(x => x.remove());
                   return c.textContent; })""")
        raw = [m.group(0) for t in text for m in RAW_MATH.finditer(t)]
        assert raw == [], f"maths left untypeset: {raw[:5]}"
        # widgets: a note where the notebook has a live widget view
        notes = p.eval_on_selector_all(".book-widget-note", "els => els.length")
        assert notes == widget_outputs(nb)
        # the page's links, then what the browser saw
        assert check_links(page, book) == []
        assert page.offsite == [], f"requests that left the book: {page.offsite[:5]}"
        assert page.problems == [], page.problems[:10]
    finally:
        page.close()
