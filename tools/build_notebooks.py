"""Build notebooks/NN_*.ipynb from their sources in notebooks/src/ (jupytext percent format).

    python tools/build_notebooks.py                 # convert all, keep no outputs
    python tools/build_notebooks.py --execute 01    # convert and run in GANLIB_MODE (default class)

Executed notebooks are committed with the outputs their own code produced; nbval later
re-runs them in smoke mode and compares the cells not marked NBVAL_IGNORE_OUTPUT.
"""
import argparse
import glob
import os
import sys
import time

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NB_DIR = os.path.join(ROOT, "notebooks")


def build(src, execute, timeout):
    nb = jupytext.read(src)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata.pop("jupytext", None)
    out = os.path.join(NB_DIR, os.path.basename(src)[:-3] + ".ipynb")
    if execute:
        t = time.time()
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": NB_DIR}}).execute()
        print(f"{os.path.basename(out)}: executed in {time.time() - t:.0f} s "
              f"(GANLIB_MODE={os.environ.get('GANLIB_MODE')})")
    nbformat.write(nb, out)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", help="prefixes like 01 02 (default: all)")
    ap.add_argument("--execute", action="store_true")
    ap.add_argument("--timeout", type=int, default=1800)
    args = ap.parse_args()
    os.environ.setdefault("GANLIB_MODE", "class")
    srcs = sorted(glob.glob(os.path.join(NB_DIR, "src", "*.py")))
    if args.names:
        srcs = [s for s in srcs if os.path.basename(s).startswith(tuple(args.names))]
    if not srcs:
        sys.exit("no notebook sources matched")
    for s in srcs:
        print(build(s, args.execute, args.timeout))


if __name__ == "__main__":
    main()
