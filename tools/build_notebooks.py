"""Build notebooks/NN_*.ipynb from their sources in notebooks/src/ (jupytext percent format).

    python tools/build_notebooks.py                 # convert all, keep no outputs
    python tools/build_notebooks.py --execute 01    # convert and run in GANLIB_MODE (default class)
    python tools/build_notebooks.py --sync 01       # convert, keep the committed outputs, re-run
                                                    # only the cells that print library source
    python tools/build_notebooks.py --sync 01 --also speed_dcgan.txt   # ... and the cells that
                                                    # contain this text

Sources in notebooks/src/solutions/ (the exercises' worked solutions) become
notebooks/solutions/*.ipynb the same way; a name prefix selects them too (`01` matches both).

`--sync --from-runs` runs *every* cell in order, the training cells loading the notebook's
finished run folders (`notebooks/runs/<mode>/NAME`, which must all be there and complete: the
tool refuses otherwise, so it never trains); cells that are new or changed (or match --also)
take their fresh outputs, every other cell keeps its committed ones, and the tool lists the
unchanged cells whose fresh text output differs from the committed one (a check that the run
folders are the committed run's). For a new cell that measures the committed run.

`--sync` is for library changes that leave the training alone: a code cell whose source is
unchanged keeps its committed outputs; every `show(...)` cell (its output is library source,
not a training result) is executed afresh after the first cell's imports; a changed code cell of
any other kind keeps the outputs of the cell it replaces, and the tool lists each such cell so
the change can be checked to print nothing new (re-execute the notebook otherwise).

Executed notebooks are committed with the outputs their own code produced; nbval later
re-runs them in smoke mode and compares the cells not marked NBVAL_IGNORE_OUTPUT.
"""
import argparse
import re
import glob
import os
import sys
import time

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NB_DIR = os.path.join(ROOT, "notebooks")


def target(src):
    """The notebook a source becomes: notebooks/NAME.ipynb, or notebooks/solutions/NAME.ipynb."""
    sub = "solutions" if os.path.basename(os.path.dirname(src)) == "solutions" else ""
    return os.path.join(NB_DIR, sub, os.path.basename(src)[:-3] + ".ipynb")


def sources():
    """Every notebook source: notebooks/src/*.py and notebooks/src/solutions/*.py."""
    return sorted(glob.glob(os.path.join(NB_DIR, "src", "*.py"))
                  + glob.glob(os.path.join(NB_DIR, "src", "solutions", "*.py")))


def build(src, execute, timeout):
    nb = jupytext.read(src)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata.pop("jupytext", None)
    out = target(src)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if execute:
        t = time.time()
        def progress(cell, cell_index, **_):   # one line per code cell, to follow a long run
            print(f"  cell {cell_index} done after {time.time() - t:.0f} s", file=sys.stderr,
                  flush=True)
        NotebookClient(nb, timeout=timeout, kernel_name="python3", on_cell_executed=progress,
                       resources={"metadata": {"path": os.path.dirname(out)}}).execute()
        print(f"{os.path.basename(out)}: executed in {time.time() - t:.0f} s "
              f"(GANLIB_MODE={os.environ.get('GANLIB_MODE')})")
    nbformat.write(nb, out)
    return out


REFRESHABLE = re.compile(r"^(show\(|print\(|\w+ = \w+\.make_\w+\(.*\)$|.*\.summary\(\)$)")


def is_show_cell(cell):
    """A cell whose output is library source or model structure, not a training result:
    every line is `show(...)`, `print(...)`, `x = family.make_...(...)` or `....summary()`, and
    one of them shows source or a summary."""
    lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
    return (any(ln.startswith("show(") or ln.endswith(".summary()") for ln in lines)
            and all(REFRESHABLE.match(ln) for ln in lines))


RUN_NAME = re.compile(r"runs\.run_dir\((f?)\"([^\"]+)\"")
TIMING = re.compile(r"\d+(\.\d+)?\s*(ms|s|min)\b|ms/step|s/step|after \d+ s")


def check_run_folders(nb):
    """The run folders the notebook's code names, each finished: else exit with a message."""
    import json
    from ganlib import config, runs
    missing = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        code = "\n".join(ln for ln in cell.source.splitlines() if not ln.lstrip().startswith("#"))
        for fstring, name in RUN_NAME.findall(code):
            if fstring:
                sys.exit(f"--from-runs: a cell names its run folder with an f-string ({name!r}); "
                         "re-execute this notebook instead")
            marker = os.path.join(NB_DIR, "runs", config.schedule_mode(), name, runs.MARKER)
            if os.path.isfile(marker):
                with open(marker) as f:
                    if json.load(f).get("complete"):
                        continue
            missing.append(os.path.dirname(marker))
    if missing:
        sys.exit("--from-runs needs the notebook's finished run folders (it never trains); "
                 "missing or unfinished: " + ", ".join(missing))


def text_of(cell):
    return "\n".join(ln for o in cell.get("outputs", []) for ln in
                     (o.get("text", "") or o.get("data", {}).get("text/plain", "")).splitlines()
                     if not TIMING.search(ln))


def sync(src, timeout, also=(), from_runs=False):
    import difflib
    nb = jupytext.read(src)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata.pop("jupytext", None)
    out = target(src)
    old = nbformat.read(out, as_version=4)
    nb.metadata = {**old.metadata, **nb.metadata}  # keeps the saved widget state
    key = lambda c: (c.cell_type, c.source)  # noqa: E731
    matcher = difflib.SequenceMatcher(a=[key(c) for c in old.cells], b=[key(c) for c in nb.cells],
                                      autojunk=False)
    rerun = set()   # cells executed afresh in a plain --sync: show() cells and --also matches
    fresh = set()   # cells that take fresh outputs with --from-runs: those, new and changed ones
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k, j in enumerate(range(j1, j2)):
            new = nb.cells[j]
            i = i1 + k if i1 + k < i2 else None
            if i is not None and old.cells[i].cell_type == new.cell_type:
                new["id"] = old.cells[i].get("id", new.get("id"))
                new.metadata = old.cells[i].metadata
            if new.cell_type != "code":
                continue
            old_code = i is not None and old.cells[i].cell_type == "code"
            if old_code:
                new.outputs = old.cells[i].outputs
                new.execution_count = old.cells[i].execution_count
            if is_show_cell(new) or any(t in new.source for t in also):
                rerun.add(j)
            if tag != "equal" or j in rerun:
                fresh.add(j)
            if from_runs or j in rerun or tag == "equal":
                continue
            if old_code:
                print(f"  cell {j}: changed, committed outputs kept: "
                      f"{new.source.splitlines()[-1][:80]!r}")
            else:
                print(f"  cell {j}: new, no outputs: {new.source.splitlines()[0][:80]!r}")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": os.path.dirname(out)}})
    code = [(j, c) for j, c in enumerate(nb.cells) if c.cell_type == "code"]
    if from_runs:
        check_run_folders(nb)
    with client.setup_kernel():
        if from_runs:
            for j, cell in code:
                kept = cell.outputs, cell.execution_count, dict(cell.metadata)
                client.execute_cell(cell, j)
                print(f"  cell {j} done", file=sys.stderr, flush=True)
                if j in fresh:
                    print(f"  cell {j}: fresh outputs: {cell.source.splitlines()[-1][:80]!r}")
                    continue
                if text_of(cell) != text_of({"outputs": kept[0]}):
                    print(f"  cell {j}: unchanged, but its fresh text output differs from the "
                          f"committed one (kept): {cell.source.splitlines()[-1][:60]!r}")
                cell.outputs, cell.execution_count, cell.metadata = kept
        else:
            first = code[0][1]
            kept = first.outputs, dict(first.metadata)
            client.execute_cell(first, code[0][0])
            first.outputs, first.metadata = kept  # the set-up cell ran for its imports only
            for j, cell in code[1:]:
                if j in rerun:
                    count = cell.execution_count
                    client.execute_cell(cell, j)
                    if count is not None:  # the count of the committed run it belongs to
                        cell.execution_count = count
    nbformat.validator.normalize(nb)
    nbformat.write(nb, out)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", help="prefixes like 01 02 (default: all)")
    ap.add_argument("--execute", action="store_true")
    ap.add_argument("--sync", action="store_true", help="keep outputs; re-run only show() cells")
    ap.add_argument("--also", action="append", default=[], metavar="TEXT",
                    help="with --sync, also re-run the code cells containing TEXT (cells whose "
                         "output does not depend on training, e.g. one that prints a benchmark file)")
    ap.add_argument("--from-runs", action="store_true",
                    help="with --sync, run every cell, the training cells loading the finished "
                         "run folders; new and changed cells take fresh outputs")
    ap.add_argument("--timeout", type=int, default=1800)
    args = ap.parse_args()
    os.environ.setdefault("GANLIB_MODE", "class")
    srcs = sources()
    if args.names:
        srcs = [s for s in srcs if os.path.basename(s).startswith(tuple(args.names))]
    if not srcs:
        sys.exit("no notebook sources matched")
    for s in srcs:
        print(sync(s, args.timeout, args.also, args.from_runs) if args.sync
              else build(s, args.execute, args.timeout))


if __name__ == "__main__":
    main()
