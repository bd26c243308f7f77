"""tools/notebook_times.py reads a committed notebook's run time from its cells' records."""
import importlib.util
import os

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
