"""The exercises' worked solutions (notebooks/src/solutions/*.py) pass their checks.

Each solution source runs as a plain script; every `ganlib.check` line it prints must be a
pass (✓), and it must print at least one (wrong answers failing is tests/test_check.py's job).
"""
import glob
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOLUTIONS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "src", "solutions", "*.py")))


def test_every_chapter_has_a_solutions_source():
    chapters = sorted(os.path.basename(p)[:2] for p in
                      glob.glob(os.path.join(ROOT, "notebooks", "src", "[0-9][0-9]_*.py")))
    assert sorted(os.path.basename(p)[:2] for p in SOLUTIONS) == chapters


@pytest.mark.parametrize("path", SOLUTIONS, ids=os.path.basename)
def test_solutions_pass_their_checks(path):
    env = dict(os.environ, MPLBACKEND="Agg", GANLIB_MODE="smoke")
    out = subprocess.run([sys.executable, path], capture_output=True, text=True, env=env,
                         cwd=os.path.dirname(path), timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    verdicts = [ln for ln in out.stdout.splitlines() if ln.startswith(("✓", "✗"))]
    assert verdicts, f"{os.path.basename(path)} ran no check:\n{out.stdout[-2000:]}"
    failed = [ln for ln in verdicts if ln.startswith("✗")]
    assert not failed, "\n".join(failed)
