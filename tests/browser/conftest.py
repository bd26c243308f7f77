"""A real JupyterLab and a real (headless) Chromium for the widget demos' browser tests.

One JupyterLab server serves every test of the session: it runs on a free port of 127.0.0.1
with a random token, in `smoke` mode, with settings, workspace, runtime, config and data
folders of its own and a temporary copy of the widget notebooks; it is stopped (its kernels
with it) through its own shutdown API, and the exact process this fixture started is then
waited for, terminated or killed.

Playwright drives the system Chromium (Debian's `chromium` package); it never downloads a
browser of its own.  Without a Chromium at CHROMIUM these tests are skipped with a message.

Environment:
  GANLIB_CHROMIUM       the browser to launch (default /usr/bin/chromium)
  GANLIB_BROWSER_TREE   a checkout of this repository whose notebooks and ganlib are tested
                        instead of this one (e.g. a `git worktree` of an older commit, to see
                        a test fail before a fix)
"""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHROMIUM = os.environ.get("GANLIB_CHROMIUM", "/usr/bin/chromium")
NOTEBOOKS = ("02_acgan.ipynb", "03_infogan.ipynb", "04_pix2pix.ipynb", "00_gan_2d.ipynb")
SKIP_REASON = f"no Chromium at {CHROMIUM} (apt-get install chromium)"

# JupyterLab settings for a quiet, deterministic page: every cell stays in the DOM (no
# virtual scrolling), no news or update checks.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


TIMINGS = pytest.StashKey[dict]()


def chromium_available():
    return os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def timings(request):
    """Seconds per step ({what: s}), printed at the end of the run."""
    return request.config.stash.setdefault(TIMINGS, {})


RATES = pytest.StashKey[dict]()


@pytest.fixture(scope="session")
def rates(request):
    """Rates measured in the browser ({what: (value, unit)}), printed at the end of the run."""
    return request.config.stash.setdefault(RATES, {})


def pytest_terminal_summary(terminalreporter, config):
    times = config.stash.get(TIMINGS, None)
    if times:
        terminalreporter.write_line("browser tests, wall time per step: " + "; ".join(
            f"{k} {v:.1f} s" for k, v in times.items()))
    measured = config.stash.get(RATES, None)
    if measured:
        terminalreporter.write_line("browser tests, rates measured: " + "; ".join(
            f"{k} {v:.1f} {unit}" for k, (v, unit) in measured.items()))


def running_as_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A running JupyterLab: its URL, token, folder of notebooks, and a small REST client."""

    def __init__(self, proc, port, token, root_dir, log_path):
        self.proc, self.port, self.token = proc, port, token
        self.root_dir, self.log_path = root_dir, log_path
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path, **query):
        q = "&".join(["reset"] * bool(query.pop("reset", False))
                     + [f"{k}={v}" for k, v in query.items()] + [f"token={self.token}"])
        return f"{self.base}/{path.lstrip('/')}?{q}"

    def api(self, method, path, timeout=10):
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
        return json.loads(body) if body else None

    def kernels(self):
        return self.api("GET", "/api/kernels")

    def shutdown_kernels(self):
        """Shut down every kernel (and session) of this server: one notebook at a time."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
        for kernel in self.kernels():
            self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, timings):
    if not chromium_available():
        pytest.skip(SKIP_REASON)
    tree = os.path.abspath(os.environ.get("GANLIB_BROWSER_TREE", ROOT))
    base = tmp_path_factory.mktemp("jupyterlab")
    dirs = {name: base / name for name in ("notebooks", "settings", "workspaces", "runtime",
                                           "config", "data", "ipython")}
    for d in dirs.values():
        d.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(os.path.join(tree, "notebooks", name), dirs["notebooks"] / name)
    for rel, value in SETTINGS.items():
        path = dirs["settings"] / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))

    env = dict(os.environ, GANLIB_MODE="smoke", TF_CPP_MIN_LOG_LEVEL="3",
               JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), JUPYTER_CONFIG_DIR=str(dirs["config"]),
               JUPYTER_DATA_DIR=str(dirs["data"]), IPYTHONDIR=str(dirs["ipython"]),
               JUPYTER_PLATFORM_DIRS="0")
    env.pop("MPLBACKEND", None)  # the kernels keep the inline backend
    if tree != ROOT:
        env["PYTHONPATH"] = os.pathsep.join([tree] + [p for p in [env.get("PYTHONPATH")] if p])
    port, token = free_port(), secrets.token_hex(16)
    log_path = base / "jupyterlab.log"
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={dirs['notebooks']}",
           f"--LabApp.user_settings_dir={dirs['settings']}",
           f"--LabApp.workspaces_dir={dirs['workspaces']}",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly"]
    if running_as_root():
        cmd.append("--allow-root")
    log = open(log_path, "w")
    t = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=dirs["notebooks"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Lab(proc, port, token, dirs["notebooks"], log_path)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{server.log()}")
            try:
                server.api("GET", "/api/status", timeout=2)
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not answer on port {port}:\n{server.log()}")
                time.sleep(0.25)
        timings["JupyterLab start"] = time.monotonic() - t
        yield server
    finally:
        stop(server)
        log.close()


def stop(server):
    """Stop exactly the server this fixture started: its shutdown API first (it shuts its
    kernels down), then SIGTERM, then SIGKILL, each to that one process."""
    proc = server.proc
    if proc.poll() is None:
        try:
            server.api("POST", "/api/shutdown", timeout=10)
        except (OSError, urllib.error.URLError):
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright
    args = ["--no-sandbox"] if running_as_root() else []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield b
        finally:
            b.close()
