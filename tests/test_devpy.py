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


# --------------------------------------------------------------------------- what is installed
TEST_TOOLS = {"pytest", "nbval", "jupytext", "playwright", "pytest-xdist"}


def pyproject():
    import tomllib
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]


def names(reqs):
    return {r.split("==")[0].split("[")[0].lower() for r in reqs}


def test_lab_installs_the_notebooks_set_without_the_test_and_browser_tools():
    project = pyproject()
    assert dev.EXTRAS["lab"] == () and dev.pip_target(dev.EXTRAS["lab"]) == "."
    assert not names(project["dependencies"]) & (TEST_TOOLS | {"nbconvert", "django-static-mathjax"})
    assert names(project["optional-dependencies"]["test"]) == TEST_TOOLS
    assert names(project["optional-dependencies"]["book"]) == {"nbconvert", "django-static-mathjax"}


def test_test_commands_add_the_test_tools_and_the_book_whose_browser_test_they_run():
    for cmd in ("test", "unit", "setup"):
        assert set(dev.EXTRAS[cmd]) == {"book", "test"}
        assert dev.pip_target(dev.EXTRAS[cmd]) == ".[book,test]"
    assert dev.EXTRAS["book"] == ("book",) and dev.pip_target(("book",)) == ".[book]"


def test_install_plan_first_install_installs_what_the_command_needs():
    todo, message = dev.install_plan(None, "h1", ())
    assert todo == () and "the notebooks' packages" in message and "first install" in message
    assert "test tools" not in message
    todo, message = dev.install_plan(None, "h1", ("book", "test"))
    assert todo == ("book", "test") and "test tools" in message


def test_install_plan_installs_nothing_when_the_set_is_there():
    assert dev.install_plan(("h1", frozenset()), "h1", ()) is None
    assert dev.install_plan(("h1", frozenset({"book", "test"})), "h1", ()) is None  # lab after test
    assert dev.install_plan(("h1", frozenset({"book", "test"})), "h1", ("book",)) is None


def test_install_plan_adds_the_test_tools_to_a_lab_environment_keeping_it():
    todo, message = dev.install_plan(("h1", frozenset()), "h1", ("book", "test"))
    assert todo == ("book", "test")
    assert message.startswith("adding the web book's tools") and "test tools" in message
    assert "notebooks' packages" not in message   # they are there: not reinstalled


def test_install_plan_refreshes_every_installed_set_when_pyproject_changes():
    todo, message = dev.install_plan(("h1", frozenset({"book", "test"})), "h2", ())
    assert todo == ("book", "test") and "pyproject.toml changed" in message
    todo, _ = dev.install_plan(("h1", frozenset()), "h2", ())
    assert todo == ()


def test_stamp_round_trip_and_the_stamp_of_the_old_single_set(tmp_path):
    path = str(tmp_path / "stamp")
    assert dev.read_stamp(path) is None
    dev.write_stamp("abc", (), path)
    assert dev.read_stamp(path) == ("abc", frozenset())
    dev.write_stamp("abc", ("test", "book"), path)
    assert dev.read_stamp(path) == ("abc", frozenset({"book", "test"}))
    with open(path, "w") as f:      # written before the extras were split: it was .[test]
        f.write("abc")
    assert dev.read_stamp(path) == ("abc", frozenset({"test"}))


@pytest.fixture
def fake_env(tmp_path, monkeypatch):
    """setup() on a real (pip-less) venv and a copy of pyproject.toml, with pip replaced by a
    recorder: no network."""
    venv_dir = str(tmp_path / ".venv")
    py = make_venv(venv_dir)
    toml = tmp_path / "pyproject.toml"
    toml.write_text(open(os.path.join(ROOT, "pyproject.toml")).read())
    calls = []
    monkeypatch.setattr(dev, "VENV", venv_dir)
    monkeypatch.setattr(dev, "PY", py)
    monkeypatch.setattr(dev, "STAMP", os.path.join(venv_dir, ".ganlib-installed"))
    monkeypatch.setattr(dev, "PYPROJECT", str(toml))
    monkeypatch.setattr(dev, "run_with_heartbeat", lambda *cmd, **kw: calls.append(cmd) or 0)
    return calls, toml


def test_setup_lab_then_test_then_lab_installs_each_set_once(fake_env, capsys):
    calls, toml = fake_env
    dev.setup(dev.EXTRAS["lab"])
    assert calls[-1][1:] == ("-m", "pip", "install", "--disable-pip-version-check", "-e", ".")
    out = capsys.readouterr().out
    assert "installing the notebooks' packages" in out and "installed in" in out
    dev.setup(dev.EXTRAS["test"])
    assert len(calls) == 2 and calls[-1][-1] == ".[book,test]"
    assert "--quiet" not in calls[-1]                            # pip's progress is shown
    dev.setup(dev.EXTRAS["unit"])
    dev.setup(dev.EXTRAS["lab"])
    dev.setup(dev.EXTRAS["book"])
    assert len(calls) == 2
    toml.write_text(toml.read_text() + "\n# changed\n")
    dev.setup(dev.EXTRAS["lab"])
    assert len(calls) == 3 and calls[-1][-1] == ".[book,test]"  # a refresh keeps the test set
    assert "pyproject.toml changed" in capsys.readouterr().out


def test_a_failed_install_leaves_no_stamp(fake_env, monkeypatch):
    monkeypatch.setattr(dev, "run_with_heartbeat", lambda *cmd, **kw: 1)
    with pytest.raises(SystemExit, match="installing the dependencies failed"):
        dev.setup(dev.EXTRAS["lab"])
    assert dev.read_stamp() is None


def test_a_silent_install_step_is_answered_with_how_long_it_has_been_working(capsys):
    script = ("import sys, time; print('Collecting tensorflow', flush=True); time.sleep(1.6); "
              "print('Successfully installed', flush=True); sys.exit(3)")
    rc = dev.run_with_heartbeat(sys.executable, "-c", script, every=0.5)
    out = capsys.readouterr().out
    assert rc == 3
    lines = out.splitlines()
    first, last = lines.index("Collecting tensorflow"), lines.index("Successfully installed")
    beats = [l for l in lines[first:last] if "still working, 0 min 0" in l]
    assert len(beats) >= 2 and all("pip prints nothing" in b for b in beats)
    assert not any("still working" in l for l in lines[last:])
