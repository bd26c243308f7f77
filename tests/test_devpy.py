"""dev.py's set-up notices a .venv that another (or a vanished) Python made, instead of failing
on every run until someone deletes it by hand."""
import importlib.util
import os
import sys
import venv

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
