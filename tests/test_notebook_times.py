"""tools/notebook_times.py reads a committed notebook's run time from its cells' records."""
import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("notebook_times",
                                              os.path.join(ROOT, "tools", "notebook_times.py"))
notebook_times = importlib.util.module_from_spec(spec)
spec.loader.exec_module(notebook_times)


def cell(start, end, text=""):
    return {"cell_type": "code", "outputs": [{"output_type": "stream", "text": text}],
            "metadata": {"execution": {"iopub.execute_input": start, "shell.execute_reply": end}}}


def test_time_is_the_sum_of_the_cells_own_times_and_mode_precision_come_from_the_outputs():
    nb = {"cells": [
        cell("2026-01-01T10:00:00Z", "2026-01-01T10:00:05Z",
             "run mode: class  (set ...)\nprecision: float32  (set ...)\n"),
        {"cell_type": "markdown", "source": "x"},
        cell("2026-01-01T10:00:05Z", "2026-01-01T10:10:05Z"),
        # a cell re-run by --sync a day later counts its own 2 s, not the day between
        cell("2026-01-02T09:00:00Z", "2026-01-02T09:00:02Z"),
    ]}
    t = notebook_times.notebook_time(nb)
    assert t == {"seconds": 607.0, "mode": "class", "precision": "float32"}
    assert notebook_times.notebook_time({"cells": [{"cell_type": "code", "outputs": [],
                                                    "metadata": {}}]}) is None


def test_every_committed_chapter_has_a_timing_record():
    found = dict(notebook_times.rows())
    assert "01_dcgan.ipynb" in found
    assert all(t is not None and t["seconds"] > 0 for t in found.values()), found


def test_mode_and_precision_come_from_the_one_line_of_describe_run():
    nb = {"cells": [cell("2026-01-01T10:00:00Z", "2026-01-01T10:00:03Z",
                         "class mode, mixed_bfloat16: 6,000 generator steps   (GANLIB_MODE: ...)\n")]}
    t = notebook_times.notebook_time(nb)
    assert (t["mode"], t["precision"]) == ("class", "mixed_bfloat16")


def test_history_finds_the_newest_class_run_of_each_precision_in_git(tmp_path):
    """`--history`: a re-execution in float32 keeps the older bfloat16 time reachable; smoke
    runs and versions without a timing record are skipped; the newest of each precision wins."""
    import json
    import subprocess

    def commit(precision, seconds, mode="class"):
        nb = {"cells": [cell("2026-01-01T10:00:00Z", f"2026-01-01T10:{seconds // 60:02d}:00Z",
                             f"{mode} mode, {precision}: 100 generator steps\n")]}
        (tmp_path / "notebooks" / "01_x.ipynb").write_text(json.dumps(nb))
        subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm",
                        f"{precision} {seconds}"], cwd=tmp_path, check=True)
    (tmp_path / "notebooks").mkdir()
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    commit("mixed_bfloat16", 600)
    commit("mixed_bfloat16", 300)
    commit("float32", 1200, mode="smoke")
    commit("float32", 1500)
    found = notebook_times.history(str(tmp_path / "notebooks"))
    assert {p: r["seconds"] for p, r in found["01_x.ipynb"].items()} == \
        {"float32": 1500.0, "mixed_bfloat16": 300.0}
    table = notebook_times.history_table(found)
    assert "| `01_x.ipynb` | 25.0 min (" in table and "| 5.0 min (" in table


def test_the_readme_times_table_is_the_one_the_history_gives():
    """The README's chapter times are `notebook_times.py --history --markdown`, not typed: a
    notebook re-executed without regenerating the table fails here."""
    import subprocess
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT,
                             capture_output=True, text=True)
    if shallow.returncode or shallow.stdout.strip() == "true":
        pytest.skip("needs the repository's git history")
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    assert notebook_times.history_table(notebook_times.history()) in readme
