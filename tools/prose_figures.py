#!/usr/bin/env python3
"""Run-dependent figures typed into the notebooks' markdown (issue #34's rule).

    python tools/prose_figures.py            # every typed figure, by notebook and cell

A figure that a run produces (a decimal such as 0.7592 or 29.8, a percentage such as 86 %)
belongs in the output of the cell that computes it, not in markdown, where the next run makes
it wrong.  The rule: in a markdown cell, outside maths (``$...$``, ``$$...$$``), inline code
and code blocks, every decimal number and every percentage is a typed figure, except the
constants of the methods in `CONSTANTS` (a learning rate's β₁, a clip value, D = 1/2, ...),
which hold whatever a run gives.  Whole numbers (steps, image sizes, layer widths) are not
counted: they are settings, not results.
"""
import collections
import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Constants of the methods taught, not results of a run: D's ½, Adam's β₁ and LeakyReLU's
# slope (0.5, 0.2), the DCGAN initialisation (0.02), WGAN's clip value (0.01), pix2pix's class
# adversarial weight (0.25), and the 0.1 / 0.9 of label smoothing and truncation settings.
CONSTANTS = {"0.5", "0.2", "0.02", "0.01", "0.25", "0.1", "0.9"}
FIGURE = re.compile(r"(?<![\w.])(\d+\.\d+|\d+(?:\.\d+)?\s?%)")
_HIDDEN = [re.compile(p, re.S) for p in (r"```.*?```", r"\$\$.*?\$\$", r"\$[^$\n]+\$",
                                          r"`[^`\n]+`", r"<!--.*?-->")]


def typed_figures(markdown):
    """The typed run-dependent figures of one markdown text, in order."""
    for pattern in _HIDDEN:
        markdown = pattern.sub(" ", markdown)
    return [f for f in FIGURE.findall(markdown) if f not in CONSTANTS]


def notebook_figures(nb):
    """[(cell index, figure)] of a parsed notebook's markdown cells."""
    out = []
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "markdown":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            out += [(i, f) for f in typed_figures(source)]
    return out


def all_notebooks(root=ROOT):
    names = glob.glob(os.path.join(root, "notebooks", "*.ipynb")) + \
        glob.glob(os.path.join(root, "notebooks", "solutions", "*.ipynb"))
    return sorted(os.path.relpath(p, root) for p in names)


def counts(root=ROOT):
    """{notebook path: Counter(figure -> times typed)} over every notebook and solution."""
    out = {}
    for rel in all_notebooks(root):
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            out[rel] = collections.Counter(fig for _, fig in notebook_figures(json.load(f)))
    return out


def main():
    total = 0
    for rel in all_notebooks():
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            found = notebook_figures(json.load(f))
        total += len(found)
        for i, fig in found:
            print(f"{rel} cell {i}: {fig}")
    print(f"{total} typed figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
