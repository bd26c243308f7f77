"""Build the course as a static web book: build/book/index.html and one HTML page per notebook.

    python dev.py book                      # the usual way (installs what it needs first)
    python tools/build_book.py [--out DIR]  # the same, in an environment that has it

Every notebooks/*.ipynb becomes a chapter page and every notebooks/solutions/*.ipynb a page of
worked solutions, each WITH its committed outputs (nothing is executed): nbconvert's HTML
exporter with JupyterLab's look (the `lab` template).  index.html lists the chapters in file
order, each titled by its notebook's first heading and linked to its worked solutions.

The book works offline, from a folder or any static web server:
  * maths is typeset by a local copy of MathJax 3 (its single-file `tex-svg-full.js`, SVG
    output, which needs no font files), taken from the `django-static-mathjax` package (a
    dependency-free PyPI packaging of MathJax 3.2.2) and copied to DIR/mathjax/; nbconvert's
    templates would load MathJax 2 from a CDN.  The TeX delimiters are those of nbconvert and
    JupyterLab: $...$ and \\(...\\) inline, $$...$$ and \\[...\\] displayed;
  * nothing else is loaded from the network either: no require.js, no widget manager, no
    mermaid (the template blocks that would load them are emptied);
  * an interactive widget's output becomes a short note saying it runs in JupyterLab (the
    notebooks show a static figure of each demo too);
  * links between notebooks (`01_dcgan.ipynb#...`, `solutions/01_dcgan_solutions.ipynb`)
    point at their pages (`.html`); the layout mirrors notebooks/, so relative links hold.

tests/test_book.py checks the builder on a small notebook; tests/browser/test_book.py opens
the whole built book in a headless Chromium (figures, maths, links, console).
"""
import argparse
import glob
import html
import importlib.util
import os
import re
import shutil
import sys
import time

import jinja2
import nbformat
from nbconvert import HTMLExporter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NB_DIR = os.path.join(ROOT, "notebooks")
OUT_DIR = os.path.join(ROOT, "build", "book")
MATHJAX_DIR = "mathjax"  # inside the book
MATHJAX_FILE = "tex-svg-full.js"  # MathJax 3's TeX input (every extension) with SVG output
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="book-widget-note"><em>An interactive demo runs here in JupyterLab '
               '(<code>python dev.py lab</code>); the web book cannot run it.</em></p>')

# The page template: nbconvert's `lab` page with its network loads taken out, a local
# MathJax 3 configured as nbconvert configures its MathJax 2, and a line of navigation above
# and below the notebook.
PAGE_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
<script type="text/javascript">
window.MathJax = {
  tex: {inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]],
        processEscapes: true, processEnvironments: true, tags: "ams"},
  svg: {fontCache: "global"}
};
</script>
<script type="text/javascript" id="MathJax-script" defer src="{{ resources.mathjax_url }}"></script>
{%- endblock html_head_js_mathjax -%}
{% block extra_css %}
<link rel="icon" href="data:,">
<style type="text/css">{{ resources.book_css }}</style>
{% endblock extra_css %}
{%- block body_header -%}
{{ super() }}
{{ resources.book_nav }}
{%- endblock body_header -%}
{% block body_footer %}
{{ resources.book_nav }}
{{ super() }}
{% endblock body_footer %}
"""

BOOK_CSS = """
nav.book-nav { font-family: var(--jp-ui-font-family, sans-serif); font-size: 14px;
  padding: 8px 16px; display: flex; gap: 24px; border-bottom: 1px solid #ddd; }
main + nav.book-nav, nav.book-nav:last-of-type { border-top: 1px solid #ddd; border-bottom: 0; }
nav.book-nav a { text-decoration: none; }
.book-widget-note { color: #555; }
"""

INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<link rel="icon" href="data:,">
<style type="text/css">
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 50em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}
li {{ margin: 0.4em 0; }}
.solutions {{ font-size: 90%; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>The notebooks of the course with the outputs of their committed runs, readable without
installing anything. To run them yourself (and use the interactive demos), open them in
JupyterLab from a clone of the repository: <code>python dev.py lab</code>.</p>
<h2>Chapters</h2>
<ol start="0">
{chapters}
</ol>
{others}
</body>
</html>
"""


def first_heading(nb, default):
    """The text of a notebook's first markdown heading (its title), else `default`."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"#+\s+(.*?)\s*#*\s*$", line)
            if m:
                return m.group(1)
    return default


def rewrite_links(text, page, names):
    """Point the relative links in a page's HTML `text` that lead to a notebook of the book
    (`names`: paths relative to the notebooks folder, POSIX) at its .html page; `page` is the
    page's own such path.  Other links are left as they are."""
    here = os.path.dirname(page)

    def fix(m):
        path, sep, frag = html.unescape(m.group(2)).partition("#")
        if re.match(r"[a-z][a-z0-9+.-]*:", path, re.I) or not path.endswith(".ipynb"):
            return m.group(0)
        target = os.path.normpath(os.path.join(here, path)).replace(os.sep, "/")
        if target not in names:
            return m.group(0)
        url = path[:-len(".ipynb")] + ".html" + sep + frag
        return m.group(1) + html.escape(url) + m.group(3)

    return re.sub(r'(<a\s[^>]*?\bhref=")([^"]*)(")', fix, text)


def widget_outputs_to_notes(nb):
    """Replace each widget output (a live view the static page cannot show) with a note."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                out["data"] = {"text/html": WIDGET_NOTE}
    nb.metadata.pop("widgets", None)
    return nb


def mathjax_source():
    """MathJax 3's MATHJAX_FILE as the `django-static-mathjax` package ships it (it installs
    a module named `mathjax`)."""
    spec = importlib.util.find_spec("mathjax")
    path = spec and os.path.join(spec.submodule_search_locations[0], "static", "mathjax", "es5",
                                 MATHJAX_FILE)
    if not path or not os.path.isfile(path):
        sys.exit("the web book needs MathJax 3 from the django-static-mathjax package: run "
                 "`python dev.py book`, which installs it (or pip install -e '.[book]')")
    return path


def notebooks(nb_dir=NB_DIR):
    """The book's notebooks: (path relative to nb_dir, POSIX) of chapters, then solutions."""
    chapters = sorted(glob.glob(os.path.join(nb_dir, "*.ipynb")))
    solutions = sorted(glob.glob(os.path.join(nb_dir, "solutions", "*.ipynb")))
    return [os.path.relpath(p, nb_dir).replace(os.sep, "/") for p in chapters + solutions]


def nav(page, names, titles):
    """The navigation line of a page: contents, previous and next chapter, and the page's
    worked solutions (a chapter) or its chapter (a solutions page)."""
    up = "../" * page.count("/")
    chapters = [n for n in names if "/" not in n]
    links = [("Contents", "index.html")]
    if page in chapters:
        i = chapters.index(page)
        if i > 0:
            links.append(("← " + titles[chapters[i - 1]], chapters[i - 1]))
        if i + 1 < len(chapters):
            links.append((titles[chapters[i + 1]] + " →", chapters[i + 1]))
        sol = solutions_of(page, names)
        if sol:
            links.append(("Worked solutions", sol))
    else:
        chapter = chapter_of(page, names)
        if chapter:
            links.append(("Back to the chapter", chapter))
    items = "".join(f'<a href="{html.escape(up + html_name(target))}">{html.escape(text)}</a>'
                    for text, target in links)
    return f'<nav class="book-nav">{items}</nav>'


def html_name(name):
    return name[:-len(".ipynb")] + ".html" if name.endswith(".ipynb") else name


def solutions_of(chapter, names):
    name = f"solutions/{chapter[:-len('.ipynb')]}_solutions.ipynb"
    return name if name in names else None


def chapter_of(solutions, names):
    base = os.path.basename(solutions)
    name = base[:-len("_solutions.ipynb")] + ".ipynb" if base.endswith("_solutions.ipynb") else None
    return name if name in names else None


def exporter():
    """nbconvert's HTML exporter with the book's page template (see PAGE_TEMPLATE)."""
    return HTMLExporter(template_name="lab", template_file="book.html.j2",
                        extra_loaders=[jinja2.DictLoader({"book.html.j2": PAGE_TEMPLATE})])


def index_page(names, titles):
    chapters = [n for n in names if "/" not in n]
    solutions = [n for n in names if "/" in n]
    items = []
    for name in chapters:
        item = f'<li><a href="{html.escape(html_name(name))}">{html.escape(titles[name])}</a>'
        sol = solutions_of(name, names)
        if sol:
            item += (f' <span class="solutions">· <a href="{html.escape(html_name(sol))}">'
                     f'worked solutions</a></span>')
        items.append(item + "</li>")
    others = [s for s in solutions if not chapter_of(s, names)]
    other_html = ""
    if others:
        other_html = "<h2>More worked solutions</h2>\n<ul>\n" + "\n".join(
            f'<li><a href="{html.escape(html_name(s))}">{html.escape(titles[s])}</a></li>'
            for s in others) + "\n</ul>"
    return INDEX_TEMPLATE.format(title=html.escape(TITLE), chapters="\n".join(items),
                                 others=other_html)


TITLE = "GAN teaching notebooks"
MARKER = ".ganlib-book"  # marks an output folder as a book this tool built (it may clear it)


def prepare_out_dir(out_dir):
    """Empty `out_dir` for a new build: only a folder this tool made (it holds MARKER), or a
    new or empty one; anything else is refused, so that nothing a user wrote is deleted."""
    if os.path.isdir(out_dir) and os.listdir(out_dir):
        if not os.path.exists(os.path.join(out_dir, MARKER)):
            sys.exit(f"{out_dir} is not empty and is not a web book built by this tool: "
                     f"choose another --out folder (nothing was changed)")
        shutil.rmtree(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, MARKER), "w") as f:
        f.write("a web book built by tools/build_book.py; rebuilding it replaces this folder\n")


def build(out_dir=OUT_DIR, nb_dir=NB_DIR, log=print):
    """Build the book into out_dir; returns the list of pages written (paths in out_dir)."""
    names = notebooks(nb_dir)
    if not names:
        sys.exit(f"no notebooks in {nb_dir}")
    mathjax = mathjax_source()
    nbs = {n: nbformat.read(os.path.join(nb_dir, n), as_version=4) for n in names}
    titles = {n: first_heading(nb, os.path.basename(n)[:-len(".ipynb")])
              for n, nb in nbs.items()}
    prepare_out_dir(out_dir)
    os.makedirs(os.path.join(out_dir, MATHJAX_DIR))
    shutil.copy(mathjax, os.path.join(out_dir, MATHJAX_DIR, MATHJAX_FILE))
    exp = exporter()
    pages = []
    for name in names:
        up = "../" * name.count("/")
        exp.mathjax_url = f"{up}{MATHJAX_DIR}/{MATHJAX_FILE}"
        resources = {"metadata": {"name": titles[name]}, "book_nav": nav(name, names, titles),
                     "book_css": BOOK_CSS}
        body, _ = exp.from_notebook_node(widget_outputs_to_notes(nbs[name]), resources=resources)
        page = os.path.join(out_dir, html_name(name))
        os.makedirs(os.path.dirname(page), exist_ok=True)
        with open(page, "w", encoding="utf-8") as f:
            f.write(rewrite_links(body, name, names))
        pages.append(page)
        log(f"  {html_name(name)}: {titles[name]}")
    index = os.path.join(out_dir, "index.html")
    with open(index, "w", encoding="utf-8") as f:
        f.write(index_page(names, titles))
    return [index] + pages


def folder_size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=OUT_DIR, help="output folder (default build/book)")
    args = ap.parse_args(argv)
    out = os.path.abspath(args.out)
    t = time.monotonic()
    print(f"building the web book from {NB_DIR} into {out} (committed outputs, no execution)",
          flush=True)
    pages = build(out)
    print(f"web book: {len(pages)} pages, {folder_size(out) / 1e6:.1f} MB in "
          f"{time.monotonic() - t:.0f} s; open {os.path.join(out, 'index.html')} in a browser")


if __name__ == "__main__":
    main()
