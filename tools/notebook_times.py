#!/usr/bin/env python3
"""How long each committed notebook took to run, read from its own cells' execution records.

    python tools/notebook_times.py              # one line per notebook
    python tools/notebook_times.py --markdown   # the same as a Markdown table (for the README)

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


def main(argv=None):
    markdown = "--markdown" in (argv if argv is not None else sys.argv[1:])
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
