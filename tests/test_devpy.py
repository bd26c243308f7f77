"""dev.py's set-up notices a .venv that another (or a vanished) Python made, instead of failing
on every run until someone deletes it by hand."""
import importlib.util
import os
import sys
import venv

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("dev", os.path.join(ROOT, "dev.py"))
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)


def make_venv(path):
    venv.EnvBuilder(with_pip=False).create(path)
    return os.path.join(path, "Scripts" if os.name == "nt" else "bin",
                        "python.exe" if os.name == "nt" else "python")


def test_venv_of_this_python_is_kept(tmp_path):
    py = make_venv(str(tmp_path / ".venv"))
    assert dev.venv_version(py) == sys.version_info[:2]
    assert dev.stale_venv_reason(str(tmp_path / ".venv"), py) is None


def test_venv_made_by_another_python_is_rebuilt(tmp_path):
    py = make_venv(str(tmp_path / ".venv"))
    have = "%d.%d" % sys.version_info[:2]
    reason = dev.stale_venv_reason(str(tmp_path / ".venv"), py, want=(3, 99))
    assert reason and f"made by Python {have}" in reason and "3.99" in reason


def test_venv_whose_python_is_gone_is_rebuilt(tmp_path):
    py = make_venv(str(tmp_path / ".venv"))
    os.remove(py)
    reason = dev.stale_venv_reason(str(tmp_path / ".venv"), py)
    assert reason and "no working Python" in reason


def test_missing_venv_is_simply_created(tmp_path):
    assert dev.stale_venv_reason(str(tmp_path / "none"), str(tmp_path / "none" / "python")) is None


# --------------------------------------------------------------------------- browser tests
def test_browser_tests_without_chromium_are_skipped_with_a_plain_message(tmp_path, capsys):
    calls = []
    rc = dev.browser_tests(env={}, chromium=str(tmp_path / "chromium"),
                           runner=lambda *a, **kw: calls.append(a) or 0)
    out = capsys.readouterr().out
    assert rc == 0 and calls == []
    assert f"skipped: no Chromium at {tmp_path / 'chromium'} (apt-get install chromium)" in out


def test_browser_tests_without_chromium_fail_where_they_are_required(tmp_path, capsys):
    rc = dev.browser_tests(env={"GANLIB_BROWSER_TESTS": "required"},
                           chromium=str(tmp_path / "chromium"), runner=lambda *a, **kw: 0)
    assert rc == 1 and "FAILED: no Chromium at" in capsys.readouterr().out


def test_browser_tests_run_once_with_the_chromium_found(tmp_path, capsys):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    calls = []
    rc = dev.browser_tests(["-x"], env={}, chromium=str(chromium),
                           runner=lambda *a, **kw: calls.append((a, kw["env"])) or 3)
    assert rc == 3 and len(calls) == 1
    args, env = calls[0]
    assert args[1:] == ("-m", "pytest", "tests/browser", "-v", "-x")
    assert env["GANLIB_CHROMIUM"] == str(chromium)
    assert "wall time" in capsys.readouterr().out


def test_tests_run_in_parallel_workers_that_keep_a_module_or_notebook_together():
    assert dev.worker_args({}, cpus=2) == ["-n", "2", "--dist", "loadscope"]
    assert dev.worker_args({}, cpus=16) == ["-n", "4", "--dist", "loadscope"]  # ~3 GB each
    assert dev.worker_args({}, cpus=1) == []
    assert dev.worker_args({"GANLIB_TEST_WORKERS": "1"}, cpus=8) == []
    assert dev.worker_args({"GANLIB_TEST_WORKERS": "3"}, cpus=2)[:2] == ["-n", "3"]
    with pytest.raises(SystemExit, match="GANLIB_TEST_WORKERS must be a whole number"):
        dev.worker_args({"GANLIB_TEST_WORKERS": "two"})
