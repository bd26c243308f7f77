import keras
import numpy as np
import pytest

from ganlib.optim import FusedAdam


def train(optimizer, steps=5):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 6)), rng.normal(size=(32, 1))
    for _ in range(steps):
        model.train_on_batch(x, y)
    return model.get_weights()


@pytest.mark.parametrize("kwargs", [dict(learning_rate=1e-2), dict(learning_rate=2e-4, beta_1=0.5),
                                    dict(learning_rate=keras.optimizers.schedules.InverseTimeDecay(
                                        1e-2, 1, 0.1), beta_1=0.5)])
def test_fused_adam_matches_keras_adam(kwargs):
    keras.mixed_precision.set_global_policy("float32")
    fused = train(FusedAdam(**kwargs))
    plain = train(keras.optimizers.Adam(**kwargs))
    start = train(keras.optimizers.Adam(**kwargs), steps=0)
    assert any(not np.allclose(a, b) for a, b in zip(fused, start)), "no update happened"
    for a, b in zip(fused, plain):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)  # float32 rounding only


def test_fused_adam_survives_a_config_round_trip():
    opt = FusedAdam(learning_rate=3e-4, beta_1=0.5)
    again = keras.optimizers.deserialize(keras.optimizers.serialize(opt))
    assert isinstance(again, FusedAdam) and again.beta_1 == 0.5
