"""The conditional GAN of chapter 2 (label into D by projection): updates, labels, training."""
import keras
import numpy as np
import pytest

from ganlib import acgan, cgan, config
from test_acgan import TINY, batch, moved, weights  # noqa: F401  (batch: the same fixture)


@pytest.fixture(autouse=True)
def float32():
    keras.mixed_precision.set_global_policy("float32")


def test_d_update_moves_every_d_weight_and_no_g_weight(batch):
    gan = cgan.make_cgan(seed=1, **TINY)
    g0, d0 = weights(gan.generator), weights(gan.discriminator)
    logs = gan.apply_update(gan.discriminator_loss, gan.d_variables, gan.d_optimizer, *batch)
    assert set(logs) == {"d_loss"}
    trainable = [any(v is t for t in gan.discriminator.trainable_variables)
                 for v in gan.discriminator.weights]
    assert all(m for m, t in zip(moved(d0, gan.discriminator), trainable) if t)
    assert not any(moved(g0, gan.generator)), "a D update moved a G weight"


def test_g_update_moves_g_weights_and_no_d_weight_not_even_batchnorm_statistics(batch):
    gan = cgan.make_cgan(seed=1, lambda_ms=1.0, **TINY)
    g0, d0 = weights(gan.generator), weights(gan.discriminator)
    logs = gan.apply_update(gan.generator_loss, gan.g_variables, gan.g_optimizer, *batch)
    assert set(logs) == {"g_loss", "ms_loss"}
    trainable = [any(v is t for t in gan.generator.trainable_variables)
                 for v in gan.generator.weights]
    assert all(m for m, t in zip(moved(g0, gan.generator), trainable) if t)
    assert not any(moved(d0, gan.discriminator)), "a G update moved a D weight"


def test_the_discriminator_reads_the_label_and_has_no_class_head(batch):
    gan = cgan.make_cgan(seed=2, **TINY)
    x, _ = batch
    d = gan.discriminator
    assert len(d.outputs) == 1 and d.output.shape[-1] == 1
    # train D a little so that the label projection is not its initial noise
    for _ in range(3):
        gan.apply_update(gan.discriminator_loss, gan.d_variables, gan.d_optimizer, *batch)
    x = np.asarray(x)
    same = np.asarray(d([x, np.zeros((16, 1), "int32")], training=False))
    other = np.asarray(d([x, np.full((16, 1), 7, "int32")], training=False))
    assert np.abs(same - other).max() > 1e-4, "D's verdict ignores the label"


def test_generator_loss_is_only_the_adversarial_term_without_mode_seeking(batch):
    gan = cgan.make_cgan(seed=3, **TINY)
    _, logs = gan.generator_loss(*batch)
    assert set(logs) == {"g_loss"}
    assert np.isfinite(float(logs["g_loss"]))


def test_cgan_shares_acgans_generator_and_schedule_but_not_its_class_weights():
    gan = cgan.make_cgan(seed=4, **TINY)
    ref = acgan.make_acgan(seed=4, **TINY)
    assert [w.shape for w in gan.generator.weights] == [w.shape for w in ref.generator.weights]
    for mode, schedule in cgan.SCHEDULES.items():
        want = {k: v for k, v in acgan.SCHEDULES[mode].items()
                if k not in ("class_weight", "fake_class_weight")}
        assert schedule == want
    with pytest.raises(ValueError, match="num_classes"):
        cgan.make_cgan(num_classes=1, **TINY)


def test_train_runs_a_smoke_schedule_and_draws_the_requested_classes_shape():
    config.set_seed(0)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (64, 28, 28), dtype=np.uint8)
    labels = np.arange(64) % 10
    schedule = dict(steps=4, log_every=2, sample_every=1, batch_size=16, **TINY)
    gan, history = cgan.train(schedule, images=images, labels=labels, seed=0)
    assert isinstance(gan, cgan.CGAN) and len(history.history["d_loss"]) == 2
    out = gan.generate(labels=[0, 1, 2])
    assert out.shape == (3, 28, 28, 1) and np.all(np.abs(out) <= 1)


def test_d_width_scales_both_discriminators_filters_and_only_the_class_recipe_narrows_them():
    """``d_width`` scales the four convolutions of ACGAN's D and of the cGAN's trunk alike (the
    comparison keeps one D size); the class recipe halves them, the tutorial's recipe and the
    shipped reference's (pretrained) schedule keep the full width, and a width of 0 is refused."""
    def filters(d):
        return [layer.filters for layer in d.layers if isinstance(layer, keras.layers.Conv2D)]
    assert filters(acgan.build_discriminator()) == [32, 64, 128, 256]
    assert filters(acgan.build_discriminator(width=0.5)) == [16, 32, 64, 128]
    trunk = cgan.build_discriminator(width=0.5).get_layer("trunk")
    assert filters(trunk) == [16, 32, 64, 128]
    for make in (acgan.make_acgan, cgan.make_cgan):
        kw = {k: v for k, v in TINY.items() if k != "d_width"}
        narrow = make(seed=1, d_width=0.25, **kw).discriminator
        full = make(seed=1, d_width=1.0, **kw).discriminator
        assert narrow.count_params() < full.count_params() / 8
    assert acgan.SCHEDULES["class"]["d_width"] == 0.5 == cgan.SCHEDULES["class"]["d_width"]
    assert acgan.SCHEDULES["full"]["d_width"] == 1.0 == acgan.SEED_RECIPE["d_width"]
    assert config.select(acgan.SCHEDULES, "pretrained", verbose=False) == \
        dict(acgan.SCHEDULES["class"], d_width=1.0)
    assert acgan.recipe(acgan.SCHEDULES["class"])["d_width"] == 0.5
    with pytest.raises(ValueError, match="width"):
        acgan.build_discriminator(width=0)
