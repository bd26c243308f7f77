"""Interrupt a notebook's class-mode run, resume it, then check that nbval leaves the run alone.

    .venv/bin/python benchmarks/resume_check.py 01_dcgan --interrupt-after 120

1. copies the notebooks into a scratch folder (nothing of yours is touched);
2. runs the notebook in `class` mode and interrupts the kernel `--interrupt-after` seconds into
   its training cell, as a teacher pressing "stop" would;
3. restarts the kernel and runs the whole notebook again: the training cell resumes from the
   run folder's backup;
4. prints what the run folder and the outputs say (generator steps, logged intervals, metric
   records), then runs `pytest --nbval` (smoke mode) on the notebook and compares every file of
   the class run folder, byte for byte, before and after.
"""
import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fingerprint(folder):
    out = {}
    for root, _, files in os.walk(folder):
        for f in sorted(files):
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, folder)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def training_cell(nb, name):
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code" and f'runs.run_dir("{name}")' in c.source:
            return i
    sys.exit(f"no training cell with runs.run_dir({name!r}) in the notebook")


def run(nb, workdir, interrupt_index=None, after=None, timeout=3600):
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": workdir}})
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            timer = None
            if i == interrupt_index:
                pid = client.km.provisioner.process.pid  # the kernel: SIGINT is "stop" in Jupyter
                timer = threading.Timer(after, os.kill, (pid, signal.SIGINT))
                timer.start()
            try:
                client.execute_cell(cell, i)
            except CellExecutionError as e:
                if i == interrupt_index and "KeyboardInterrupt" in str(e):
                    return "interrupted"
                raise
            finally:
                if timer:
                    timer.cancel()
    return "finished"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook", help="e.g. 01_dcgan")
    ap.add_argument("--interrupt-after", type=float, default=120.0)
    args = ap.parse_args()
    scratch = tempfile.mkdtemp(prefix="ganlib-resume-check-")
    nbdir = os.path.join(scratch, "notebooks")
    shutil.copytree(os.path.join(ROOT, "notebooks"), nbdir,
                    ignore=shutil.ignore_patterns("runs", ".ipynb_checkpoints"))
    shutil.copy(os.path.join(ROOT, "conftest.py"), scratch)
    shutil.copy(os.path.join(ROOT, "pyproject.toml"), scratch)
    path = os.path.join(nbdir, args.notebook + ".ipynb")
    os.environ["GANLIB_MODE"] = "class"
    run_folder = os.path.join(nbdir, "runs", "class", args.notebook)

    nb = nbformat.read(path, as_version=4)
    idx = training_cell(nb, args.notebook)
    t = time.time()
    state = run(nb, nbdir, idx, args.interrupt_after)
    info = json.load(open(os.path.join(run_folder, "ganlib-run.json")))
    print(f"first run: {state} after {time.time() - t:.0f} s; the backup holds "
          f"{info.get('steps')} generator steps ({info.get('intervals_done')} intervals)")

    nb = nbformat.read(path, as_version=4)
    t = time.time()
    state = run(nb, nbdir)
    info = json.load(open(os.path.join(run_folder, "ganlib-run.json")))
    text = "".join(o.get("text", "") for o in nb.cells[idx].outputs if o.get("name") == "stdout")
    resumed = [ln for ln in text.splitlines() if ln.startswith("Run folder")]
    hist = json.load(open(os.path.join(run_folder, "history.json")))
    lengths = {k: len(v) for k, v in hist["history"].items()}
    records = {k: len(v["steps"]) for k, v in hist["callbacks"].items()}
    print(f"second run (fresh kernel, Run All): {state} in {time.time() - t:.0f} s")
    print(f"  training cell said: {resumed[0] if resumed else '(no resume line)'}")
    print(f"  run folder: complete={info['complete']}, generator steps={info['steps']}, "
          f"intervals={info['intervals_done']}; history.json entries per loss: {lengths}; "
          f"metric records: {records}")

    before = fingerprint(run_folder)
    env = dict(os.environ, GANLIB_MODE="smoke")
    t = time.time()
    rc = subprocess.call([sys.executable, "-m", "pytest", "-q", "--nbval", "-p",
                          "no:cacheprovider", os.path.join("notebooks", args.notebook + ".ipynb")],
                         cwd=scratch, env=env, stdout=subprocess.DEVNULL)
    after = fingerprint(run_folder)
    print(f"pytest --nbval (smoke) exit {rc} in {time.time() - t:.0f} s; class run folder "
          f"{'byte-identical' if after == before else 'CHANGED'} ({len(before)} files)")
    shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
