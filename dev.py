#!/usr/bin/env python3
"""One entry point for people and CI; each command sets itself up first.

    python dev.py lab     # create .venv if needed, install the notebooks' packages, open the
                          # notebooks in JupyterLab (extra arguments go to `jupyter lab`)
    python dev.py book    # ... and the web book's tools; build the course as a static web
                          # book in build/book/ (tools/build_book.py; open build/book/index.html)
    python dev.py test    # ... and the test tools; run the unit tests, the browser tests (the
                          # widget demos in JupyterLab, the web book) and the notebooks
    python dev.py unit    # only the unit tests (CI runs them on a second Python too)
    python dev.py setup   # only create or refresh the environment (everything `test` needs)

Set-up: a virtual environment in .venv with this package and its pinned dependencies.  `lab`
installs only what the notebooks need (`pip install -e .`); `book` adds the extra `book`
(`.[book]`), and `test`, `unit` and `setup` add `book` and `test` (`.[book,test]`).  What is
installed is recorded in .venv/.ganlib-installed with a hash of pyproject.toml: a command whose
set is already there installs nothing, a command that needs more adds it (pip keeps what is
there), and a changed pyproject.toml reinstalls every set installed before.  pip's own
progress is shown.

The unit tests and the notebooks run in several worker processes (pytest-xdist, one test
module or notebook per worker at a time: `--dist loadscope`), as many as the CPU has cores, at
most 4; GANLIB_TEST_WORKERS=N sets the number (1: one process, no xdist).

GANLIB_VENV names another environment folder (CI: GANLIB_VENV=.venv-3.13 python3.13 dev.py
unit), so several Pythons can be tested side by side.

The browser tests (tests/browser: a real JupyterLab and the built web book, driven in a
headless Chromium) need Debian's `chromium` at /usr/bin/chromium (or GANLIB_CHROMIUM); without
it they are skipped with a message, unless GANLIB_BROWSER_TESTS=required (CI), which makes
that a failure.
"""
import codecs
import hashlib
import os
import queue
import subprocess
import sys
import threading
import time
import venv

ROOT = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(ROOT, os.environ.get("GANLIB_VENV", ".venv"))
BIN = os.path.join(VENV, "Scripts" if os.name == "nt" else "bin")
PY = os.path.join(BIN, "python.exe" if os.name == "nt" else "python")
STAMP = os.path.join(VENV, ".ganlib-installed")
PYPROJECT = os.path.join(ROOT, "pyproject.toml")
VENV_NAME = os.path.relpath(VENV, ROOT)
# measured from a fresh clone (see README): pip's download of the notebooks' packages
FIRST_INSTALL = ("about 650 MB (TensorFlow is 570 MB of it) and took 4 to 6 minutes on a "
                 "2-core machine with a fast connection")
CHROMIUM = os.environ.get("GANLIB_CHROMIUM", "/usr/bin/chromium")


def run(*cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, **kw).returncode


def run_with_heartbeat(*cmd, every=20.0, out=None):
    """Run cmd (pip), copying its output as it comes; whenever it has printed nothing for
    `every` seconds, say how long it has been working, so that a long silent step (pip
    unpacking TensorFlow prints nothing for minutes) does not look like a hang.  On a terminal
    pip keeps its live progress bars (FORCE_COLOR: it draws them through the pipe).
    Returns the exit status."""
    out = out or sys.stdout
    print("+", " ".join(cmd), file=out, flush=True)
    env = dict(os.environ)
    if out.isatty():
        env.setdefault("FORCE_COLOR", "1")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    chunks = queue.Queue()

    def reader():  # a thread, not select(): pipes cannot be polled on Windows
        while True:
            chunk = os.read(proc.stdout.fileno(), 65536)
            chunks.put(chunk)
            if not chunk:
                return

    threading.Thread(target=reader, daemon=True).start()
    decode = codecs.getincrementaldecoder("utf-8")("replace").decode
    start = quiet_since = time.monotonic()
    at_line_start = True
    while True:
        try:
            chunk = chunks.get(timeout=min(1.0, every))
        except queue.Empty:
            now = time.monotonic()
            if now - quiet_since >= every:
                m, sec = divmod(int(now - start), 60)
                print(("" if at_line_start else "\n") + f"  ... still working, {m} min {sec:02d} s "
                      f"so far (pip prints nothing while it downloads or unpacks a large package "
                      f"such as TensorFlow)", file=out, flush=True)
                quiet_since, at_line_start = now, True
            continue
        if not chunk:
            break
        text = decode(chunk)
        out.write(text)
        out.flush()
        quiet_since = time.monotonic()
        at_line_start = text.endswith("\n") if text else at_line_start
    return proc.wait()


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


# What each command installs: `pip install -e .` is the notebooks' own set (TensorFlow,
# JupyterLab, ...); the extras add the web book's tools and the test tools (pyproject.toml).
EXTRAS = {"lab": (), "book": ("book",), "test": ("book", "test"), "unit": ("book", "test"),
          "setup": ("book", "test")}
WHAT = {(): "the notebooks' packages (TensorFlow, Keras, JupyterLab, matplotlib, ...)",
        "book": "the web book's tools (nbconvert, a local MathJax)",
        "test": "the test tools (pytest, nbval, jupytext, Playwright, pytest-xdist)"}


def read_stamp(path=None):
    """What the last install put in .venv: (sha256 of its pyproject.toml, set of extras), or
    None when there was none.  A stamp written before the extras were split holds the hash
    alone; that install was `.[test]`."""
    try:
        with open(path or STAMP) as f:
            lines = f.read().split()
    except FileNotFoundError:
        return None
    if not lines:
        return None
    extras = lines[1].split(",") if len(lines) > 1 and lines[1] != "-" else []
    return lines[0], frozenset(extras if len(lines) > 1 else ["test"])


def write_stamp(digest, extras, path=None):
    with open(path or STAMP, "w") as f:
        f.write(f"{digest}\n{','.join(sorted(extras)) or '-'}\n")


def install_plan(stamp, digest, want):
    """What to install for a command that needs the extras `want`, given the stamp of what
    is installed and the hash of pyproject.toml now: (extras to install, a line saying what is
    done and why), or None when the environment already has them.  What is installed is kept:
    a .venv that `dev.py lab` set up gets the test tools added by `dev.py test` (pip leaves
    the rest in place), and a changed pyproject.toml refreshes every set installed before."""
    want = frozenset(want)
    if stamp is None:
        todo = tuple(sorted(want))
        return todo, (f"installing {describe(todo, base=True)} into {VENV_NAME}: a first install "
                      f"downloads {FIRST_INSTALL}; pip shows its progress below")
    have_digest, have = stamp
    todo = tuple(sorted(want | have))
    if have_digest != digest:
        return todo, (f"pyproject.toml changed since the last install: updating {VENV_NAME} "
                      f"({describe(todo, base=True)}); pip keeps what is already right")
    if want <= have:
        return None
    return todo, (f"adding {describe(sorted(want - have))} to {VENV_NAME} (for this command); "
                  f"pip keeps what is there")


def describe(extras, base=False):
    return " and ".join([WHAT[()]] * base + [WHAT[e] for e in extras])


def pip_target(extras):
    return ".[" + ",".join(extras) + "]" if extras else "."


def setup(extras=EXTRAS["setup"]):
    reason = stale_venv_reason(VENV, PY)
    if reason:
        print(f"{reason}: rebuilding it", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if not os.path.exists(PY):
        print(f"creating the virtual environment {VENV} (Python {sys.version.split()[0]})",
              flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    with open(PYPROJECT, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    stamp = read_stamp()
    plan = install_plan(stamp, digest, extras)
    if plan is None:
        return
    todo, message = plan
    print(message, flush=True)
    t = time.monotonic()
    if run_with_heartbeat(PY, "-m", "pip", "install", "--disable-pip-version-check", "-e",
                          pip_target(todo)):
        sys.exit("installing the dependencies failed (see pip's message above)")
    write_stamp(digest, todo)
    print(f"installed in {time.monotonic() - t:.0f} s", flush=True)


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
    if cmd not in EXTRAS:
        sys.exit(__doc__)
    setup(EXTRAS[cmd])
    if cmd == "setup":
        sys.exit(0)
    env = dict(os.environ)
    if cmd == "lab":
        print("starting JupyterLab on notebooks/: it opens in your browser (or open the "
              "http://127.0.0.1:.../lab?token=... address it prints); start with chapter 0, "
              "00_gan_2d.ipynb. Stop it with Ctrl+C.", flush=True)
        os.execve(PY, [PY, "-m", "jupyter", "lab", "--notebook-dir=notebooks"] + sys.argv[2:], env)
    if cmd == "book":
        sys.exit(run(PY, os.path.join("tools", "build_book.py"), *sys.argv[2:], env=env))
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
