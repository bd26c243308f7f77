import os

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from ganlib import config, dcgan, show, viz  # noqa: E402


def test_run_mode_and_schedule(monkeypatch, capsys):
    sched = {m: {"steps": n, "log_every": 5} for m, n in
             (("smoke", 5), ("class", 500), ("full", 50000))}
    monkeypatch.setenv("GANLIB_MODE", "class")
    assert config.select(sched) == {"steps": 500, "log_every": 5}
    assert "run mode: class" in capsys.readouterr().out
    monkeypatch.setenv("GANLIB_MODE", "turbo")
    with pytest.raises(ValueError, match="GANLIB_MODE='turbo'"):
        config.run_mode()
    with pytest.raises(ValueError, match="missing run mode"):
        config.select({"smoke": {}}, mode="smoke")


def test_the_notebooks_mode_switch(monkeypatch):
    """``config.use_mode(MODE)``, every chapter's first cell: None defers to GANLIB_MODE, a
    name sets it for the kernel, a typo is refused before anything else happens."""
    import glob
    import os
    monkeypatch.setenv("GANLIB_MODE", "smoke")
    assert config.use_mode(None) == "smoke"
    assert config.use_mode(" Pretrained ") == "pretrained" == os.environ["GANLIB_MODE"]
    assert config.schedule_mode() == "class"
    with pytest.raises(ValueError, match="MODE = 'pretrianed' is not a run mode"):
        config.use_mode("pretrianed")
    assert os.environ["GANLIB_MODE"] == "pretrained"
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "notebooks", "src")
    for src in sorted(glob.glob(os.path.join(root, "0[1-6]_*.py"))):
        text = open(src).read()
        switch = text.find("\nMODE = None ")
        assert 0 < switch < text.find("config.use_mode(MODE)") < text.find("config.select("), src


def test_precision_choice(monkeypatch):
    assert config.resolve_precision("float32") == "float32"
    assert config.resolve_precision("auto") in config.PRECISIONS
    with pytest.raises(ValueError, match="precision 'fp8'"):
        config.resolve_precision("fp8")


def test_tile_layout():
    imgs = np.zeros((5, 4, 6, 1), np.float32)
    mosaic = viz.tile(imgs, ncols=3)
    assert mosaic.shape == (2 * 5 + 1, 3 * 7 + 1, 1) and mosaic.dtype == np.uint8
    assert mosaic[1, 1, 0] == 128  # 0.0 in [-1, 1] maps to mid-grey
    with pytest.raises(ValueError, match="images"):
        viz.tile(np.zeros((4, 4)))


def test_sample_grid_callback_saves_pngs(tmp_path):
    import keras
    keras.mixed_precision.set_global_policy("float32")
    gan = dcgan.make_dcgan(seed=0)
    x = np.random.default_rng(0).integers(0, 256, (64, 28, 28), dtype=np.uint8)
    from ganlib.data import make_dataset
    cb = viz.SampleGrid(np.zeros((4, 100), "float32"), every=2, save_dir=str(tmp_path), display=False)
    gan.fit(make_dataset(x, batch_size=16), epochs=4, steps_per_epoch=1, verbose=0, callbacks=[cb])
    assert [os.path.basename(p) for p in cb.saved] == ["samples_step0000002.png", "samples_step0000004.png"]
    assert all(os.path.getsize(p) > 0 for p in cb.saved)


def test_plot_history_and_show(capsys):
    ax = viz.plot_history({"d_loss": [1.0, 0.5], "g_loss": [2.0, 1.0]}, steps_per_epoch=10)
    assert [line.get_label() for line in ax.get_lines()] == ["d_loss", "g_loss"]
    assert list(ax.get_lines()[0].get_xdata()) == [10, 20]
    show.show(viz.tile)
    assert "def tile(" in capsys.readouterr().out
    with pytest.raises(TypeError, match="cannot show"):
        show.show(3)


def test_show_grid_refuses_labels_of_the_wrong_length():
    import matplotlib.pyplot as plt
    images = np.zeros((20, 8, 8), np.uint8)
    names = [str(k) for k in range(10)]
    with pytest.raises(ValueError, match="row_labels: got 10 labels for 2 rows"):
        viz.show_grid(images, ncols=10, row_labels=names)
    with pytest.raises(ValueError, match="col_labels: got 9 labels for 10 columns"):
        viz.show_grid(images, ncols=10, col_labels=names[:9])
    viz.show_grid(images, ncols=10, row_labels=["a", "b"], col_labels=names)
    plt.close("all")


def test_plot_estimate_and_fd_draws_both_and_returns_their_correlation():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from ganlib import metrics
    hist = {"w_dist": [5.0, 4.0, 3.5, 3.0, 2.0, 1.5]}   # one value per interval of 10 steps
    record = metrics.MetricHistory(lambda g: 0.0, name="FD")
    record.steps, record.values = [0, 20, 40, 60], [600.0, 300.0, 200.0, 100.0]
    _, ax = plt.subplots()
    track = viz.plot_estimate_and_fd(hist, record, 10, ax=ax, title="run")
    assert track["n"] == 3 and track["pairs"] == [(4.0, 300.0), (3.0, 200.0), (1.5, 100.0)]
    assert track["r"] > 0.9 and track["rho"] == pytest.approx(1.0)
    assert "r(w_dist, FD) = +" in ax.get_title() and len(ax.get_lines()) == 1
    record.steps, record.values = [0, 20], [600.0, 300.0]
    assert viz.plot_estimate_and_fd(hist, record, 10, ax=ax) is None
    plt.close("all")


class _Stop(Exception):
    pass


def test_smoke_runs_train_small_batches_and_class_runs_keep_the_recipes(monkeypatch):
    """`smoke` schedules name a small batch (tests and CI spend seconds on them); `class` and
    `full` keep each recipe's own batch, as the tutorials set it."""
    from ganlib import acgan, data, infogan, lsgan, wgan
    seen = []

    def spy(images, labels=None, batch_size=64, **kw):
        seen.append(batch_size)
        raise _Stop  # the dataset is all this test needs: no training

    monkeypatch.setattr(data, "make_dataset", spy)
    digits = np.zeros((400, 28, 28), np.uint8)
    labels = np.arange(400) % 10
    cases = [  # (train call, its schedules, the recipe's batch as fed to make_dataset)
        (lambda s: dcgan.train(s, images=digits), dcgan.SCHEDULES, dcgan.BATCH_SIZE, 1),
        (lambda s: acgan.train(s, images=digits, labels=labels), acgan.SCHEDULES,
         acgan.BATCH_SIZE // 2, 0.5),
        (lambda s: infogan.train(s, images=digits), infogan.SCHEDULES, infogan.HALF_BATCH, 0.5),
        (lambda s: lsgan.train(s, images=digits), lsgan.SCHEDULES, lsgan.BATCH_SIZE, 1),
        (lambda s: wgan.train(s, images=digits), wgan.SCHEDULES,
         wgan.N_CRITIC * wgan.BATCH_SIZE, wgan.N_CRITIC),
    ]
    for call, schedules, recipe_batch, per_batch in cases:
        for mode, want in (("smoke", int(schedules["smoke"]["batch_size"] * per_batch)),
                           ("class", recipe_batch), ("full", recipe_batch)):
            seen.clear()
            with pytest.raises(_Stop):
                call(schedules[mode])
            assert seen == [want], (mode, schedules[mode])
        assert schedules["smoke"]["batch_size"] < recipe_batch / per_batch
    with pytest.raises(ValueError, match="batch_size must be a positive whole number, got 0"):
        config.batch_size({"batch_size": 0}, 64)
    assert config.batch_size({}, 64) == 64


def test_describe_run_is_one_line_naming_mode_precision_and_steps(capsys, monkeypatch):
    from ganlib import config
    monkeypatch.setenv("GANLIB_MODE", "class")
    line = config.describe_run({"steps": 6000, "log_every": 100})
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and line in out
    assert line.startswith("class mode, ") and "6,000 generator steps" in line
    monkeypatch.setenv("GANLIB_MODE", "pretrained")
    assert "no training" in config.describe_run({"steps": 6000, "log_every": 100})
