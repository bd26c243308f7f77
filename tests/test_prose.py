"""Issue #34's rule: no run-dependent figure is typed into a notebook's markdown.

`tools/prose_figures.py` finds them: decimals and percentages outside maths and code, except
the methods' constants.  Notebooks whose prose has been rebuilt from their outputs (chapter 7
and whatever is not in `KNOWN`) must have none.  `KNOWN` lists the figures still typed into the
other notebooks when the rule came in, to be taken out as each notebook's prose is rebuilt from
its own outputs; a figure typed anew, or once more than listed, fails here.
"""
import collections
import importlib.util
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("prose_figures",
                                              os.path.join(ROOT, "tools", "prose_figures.py"))
prose = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prose)

KNOWN = {
    'notebooks/04_pix2pix.ipynb': {
        '0.70': 1,          # the chapter's SSIM bar, a constant of its test
    },
}


def test_the_rule_finds_typed_figures_and_spares_maths_code_and_constants():
    text = ("FD fell to 22.6 and accuracy reached 86 % (or 86%); $D(x) = 0.73$, "
            "`lr=2e-4, 0.75`, $$\\frac{1}{2} = 0.5$$, Adam's beta_1 0.5, 6,000 steps.\n"
            "```\nprint(0.61)\n```")
    assert prose.typed_figures(text) == ["22.6", "86 %", "86%"]


def test_a_planted_figure_is_caught():
    nb = {"cells": [{"cell_type": "markdown", "source": ["The generator wins: "
                                                        "SSIM 0.7592 against 0.7495."]},
                    {"cell_type": "code", "source": "print(0.7592)", "outputs": []}]}
    assert prose.notebook_figures(nb) == [(0, "0.7592"), (0, "0.7495")]


def test_no_notebook_types_a_figure_beyond_the_known_ones():
    found = prose.counts()
    assert found, "no notebooks found"
    new = {}
    for rel, figures in found.items():
        extra = figures - collections.Counter(KNOWN.get(rel, {}))
        if extra:
            new[rel] = dict(extra)
    assert not new, (
        "figures typed into markdown (print them from the cell that computes them instead; "
        f"python tools/prose_figures.py lists all): {new}")


def test_the_known_list_only_shrinks():
    """A figure taken out of a notebook leaves the list too, so it cannot come back unseen."""
    found = prose.counts()
    stale = {rel: dict(collections.Counter(figs) - found.get(rel, collections.Counter()))
             for rel, figs in KNOWN.items()}
    stale = {rel: figs for rel, figs in stale.items() if figs}
    assert not stale, f"no longer typed, remove them from KNOWN: {stale}"


CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # any but newline; a tab in prose is too


def control_characters(text):
    """(line number, repr of the character) for each control character but a newline."""
    return [(n, repr(m.group())) for n, line in enumerate(text.split("\n"), 1)
            for m in CONTROL.finditer(line)]


def test_control_characters_are_found():
    # "\big" and "\to" typed into a non-raw Python string become a backspace and a tab
    assert control_characters("$\\sigma\big(x \to 1\big)$\nok") == [
        (1, "'\\x08'"), (1, "'\\t'"), (1, "'\\x08'")]
    assert control_characters("$\\sigma\\big(x \\to 1\\big)$\n") == []


def test_no_notebook_source_holds_a_control_character():
    """A TeX command eaten by a Python escape (\\b, \\t, \\f, \\a) breaks the book's MathJax."""
    bad = {}
    for folder in ("notebooks", os.path.join("notebooks", "src"),
                   os.path.join("notebooks", "solutions")):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith((".py", ".ipynb")):
                rel = os.path.join(folder, name)
                with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
                    found = control_characters(f.read())
                if found:
                    bad[rel] = found[:5]
    assert not bad, f"control characters (write the TeX as \\\\big, \\\\to or use r'...'): {bad}"
