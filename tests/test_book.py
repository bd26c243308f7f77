"""tools/build_book.py on a small course of its own (two chapters and a page of solutions):
the pages, the index, links between notebooks, the local MathJax, widget outputs, and the
output folder it may replace.  tests/browser/test_book.py opens the real book in a browser."""
import base64
import importlib.util
import io
import os
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("build_book", os.path.join(ROOT, "tools", "build_book.py"))
book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(book)


def png():
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (3, 2), (200, 10, 10)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


@pytest.fixture
def course(tmp_path):
    nb_dir = tmp_path / "notebooks"
    (nb_dir / "solutions").mkdir(parents=True)
    widget = new_output("display_data", data={
        "text/plain": "VBox(children=(IntSlider(value=0),))",
        book.WIDGET_MIME: {"model_id": "abc", "version_major": 2, "version_minor": 0}})
    a = new_notebook(cells=[
        new_markdown_cell("# Chapter A — the first\n\nThe loss $\\log D(x)$ and\n\n"
                          "$$\\min_G \\max_D V(D, G)$$\n\nNext: [chapter B](01_b.ipynb#Part-two), "
                          "[its solutions](solutions/00_a_solutions.ipynb), [elsewhere]"
                          "(https://example.org/x.ipynb), [not in the book](../other.ipynb)."),
        new_code_cell("plot()", outputs=[new_output("display_data", data={
            "image/png": png(), "text/plain": "<Figure>"})]),
        new_code_cell("demo", outputs=[widget]),
    ])
    a.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    b = new_notebook(cells=[new_markdown_cell("Some text first.\n\n## Chapter B: the second\n\n"
                                              "### Part two")])
    sol = new_notebook(cells=[new_markdown_cell("# A: worked solutions\n\n"
                                                "[Back](../00_a.ipynb)")])
    nbformat.write(a, nb_dir / "00_a.ipynb")
    nbformat.write(b, nb_dir / "01_b.ipynb")
    nbformat.write(sol, nb_dir / "solutions" / "00_a_solutions.ipynb")
    return nb_dir


def build(course, out):
    return book.build(str(out), nb_dir=str(course), log=lambda *a: None)


def read(path):
    return open(path, encoding="utf-8").read()


def test_every_notebook_gets_a_page_and_the_index_lists_the_chapters(course, tmp_path):
    out = tmp_path / "book"
    pages = build(course, out)
    assert sorted(os.path.relpath(p, out) for p in pages) == [
        "00_a.html", "01_b.html", "index.html", os.path.join("solutions", "00_a_solutions.html")]
    index = read(out / "index.html")
    assert '<a href="00_a.html">Chapter A — the first</a>' in index
    assert '<a href="01_b.html">Chapter B: the second</a>' in index       # first heading, any level
    assert '<a href="solutions/00_a_solutions.html">worked solutions</a>' in index
    assert index.index("00_a.html") < index.index("01_b.html")


def test_links_between_notebooks_lead_to_their_pages(course, tmp_path):
    out = tmp_path / "book"
    build(course, out)
    a = read(out / "00_a.html")
    assert 'href="01_b.html#Part-two"' in a and 'href="solutions/00_a_solutions.html"' in a
    assert 'href="https://example.org/x.ipynb"' in a        # not ours: unchanged
    assert 'href="../other.ipynb"' in a                     # not in the book: unchanged
    assert ".ipynb" not in read(out / "solutions" / "00_a_solutions.html").split("<main>")[1]
    assert 'href="../00_a.html"' in read(out / "solutions" / "00_a_solutions.html")
    assert 'id="Part-two"' in read(out / "01_b.html")       # the fragment's target exists
    # navigation: contents, next chapter, solutions; from the solutions back to the chapter
    nav = re.search(r'<nav class="book-nav">(.*?)</nav>', a).group(1)
    assert 'href="index.html"' in nav and 'href="01_b.html"' in nav
    assert 'href="solutions/00_a_solutions.html"' in nav
    sol_nav = re.search(r'<nav class="book-nav">(.*?)</nav>',
                        read(out / "solutions" / "00_a_solutions.html")).group(1)
    assert 'href="../index.html"' in sol_nav and 'href="../00_a.html"' in sol_nav


def test_pages_load_nothing_from_the_network_and_use_the_local_mathjax(course, tmp_path):
    out = tmp_path / "book"
    build(course, out)
    assert os.path.getsize(out / book.MATHJAX_DIR / book.MATHJAX_FILE) > 1_000_000
    for page, mathjax in [("00_a.html", "mathjax/"), ("solutions/00_a_solutions.html", "../mathjax/")]:
        text = read(out / page)
        loads = re.findall(r'<(?:script|img|link|iframe)\b[^>]*?\b(?:src|href)="([^"]*)"', text)
        remote = [u for u in loads if re.match(r"(https?:)?//", u)]
        assert remote == [], f"{page} loads {remote}"
        assert f'src="{mathjax}{book.MATHJAX_FILE}"' in text
    a = read(out / "00_a.html")
    assert "$\\log D(x)$" in a and "$$\\min_G \\max_D V(D, G)$$" in a   # left to MathJax
    assert 'src="data:image/png;base64,' in a                        # the figure, inline


def test_a_widget_output_becomes_a_note(course, tmp_path):
    out = tmp_path / "book"
    build(course, out)
    a = read(out / "00_a.html")
    assert a.count('class="book-widget-note"') == 1
    assert "VBox(children=" not in a and "widget-state" not in a and "unpkg" not in a


def test_a_rebuild_replaces_its_own_book_and_refuses_a_folder_it_did_not_make(course, tmp_path):
    out = tmp_path / "book"
    build(course, out)
    os.remove(course / "01_b.ipynb")
    build(course, out)
    assert not (out / "01_b.html").exists()                 # no stale page of a gone notebook
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("a user's file")
    with pytest.raises(SystemExit, match="is not a web book built by this tool"):
        build(course, mine)
    assert (mine / "notes.txt").read_text() == "a user's file"
