import os

import keras
import numpy as np
import pytest

from ganlib import config, data, dcgan, gan as ganmod, losses


def weights(model):
    return [v.numpy().copy() for v in model.weights]


def moved(before, model):
    return [not np.array_equal(a, v.numpy()) for a, v in zip(before, model.weights)]


@pytest.fixture
def real_batch():
    rng = np.random.default_rng(0)
    return keras.ops.convert_to_tensor(rng.uniform(-1, 1, (16, 28, 28, 1)).astype("float32"))


@pytest.fixture
def small_gan():
    keras.mixed_precision.set_global_policy("float32")
    return dcgan.make_dcgan(seed=1)


def test_d_update_moves_d_weights_and_no_g_weight(small_gan, real_batch):
    g0, d0 = weights(small_gan.generator), weights(small_gan.discriminator)
    small_gan.apply_update(small_gan.discriminator_loss, small_gan.d_variables,
                           small_gan.d_optimizer, real_batch, None)
    assert all(moved(d0, small_gan.discriminator)), "every D weight should move"
    g_moved = dict(zip((v.path for v in small_gan.generator.weights), moved(g0, small_gan.generator)))
    trainable = {v.path for v in small_gan.generator.trainable_variables}
    assert not any(m for p, m in g_moved.items() if p in trainable), "a D update moved a G weight"
    # only G's BatchNorm moving averages follow the fake batch (no gradient step)
    assert all("moving" in p for p, m in g_moved.items() if m)


def test_g_update_moves_g_weights_and_no_d_weight(small_gan, real_batch):
    g0, d0 = weights(small_gan.generator), weights(small_gan.discriminator)
    small_gan.apply_update(small_gan.generator_loss, small_gan.g_variables,
                           small_gan.g_optimizer, real_batch, None)
    g_moved = moved(g0, small_gan.generator)
    trainable = [any(v is t for t in small_gan.generator.trainable_variables)
                 for v in small_gan.generator.weights]
    assert all(m for m, t in zip(g_moved, trainable) if t), "every trainable G weight should move"
    assert not any(moved(d0, small_gan.discriminator)), "a G update moved a D weight"


def test_train_step_reports_both_losses(small_gan, real_batch):
    logs = small_gan.train_step(real_batch)
    assert set(logs) == {"d_loss", "g_loss"}
    assert all(np.isfinite(float(v)) for v in logs.values())


def fit_weights(seed, steps=3):
    keras.mixed_precision.set_global_policy("float32")
    config.set_seed(seed)
    x = np.random.default_rng(0).integers(0, 256, (256, 28, 28), dtype=np.uint8)
    g = dcgan.make_dcgan(seed=seed)
    g.fit(data.make_dataset(x, batch_size=32, seed=seed), epochs=1, steps_per_epoch=steps, verbose=0)
    return [w.copy() for w in g.get_weights()]


def test_seeded_runs_are_identical_and_seeds_matter():
    a, b, c = fit_weights(7), fit_weights(7), fit_weights(8)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not all(np.array_equal(x, y) for x, y in zip(a, c))


def test_several_critic_steps_and_weight_clipping():
    keras.mixed_precision.set_global_policy("float32")
    g = ganmod.GAN(dcgan.build_generator(), dcgan.build_discriminator(), latent_dim=100,
                   d_steps=3, clip_value=0.01, seed=0)
    g.compile(keras.optimizers.RMSprop(5e-5), keras.optimizers.RMSprop(5e-5),
              losses.critic_wasserstein, losses.generator_wasserstein)
    x = np.random.default_rng(0).integers(0, 256, (300, 28, 28), dtype=np.uint8)
    g.fit(data.make_dataset(x, batch_size=3 * 16), epochs=1, steps_per_epoch=2, verbose=0)
    assert int(g.d_optimizer.iterations.numpy()) == 6
    assert int(g.g_optimizer.iterations.numpy()) == 2
    assert max(float(np.abs(v.numpy()).max()) for v in g.d_variables) <= 0.01 + 1e-7


def test_nan_loss_stops_training_with_a_message(capsys):
    keras.mixed_precision.set_global_policy("float32")
    g = dcgan.make_dcgan(seed=0)
    g.compile(keras.optimizers.Adam(1e38), keras.optimizers.Adam(1e38))  # diverges at once
    x = np.random.default_rng(0).integers(0, 256, (256, 28, 28), dtype=np.uint8)
    x[:] = 255
    guard = ganmod.StopOnNaN()
    g.fit(data.make_dataset(x, batch_size=32), epochs=3, steps_per_epoch=20, verbose=0,
          callbacks=[guard])
    assert guard.stopped_at is not None
    assert int(g.g_optimizer.iterations.numpy()) < 60
    assert "non-finite loss" in capsys.readouterr().out


def test_interrupted_fit_resumes_from_backup(tmp_path):
    keras.mixed_precision.set_global_policy("float32")
    x = np.random.default_rng(0).integers(0, 256, (256, 28, 28), dtype=np.uint8)
    ds = data.make_dataset(x, batch_size=32, seed=0)

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise KeyboardInterrupt

    g = dcgan.make_dcgan(seed=0)
    with pytest.raises(KeyboardInterrupt):
        g.fit(ds, epochs=4, steps_per_epoch=2, verbose=0,
              callbacks=ganmod.training_callbacks(tmp_path / "run") + [Interrupt()])
    assert os.listdir(tmp_path / "run" / "backup"), "the backup of the finished epochs was lost"
    fresh = dcgan.make_dcgan(seed=0)
    hist = fresh.fit(ds, epochs=4, steps_per_epoch=2, verbose=0,
                     callbacks=ganmod.training_callbacks(tmp_path / "run"))
    assert len(hist.history["d_loss"]) == 4  # epochs 1-2 from the backup, 3-4 run now
    assert int(fresh.g_optimizer.iterations.numpy()) == 8


def test_bad_gan_arguments():
    with pytest.raises(ValueError, match="noise"):
        ganmod.GAN(None, None, 10, noise="cauchy")
    with pytest.raises(ValueError, match="d_steps"):
        ganmod.GAN(None, None, 10, d_steps=0)


def test_reused_fakes_step_moves_both_players_once():
    keras.mixed_precision.set_global_policy("float32")
    g = dcgan.make_dcgan(reuse_fakes=True, seed=3)
    g0, d0 = weights(g.generator), weights(g.discriminator)
    real = keras.ops.convert_to_tensor(
        np.random.default_rng(0).uniform(-1, 1, (16, 28, 28, 1)).astype("float32"))
    logs = g.train_step(real)
    assert set(logs) == {"d_loss", "g_loss"}
    assert all(moved(d0, g.discriminator)), "every D weight should move"
    trainable = [any(v is t for t in g.generator.trainable_variables) for v in g.generator.weights]
    assert all(m for m, t in zip(moved(g0, g.generator), trainable) if t)
    assert int(g.d_optimizer.iterations.numpy()) == 1 == int(g.g_optimizer.iterations.numpy())


def test_reused_fakes_g_gradient_sees_the_updated_d():
    """G's loss in a reused-fakes step is the *updated* D's verdict on the step's fakes."""
    keras.mixed_precision.set_global_policy("float32")
    g = dcgan.make_dcgan(reuse_fakes=True, seed=4)
    real = keras.ops.convert_to_tensor(
        np.random.default_rng(1).uniform(-1, 1, (16, 28, 28, 1)).astype("float32"))
    d_before = weights(g.discriminator)
    captured = {}
    original = g.generator_loss

    def spy(real_, labels, fake=None):
        captured["fake"] = fake
        captured["d_weights"] = weights(g.discriminator)
        return original(real_, labels, fake)

    g.generator_loss = spy
    g.reused_fakes_step(real, None)
    assert captured["fake"] is not None
    assert not all(np.array_equal(a, b) for a, b in zip(d_before, captured["d_weights"]))


def test_reuse_fakes_refused_where_it_cannot_apply():
    from ganlib import acgan
    with pytest.raises(ValueError, match="reuse_fakes"):
        ganmod.GAN(dcgan.build_generator(), dcgan.build_discriminator(), 100, d_steps=2,
                   reuse_fakes=True)
    with pytest.raises(ValueError, match="reuse_fakes"):
        acgan.ACGAN(acgan.build_generator(), acgan.build_discriminator(), reuse_fakes=True)
