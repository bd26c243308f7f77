import os
import re
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pins_from_pyproject():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    reqs = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    return {r.split("==")[0].lower(): r.split("==")[1] for r in reqs}


def pins_from_environment_yml():
    text = open(os.path.join(ROOT, "environment.yml")).read()
    pip_section = text.split("- pip:", 1)[1]
    return {m.group(1).lower(): m.group(2) for m in re.finditer(r"^\s+- ([\w.-]+)==([\w.]+)\s*$",
                                                                 pip_section, re.M)}


def test_every_dependency_is_pinned():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    extras = project["optional-dependencies"]
    assert {"test", "book"} <= set(extras)
    for r in project["dependencies"] + [r for group in extras.values() for r in group]:
        assert re.fullmatch(r"[\w.-]+==[\w.]+", r), f"{r} is not pinned with =="


def test_a_package_pinned_twice_has_one_version():
    """pins_from_pyproject() merges the lists into one dict: a second, different pin of the
    same package must not hide there."""
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    reqs = project["dependencies"] + [r for g in project["optional-dependencies"].values() for r in g]
    pins = {}
    for r in reqs:
        name, version = r.split("==")
        assert pins.setdefault(name.lower(), version) == version, f"{name} is pinned twice"


def test_environment_yml_and_pyproject_agree():
    a, b = pins_from_pyproject(), pins_from_environment_yml()
    assert a == b, f"only in pyproject: {set(a.items()) - set(b.items())}; only in environment.yml: {set(b.items()) - set(a.items())}"


def test_python_311_to_313_are_accepted_by_both():
    """pip (requires-python) and conda (environment.yml) accept the same Pythons: 3.11-3.13."""
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        requires = tomllib.load(f)["project"]["requires-python"]
    assert requires == ">=3.11,<3.14"
    env = open(os.path.join(ROOT, "environment.yml")).read()
    assert re.search(r"^\s+- python>=3\.11,<3\.14\s*$", env, re.M), "environment.yml's python"


def test_ci_runs_the_readme_test_command():
    readme = open(os.path.join(ROOT, "README.md")).read()
    ci = open(os.path.join(ROOT, ".ci", "run")).read()
    assert "python dev.py test" in readme and "python3 dev.py test" in ci


def test_a_wheel_holds_every_subpackage_and_the_widgets_front_end():
    """`pip install .` (not editable) must carry ganlib.widgets and GAN Lab's .js/.css."""
    import fnmatch
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        setuptools = tomllib.load(f)["tool"]["setuptools"]
    subpackages = sorted(
        os.path.relpath(d, ROOT).replace(os.sep, ".")
        for d, _, files in os.walk(os.path.join(ROOT, "ganlib"))
        if "__init__.py" in files)
    assert sorted(setuptools["packages"]) == subpackages
    for package in subpackages:
        folder = os.path.join(ROOT, *package.split("."))
        data = [n for n in os.listdir(folder) if os.path.isfile(os.path.join(folder, n))
                and not n.endswith((".py", ".pyc"))]
        patterns = setuptools.get("package-data", {}).get(package, [])
        missing = [n for n in data if not any(fnmatch.fnmatch(n, p) for p in patterns)]
        assert not missing, f"{package}: {missing} would be left out of a wheel"
