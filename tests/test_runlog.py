"""A run folder a person can look into: TensorBoard logs, a sample grid per logging interval,
the strip and the GIF of training."""
import glob
import os

import keras
import numpy as np
import pytest
from PIL import Image

from ganlib import acgan, atienza, config, data, dcgan, infogan, runlog, runs
from ganlib.gan import fit_schedule

SCHEDULE = dict(steps=6, log_every=2, steps_per_execution=1)


def images(n=64, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, 28, 28), dtype=np.uint8)


def train_dcgan(run_dir, schedule=SCHEDULE):
    keras.mixed_precision.set_global_policy("float32")
    config.set_seed(0)
    gan = dcgan.make_dcgan(seed=0)
    ds = data.make_dataset(images(), batch_size=16, seed=0)
    return gan, fit_schedule(gan, ds, schedule, str(run_dir))


def events(folder):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    acc = EventAccumulator(str(folder), size_guidance={"tensors": 0})
    acc.Reload()
    return {tag: [e.step for e in acc.Tensors(tag)] for tag in acc.Tags()["tensors"]}


def test_run_folder_gets_tensorboard_samples_strip_and_gif(tmp_path):
    run = tmp_path / "run"
    train_dcgan(run)
    frames = sorted(os.path.basename(p) for p in glob.glob(str(run / "samples" / "*.png")))
    assert frames == ["step_0000000.png", "step_0000002.png", "step_0000004.png",
                      "step_0000006.png"]
    grid = Image.open(run / "samples" / "step_0000006.png")
    assert grid.size == (8 * 29 + 1, 2 * 29 + 1)         # 16 fixed samples, 8 per row
    gif = Image.open(run / runlog.GIF)
    assert gif.n_frames == 4
    strip = Image.open(run / runlog.STRIP)
    assert strip.height > strip.width                      # wide 8x2 grids: one under another
    scalars = events(run / "tensorboard" / "train")
    assert scalars["epoch_d_loss"] == [0, 1, 2] and scalars["epoch_g_loss"] == [0, 1, 2]
    assert events(run / "tensorboard" / "samples")["samples"] == [0, 2, 4, 6]


def test_strip_puts_square_grids_side_by_side(tmp_path):
    os.makedirs(tmp_path / "samples")
    for step in (0, 5, 10):
        Image.fromarray(np.full((60, 60), 40 * step % 255, np.uint8)).save(
            runlog.frame_path(str(tmp_path), step))
    strip = Image.open(runlog.write_strip(str(tmp_path)))
    assert strip.width > 2 * strip.height


def test_show_strip_displays_the_run_folders_strip_and_names_a_missing_one(tmp_path, monkeypatch):
    import IPython.display
    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    run = tmp_path / "run"
    train_dcgan(run)
    assert runlog.show_strip(str(run)) is None
    assert len(shown) == 1 and shown[0].data == (run / runlog.STRIP).read_bytes()
    with pytest.raises(FileNotFoundError, match="train first"):
        runlog.show_strip(str(tmp_path / "elsewhere"))


def test_samples_use_the_same_inputs_after_a_resume(tmp_path):
    """A resumed run keeps its frames and goes on with the same fixed inputs, whatever the
    process: they depend on no seed and no training state."""
    class Stop(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise KeyboardInterrupt

    a, b = tmp_path / "a", tmp_path / "b"
    train_dcgan(a)
    keras.mixed_precision.set_global_policy("float32")
    config.set_seed(0)
    gan = dcgan.make_dcgan(seed=0)
    ds = data.make_dataset(images(), batch_size=16, seed=0)
    with pytest.raises(KeyboardInterrupt):
        fit_schedule(gan, ds, SCHEDULE, str(b), callbacks=[Stop()])
    train_dcgan(b)
    first, last = "samples/step_0000002.png", "samples/step_0000006.png"
    np.testing.assert_array_equal(np.asarray(Image.open(a / first)), np.asarray(Image.open(b / first)))
    assert os.path.exists(b / last)
    other = dcgan.make_dcgan(seed=7)
    np.testing.assert_array_equal(other.preview_inputs(), gan.preview_inputs())
    assert Image.open(b / runlog.GIF).n_frames == 4


def test_output_scale_follows_the_generators_last_activation():
    keras.mixed_precision.set_global_policy("float32")
    assert runlog.output_scale(atienza.generator()) == "sigmoid"
    assert runlog.output_scale(dcgan.build_generator()) == "tanh"


def test_conditional_previews_put_one_class_or_code_per_column():
    keras.mixed_precision.set_global_policy("float32")
    ac = acgan.make_acgan(seed=0, **acgan.LIGHT_RECIPE)
    noise, labels = ac.preview_inputs()
    assert ac.preview_columns == 10 and labels[:, 0].tolist() == list(range(10)) * 2
    np.testing.assert_array_equal(noise, ac.preview_inputs()[0])    # fixed
    info = infogan.make_infogan(seed=0, g_filters=(16, 8, 4), d_filters=(4, 8, 16))
    x = info.preview_inputs()
    cat = x[:, info.latent_dim:info.latent_dim + info.n_cat].argmax(1)
    assert info.preview_columns == info.n_cat and cat.tolist() == list(range(info.n_cat)) * 2


def test_progress_line_counts_generator_steps_and_measures_time_left():
    line = runlog.progress_line(250, 1000, elapsed=50.0, start=0, logs={"d_loss": 0.5})
    assert "generator step 250/1,000" in line and " 25%" in line
    assert "0:50 spent" in line and "about 2:30 left" in line      # 0.2 s/step x 750 steps
    assert "d_loss 0.500" in line
    # a resumed run measures its speed on the steps it trained itself, not on the backup's
    resumed = runlog.progress_line(600, 1000, elapsed=10.0, start=500)
    assert "about 0:40 left" in resumed
    assert "done" in runlog.progress_line(1000, 1000, elapsed=3725.0)
    assert "1:02:05 spent" in runlog.progress_line(1000, 1000, elapsed=3725.0)


def test_fit_shows_one_whole_run_progress_line_and_says_where_a_resume_starts(tmp_path, capsys):
    keras.mixed_precision.set_global_policy("float32")
    run = tmp_path / "run"
    lines = []
    config.set_seed(0)
    gan = dcgan.make_dcgan(seed=0)
    ds = data.make_dataset(images(), batch_size=16, seed=0)
    # verbose=2 used to print "Epoch k/n" per interval; now one line over all 6 steps
    fit_schedule(gan, ds, dict(steps=4, log_every=2, steps_per_execution=1), str(run),
                 callbacks=[runlog.RunProgress(every_seconds=0, out=lines.append)], verbose=2)
    assert "Epoch" not in capsys.readouterr().out
    assert lines[0].startswith("generator step 0/4") and "time left: after the first" in lines[0]
    assert [ln.split()[2] for ln in lines] == ["0/4", "1/4", "2/4", "3/4", "4/4", "4/4"]
    assert "about" in lines[1] and lines[-1].split("%")[0].endswith("100") and "done" in lines[-1]
    # a run interrupted after its first interval resumes from the backup's 2 steps
    class Interrupt(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.model.generator_steps == 3:
                raise KeyboardInterrupt
    run2, sched = tmp_path / "run2", dict(steps=4, log_every=2, steps_per_execution=1)
    config.set_seed(0)
    gan = dcgan.make_dcgan(seed=0)
    with pytest.raises(KeyboardInterrupt):
        fit_schedule(gan, ds, sched, str(run2), callbacks=[Interrupt()], verbose=0)
    lines.clear()
    config.set_seed(0)
    gan = dcgan.make_dcgan(seed=0)
    fit_schedule(gan, ds, sched, str(run2),
                 callbacks=[runlog.RunProgress(every_seconds=0, out=lines.append)], verbose=1)
    assert "Resuming at generator step 2 of 4" in capsys.readouterr().out
    assert lines[0].startswith("generator step 2/4") and lines[-1].startswith("generator step 4/4")
    # a finished run trains nothing and draws no bar (the backup's message says it was loaded)
    lines.clear()
    gan = dcgan.make_dcgan(seed=0)
    fit_schedule(gan, ds, sched, str(run2),
                 callbacks=[runlog.RunProgress(every_seconds=0, out=lines.append)], verbose=1)
    assert lines == [] and "nothing left to train" in capsys.readouterr().out


def test_progress_in_a_log_file_writes_a_line_per_tenth_of_the_run(capsys):
    progress = runlog.RunProgress(every_seconds=0)
    progress.done, progress.total = 0, 100
    for done in range(0, 101, 5):
        progress.done = done
        progress._show(runlog.progress_line(done, 100, 1.0), final=done == 100)
    lines = capsys.readouterr().out.splitlines()      # pytest's capture is not a terminal
    assert len(lines) == 11 and "\r" not in "".join(lines)
    assert lines[0].startswith("generator step 0/100") and lines[-1].startswith(
        "generator step 100/100")


def test_strip_puts_twice_as_wide_grids_two_to_a_row(tmp_path):
    """pix2pix's 2 × 4 grids of translations: two frames a row, each image about an inch."""
    from PIL import Image
    os.makedirs(tmp_path / runlog.SAMPLES)
    for step in range(0, 800, 100):
        Image.fromarray(np.zeros((128, 256, 3), np.uint8)).save(runlog.frame_path(str(tmp_path), step))
    strip = Image.open(runlog.write_strip(str(tmp_path)))
    assert 800 <= strip.width <= 1000                       # 9 inches at 100 dpi
    assert strip.height > strip.width                       # four rows of two
