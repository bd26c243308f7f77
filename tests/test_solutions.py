"""The exercises' worked solutions pass their checks.

The solutions notebooks are executed by CI's nbval run, which compares each check cell's
printed verdict with the committed one; so the committed verdicts must all be passes (✓), each
solutions notebook must print at least one (wrong answers failing is tests/test_check.py's
job), and a check cell may hide its output from nbval only if it also raises on a failure
(an ``assert``).  Running the sources again as scripts would repeat nbval's work;
tests/test_build_notebooks.py holds every committed notebook to its source's cells, so what
nbval runs is what the sources say.
"""
import glob
import os

import nbformat
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NB_DIR = os.path.join(ROOT, "notebooks")
SOLUTIONS = sorted(glob.glob(os.path.join(NB_DIR, "solutions", "*.ipynb")))
VERDICT = ("✓", "✗")


def test_every_chapter_has_a_solutions_source():
    chapters = sorted(os.path.basename(p)[:2] for p in
                      glob.glob(os.path.join(NB_DIR, "src", "[0-9][0-9]_*.py")))
    assert chapters
    assert sorted(os.path.basename(p)[:2]
                  for p in glob.glob(os.path.join(NB_DIR, "src", "solutions", "*.py"))) == chapters
    assert sorted(os.path.basename(p)[:2] for p in SOLUTIONS) == chapters


def verdicts(cell):
    text = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
    return [ln for ln in text.splitlines() if ln.startswith(VERDICT)]


@pytest.mark.parametrize("path", SOLUTIONS, ids=os.path.basename)
def test_solutions_pass_their_checks(path):
    nb = nbformat.read(path, 4)
    checked = [c for c in nb.cells if c.cell_type == "code" and verdicts(c)]
    assert checked, f"{os.path.basename(path)} ran no check"
    failed = [ln for c in checked for ln in verdicts(c) if ln.startswith("✗")]
    assert not failed, "\n".join(failed)
    for c in checked:
        assert "NBVAL_SKIP" not in c.source and "nbval-skip" not in c.metadata.get("tags", []), \
            f"a check cell of {os.path.basename(path)} is skipped by nbval:\n{c.source[:300]}"
        if "NBVAL_IGNORE_OUTPUT" in c.source or "nbval-ignore-output" in c.metadata.get("tags", []):
            assert "assert " in c.source, (
                f"a check cell of {os.path.basename(path)} hides its verdict from nbval and does "
                f"not raise on a failure:\n{c.source[:300]}")
