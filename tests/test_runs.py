"""Run folders: backups that never delete a user's files, resume only their own run, and say
clearly when they are damaged; the loss guard keeps the last finite state."""
import hashlib
import json
import os
import pathlib
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from ganlib import config, dcgan, metrics, runs
from ganlib import gan as ganmod


def images(n=128, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, 28, 28), dtype=np.uint8)


SCHEDULE = dict(steps=8, log_every=2, steps_per_execution=1)


def new_gan(seed=0, **kw):
    keras.mixed_precision.set_global_policy("float32")
    config.set_seed(seed)
    return dcgan.make_dcgan(seed=seed, **kw)


def dataset(seed=0):
    from ganlib import data
    return data.make_dataset(images(), batch_size=16, seed=seed)


class InterruptAfter(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


def fingerprint(folder):
    """Every file's sha256, but the lock file's (it names the process that last held it)."""
    out = {}
    for root, _, files in os.walk(folder):
        for f in files:
            if f == runs.LOCK:
                continue
            p = os.path.join(root, f)
            out[os.path.relpath(p, folder)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


# ----------------------------------------------------------------------------- never delete
def test_run_folder_with_user_files_is_refused_and_left_intact(tmp_path):
    user = tmp_path / "mine"
    (user / "samples").mkdir(parents=True)
    (user / "generator.keras").write_bytes(b"the user's own model")
    (user / "samples" / "a.png").write_bytes(b"png")
    before = fingerprint(user)
    with pytest.raises(runs.RunFolderError, match="did not write"):
        ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=user)
    assert fingerprint(user) == before


def test_run_dir_dot_never_deletes_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "01_dcgan.ipynb").write_text("{}")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "01_dcgan.py").write_text("# source")
    monkeypatch.chdir(tmp_path)
    before = fingerprint(tmp_path)
    with pytest.raises(runs.RunFolderError):
        ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=".")
    assert fingerprint(tmp_path) == before


def test_finished_run_keeps_its_backup_generator_and_history(tmp_path):
    run = tmp_path / "run"
    gan = new_gan()
    hist = ganmod.fit_schedule(gan, dataset(), SCHEDULE, run_dir=run)
    unit = runs.current_backup(run)
    assert unit and os.path.exists(os.path.join(unit, runs.WEIGHTS)), "backup deleted at the end"
    assert (run / runs.MARKER).exists()
    saved = runs.load_history(run)
    assert saved["steps"] == 8
    assert saved["history"]["d_loss"] == pytest.approx(hist.history["d_loss"])
    g = keras.saving.load_model(run / runs.GENERATOR)
    z = np.random.default_rng(0).uniform(-1, 1, (4, dcgan.LATENT_DIM)).astype("float32")
    np.testing.assert_allclose(g.predict(z, verbose=0), gan.generator.predict(z, verbose=0),
                               atol=1e-5)
    info = json.loads((run / runs.MARKER).read_text())
    assert info["complete"] and info["steps"] == 8


def test_running_a_finished_run_again_loads_it_and_trains_nothing(tmp_path, capsys):
    run = tmp_path / "run"
    first = new_gan()
    h1 = ganmod.fit_schedule(first, dataset(), SCHEDULE, run_dir=run)
    before = fingerprint(run)
    again = new_gan()
    h2 = ganmod.fit_schedule(again, dataset(), SCHEDULE, run_dir=run)
    assert int(again.g_optimizer.iterations.numpy()) == 8
    assert h2.history["d_loss"] == pytest.approx(h1.history["d_loss"])
    assert fingerprint(run) == before, "replaying a finished run rewrote its files"
    assert "complete" in capsys.readouterr().out


# ----------------------------------------------------------------------------- resume
def test_interrupted_run_resumes_with_whole_history_and_metric_records(tmp_path):
    run = tmp_path / "run"
    gan = new_gan()
    track = metrics.MetricHistory(lambda g: float(g.g_optimizer.iterations.numpy()), at_start=True)
    seen = keras.callbacks.History()
    with pytest.raises(KeyboardInterrupt):
        ganmod.fit_schedule(gan, dataset(), SCHEDULE, run_dir=run,
                            callbacks=[track, seen, InterruptAfter(2)])
    resumed = new_gan()
    track2 = metrics.MetricHistory(lambda g: float(g.g_optimizer.iterations.numpy()), at_start=True)
    hist = ganmod.fit_schedule(resumed, dataset(), SCHEDULE, run_dir=run, callbacks=[track2])
    assert int(resumed.g_optimizer.iterations.numpy()) == 8
    assert len(hist.history["d_loss"]) == 4, "the intervals before the interruption are missing"
    assert track2.steps == [0, 2, 4, 6, 8]
    # the first two intervals are the interrupted run's own records (the third, interrupted
    # while its callbacks ran, was trained again)
    assert hist.history["d_loss"][:2] == pytest.approx(seen.history["d_loss"][:2])


def test_backup_of_another_run_is_not_resumed(tmp_path):
    run = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        ganmod.fit_schedule(new_gan(seed=0), dataset(), SCHEDULE, run_dir=run,
                            callbacks=[InterruptAfter(1)])
    before = fingerprint(run)
    other = new_gan(seed=1)
    with pytest.raises(runs.RunFolderError, match="seed"):
        ganmod.fit_schedule(other, dataset(), SCHEDULE, run_dir=run)
    longer = dict(SCHEDULE, steps=12)
    with pytest.raises(runs.RunFolderError, match="intervals"):
        ganmod.fit_schedule(new_gan(seed=0), dataset(), longer, run_dir=run)
    assert int(other.g_optimizer.iterations.numpy()) == 0
    assert fingerprint(run) == before, "a refused run touched the other run's backup"


def test_backup_made_with_other_loss_maths_is_not_resumed(tmp_path):
    """The loss functions' code is part of a run's identity: a backup trained with one loss
    is not resumed (or loaded as finished) by a run with another, even of the same name."""
    from ganlib import losses
    run = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=run,
                            callbacks=[InterruptAfter(1)])
    before = fingerprint(run)
    other = new_gan()
    other.compile(d_optimizer=other.d_optimizer, g_optimizer=other.g_optimizer,
                  d_loss_fn=losses.discriminator_least_squares, g_loss_fn=other.g_loss_fn,
                  steps_per_execution=other.steps_per_execution)
    with pytest.raises(runs.RunFolderError, match="d_loss_fn"):
        ganmod.fit_schedule(other, dataset(), SCHEDULE, run_dir=run)
    assert fingerprint(run) == before
    ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=run)   # the same run resumes


def test_backup_of_another_mode_is_not_resumed(tmp_path, monkeypatch):
    run = tmp_path / "run"
    monkeypatch.setenv("GANLIB_MODE", "class")
    with pytest.raises(KeyboardInterrupt):
        ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=run,
                            callbacks=[InterruptAfter(1)])
    monkeypatch.setenv("GANLIB_MODE", "smoke")
    with pytest.raises(runs.RunFolderError, match="mode"):
        ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=run)


def test_smoke_runs_never_use_the_class_or_full_run_folders(tmp_path):
    root = str(tmp_path / "runs")
    assert runs.run_dir("01_dcgan", mode="class", root=root) == os.path.join(root, "class", "01_dcgan")
    assert runs.run_dir("01_dcgan", mode="full", root=root) == os.path.join(root, "full", "01_dcgan")
    a, b = (runs.run_dir("01_dcgan", mode="smoke", root=root) for _ in range(2))
    assert a != b and not a.startswith(root) and not os.listdir(a)
    assert config.run_mode() == "smoke"  # pytest's own runs
    assert not runs.run_dir("01_dcgan", root=root).startswith(root)
    with pytest.raises(ValueError, match="plain folder name"):
        runs.run_dir("../x", mode="class")


def test_smoke_run_folders_are_removed_when_the_process_ends():
    import subprocess
    import sys
    code = ("from ganlib import runs; p = runs.run_dir('x', mode='smoke'); "
            "open(p + '/f', 'w').write('x'); print(p)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    path = out.stdout.strip().splitlines()[-1]
    assert path and not os.path.exists(path)


def test_smoke_folders_of_killed_processes_are_swept_and_others_kept(tmp_path, monkeypatch):
    import subprocess
    import sys
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{runs.SMOKE_PREFIX}{dead.pid}-01_dcgan-abc"
    alive = tmp_path / f"{runs.SMOKE_PREFIX}{os.getppid()}-01_dcgan-def"
    other = tmp_path / "ganlib-smoke-notes"  # not a name this module makes
    for d in (stale, alive, other):
        d.mkdir()
        (d / "f").write_text("x")
    fresh = runs.run_dir("02_acgan", mode="smoke")
    assert not stale.exists() and alive.exists() and other.exists()
    assert os.path.dirname(fresh) == str(tmp_path)


@pytest.mark.parametrize("name", ["latest.weights.h5", "training_metadata.json", "state.json"])
def test_truncated_backup_file_gives_a_clear_error(tmp_path, name):
    run = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=run,
                            callbacks=[InterruptAfter(1)])
    path = pathlib.Path(runs.current_backup(run)) / name
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(runs.RunFolderError) as err:
        ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=run)
    assert name in str(err.value) and "Delete the folder" in str(err.value)
    assert path.exists(), "the damaged backup was deleted instead of reported"


# ----------------------------------------------------------------------------- the loss guard
def nan_after(step_count):
    """A dataset of finite images for `step_count` batches, then NaN images."""
    x = np.random.default_rng(0).uniform(-1, 1, (16 * 40, 28, 28, 1)).astype("float32")
    x[16 * step_count:] = np.nan
    return tf.data.Dataset.from_tensor_slices(x).batch(16)


def test_nonfinite_loss_keeps_the_last_finite_state_in_memory_and_on_disk(tmp_path, capsys):
    run = tmp_path / "run"
    gan = new_gan(reuse_fakes=False)
    ganmod.fit_schedule(gan, nan_after(4), SCHEDULE, run_dir=run)  # intervals 1-2 finite
    out = capsys.readouterr().out
    assert "put back to its state after step 4" in out and "untouched" not in out
    assert all(np.isfinite(v.numpy()).all() for v in runs.state_variables(gan))
    assert int(gan.g_optimizer.iterations.numpy()) == 4
    unit = runs.current_backup(run)
    meta = json.loads(open(os.path.join(unit, runs.METADATA)).read())
    assert meta["epoch"] == 2
    reference = new_gan(reuse_fakes=False)
    ganmod.fit_schedule(reference, nan_after(4), dict(SCHEDULE, steps=4))
    for a, b in zip(gan.generator.weights, reference.generator.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    from_disk = new_gan(reuse_fakes=False)
    from_disk.load_weights(os.path.join(unit, runs.WEIGHTS))
    assert all(np.isfinite(v.numpy()).all() for v in from_disk.weights)
    g = keras.saving.load_model(run / runs.GENERATOR)
    assert all(np.isfinite(w).all() for w in g.get_weights())


def test_exploding_losses_stop_training():
    gan = new_gan()
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-4), g_optimizer=keras.optimizers.Adam(1e-4),
                d_loss_fn=lambda r, f: 1e9 * (1.0 + ganmod.losses.discriminator_bce(r, f)))
    guard = ganmod.StopOnNaN()
    gan.fit(dataset(), epochs=4, steps_per_epoch=2, verbose=0, callbacks=[guard])
    assert guard.stopped_at is not None and guard.stopped_at < 8


# ----------------------------------------------------------------------------- schedules
@pytest.mark.parametrize("schedule", [dict(steps=5, log_every=10), dict(steps=25, log_every=10),
                                      dict(steps=20, log_every=0),
                                      dict(steps=20, log_every=10, steps_per_execution=3)])
def test_schedule_that_would_train_other_than_asked_is_refused(schedule):
    with pytest.raises(ValueError, match="schedule"):
        config.intervals(schedule)
    with pytest.raises(ValueError, match="schedule"):
        dcgan.train(schedule=dict(schedule, steps_per_execution=schedule.get("steps_per_execution", 1)),
                    images=images())


# ----------------------------------------------------------------------------- shapes and counts
def test_train_refuses_images_that_do_not_fit_the_model_before_training():
    from ganlib import acgan, wgan
    rgb = np.zeros((512, 28, 28, 3), np.uint8)
    smoke = dict(steps=2, log_every=1, steps_per_execution=1)
    with pytest.raises(ValueError, match=r"\(28, 28, 3\).*\(28, 28, 1\)"):
        dcgan.train(schedule=smoke, images=rgb)
    plain = dict(steps=2, log_every=1)            # (steps_per_execution is DCGAN's entry)
    with pytest.raises(ValueError, match=r"\(28, 28, 3\)"):
        wgan.train(schedule=plain, images=rgb)
    with pytest.raises(ValueError, match=r"\(28, 28, 3\)"):
        acgan.train(schedule={**acgan.SCHEDULES["smoke"], **plain},
                    images=rgb, labels=np.zeros(512, np.int64))


@pytest.mark.parametrize("n", [0, -3, None, 2.5])
def test_generate_needs_a_positive_count(n):
    with pytest.raises(ValueError, match="n >= 1"):
        new_gan().generate(n)


def test_pix2pix_fit_refuses_pairs_that_do_not_fit_the_model():
    from ganlib import pix2pix
    keras.mixed_precision.set_global_policy("float32")
    model = pix2pix.make_pix2pix(32, width=0.25, seed=0)
    big = np.zeros((4, 64, 64, 3), np.uint8)
    ds = pix2pix.pair_dataset(big, big, batch_size=2, seed=0)
    with pytest.raises(ValueError, match=r"\(64, 64, 3\)"):
        model.fit(ds, epochs=1, steps_per_epoch=1, verbose=0)


def test_acgan_backup_of_another_dataset_is_not_resumed(tmp_path):
    from ganlib import acgan
    keras.mixed_precision.set_global_policy("float32")
    x, y = images(256), np.random.default_rng(0).integers(0, 10, 256)
    smoke = {**acgan.SCHEDULES["smoke"], "steps": 3, "log_every": 1}
    with pytest.raises(KeyboardInterrupt):
        acgan.train(smoke, dataset="fashion_mnist", images=x, labels=y, run_dir=tmp_path / "r",
                    callbacks=[InterruptAfter(1)])
    with pytest.raises(runs.RunFolderError, match="dataset"):
        acgan.train(smoke, dataset="mnist", images=x, labels=y, run_dir=tmp_path / "r")



# ----------------------------------------------------------------------------- a kill at any point
class Killed(BaseException):
    """A kill: nothing after the point it strikes runs (no `except Exception` stops it)."""


class ToyRun:
    """The 2-D toy GAN trained for 3 intervals of one step into a run folder, with a backup
    and a metric record: the first backup, one that replaces another, the last one and the
    final generator and history are all written.  Every file operation of the run (a folder
    made, a file replaced or removed, the weights or the generator saved) is counted into
    `seen`, and the `kill_at`-th is killed before it happens.

    One model serves every run: before each, every variable it has (weights, optimizer slots
    and step counters, the noise seed) is put back to its untrained value and Keras' resume
    interval cleared, so it knows of a run only what it reads from the folder, as a new model
    would; rebuilding it each time would only add a minute of tracing."""

    def __init__(self):
        from ganlib import toy2d
        keras.mixed_precision.set_global_policy("float32")
        self.gan = toy2d.make_toy_gan(seed=0)
        self.ds = toy2d.make_dataset(toy2d.sample(256, seed=0), batch_size=32, seed=0)
        self.fresh = [np.array(v.numpy()) for v in runs.state_variables(self.gan)]

    def __call__(self, run, kill_at=None, seen=None):
        gan = self.gan
        for v, value in zip(runs.state_variables(gan), self.fresh):
            v.assign(value)
        gan._initial_epoch, gan.stop_training = None, False
        record = metrics.MetricHistory(lambda g: float(g.g_optimizer.iterations.numpy()),
                                       at_start=True)
        patches = []

        def counted(owner, name):
            original = getattr(owner, name)

            def op(*args, **kwargs):
                seen.append(f"{name}({os.path.basename(str(args[0])) if args else ''})")
                if len(seen) == kill_at:
                    raise Killed(seen[-1])
                return original(*args, **kwargs)
            setattr(owner, name, op)
            patches.append((owner, name, original))

        if seen is not None:
            for owner, name in ((os, "mkdir"), (os, "replace"), (os, "remove"),
                                (runs.shutil, "rmtree"), (gan, "save_weights"),
                                (gan.generator, "save")):
                counted(owner, name)
        try:
            hist = gan.fit(self.ds, epochs=3, steps_per_epoch=1, verbose=0,
                           callbacks=[runs.RunBackup(run), record])
        finally:
            for owner, name, original in reversed(patches):
                if owner in (gan, gan.generator):
                    delattr(owner, name)
                else:
                    setattr(owner, name, original)
        return gan, hist, record


def test_a_kill_at_every_point_of_every_save_resumes_to_exactly_the_schedule(tmp_path, capsys):
    """#33: a backup is one unit.  The run is killed before each of its file operations in
    turn (the marker, the backups after intervals 1-3, the final generator and history), then
    resumed: it ends at exactly 3 generator steps with 3 logged intervals and 4 metric records,
    its resume line agrees with itself, its folder says complete, and one backup unit is left."""
    import re
    toy = ToyRun()
    ops = []
    toy(tmp_path / "count", seen=ops)
    assert sum(op.startswith("save_weights") for op in ops) == 3, ops
    for k in range(1, len(ops) + 1):
        run = tmp_path / f"kill{k}"
        with pytest.raises(Killed):
            toy(run, kill_at=k, seen=[])
        capsys.readouterr()
        gan, hist, record = toy(run)
        said = capsys.readouterr().out
        where = f"killed before operation {k}, {ops[k - 1]} (of {ops})"
        assert gan.generator_steps == 3, where
        assert len(hist.history["d_loss"]) == 3 and len(hist.history["g_loss"]) == 3, where
        assert record.steps == [0, 1, 2, 3], where
        for steps, interval in re.findall(r"backup after (\d+) generator steps \((\d+) of 3",
                                          said):
            assert steps == interval, (said, where)
        saved = runs.load_history(run)
        assert saved["steps"] == 3 and len(saved["history"]["d_loss"]) == 3, where
        info = json.loads((run / runs.MARKER).read_text())
        assert info["complete"] and info["steps"] == 3 and info["intervals_done"] == 3, where
        units = [n for n in os.listdir(run / runs.BACKUP) if n.startswith(runs.UNIT)]
        assert units == [os.path.basename(runs.current_backup(run))], (units, where)
        g = keras.saving.load_model(run / runs.GENERATOR, safe_mode=True)
        z = np.linspace(-1, 1, 2 * g.input_shape[-1]).reshape(2, -1).astype("float32")
        np.testing.assert_allclose(g.predict(z, verbose=0), gan.generator.predict(z, verbose=0),
                                   atol=1e-6, err_msg=where)


def test_a_backup_whose_weights_are_ahead_of_its_interval_is_refused(tmp_path):
    """The layout before backup units (files straight in backup/) is still resumed, unless
    its weights and its interval disagree, as a run killed between the two writes left them
    (#33: it then trained 70 steps of a 60-step schedule): that is refused, by name."""
    run = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=run,
                            callbacks=[InterruptAfter(2)])
    unit, backup = runs.current_backup(run), run / runs.BACKUP
    for name in (runs.WEIGHTS, runs.METADATA, runs.STATE):
        os.replace(os.path.join(unit, name), backup / name)
    os.remove(backup / runs.CURRENT)
    os.rmdir(unit)
    meta = json.loads((backup / runs.METADATA).read_text())
    assert meta["epoch"] == 2
    legacy = {k: v for k, v in meta.items() if k != "steps"}
    (backup / runs.METADATA).write_text(json.dumps(dict(legacy, epoch=1)))   # weights: step 4
    before = fingerprint(run)
    with pytest.raises(runs.RunFolderError, match=r"generator step 4.*interval 1.*killed"):
        ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=run)
    assert fingerprint(run) == before
    (backup / runs.METADATA).write_text(json.dumps(legacy))            # whole: it resumes
    resumed = new_gan()
    hist = ganmod.fit_schedule(resumed, dataset(), SCHEDULE, run_dir=run)
    assert resumed.generator_steps == 8 and len(hist.history["d_loss"]) == 4
    assert sorted(os.listdir(backup)) == [runs.CURRENT, os.path.basename(runs.current_backup(run))]


# ----------------------------------------------------------------------------- one run per folder
HOLDER = r"""
import fcntl, json, os, socket, sys, time
f = open(os.path.join(sys.argv[1], "ganlib-run.lock"), "a+")
fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
f.truncate(0); f.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                   "since": "now"})); f.flush()
print("held", flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the holder script uses fcntl")
def test_a_second_run_into_a_folder_in_use_is_refused_before_it_writes(tmp_path):
    """#33: two runs into one folder.  While another process holds the folder's lock, a run
    is refused with a RunFolderError naming that process, and the folder (marker, backup,
    generator) is left exactly as it was; once that process has ended (its lock file still
    naming it), the folder is free again."""
    run = tmp_path / "run"
    ganmod.fit_schedule(new_gan(), dataset(), dict(SCHEDULE, steps=4), run_dir=run)
    before = fingerprint(run)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(run)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for gan_seed in (0, 1):        # the same run, and another run, alike
            with pytest.raises(runs.RunFolderError, match=rf"in use.*pid {holder.pid} on host"):
                ganmod.fit_schedule(new_gan(seed=gan_seed), dataset(), dict(SCHEDULE, steps=4),
                                    run_dir=run)
        fresh = tmp_path / "fresh"          # a new folder claimed by the other process
        fresh.mkdir()
        holder2 = subprocess.Popen([sys.executable, "-c", HOLDER, str(fresh)],
                                   stdout=subprocess.PIPE, text=True)
        assert holder2.stdout.readline().strip() == "held"
        with pytest.raises(runs.RunFolderError, match="in use"):
            ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=fresh)
        assert os.listdir(fresh) == [runs.LOCK], "the refused run wrote into the folder"
        holder2.kill()
        holder2.wait()
    finally:
        holder.kill()
        holder.wait()
    assert fingerprint(run) == before
    assert str(holder.pid) in (run / runs.LOCK).read_text()     # a dead holder's lock file...
    again = new_gan()
    ganmod.fit_schedule(again, dataset(), dict(SCHEDULE, steps=4), run_dir=run)  # ...blocks nothing
    assert again.generator_steps == 4 and fingerprint(run) == before


def test_the_lock_is_given_back_however_fit_ends(tmp_path):
    """An interrupted fit (a notebook's stop button) gives the folder's lock back, so the
    same kernel, or another process, can resume it."""
    run = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        ganmod.fit_schedule(new_gan(), dataset(), SCHEDULE, run_dir=run,
                            callbacks=[InterruptAfter(1)])
    assert not runs._HELD
    code = ("import sys; from ganlib import runs; runs.lock_run_folder(sys.argv[1]); "
            "print('locked')")
    out = subprocess.run([sys.executable, "-c", code, str(run)], capture_output=True, text=True,
                         timeout=300)
    assert out.stdout.strip().endswith("locked"), out.stderr[-2000:]
