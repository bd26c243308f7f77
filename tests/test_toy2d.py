"""Chapter 0's toy: the 2-D sampler, mode counting, a seeded training through GAN.fit, plots."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ganlib import toy2d  # noqa: E402

SHORT = dict(steps=40, log_every=20, steps_per_execution=20)


def test_sampler_shape_and_seed():
    a, b, c = toy2d.sample(500, seed=3), toy2d.sample(500, seed=3), toy2d.sample(500, seed=4)
    assert a.shape == (500, 2) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert abs(toy2d.distance_to_ring(a)) < 4 * toy2d.STD
    assert toy2d.modes_covered(a)[0] == toy2d.N_MODES


def test_modes_covered_on_constructed_points():
    c = toy2d.centers()
    everywhere = np.repeat(c, 10, axis=0)
    assert toy2d.modes_covered(everywhere)[0] == 8
    one = np.repeat(c[:1], 80, axis=0) + 0.01
    covered, counts = toy2d.modes_covered(one)
    assert covered == 1 and counts[0] == 80 and counts[1:].sum() == 0
    assert toy2d.modes_covered(np.zeros((80, 2)))[0] == 0      # the centre is near no mode
    assert toy2d.modes_covered(c * 1.5)[0] == 0                 # beyond the ring
    # a mode with a token few points is not covered: 70 in mode 0, 1 in each other
    lopsided = np.concatenate([np.repeat(c[:1], 70, axis=0), c[1:]])
    assert toy2d.modes_covered(lopsided)[0] == 1


def test_seeded_training_repeats():
    _, h1, s1 = toy2d.train("bce", schedule=SHORT, seed=5)
    _, h2, s2 = toy2d.train("bce", schedule=SHORT, seed=5)
    assert h1.history["d_loss"] == h2.history["d_loss"]
    assert h1.history["g_loss"] == h2.history["g_loss"]
    assert sorted(s1) == [0, 20, 40]
    np.testing.assert_array_equal(s1[40], s2[40])


def test_short_training_moves_fakes_to_the_ring():
    _, _, snaps = toy2d.train("bce", schedule=dict(steps=300, log_every=150,
                                                   steps_per_execution=50), seed=0)
    before, after = toy2d.distance_to_ring(snaps[0]), toy2d.distance_to_ring(snaps[300])
    assert after < 0.5 * before, (before, after)


@pytest.mark.parametrize("loss", sorted(toy2d.LOSSES))
def test_each_loss_builds_and_steps(loss):
    gan = toy2d.make_toy_gan(loss, seed=0)
    before = [v.numpy().copy() for v in gan.g_variables]
    ds = toy2d.make_dataset(toy2d.sample(2048, seed=0), toy2d.BATCH_SIZE * gan.d_steps)
    hist = gan.fit(ds, epochs=1, steps_per_epoch=1, verbose=0)
    assert np.isfinite(hist.history["d_loss"][0]) and np.isfinite(hist.history["g_loss"][0])
    assert any(not np.allclose(b, v.numpy()) for b, v in zip(before, gan.g_variables))
    if loss == "wgan-gp":
        assert "gp" in hist.history and gan.d_steps == 5
    with pytest.raises(ValueError, match="loss must be"):
        toy2d.make_toy_gan("hinge")


def test_run_folder_gets_a_scatter_strip(tmp_path):
    run = tmp_path / "toy"
    gan, _, snaps = toy2d.train("bce", schedule=SHORT, seed=1, run_dir=str(run), n_preview=64)
    assert (run / "strip.png").exists() and (run / "generator.keras").exists()
    assert sorted(snaps) == [0, 20, 40]
    # run again: the finished run is loaded back, with its snapshots
    _, _, again = toy2d.train("bce", schedule=SHORT, seed=1, run_dir=str(run), n_preview=64)
    np.testing.assert_allclose(again[40], snaps[40], atol=1e-4)


def test_plots_draw():
    gan = toy2d.make_toy_gan("bce", seed=0)
    real, fake = toy2d.sample(200, seed=0), np.asarray(gan.generator(gan.preview_noise(100)))
    fig = toy2d.plot_snapshots({0: fake, 10: fake}, real)
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes if ax.get_label() != "<colorbar>")
    ax = toy2d.plot_surface(gan, real, fake, boundary=0.5)
    assert ax.get_xlabel() == "$x_1$"
    toy2d.plot_gradient_field(gan, real, fake)
    g = toy2d.generator_gradients(gan, fake)
    assert g.shape == fake.shape and np.isfinite(g).all()
    plt.close("all")


def test_far_side_points_are_called_real_and_far_from_the_data():
    result = toy2d.far_side_experiment("bce", seed=0, steps=200, n=2000)
    far, gan, real = result["far"], result["gan"], result["real"]
    assert len(far) > 100
    assert np.all(np.asarray(gan.discriminator(far)).ravel() > 0.5)
    dist = np.linalg.norm(far[:, None] - real[None, ::4], axis=-1).min(1)
    assert dist.min() >= 0.5 - 1e-6
    assert not np.any(np.linalg.norm(far, axis=1) < 0.5)    # the fakes' blob is fake side


def test_least_squares_keeps_a_gradient_where_cross_entropy_saturates():
    """Mao et al.'s claim, measured: far on the real side, −log D(G(z)) gives G (almost) no
    gradient; the least-squares loss does.  At the fakes themselves it is the other way round."""
    bce = toy2d.far_side_experiment("bce", seed=0, steps=300, n=2000)
    ls = toy2d.far_side_experiment("lsgan", seed=0, steps=300, n=2000)
    assert bce["far_median"] < 1e-3 and bce["vanishing"] > 0.5
    assert ls["far_median"] > 0.1 and ls["vanishing"] < 0.1
    assert bce["fake_median"] > ls["fake_median"]
    fig, axes = plt.subplots(1, 2)
    toy2d.plot_far_side(bce, ax=axes[0])
    toy2d.plot_far_side(ls, ax=axes[1])
    plt.close(fig)


def test_toy_networks_leave_keras_layer_numbering_alone():
    """A toy built before an image model must not shift the auto names in its summary
    (notebook 06 prints one after its toy; nbval compares the names)."""
    import keras
    before = keras.layers.Dense(1).name
    toy2d.make_toy_gan("lsgan", seed=0)
    after = keras.layers.Dense(1).name
    assert int(after.rpartition("_")[2] if "_" in after else 0) == \
        int(before.rpartition("_")[2] if "_" in before else 0) + 1


def test_the_saturating_generator_loss_is_the_minimax_one():
    """`losses.generator_saturating` (the live demo's "saturating G loss") is E[log(1 − D)],
    as `check.saturating_generator_loss` computes it, and its gradient through D's sigmoid
    vanishes where D rejects a fake (D → 0), unlike the non-saturating loss's."""
    import tensorflow as tf

    from ganlib import check, losses
    assert check.saturating_generator_loss(losses.generator_saturating)
    logits = tf.Variable([[-9.0], [0.0]])
    for fn, rejected_small in ((losses.generator_saturating, True), (losses.generator_bce, False)):
        with tf.GradientTape() as tape:
            loss = fn(tf.sigmoid(logits))
        g = np.abs(tape.gradient(loss, logits).numpy().ravel())
        assert (g[0] < 1e-3) == rejected_small and g[1] > 0.1, (fn.__name__, g)


def test_mode_counts_record_every_call_and_follow_the_points():
    counter = toy2d.ModeCounts(n=200)
    gan, _, _ = toy2d.train("bce", dict(steps=40, log_every=20, steps_per_execution=10), seed=0,
                            callbacks=[counter])
    assert counter.steps.tolist() == [0, 10, 20, 30, 40]
    assert counter.shares.shape == (5, toy2d.N_MODES)
    np.testing.assert_allclose(counter.shares.sum(1), 1.0)
    # the last record is the generator's points now, sector by sector
    points = np.asarray(gan.generator(gan.preview_noise(200, seed=1)), np.float64)
    nearest = np.linalg.norm(points[:, None] - toy2d.centers()[None], axis=-1).argmin(1)
    np.testing.assert_allclose(counter.shares[-1], np.bincount(nearest, minlength=8) / 200)
    assert 0.0 <= counter.on_mode[-1] <= 1.0
    ax = toy2d.plot_mode_counts(counter, title="t")
    assert len(ax.get_yticklabels()) == toy2d.N_MODES
    plt.close("all")


def test_mode_counts_summary_counts_hops_and_fair_modes():
    counter = toy2d.ModeCounts(n=10)
    even = np.full(8, 1 / 8)
    onehot = np.eye(8)
    counter._steps = list(range(8))
    counter._shares = [even] * 4 + [onehot[2], onehot[5], onehot[5], onehot[1]]
    counter._on = [1.0] * 8
    s = counter.summary(last=0.5)           # the last four records: modes 2, 5, 5, 1
    assert (s["hops"], s["modes_that_led"]) == (2, 3)
    assert s["fair_modes"] == 1.0 and s["largest_share"] == 1.0
    assert s["crowded_records"] == 0.5
    counter._shares = [even] * 8
    s = counter.summary()
    assert s["fair_modes"] == 8.0 and s["crowded_records"] == 0.0
