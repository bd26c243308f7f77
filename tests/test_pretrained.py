"""GANLIB_MODE=pretrained: a shipped reference run is loaded instead of trained, and written never.

Smoke mode throughout: a 20-step DCGAN run (the same networks as the class recipe) is
exported as a "shipped" run into a temporary GANLIB_PRETRAINED_DIR, then loaded back.
"""
import json
import os

import numpy as np
import pytest

from ganlib import chapters, config, data, dcgan, metrics, runs
from ganlib.__main__ import main
from ganlib.gan import training_callbacks


def tree(folder):
    """Every file under `folder` with its size and modification time."""
    out = {}
    for root, _, files in os.walk(folder):
        for f in files:
            st = os.stat(os.path.join(root, f))
            out[os.path.relpath(os.path.join(root, f), folder)] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """A finished smoke run of chapter 01, exported as data/pretrained/01_dcgan would be."""
    base = tmp_path_factory.mktemp("pretrained")
    run = base / "run"
    assert main(["train", "01", "--mode", "smoke", "--run-dir", str(run), "--precision",
                 "float32", "--quiet"]) == 0
    root = base / "shipped"
    old = os.environ.get("GANLIB_PRETRAINED_DIR")
    os.environ["GANLIB_PRETRAINED_DIR"] = str(root)
    try:
        assert main(["export", str(run), "--n", "50"]) == 0
    finally:
        if old is None:
            os.environ.pop("GANLIB_PRETRAINED_DIR")
        else:
            os.environ["GANLIB_PRETRAINED_DIR"] = old
    return run, root


@pytest.fixture
def pretrained_mode(monkeypatch, shipped):
    monkeypatch.setenv("GANLIB_PRETRAINED_DIR", str(shipped[1]))
    monkeypatch.setenv("GANLIB_MODE", "pretrained")
    return shipped


def small_dataset():
    images = np.random.default_rng(0).integers(0, 256, (256, 28, 28), dtype=np.uint8)
    return data.make_dataset(images, batch_size=dcgan.BATCH_SIZE, scale="tanh", seed=0)


def test_export_writes_what_a_teacher_needs(shipped):
    run, root = shipped
    folder = root / "01_dcgan"
    for name in (runs.GENERATOR, runs.HISTORY, "strip.png", runs.ABOUT):
        assert (folder / name).is_file(), name
    about = json.loads((folder / runs.ABOUT).read_text())
    assert "python -m ganlib train 01_dcgan --mode smoke" in about["made"]
    assert about["steps"] == 20 and about["chapter"] == "01_dcgan"
    assert about["metrics"]["FD"] > 0 and about["stored_as"] == "float16"
    size = (folder / runs.GENERATOR).stat().st_size
    assert about["generator_bytes"] == size < 0.6 * (run / runs.GENERATOR).stat().st_size
    assert sorted(about["sha256"]) == [runs.GENERATOR, runs.HISTORY, "strip.png"]
    assert all(about["sha256"][n] == runs.sha256_file(folder / n) for n in about["sha256"])
    # exporting again never overwrites what is there
    os.environ["GANLIB_PRETRAINED_DIR"] = str(root)
    try:
        with pytest.raises(chapters.ChapterError, match="does not overwrite"):
            chapters.export(run)
    finally:
        os.environ.pop("GANLIB_PRETRAINED_DIR")


def test_pretrained_mode_loads_instead_of_training(pretrained_mode, capsys):
    run, root = pretrained_mode
    assert config.select(dcgan.SCHEDULES, verbose=False) == config.select(
        dcgan.SCHEDULES, mode="class", verbose=False)
    folder = runs.run_dir("01_dcgan")
    assert folder == os.path.join(str(root), "01_dcgan")
    before = tree(root)
    gan = dcgan.make_dcgan(seed=3)
    d_before = [w.copy() for w in gan.discriminator.get_weights()]
    record = metrics.MetricHistory(lambda g: 1.0, at_start=True, name="FD")
    late = metrics.MetricHistory(lambda g: 2.0, every=5, name="late")   # records nothing itself
    history = gan.fit(small_dataset(), epochs=2, steps_per_epoch=10, verbose=0,
                      callbacks=training_callbacks(folder) + [record, late])
    assert record.history == [(20, 1.0)] and late.history == [(20, 2.0)]   # the loaded G
    assert "loaded the generator shipped in" in capsys.readouterr().out
    import keras
    saved = keras.saving.load_model(str(run / runs.GENERATOR))   # the run's float32 one
    for a, b in zip(gan.generator.get_weights(), saved.get_weights()):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)      # float16 storage
    z = gan.preview_noise(8)
    np.testing.assert_allclose(np.asarray(gan.generator(z)), np.asarray(saved(z)), atol=5e-3)
    for a, b in zip(gan.discriminator.get_weights(), d_before):   # no step was trained
        np.testing.assert_array_equal(a, b)
    assert int(gan.g_optimizer.iterations.numpy()) == 20 == gan.generator_steps   # the shipped run's
    shipped_history = json.loads((run / runs.HISTORY).read_text())["history"]
    assert history.history == shipped_history
    assert tree(root) == before                                    # nothing written


def test_load_shipped_gives_the_reference_generator_and_how_it_was_made(pretrained_mode,
                                                                          tmp_path):
    """What a notebook's "what more training gives" cell draws; multi-input generators too."""
    import keras
    run, root = pretrained_mode
    generator, about = runs.load_shipped("01_dcgan")
    z = np.random.default_rng(0).uniform(-1, 1, (3, dcgan.LATENT_DIM)).astype("float32")
    saved = keras.saving.load_model(str(run / runs.GENERATOR))
    out = np.asarray(generator(z))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, np.asarray(saved(z)), atol=5e-3)
    assert about["steps"] == 20 and about["chapter"] == "01_dcgan"
    noise, label = keras.Input((4,)), keras.Input((1,), dtype="int32")
    two = keras.Model([noise, label], keras.layers.Dense(2)(keras.layers.Concatenate()(
        [noise, keras.ops.cast(label, "float32")])))
    (root / "two").mkdir()
    two.save(str(root / "two" / runs.GENERATOR))
    loaded, about = runs.load_shipped("two")
    x = [np.ones((2, 4), "float32"), np.array([[1], [2]], "int32")]
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(two(x)), rtol=1e-6)
    assert about == {}
    with pytest.raises(FileNotFoundError, match="no reference run 'nope' is shipped.*01_dcgan"):
        runs.load_shipped("nope")
    import shutil
    shutil.rmtree(root / "two")


def test_load_reference_gives_the_chapters_model_with_the_shipped_generator(pretrained_mode):
    """A notebook measures the reference run with its own model's methods (`generate`)."""
    import keras
    run, root = pretrained_mode
    gan, about = chapters.load_reference("01_dcgan")
    assert isinstance(gan, type(dcgan.make_dcgan(seed=0))) and about["steps"] == 20
    saved = keras.saving.load_model(str(run / runs.GENERATOR))
    z = np.random.default_rng(0).uniform(-1, 1, (4, dcgan.LATENT_DIM)).astype("float32")
    np.testing.assert_allclose(np.asarray(gan.generate(inputs=z)), np.asarray(saved(z)),
                               atol=5e-3)
    # a shipped folder whose generator is not the chapter's networks is refused, by name
    (root / "odd").mkdir()
    try:
        from ganlib import lsgan
        lsgan.make_gan("lsgan", seed=0).generator.save(str(root / "odd" / runs.GENERATOR))
        (root / "odd" / runs.ABOUT).write_text(json.dumps({"chapter": "01_dcgan"}))
        with pytest.raises(chapters.ChapterError, match="reference run 'odd' does not fit "
                                                        "chapter 01_dcgan"):
            chapters.load_reference("odd")
    finally:
        import shutil
        shutil.rmtree(root / "odd")


def test_with_references_scores_this_run_and_the_reference_on_one_scale(pretrained_mode,
                                                                          capsys):
    import matplotlib
    matplotlib.use("Agg")
    from ganlib import compare
    images = np.random.default_rng(0).integers(0, 256, (60, 28, 28), dtype=np.uint8)
    mine = dcgan.make_dcgan(seed=1)
    noise = np.random.default_rng(0).uniform(-1, 1, (20, dcgan.LATENT_DIM)).astype("float32")
    scores, fig = compare.with_references({"mine": mine}, {"ref": "01_dcgan"}, images[:30],
                                          images[30:], noise, "fashion_mnist", "tanh", n=30)
    out = capsys.readouterr().out
    assert "reference run 01_dcgan: python -m ganlib train 01_dcgan --mode smoke" in out
    assert list(scores) == ["real (train vs test)", "mine (0)", "ref (20)"]
    # the reference row is the shipped generator's own score on the same noise and images
    gan, _ = chapters.load_reference("01_dcgan")
    z = np.random.default_rng(1).uniform(-1, 1, (30, dcgan.LATENT_DIM)).astype("float32")
    want = metrics.frechet_distance(gan.generate(inputs=z), images[30:], "fashion_mnist",
                                    scale_a="tanh")
    assert scores["ref (20)"][0] == pytest.approx(want, rel=1e-4)
    assert scores["mine (0)"][0] == pytest.approx(metrics.frechet_distance(
        mine.generate(inputs=z), images[30:], "fashion_mnist", scale_a="tanh"), rel=1e-4)
    assert len(fig.axes) == 1 and "reference run, 20 steps" in fig.axes[0].get_title()


def test_a_run_that_is_not_shipped_says_how_to_train_it(pretrained_mode):
    gan = dcgan.make_dcgan(seed=3)
    with pytest.raises(runs.RunFolderError) as e:
        gan.fit(small_dataset(), epochs=1, steps_per_epoch=2, verbose=0,
                callbacks=training_callbacks(runs.run_dir("01_dcgan_d_lr_x2")))
    assert "no generator is shipped for the run '01_dcgan_d_lr_x2'" in str(e.value)
    assert "Shipped: 01_dcgan" in str(e.value) and "GANLIB_MODE=class" in str(e.value)
    assert int(gan.g_optimizer.iterations.numpy()) == 0


def test_a_shipped_generator_of_other_networks_is_refused(pretrained_mode):
    from ganlib import lsgan
    gan = lsgan.make_gan("lsgan", seed=0)          # another generator architecture
    with pytest.raises(runs.RunFolderError, match="does not fit this model's generator"):
        gan.fit(small_dataset(), epochs=1, steps_per_epoch=2, verbose=0,
                callbacks=training_callbacks(runs.run_dir("01_dcgan")))


def test_export_and_steps_errors(tmp_path, capsys):
    assert main(["export", str(tmp_path)]) == 2
    assert "not a ganlib run folder" in capsys.readouterr().err
    assert main(["train", "01", "--mode", "smoke", "--run-dir", str(tmp_path / "r"),
                 "--steps", "15", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "--steps 15" in err and "multiple of log_every=10" in err
    assert not (tmp_path / "r").exists()


def run_pretrained(name, tmp_path):
    """Execute notebooks/NAME.ipynb with ``MODE = "pretrained"`` in its first cell, in
    `tmp_path`; returns the text it printed."""
    import shutil
    import nbformat
    from nbclient import NotebookClient
    here = os.path.dirname(os.path.abspath(__file__))
    nb_path = tmp_path / f"{name}.ipynb"
    shutil.copy(os.path.join(here, "..", "notebooks", f"{name}.ipynb"), nb_path)
    nb = nbformat.read(str(nb_path), as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "\nMODE = None " in first.source, "the notebook's first cell lost its switch"
    first.source = first.source.replace("\nMODE = None ", '\nMODE = "pretrained" ')
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []))


def test_notebook_01_goes_straight_to_the_demos(pretrained_mode, tmp_path, monkeypatch):
    """The switch as a teacher uses it: chapter 1 with ``MODE = "pretrained"`` in its first
    cell (GANLIB_MODE says smoke) trains nothing, shows the shipped run, writes no run folder."""
    monkeypatch.setenv("GANLIB_MODE", "smoke")
    shipped_before = tree(pretrained_mode[1])
    text = run_pretrained("01_dcgan", tmp_path)
    assert "pretrained mode, " in text and "no training: the shipped run is loaded" in text
    assert "loaded the generator shipped in" in text and "20 generator steps" in text
    assert "Epoch 1/" not in text                         # fit() ran no interval
    assert not (tmp_path / "runs").exists()
    assert tree(pretrained_mode[1]) == shipped_before


# notebook: the runs it trains, all shipped in data/pretrained
SHIPPED_NOTEBOOKS = {"02_acgan": ["02_acgan"], "03_infogan": ["03_infogan"],
                     "04_pix2pix": ["04_pix2pix_sat2map", "04_pix2pix_map2sat",
                                    "04_pix2pix_sat2map_l1only", "04_pix2pix_edges",
                                    "04_pix2pix_edges_l1only"],
                     "05_wgan": ["05_wgan", "05_wgan_gp"], "06_lsgan": ["06_lsgan", "06_dcgan"]}


@pytest.mark.parametrize("name", sorted(SHIPPED_NOTEBOOKS))
def test_a_notebook_whose_runs_all_ship_runs_whole_without_training(name, tmp_path,
                                                                    monkeypatch):
    """The real data/pretrained: every training cell of the notebook loads its shipped run."""
    monkeypatch.setenv("GANLIB_MODE", "smoke")
    monkeypatch.delenv("GANLIB_PRETRAINED_DIR", raising=False)
    root = runs.pretrained_root()
    before = tree(root)
    text = run_pretrained(name, tmp_path)
    for run in SHIPPED_NOTEBOOKS[name]:
        about = json.load(open(os.path.join(root, run, runs.ABOUT)))
        assert (f"loaded the generator shipped in {os.path.join(root, run)} "
                f"({about['steps']} generator steps") in text, run
    assert text.count("loaded the generator shipped in") == len(SHIPPED_NOTEBOOKS[name])
    assert "Epoch 1/" not in text and not (tmp_path / "runs").exists()
    assert tree(root) == before


def test_every_shipped_run_is_small_safe_and_says_how_it_was_made():
    import keras
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "pretrained")
    names = sorted(os.listdir(root)) if os.path.isdir(root) else []
    assert "01_dcgan" in names
    for name in names:
        folder = os.path.join(root, name)
        path = os.path.join(folder, runs.GENERATOR)
        assert os.path.getsize(path) <= 5 * 2**20, f"{name}: over data/'s 5 MB"
        keras.saving.load_model(path, safe_mode=True, compile=False)
        about = json.load(open(os.path.join(folder, runs.ABOUT)))
        assert about["made"] and about["metrics"] and about["steps"] > 0, name
        # every shipped file is checksummed, and is what the checksum says
        assert sorted(about["sha256"]) == sorted(n for n in os.listdir(folder) if n != runs.ABOUT)
        assert runs.read_about(folder) == about
        assert os.path.isfile(os.path.join(folder, runs.HISTORY)), name
        # it fits the model its notebook builds with MODE = "pretrained" (class networks;
        # pix2pix: its quarter-width reference networks)
        assert about["identity"]["mode"] == "class", name
        gan, _ = chapters.load_reference(name)
        if hasattr(gan, "num_classes"):
            images = gan.generate(labels=np.arange(4))                 # ACGAN
        elif hasattr(gan, "generate_codes"):
            images = gan.generate_codes(4)[0]                          # InfoGAN
        elif hasattr(gan, "translate"):                                # pix2pix
            sources = np.random.default_rng(0).integers(0, 256, (4,) + gan.generator.input_shape[1:])
            images = gan.translate(sources.astype(np.uint8))
        else:
            images = gan.generate(4)
        assert np.isfinite(np.asarray(images)).all() and np.std(images) > 0.05, name



# ----------------------------------------------------------------------------- #33: checked files
@pytest.fixture
def shipped_copy(shipped, tmp_path, monkeypatch):
    """A copy of the shipped folder to damage, as GANLIB_PRETRAINED_DIR, in pretrained mode."""
    import shutil
    root = tmp_path / "shipped"
    shutil.copytree(shipped[1], root)
    monkeypatch.setenv("GANLIB_PRETRAINED_DIR", str(root))
    monkeypatch.setenv("GANLIB_MODE", "pretrained")
    return root / "01_dcgan"


def every_loader_refuses(folder, *says):
    """load_shipped, load_reference and a pretrained-mode fit() each refuse `folder`."""
    with pytest.raises(runs.RunFolderError) as e:
        runs.load_shipped(folder.name)
    for text in says:
        assert text in str(e.value), (text, str(e.value))
    with pytest.raises(chapters.ChapterError) as e:
        chapters.load_reference(folder.name)
    for text in says:
        assert text in str(e.value), (text, str(e.value))
    gan = dcgan.make_dcgan(seed=0)
    with pytest.raises(runs.RunFolderError) as e:
        gan.fit(small_dataset(), epochs=1, steps_per_epoch=2, verbose=0,
                callbacks=training_callbacks(str(folder)))
    for text in says:
        assert text in str(e.value), (text, str(e.value))
    assert int(gan.g_optimizer.iterations.numpy()) == 0


def reseal(folder):
    """Write about.json's checksums anew (as if the damaged files had been exported so)."""
    about = json.loads((folder / runs.ABOUT).read_text())
    about["sha256"] = {n: runs.sha256_file(folder / n) for n in about["sha256"]}
    (folder / runs.ABOUT).write_text(json.dumps(about))


def test_a_changed_or_swapped_shipped_file_is_refused_by_name(shipped_copy):
    """#33: a shipped file whose bytes are not those about.json's sha256 records (damaged, or
    another chapter's generator copied over it) is refused, naming the file and the fix."""
    from ganlib import lsgan
    import keras
    folder = shipped_copy
    (folder / runs.HISTORY).write_text((folder / runs.HISTORY).read_text().replace("1", "2", 1))
    every_loader_refuses(folder, str(folder / runs.HISTORY), "not the file that was shipped",
                         "git checkout")
    reseal(folder)
    keras.mixed_precision.set_global_policy("float32")
    os.remove(folder / runs.GENERATOR)          # same-shaped G of another chapter's networks
    lsgan.make_gan("lsgan", seed=0).generator.save(str(folder / runs.GENERATOR))
    every_loader_refuses(folder, str(folder / runs.GENERATOR), "sha256")
    os.remove(folder / runs.GENERATOR)
    every_loader_refuses(folder, str(folder / runs.GENERATOR), "missing")


def test_a_shipped_generator_with_nan_weights_is_refused(shipped_copy):
    """#33: NaN or infinite weights (it drew NaN or saturated images) are refused, even with
    checksums that match, and without an about.json."""
    import keras
    folder = shipped_copy
    g = keras.saving.load_model(str(folder / runs.GENERATOR), safe_mode=True)
    weights = g.get_weights()
    weights[-1] = np.full_like(weights[-1], np.inf)
    g.set_weights(weights)
    os.remove(folder / runs.GENERATOR)
    g.save(str(folder / runs.GENERATOR))
    reseal(folder)
    every_loader_refuses(folder, str(folder / runs.GENERATOR), "non-finite weights")
    os.remove(folder / runs.ABOUT)
    with pytest.raises(runs.RunFolderError, match="non-finite weights"):
        runs.load_shipped(folder.name)


def test_a_truncated_shipped_generator_or_missing_history_is_refused(shipped_copy):
    """A truncated generator.keras is named as such (Keras said "file not found"), and a
    missing history.json is refused instead of reporting 0 generator steps."""
    folder = shipped_copy
    (folder / runs.ABOUT).unlink()                       # no checksums to catch it first
    data_ = (folder / runs.GENERATOR).read_bytes()
    (folder / runs.GENERATOR).write_bytes(data_[:len(data_) // 2])
    every_loader_refuses(folder, f"cannot read {folder / runs.GENERATOR}", "not a whole .keras")
    (folder / runs.GENERATOR).write_bytes(data_)
    os.remove(folder / runs.HISTORY)
    gan = dcgan.make_dcgan(seed=0)
    with pytest.raises(runs.RunFolderError, match=f"{runs.HISTORY} is missing"):
        gan.fit(small_dataset(), epochs=1, steps_per_epoch=2, verbose=0,
                callbacks=training_callbacks(str(folder)))
    (folder / runs.HISTORY).write_text("[1, 2]")
    with pytest.raises(runs.RunFolderError, match="not a run's history"):
        gan.fit(small_dataset(), epochs=1, steps_per_epoch=2, verbose=0,
                callbacks=training_callbacks(str(folder)))


def test_another_runs_whole_folder_in_a_shipped_runs_place_is_refused(tmp_path, monkeypatch):
    """06_lsgan's shipped folder copied whole (about.json too) as 05_wgan: the generators have
    the same shapes, so only about.json can tell; a WGAN model refuses to load it."""
    import shutil
    from ganlib import wgan
    real = runs.pretrained_root()
    root = tmp_path / "root"
    shutil.copytree(os.path.join(real, "06_lsgan"), root / "05_wgan")
    monkeypatch.setenv("GANLIB_PRETRAINED_DIR", str(root))
    monkeypatch.setenv("GANLIB_MODE", "pretrained")
    import keras
    keras.mixed_precision.set_global_policy("float32")
    gan = wgan.make_wgan(seed=0)
    images = np.random.default_rng(0).integers(0, 256, (64, 28, 28), dtype=np.uint8)
    with pytest.raises(runs.RunFolderError, match="ships a GAN run named 'lsgan'.*WGAN named"):
        gan.fit(data.make_dataset(images, batch_size=16, scale="tanh", seed=0), epochs=1,
                steps_per_epoch=1, verbose=0, callbacks=training_callbacks(str(root / "05_wgan")))


def test_export_refuses_a_damaged_history_and_leaves_nothing(shipped, tmp_path, capsys,
                                                             monkeypatch):
    """#33: export shipped a corrupt history.json; now it is refused and no folder is made."""
    import shutil
    run = tmp_path / "run"
    shutil.copytree(shipped[0], run)
    monkeypatch.setenv("GANLIB_PRETRAINED_DIR", str(tmp_path / "root"))
    for bad in ('{"history": {"d_loss": [0.5, "x"]}, "steps": 20}', '{"history": {',
                '{"history": {}, "steps": 7}'):
        (run / runs.HISTORY).write_text(bad)
        assert main(["export", str(run), "--n", "20"]) == 2
        err = capsys.readouterr().err
        assert str(run / runs.HISTORY) in err and "Traceback" not in err, err
        assert not (tmp_path / "root").exists() or not os.listdir(tmp_path / "root")
