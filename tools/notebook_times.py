#!/usr/bin/env python3
"""How long each committed notebook took to run, read from its own cells' execution records.

    python tools/notebook_times.py              # one line per notebook
    python tools/notebook_times.py --markdown   # the same as a Markdown table (for the README)
    python tools/notebook_times.py --history [--markdown]
        # per notebook, the newest class-mode run of each precision in the git history

A notebook executed by `tools/build_notebooks.py --execute` keeps, in every code cell's
metadata, when the kernel started and finished it (nbclient's timing record).  The wall time
is the sum of the cells' own times (cells re-run later by ``--sync`` keep their new, short
times, so a span from first to last timestamp would be wrong); the run mode and precision are
the ones its first cell printed.  These are the times of the committed outputs, on whatever machine
made them: compare two notebooks only when the same machine and precision made both.
"""
import datetime
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _when(stamp):
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def notebook_time(nb):
    """``dict(seconds, mode, precision)`` of an executed notebook (a parsed .ipynb), or None
    where its cells carry no timing record."""
    seconds, timed, text = 0.0, False, []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        record = cell.get("metadata", {}).get("execution", {})
        start = record.get("iopub.execute_input") or record.get("shell.execute_reply.started")
        if start and record.get("shell.execute_reply"):
            seconds += (_when(record["shell.execute_reply"]) - _when(start)).total_seconds()
            timed = True
        for out in cell.get("outputs", []):
            text.append("".join(out.get("text", "")))
    if not timed:
        return None
    joined = "\n".join(text)
    # `config.describe_run`'s line ("class mode, float32: ..."), or the older two lines
    line = re.search(r"^(smoke|class|full|pretrained) mode, (\w+)", joined, re.M)
    mode = line or re.search(r"run mode: (\w+)", joined)
    precision = re.search(r"precision: (\w+)", joined)
    return {"seconds": seconds,
            "mode": mode.group(1) if mode else "not printed",
            "precision": line.group(2) if line else precision.group(1) if precision
            else "not printed"}


def rows(folder=os.path.join(ROOT, "notebooks")):
    for path in sorted(glob.glob(os.path.join(folder, "[0-9][0-9]_*.ipynb"))):
        with open(path, encoding="utf-8") as f:
            yield os.path.basename(path), notebook_time(json.load(f))


PRECISION_COLUMNS = ("float32", "mixed_bfloat16")


def history(folder=os.path.join(ROOT, "notebooks"), mode="class", git="git"):
    """{notebook: {precision: dict(seconds, date, commit)}}: for each committed notebook, the
    newest version in the git history that was executed in `mode` with each precision (a
    re-execution in one precision leaves the other's time in an earlier commit)."""
    top = subprocess.run([git, "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True,
                         text=True, check=True).stdout.strip()
    out = {}
    for path in sorted(glob.glob(os.path.join(folder, "[0-9][0-9]_*.ipynb"))):
        rel = os.path.relpath(os.path.realpath(path), os.path.realpath(top))
        log = subprocess.run([git, "log", "--format=%H %cs", "--", rel], cwd=top,
                             capture_output=True, text=True, check=True).stdout.split("\n")
        found = {}
        for line in filter(None, log):
            commit, date = line.split()
            text = subprocess.run([git, "show", f"{commit}:{rel}"], cwd=top, capture_output=True,
                                  text=True).stdout
            try:
                t = notebook_time(json.loads(text))
            except ValueError:
                continue
            if t and t["mode"] == mode and t["precision"] not in found:
                found[t["precision"]] = dict(seconds=t["seconds"], date=date, commit=commit[:7])
            if all(p in found for p in PRECISION_COLUMNS):
                break
        out[os.path.basename(path)] = found
    return out


def history_table(found, markdown=True):
    lines = ["| notebook | float32 | bfloat16 (mixed_bfloat16) |", "|---|---|---|"] \
        if markdown else []
    for name, runs in found.items():
        cells = [f"{runs[p]['seconds'] / 60:.1f} min ({runs[p]['date']})" if p in runs
                 else "not measured" for p in PRECISION_COLUMNS]
        lines.append(f"| `{name}` | {cells[0]} | {cells[1]} |" if markdown
                     else f"{name}: float32 {cells[0]}; mixed_bfloat16 {cells[1]}")
    return "\n".join(lines)


def main(argv=None):
    argv = argv if argv is not None else sys.argv[1:]
    markdown = "--markdown" in argv
    if "--history" in argv:
        print(history_table(history(), markdown))
        return
    if markdown:
        print("| notebook | committed run | precision | wall time |\n|---|---|---|---|")
    for name, t in rows():
        if t is None:
            print(f"| `{name}` | not executed | | |" if markdown else f"{name}: no timing record")
            continue
        minutes = f"{t['seconds'] / 60:.1f} min"
        print(f"| `{name}` | {t['mode']} | {t['precision']} | {minutes} |" if markdown
              else f"{name}: {t['mode']} mode, {t['precision']}, {minutes}")


if __name__ == "__main__":
    main()
