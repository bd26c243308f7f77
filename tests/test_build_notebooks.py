"""tools/build_notebooks.py: every committed notebook holds its source's cells, and
--sync --from-runs never trains: it refuses a notebook whose run folders are not all there and
finished."""
import importlib.util
import json
import os

import jupytext
import nbformat
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


def load_tool():
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", os.path.join(HERE, "..", "tools", "build_notebooks.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


BUILD = load_tool()   # the committed notebooks (the fixture below points a copy at tmp_path)


@pytest.fixture
def tool(monkeypatch, tmp_path):
    mod = load_tool()
    monkeypatch.setattr(mod, "NB_DIR", str(tmp_path))
    monkeypatch.setenv("GANLIB_MODE", "class")
    return mod


def notebook(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def finish(tmp_path, name, complete=True):
    folder = tmp_path / "runs" / "class" / name
    folder.mkdir(parents=True)
    (folder / "ganlib-run.json").write_text(json.dumps({"complete": complete}))


def test_from_runs_needs_every_run_folder_finished(tool, tmp_path):
    nb = notebook('run = runs.run_dir("02_acgan")\nh = fit(run)',
                  '# an exercise: runs.run_dir("02_acgan_fake_class")   (a comment: not needed)')
    with pytest.raises(SystemExit, match="missing or unfinished: .*runs/class/02_acgan$"):
        tool.check_run_folders(nb)
    finish(tmp_path, "02_acgan", complete=False)
    with pytest.raises(SystemExit, match="02_acgan"):
        tool.check_run_folders(nb)
    (tmp_path / "runs" / "class" / "02_acgan" / "ganlib-run.json").write_text('{"complete": true}')
    tool.check_run_folders(nb)                        # all there: no exit


def test_from_runs_refuses_run_folders_it_cannot_name(tool):
    with pytest.raises(SystemExit, match="f-string"):
        tool.check_run_folders(notebook('d = runs.run_dir(f"04_pix2pix_{name}")'))


def test_timing_lines_do_not_count_as_a_different_output(tool):
    a = {"outputs": [{"output_type": "stream", "name": "stdout",
                      "text": "FD 29.81\n200/200 - 23s - 113ms/step - d_loss: 0.68\n"}]}
    b = {"outputs": [{"output_type": "stream", "name": "stdout",
                      "text": "FD 29.81\n200/200 - 25s - 120ms/step - d_loss: 0.68\n"}]}
    c = {"outputs": [{"output_type": "stream", "name": "stdout", "text": "FD 30.02\n"}]}
    assert tool.text_of(a) == tool.text_of(b) != tool.text_of(c)


def cells(nb):
    return [(c.cell_type, c.source) for c in nb.cells]


@pytest.mark.parametrize("src", BUILD.sources(), ids=os.path.basename)
def test_every_committed_notebook_holds_its_sources_cells(src):
    out = BUILD.target(src)
    want, have = cells(jupytext.read(src)), cells(nbformat.read(out, 4))
    first = next((i for i, (a, b) in enumerate(zip(want, have)) if a != b), min(len(want), len(have)))
    assert want == have, (
        f"{os.path.relpath(out, BUILD.ROOT)} differs from {os.path.relpath(src, BUILD.ROOT)} at "
        f"cell {first} ({len(have)} cells against {len(want)}): rebuild it with "
        f"python tools/build_notebooks.py --sync {os.path.basename(src)} (or --execute)")
