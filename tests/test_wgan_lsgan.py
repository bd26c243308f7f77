"""Atienza's builders, WGAN (clipping), WGAN-GP and LSGAN: quick checks on tiny runs."""
import keras
import numpy as np
import pytest

from ganlib import atienza, data, losses, lsgan, wgan


@pytest.fixture(autouse=True)
def float32_policy():
    keras.mixed_precision.set_global_policy("float32")
    yield
    keras.mixed_precision.set_global_policy("float32")


def weights(model):
    return [v.numpy().copy() for v in model.weights]


def moved(before, model):
    return [not np.array_equal(a, v.numpy()) for a, v in zip(before, model.weights)]


def tiny_images(n=320, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, 28, 28), dtype=np.uint8)


def batch(n, seed=0):
    x = np.random.default_rng(seed).uniform(0, 1, (n, 28, 28, 1)).astype("float32")
    return keras.ops.convert_to_tensor(x)


# ----------------------------------------------------------------------------- builders
def test_generator_matches_the_book():
    g = atienza.generator()
    assert g.input_shape == (None, 100) and g.output_shape == (None, 28, 28, 1)
    dense = 100 * 7 * 7 * 128 + 7 * 7 * 128
    convt = (25 * 128 * 128 + 128) + (25 * 128 * 64 + 64) + (25 * 64 * 32 + 32) + (25 * 32 * 1 + 1)
    bn = 4 * (128 + 128 + 64 + 32)
    assert g.count_params() == dense + convt + bn == 1_301_505  # the book's model.summary()
    strides = [layer.strides for layer in g.layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    assert strides == [(2, 2), (2, 2), (1, 1), (1, 1)]
    assert g.layers[-1].get_config()["activation"] == "sigmoid"


@pytest.mark.parametrize("activation", ["sigmoid", "linear", None])
def test_discriminator_matches_the_book(activation):
    d = atienza.discriminator(activation=activation)
    assert d.input_shape == (None, 28, 28, 1) and d.output_shape == (None, 1)
    convs = [layer for layer in d.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [c.filters for c in convs] == [32, 64, 128, 256]
    assert [c.strides for c in convs] == [(2, 2), (2, 2), (2, 2), (1, 1)]
    assert d.count_params() == 1_080_577  # 832 + 51,264 + 204,928 + 819,456 + 4,097
    has_activation = isinstance(d.layers[-1], keras.layers.Activation)
    assert has_activation == (activation is not None)


@pytest.mark.parametrize("size", [30, 0, -4, "x"])
def test_builders_reject_bad_image_sizes(size):
    with pytest.raises(ValueError, match="image_shape"):
        atienza.generator(image_size=size)
    with pytest.raises(ValueError, match="image_shape"):
        atienza.discriminator(image_size=size)


def test_outputs_stay_float32_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    g, d = atienza.generator(), atienza.discriminator(activation=None)
    img = g(np.zeros((2, 100), "float32"))
    assert img.dtype.name == "float32" and d(img).dtype.name == "float32"


# ----------------------------------------------------------------------------- WGAN
def test_wgan_clips_and_runs_five_critic_steps_per_generator_step():
    gan = wgan.make_wgan(seed=0)
    assert gan.discriminator.layers[-1].get_config()["activation"] == "linear"
    hist = atienza.fit(gan, dict(steps=2, log_every=1), images=tiny_images(), batch_size=8)
    assert int(gan.d_optimizer.iterations.numpy()) == 2 * wgan.N_CRITIC == 10
    assert int(gan.g_optimizer.iterations.numpy()) == 2
    assert max(float(np.abs(v.numpy()).max()) for v in gan.d_variables) <= wgan.CLIP_VALUE + 1e-7
    assert all(np.isfinite(v).all() for v in hist.history.values())
    assert set(hist.history) == {"d_loss", "g_loss", "w_dist"}


def test_wgan_n_critic_sets_the_critic_steps_per_generator_step():
    gan = wgan.make_wgan(seed=0, n_critic=1)
    atienza.fit(gan, dict(steps=3, log_every=1), images=tiny_images(), batch_size=8)
    assert int(gan.d_optimizer.iterations.numpy()) == 3
    assert int(gan.g_optimizer.iterations.numpy()) == 3   # bad values: test_inputs.py


def test_wgan_critic_sees_real_and_fake_in_separate_batches():
    gan = wgan.make_wgan(seed=0)
    assert gan.joint_d_batch is False
    sizes = []
    critic = gan.discriminator
    gan.discriminator = lambda x, training=False: (sizes.append(int(x.shape[0])), critic(x))[1]
    gan.discriminator_loss(batch(4), None)
    gan.discriminator = critic
    assert sizes == [4, 4]


def test_w_dist_is_minus_the_critic_loss():
    gan = wgan.make_wgan(seed=0)
    loss, logs = gan.discriminator_loss(batch(6), None)
    assert np.isclose(float(logs["w_dist"]), -float(loss), rtol=1e-5, atol=1e-7)


def test_critic_loss_is_mean_fake_minus_mean_real_with_no_half():
    real, fake = np.array([[2.0], [4.0]], "float32"), np.array([[1.0], [-1.0]], "float32")
    assert float(losses.critic_wasserstein(real, fake)) == pytest.approx(0.0 - 3.0)
    assert float(losses.generator_wasserstein(fake)) == pytest.approx(0.0)


def test_critic_loss_passes_the_exercise_check():
    from ganlib import check
    assert check.critic_loss(losses.critic_wasserstein)


def test_unknown_variants_and_losses_are_rejected():
    with pytest.raises(ValueError, match="variant"):
        wgan.train(dict(steps=1, log_every=1), variant="wgan-lp", images=tiny_images(64))
    with pytest.raises(ValueError, match="loss"):
        lsgan.make_gan("hinge")
    with pytest.raises(ValueError, match="clip"):
        wgan.WGANGP(atienza.generator(), atienza.discriminator(activation="linear"), 100,
                    clip_value=0.01)


# ----------------------------------------------------------------------------- WGAN-GP
def linear_critic(norm, seed=0):
    critic = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                               keras.layers.Dense(1, use_bias=False)])
    w = np.random.default_rng(seed).normal(size=(28 * 28, 1)).astype("float32")
    critic.layers[-1].kernel.assign(norm * w / np.linalg.norm(w))
    return critic


@pytest.mark.parametrize("norm, expected", [(1.0, 0.0), (3.0, 4.0), (0.5, 0.25)])
def test_gradient_penalty_of_a_linear_critic(norm, expected):
    gan = wgan.WGANGP(atienza.generator(), linear_critic(norm), latent_dim=100, seed=0)
    gp = float(gan.gradient_penalty(batch(8, 1), batch(8, 2)))
    assert gp == pytest.approx(expected, abs=1e-5)


def with_fixed_fakes(gan, fake):
    """`gan` whose generator returns `fake` whatever it is fed: the critic's outputs are fixed."""
    gan.generator = lambda z, training=False: fake
    return gan


@pytest.mark.parametrize("variant", ["wgan", "wgan-gp"])
def test_critic_loss_is_the_papers_with_lambda_10(variant):
    """d_loss = mean D(fake) − mean D(real) (+ 10 · gp for WGAN-GP): no halving anywhere."""
    critic = linear_critic(3.0)   # gradient norm 3 everywhere: gp = (3 − 1)² = 4 exactly
    real, fake = batch(6, 1), 1.0 - batch(6, 2)
    gan = with_fixed_fakes(wgan.VARIANTS[variant](seed=0), fake)   # the chapter's own recipe
    gan.discriminator = critic
    loss, logs = gan.discriminator_loss(real, None)
    gap = float(np.mean(critic(fake))) - float(np.mean(critic(real)))
    assert abs(gap) > 0.1   # so that a ½ on the Wasserstein term would show
    penalty = wgan.GP_WEIGHT * 4.0 if variant == "wgan-gp" else 0.0
    assert wgan.GP_WEIGHT == 10.0
    assert float(loss) == pytest.approx(gap + penalty, rel=1e-4)
    assert float(logs["w_dist"]) == pytest.approx(-gap, rel=1e-4)
    if variant == "wgan-gp":
        assert float(logs["gp"]) == pytest.approx(4.0, rel=1e-4)


def test_gradient_penalty_is_positive_for_the_untrained_critic():
    gan = wgan.make_wgan_gp(seed=0)
    assert float(gan.gradient_penalty(batch(4, 1), batch(4, 2))) > 0


def test_wgan_gp_penalty_reaches_the_critic_weights():
    """The penalty's own gradient (a gradient of a gradient) is non-zero for D's weights."""
    import tensorflow as tf
    gan = wgan.WGANGP(atienza.generator(), linear_critic(3.0), latent_dim=100, seed=0)
    with tf.GradientTape() as tape:
        gp = gan.gradient_penalty(batch(4, 1), batch(4, 2))
    (grad,) = tape.gradient(gp, gan.d_variables)
    assert grad is not None and float(np.abs(grad).max()) > 0


def test_wgan_gp_trains_without_clipping():
    gan, hist = wgan.train(dict(steps=1, log_every=1), variant="wgan-gp", images=tiny_images(),
                           seed=0)
    assert gan.clip_value is None
    assert int(gan.d_optimizer.iterations.numpy()) == 5
    assert set(hist.history) == {"d_loss", "g_loss", "w_dist", "gp"}
    assert all(np.isfinite(v).all() for v in hist.history.values())


def test_wgan_gp_schedule_carries_its_recipe_into_the_model():
    """A schedule's lr / beta_1 / n_critic reach the optimisers and the critic-step count;
    the clipped WGAN keeps the book's recipe; the class schedule names every recipe key."""
    gan, _ = wgan.train(dict(steps=1, log_every=1, lr=3e-4, beta_1=0.0, n_critic=2),
                        variant="wgan-gp", images=tiny_images(), seed=0)
    assert gan.d_steps == 2 and int(gan.d_optimizer.iterations.numpy()) == 2
    for opt in (gan.d_optimizer, gan.g_optimizer):
        assert float(opt.learning_rate) == pytest.approx(3e-4) and opt.beta_1 == 0.0
    default = wgan.make("wgan-gp", dict(steps=1, log_every=1), seed=0)
    assert default.d_steps == wgan.N_CRITIC and float(default.g_optimizer.learning_rate) == \
        pytest.approx(wgan.GP_LR)
    assert wgan.make("wgan", wgan.GP_SCHEDULES["class"], seed=0).clip_value == wgan.CLIP_VALUE
    assert set(wgan.GP_RECIPE) <= set(wgan.GP_SCHEDULES["class"])
    from ganlib import chapters
    built = chapters.build(chapters.get("05_wgan_gp"), dict(wgan.GP_SCHEDULES["class"], lr=2e-4),
                           seed=0)
    assert float(built.d_optimizer.learning_rate) == pytest.approx(2e-4)


@pytest.mark.parametrize("make", [wgan.make_wgan_gp, lambda seed: lsgan.make_gan("lsgan", seed=seed)])
def test_generator_update_moves_no_critic_weight(make):
    gan = make(seed=0)
    g0, d0 = weights(gan.generator), weights(gan.discriminator)
    gan.apply_update(gan.generator_loss, gan.g_variables, gan.g_optimizer, batch(4), None)
    assert not any(moved(d0, gan.discriminator)), "a G update moved a D weight"
    assert any(moved(g0, gan.generator))


def test_critic_update_with_penalty_moves_no_generator_weight():
    gan = wgan.make_wgan_gp(seed=0)
    g0 = weights(gan.generator)
    gan.apply_update(gan.discriminator_loss, gan.d_variables, gan.d_optimizer, batch(4), None)
    # G makes the critic's fakes in training mode: only its BatchNorm moving averages follow
    # that batch; no trainable G weight may move.
    changed = {v.path for v, m in zip(gan.generator.weights, moved(g0, gan.generator)) if m}
    trainable = {v.path for v in gan.generator.trainable_variables}
    assert not changed & trainable, "a critic update moved a G weight"
    assert changed and all("moving" in p for p in changed)


# ----------------------------------------------------------------------------- LSGAN
def test_lsgan_discriminator_is_linear_and_uses_least_squares():
    gan = lsgan.make_gan("lsgan", seed=0)
    assert not isinstance(gan.discriminator.layers[-1], keras.layers.Activation)
    assert isinstance(gan.discriminator.layers[-1], keras.layers.Dense)
    assert gan.d_loss_fn is losses.discriminator_least_squares
    assert gan.g_loss_fn is losses.generator_least_squares
    # D learns at 2e-4, G at half that (before the tiny legacy decay)
    d_lr = float(keras.ops.convert_to_numpy(gan.d_optimizer.learning_rate))
    g_lr = float(keras.ops.convert_to_numpy(gan.g_optimizer.learning_rate))
    assert d_lr == pytest.approx(2e-4) and g_lr == pytest.approx(1e-4)


@pytest.mark.parametrize("loss", ["lsgan", "dcgan"])
def test_lsgan_and_dcgan_baseline_losses_stay_finite(loss):
    gan, hist = lsgan.train(dict(steps=3, log_every=1), loss=loss, images=tiny_images(), seed=0)
    assert int(gan.g_optimizer.iterations.numpy()) == 3
    assert all(np.isfinite(v).all() for v in hist.history.values())
    out = gan.generate(4)
    assert out.shape == (4, 28, 28, 1) and out.min() >= 0 and out.max() <= 1


def test_dcgan_baseline_has_a_sigmoid_discriminator():
    gan = lsgan.make_gan("dcgan", seed=0)
    assert gan.discriminator.layers[-1].get_config()["activation"] == "sigmoid"
    assert gan.d_loss_fn is losses.discriminator_bce


def test_fit_feeds_d_steps_batches_per_generator_step(monkeypatch):
    sizes = []
    original = data.make_dataset

    def spy(images, batch_size, **kw):
        sizes.append(batch_size)
        return original(images, batch_size=batch_size, **kw)

    monkeypatch.setattr(data, "make_dataset", spy)
    gan = wgan.make_wgan(seed=0)
    atienza.fit(gan, dict(steps=1, log_every=1), images=tiny_images(), batch_size=4)
    assert sizes == [wgan.N_CRITIC * 4]


def test_class_runs_use_half_widths_and_full_pretrained_and_the_loss_comparison_the_books():
    """Chapters 5 and 6 train their class (and smoke) runs at `atienza.CLASS_WIDTHS`; `full`,
    `pretrained` (the shipped runs' networks) and chapter 5 §9's four-loss comparison keep the
    book's widths, so those tables and runs stay what they say."""
    from ganlib import compare
    assert atienza.CLASS_WIDTHS == dict(g_width=0.5, d_width=0.5)
    for per_mode in (wgan.SCHEDULES, wgan.GP_SCHEDULES, lsgan.SCHEDULES):
        for mode, want in (("smoke", 0.5), ("class", 0.5), ("full", 1.0), ("pretrained", 1.0)):
            assert per_mode[mode]["g_width"] == want == per_mode[mode]["d_width"], mode
        assert {k: v for k, v in per_mode["pretrained"].items() if k not in atienza.WIDTHS} == \
            {k: v for k, v in per_mode["class"].items() if k not in atienza.WIDTHS}
    for mode in ("smoke", "class", "full"):
        assert compare.SCHEDULES[mode]["g_width"] == 1.0 == compare.SCHEDULES[mode]["d_width"]


def test_widths_scale_both_networks_and_reach_every_family_through_the_schedule():
    """``g_width``/``d_width`` (schedule entries, 1 = the book's networks): the generator keeps
    its one image channel, both networks shrink, each family builds them from its schedule (the
    CLI's --set included), and a width of 0 is refused."""
    from ganlib import chapters

    def filters(model, kind):
        return [layer.filters for layer in model.layers if isinstance(layer, kind)]
    g = atienza.generator(width=0.5)
    assert filters(g, keras.layers.Conv2DTranspose) == [64, 32, 16, 1]
    assert g.output_shape == (None, 28, 28, 1)
    assert filters(atienza.discriminator(width=0.5), keras.layers.Conv2D) == [16, 32, 64, 128]
    assert filters(atienza.generator(), keras.layers.Conv2DTranspose) == list(atienza.G_FILTERS)
    full = {"g": atienza.generator().count_params(), "d": atienza.discriminator().count_params()}
    for name in ("05_wgan", "05_wgan_gp", "06_lsgan", "06_dcgan"):
        chapter = chapters.get(name)
        schedule = chapter.schedule("class", {"g_width": 0.5, "d_width": 0.25})
        gan = chapters.build(chapter, schedule, seed=0)
        assert gan.generator.count_params() < full["g"] / 2, name
        assert gan.discriminator.count_params() < full["d"] / 8, name
        half = chapters.build(chapter, chapter.schedule("class"), 0)   # the class recipe's
        assert half.generator.count_params() == atienza.generator(width=0.5).count_params()
        assert chapters.build(chapter, chapter.schedule("full"), 0).generator.count_params() \
            == full["g"]
    gan, _ = lsgan.train(dict(lsgan.SCHEDULES["smoke"], g_width=0.5), images=tiny_images(),
                         seed=0)
    assert filters(gan.generator, keras.layers.Conv2DTranspose) == [64, 32, 16, 1]
    with pytest.raises(ValueError, match="width"):
        atienza.generator(width=0)
    with pytest.raises(ValueError, match="width"):
        wgan.make_wgan(d_width=-1)
