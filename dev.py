#!/usr/bin/env python3
"""One entry point for people and CI; each command sets itself up first.

    python dev.py lab     # create .venv if needed, install, open the notebooks in JupyterLab
    python dev.py test    # create .venv if needed, install, run the unit tests, the browser
                          # tests of the widget demos, and the notebooks
    python dev.py unit    # only the unit tests (CI runs them on a second Python too)
    python dev.py setup   # only create or refresh the environment

The unit tests and the notebooks run in several worker processes (pytest-xdist, one test
module or notebook per worker at a time: `--dist loadscope`), as many as the CPU has cores, at
most 4; GANLIB_TEST_WORKERS=N sets the number (1: one process, no xdist).

GANLIB_VENV names another environment folder (CI: GANLIB_VENV=.venv-3.13 python3.13 dev.py
unit), so several Pythons can be tested side by side.

Set-up: a virtual environment in .venv with this package and its pinned dependencies
(`pip install -e ".[test]"`), redone only when pyproject.toml changes.

The browser tests (tests/browser: a real JupyterLab driven in a headless Chromium) need
Debian's `chromium` at /usr/bin/chromium (or GANLIB_CHROMIUM); without it they are skipped
with a message, unless GANLIB_BROWSER_TESTS=required (CI), which makes that a failure.
"""
import hashlib
import os
import subprocess
import sys
import time
import venv

ROOT = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(ROOT, os.environ.get("GANLIB_VENV", ".venv"))
BIN = os.path.join(VENV, "Scripts" if os.name == "nt" else "bin")
PY = os.path.join(BIN, "python.exe" if os.name == "nt" else "python")
STAMP = os.path.join(VENV, ".ganlib-installed")
CHROMIUM = os.environ.get("GANLIB_CHROMIUM", "/usr/bin/chromium")


def run(*cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, **kw).returncode


def venv_version(py=PY):
    """The (major, minor) version of the Python in .venv, or None if it does not run."""
    try:
        out = subprocess.run([py, "-c", "import sys; print(*sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.stdout.split()
    return tuple(int(p) for p in parts) if out.returncode == 0 and len(parts) == 2 else None


def stale_venv_reason(venv_dir=VENV, py=PY, want=sys.version_info[:2]):
    """Why an existing .venv must be rebuilt for this Python (None when it is fine or absent)."""
    if not os.path.isdir(venv_dir):
        return None
    have = venv_version(py)
    if have is None:
        return f"{venv_dir} has no working Python (made by a Python that is gone?)"
    if have != tuple(want):
        return (f"{venv_dir} was made by Python {have[0]}.{have[1]}; this is "
                f"Python {want[0]}.{want[1]}")
    return None


def setup():
    reason = stale_venv_reason()
    if reason:
        print(f"{reason}: rebuilding it", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if not os.path.exists(PY):
        print(f"creating virtual environment {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        want = hashlib.sha256(f.read()).hexdigest()
    have = open(STAMP).read().strip() if os.path.exists(STAMP) else ""
    if have != want:
        if run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]"):
            sys.exit("installing the dependencies failed (see pip's message above)")
        with open(STAMP, "w") as f:
            f.write(want)


def worker_args(env=None, cpus=None):
    """pytest's arguments for running tests in parallel worker processes (pytest-xdist).

    `--dist loadscope` keeps a test module (its module fixtures) and a notebook (its cells share
    one kernel, in order) on one worker.  Each worker is a TensorFlow process of up to ~3 GB.
    """
    env = os.environ if env is None else env
    raw = env.get("GANLIB_TEST_WORKERS", "").strip()
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            sys.exit(f"GANLIB_TEST_WORKERS must be a whole number of at least 1, got {raw!r}")
        n = int(raw)
    else:
        n = max(1, min(4, cpus or os.cpu_count() or 1))
    return [] if n == 1 else ["-n", str(n), "--dist", "loadscope"]


def chromium_missing(path=CHROMIUM):
    """Why the browser tests cannot run on this machine (None when they can)."""
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return None
    return f"no Chromium at {path} (apt-get install chromium)"


def browser_tests(extra=(), env=None, chromium=CHROMIUM, runner=None):
    """Run tests/browser once; without a Chromium say plainly that they are skipped (exit
    status 0), or fail when GANLIB_BROWSER_TESTS=required."""
    env = dict(os.environ) if env is None else env
    missing = chromium_missing(chromium)
    if missing:
        if env.get("GANLIB_BROWSER_TESTS") == "required":
            print(f"browser tests (tests/browser) FAILED: {missing}; "
                  f"GANLIB_BROWSER_TESTS=required", flush=True)
            return 1
        print(f"browser tests (tests/browser) skipped: {missing}", flush=True)
        return 0
    start = time.monotonic()
    rc = (runner or run)(PY, "-m", "pytest", "tests/browser", "-v", *extra,
                         env=dict(env, GANLIB_CHROMIUM=chromium))
    print(f"browser tests (tests/browser) wall time: {time.monotonic() - start:.0f} s", flush=True)
    return rc


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd not in ("lab", "test", "unit", "setup"):
        sys.exit(__doc__)
    setup()
    if cmd == "setup":
        sys.exit(0)
    env = dict(os.environ)
    if cmd == "lab":
        os.execve(PY, [PY, "-m", "jupyter", "lab", "--notebook-dir=notebooks"] + sys.argv[2:], env)
    extra = sys.argv[2:]
    workers = worker_args(env)
    rc = run(PY, "-m", "pytest", "tests", "--ignore=tests/browser", *workers, *extra, env=env)
    if cmd == "unit":
        sys.exit(rc)
    rc_browser = browser_tests(extra, env)
    rc_nb = run(PY, "-m", "pytest", "--nbval", "notebooks/", *workers, *extra, env=env)
    sys.exit(rc or rc_browser or rc_nb)


if __name__ == "__main__":
    main()
