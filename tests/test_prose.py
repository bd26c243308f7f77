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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("prose_figures",
                                              os.path.join(ROOT, "tools", "prose_figures.py"))
prose = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prose)

KNOWN = {
    'notebooks/01_dcgan.ipynb': {
        '0.096': 1, '0.099': 1, '0.1225': 1, '0.128': 1, '1.00': 2, '14.5': 1, '2.8': 1,
        '22.6': 1, '90 %': 1,
    },
    'notebooks/02_acgan.ipynb': {
        '0.05': 1, '0.53': 1, '0.58': 1, '0.59': 1, '0.6': 2, '0.60': 1, '0.63': 2, '0.64': 1,
        '0.65': 1, '1.0': 1, '1.5': 1, '18.8': 1, '2.5': 1, '29.8': 1, '62 %': 2, '66 %': 1,
        '80 %': 1, '81.5': 1, '87.0': 1, '89 %': 1, '90 %': 1, '92.7': 1, '92.8': 1, '94 %': 1,
        '95.0': 1, '95.1': 1, '98.3': 1,
    },
    'notebooks/03_infogan.ipynb': {
        '0.03': 1, '0.030': 1, '0.031': 1, '0.049': 1, '0.07': 1, '0.24': 1, '0.35': 2,
        '0.39': 1, '0.4': 1, '0.40': 2, '0.42': 4, '0.6': 1, '0.65': 2, '0.74': 2, '0.80': 1,
        '0.81': 3, '10 %': 2, '10%': 2, '100 %': 1, '100%': 1, '14.0': 1, '14.9': 1, '23 %': 1,
        '4.4': 1, '57 %': 1, '66 %': 1, '74 %': 1, '75 %': 1, '77.1': 1, '80 %': 2, '85 %': 2,
        '86 %': 2, '86.2': 2, '86.3': 1, '88 %': 1, '90.6': 1, '91.4': 1, '94.4': 1, '98.1': 1,
        '98.9': 1,
    },
    'notebooks/04_pix2pix.ipynb': {
        '0.0324': 1, '0.0326': 1, '0.70': 1, '0.735': 1, '0.736': 1, '0.740': 1, '0.7495': 1,
        '0.750': 1, '0.757': 1, '0.7574': 1, '0.759': 1, '0.7592': 1, '0.7615': 1, '0.83': 1,
        '0.893': 1, '0.908': 1, '1.00': 1, '1.06': 1, '1.15': 1, '1.18': 1, '14.6': 1,
        '24.5': 1, '25.0': 1, '29.8': 1, '7.3': 1,
    },
    'notebooks/05_wgan.ipynb': {
        '1 %': 1, '3.7': 3, '5.3': 1, '5.4': 2, '6.4': 3, '7.7': 2, '7.9': 1,
    },
    'notebooks/06_lsgan.ipynb': {
        '0 %': 1, '0.018': 1, '0.04': 1, '1 %': 1, '1.1': 1, '102.1': 1, '102.4': 1, '104.8': 1,
        '105.5': 1, '108.6': 1, '112.7': 1, '2.3': 1, '6.74': 1, '6.85': 1, '6.90': 1,
        '65.6': 1, '69.4': 1, '7.18': 1, '7.33': 1, '7.72': 1, '90 %': 1, '91.0': 1, '91.8': 1,
        '92 %': 1, '98%': 1,
    },
    'notebooks/solutions/01_dcgan_solutions.ipynb': {
        '0.69': 1, '0.693': 1,
    },
    'notebooks/solutions/02_acgan_solutions.ipynb': {
        '10 %': 1,
    },
    'notebooks/solutions/03_infogan_solutions.ipynb': {
        '0.030': 1, '0.031': 1, '0.049': 1,
    },
    'notebooks/solutions/04_pix2pix_solutions.ipynb': {
        '0.733': 1, '0.736': 1, '0.743': 1, '0.7541': 1, '0.757': 1, '0.7574': 1, '0.7615': 1,
        '0.7685': 1, '0.772': 1, '0.84': 1, '0.85': 1, '1.09': 1, '1.1': 1, '1.18': 1,
        '1.22': 1,
    },
    'notebooks/solutions/06_lsgan_solutions.ipynb': {
        '0.018': 1,
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
