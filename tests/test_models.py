import keras
import numpy as np
import pytest

from ganlib import dcgan, losses


def test_dcgan_matches_the_tutorial_summary():
    keras.mixed_precision.set_global_policy("float32")
    g, d = dcgan.build_generator(), dcgan.build_discriminator()
    assert g.output_shape == (None, 28, 28, 1) and d.output_shape == (None, 1)
    # parameter counts printed in the tutorial's model.summary()
    assert g.count_params() == 51712 + 2048 + 1608768 + 12544 + 51232 + 128 + 801
    assert d.count_params() == (5 * 5 * 32 + 32) + (5 * 5 * 32 * 64 + 64) + (7 * 7 * 64 * 512 + 512) + 513


def test_dcgan_other_sizes_and_rgb():
    g = dcgan.build_generator((32, 32, 3))
    assert g.output_shape == (None, 32, 32, 3)
    assert dcgan.build_discriminator((32, 32, 3)).output_shape == (None, 1)


@pytest.mark.parametrize("shape", [(30, 28, 1), (28, 28, 2), (28, 28), "28x28", (0, 0, 1)])
def test_builders_reject_wrong_image_shapes(shape):
    with pytest.raises(ValueError, match="image_shape"):
        dcgan.build_generator(shape)
    with pytest.raises(ValueError, match="image_shape"):
        dcgan.build_discriminator(shape)


def test_mixed_precision_keeps_outputs_float32():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        g, d = dcgan.build_generator(), dcgan.build_discriminator()
        img = g(np.zeros((2, 100), "float32"))
        assert img.dtype.name == "float32" and d(img).dtype.name == "float32"
        assert g.layers[0].compute_dtype == "bfloat16"
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_losses_have_the_textbook_values():
    p = np.full((4, 1), 0.5, "float32")
    assert float(losses.discriminator_bce(p, p)) == pytest.approx(np.log(2), rel=1e-5)
    assert float(losses.generator_bce(np.full((4, 1), 0.9, "float32"))) == pytest.approx(-np.log(0.9), rel=1e-4)
    real, fake = np.array([[2.0], [4.0]], "float32"), np.array([[1.0], [-1.0]], "float32")
    assert float(losses.critic_wasserstein(real, fake)) == pytest.approx(-3.0)   # E[D(fake)] - E[D(real)]
    assert float(losses.generator_wasserstein(fake)) == pytest.approx(0.0)
    assert float(losses.discriminator_least_squares(real, fake)) == pytest.approx(0.5 * (5.0 + 1.0))
    assert float(losses.generator_least_squares(fake)) == pytest.approx(2.0)
    probs = np.array([[0.9, 0.1], [0.2, 0.8]], "float32")
    assert float(losses.sparse_class_ce(np.array([0, 1]), probs)) == pytest.approx(
        -(np.log(0.9) + np.log(0.8)) / 2, rel=1e-5)


def test_dcgan_schedules_and_fast_defaults():
    """Every run mode's steps_per_execution divides its logging interval (else `fit()` overshoots
    it); G and its optimizer are stock Keras classes (a saved generator loads without ganlib);
    the step shares one G forward between the updates."""
    for mode, s in dcgan.SCHEDULES.items():
        assert s["log_every"] % s["steps_per_execution"] == 0, mode
        assert s["steps"] % s["log_every"] == 0, mode
    assert dcgan.SCHEDULES["full"]["steps"] == 50 * 546  # the tutorial's 50 epochs of 70,000 images
    gan = dcgan.make_dcgan(steps_per_execution=4, seed=0)
    bns = [l for l in gan.generator.layers if isinstance(l, keras.layers.BatchNormalization)]
    assert len(bns) == 3 and all(type(l) is keras.layers.BatchNormalization for l in bns)
    assert type(gan.g_optimizer) is keras.optimizers.Adam
    assert gan.reuse_fakes and gan.steps_per_execution == 4
