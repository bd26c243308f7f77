import keras
import numpy as np
import pytest
import tensorflow as tf

from ganlib.norm import FusedBatchNormalization


def pair(shape, **kwargs):
    """A Keras BatchNormalization and a FusedBatchNormalization with the same weights."""
    plain, fused = keras.layers.BatchNormalization(**kwargs), FusedBatchNormalization(**kwargs)
    plain.build(shape)
    fused.build(shape)
    rng = np.random.default_rng(1)
    weights = [w + rng.normal(0, 0.3, w.shape).astype(np.float32) for w in plain.get_weights()]
    weights[-1] = np.abs(weights[-1])  # a variance
    plain.set_weights(weights)
    fused.set_weights(weights)
    return plain, fused


def run(layer, x, training):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=training)
        loss = tf.reduce_sum(tf.cast(y, "float32") ** 3)
    grads = tape.gradient(loss, [x] + layer.trainable_weights)
    return [np.asarray(y, np.float32)] + [g.numpy() for g in grads] + \
        [w.numpy() for w in layer.non_trainable_weights]


@pytest.mark.parametrize("shape", [(16, 5), (8, 6, 6, 3), (1, 7)])
@pytest.mark.parametrize("training", [True, False])
def test_fused_batch_norm_matches_keras(shape, training):
    """Outputs, gradients (input, γ, β) and moving averages agree with Keras' own layer."""
    keras.mixed_precision.set_global_policy("float32")
    x = np.random.default_rng(0).normal(2.0, 3.0, shape).astype(np.float32)
    plain, fused = pair(shape, momentum=0.9)
    before = [w.numpy().copy() for w in fused.non_trainable_weights]
    expected, got = run(plain, x, training), run(fused, x, training)
    for a, b in zip(expected, got):
        np.testing.assert_allclose(b, a, rtol=2e-4, atol=2e-4)
    moved = any(not np.allclose(a, b) for a, b in zip(before, got[-2:]))
    assert moved == training  # moving averages move in training only


def test_fused_batch_norm_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        plain, fused = pair((32, 4, 4, 8))
        x = np.random.default_rng(0).normal(size=(32, 4, 4, 8)).astype(np.float32)
        y_plain, y_fused = plain(x, training=True), fused(x, training=True)
        assert y_fused.dtype == y_plain.dtype == tf.bfloat16
        assert all(w.dtype == "float32" for w in fused.weights)  # statistics stay float32
        np.testing.assert_allclose(np.float32(y_fused), np.float32(y_plain), atol=0.05)
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_unfused_cases_fall_back_to_keras():
    """Rank 3 or a channels-first axis: Keras' own code path, same result."""
    keras.mixed_precision.set_global_policy("float32")
    for shape, kwargs in [((4, 5, 3), {}), ((4, 3, 5, 5), dict(axis=1)), ((6, 4), dict(center=False))]:
        x = np.random.default_rng(0).normal(size=shape).astype(np.float32)
        plain, fused = pair(shape, **kwargs)
        assert not fused._fused(tf.constant(x), None)
        np.testing.assert_allclose(fused(x, training=True), plain(x, training=True), atol=1e-5)


def test_fused_batch_norm_saves_and_loads(tmp_path):
    keras.mixed_precision.set_global_policy("float32")
    model = keras.Sequential([keras.Input((4, 4, 2)), FusedBatchNormalization(momentum=0.8)])
    model.layers[0].set_weights([np.full(2, v, np.float32) for v in (2.0, 1.0, 0.5, 4.0)])
    model.save(tmp_path / "m.keras")
    again = keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(again.layers[0], FusedBatchNormalization) and again.layers[0].momentum == 0.8
    x = np.ones((3, 4, 4, 2), np.float32)
    np.testing.assert_allclose(again(x), model(x), rtol=1e-6)
