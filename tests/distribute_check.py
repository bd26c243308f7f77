"""Run by tests/test_distribute.py in a fresh process (the CPU must be split into 2 logical
devices before TensorFlow starts).  Prints one JSON line with the measurements.

1. exact: a small GAN without batch norm or dropout, plain SGD, 6 steps on one device and
   under MirroredStrategy on 2 (each replica half of the global batch of 8): same losses
   and weights, since each replica gets its own rows of the same noise.  Again with the
   per-replica loss scaling switched off (the summed gradients are then twice the global
   batch's): this must differ.
2. dcgan: the real DCGAN (batch norm: per-replica statistics), a seeded smoke run on one and
   on 2 devices: its loss trajectories.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from ganlib import distribute  # noqa: E402

distribute.split_cpu(2)

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from ganlib import config, data, dcgan, gan as ganmod  # noqa: E402

keras.mixed_precision.set_global_policy("float32")
IMAGES = np.random.default_rng(0).integers(0, 256, (256, 28, 28), dtype=np.uint8)


def small_gan():
    g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(28 * 28, activation="tanh"),
                          keras.layers.Reshape((28, 28, 1))])
    d = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                          keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
    gan = ganmod.GAN(g, d, latent_dim=8, seed=3)
    gan.compile(d_optimizer=keras.optimizers.SGD(0.5), g_optimizer=keras.optimizers.SGD(0.5))
    return gan


def run_small(strategy):
    config.set_seed(0)
    with strategy.scope():
        gan = small_gan()
    ds = data.make_dataset(IMAGES, batch_size=8, seed=0, shuffle=False)
    h = gan.fit(ds, epochs=6, steps_per_epoch=1, verbose=0)
    return h.history, [np.asarray(v.numpy()).tolist() for v in gan.weights]


def run_dcgan(strategy):
    config.set_seed(0)
    with strategy.scope():
        gan = dcgan.make_dcgan(seed=0)
    ds = data.make_dataset(IMAGES, batch_size=32, seed=0, shuffle=False)
    return gan.fit(ds, epochs=4, steps_per_epoch=2, verbose=0).history


def max_diff(a, b):
    return max(float(np.max(np.abs(np.asarray(x) - np.asarray(y)))) for x, y in zip(a, b))


def main():
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    two = distribute.strategy("mirrored")
    assert two.num_replicas_in_sync == 2, two.num_replicas_in_sync
    h1, w1 = run_small(one)
    h2, w2 = run_small(two)
    per_replica = ganmod.per_replica
    ganmod.per_replica = lambda loss: loss          # the deliberate mistake
    try:
        h3, w3 = run_small(two)
    finally:
        ganmod.per_replica = per_replica
    d1, d2 = run_dcgan(one), run_dcgan(two)
    with two.scope():
        multi = dcgan.make_dcgan(seed=0, steps_per_execution=2)
    try:
        multi.fit(data.make_dataset(IMAGES, batch_size=32), epochs=1, steps_per_epoch=2, verbose=0)
        refused = ""
    except ValueError as e:
        refused = str(e)
    print(json.dumps({
        "replicas": two.num_replicas_in_sync,
        "small_loss_diff": max_diff([h1[k] for k in sorted(h1)], [h2[k] for k in sorted(h1)]),
        "small_weight_diff": max_diff(w1, w2),
        "wrong_loss_diff": max_diff([h1[k] for k in sorted(h1)], [h3[k] for k in sorted(h1)]),
        "wrong_weight_diff": max_diff(w1, w3),
        "dcgan_one": d1, "dcgan_two": d2, "multi_step_refused": refused}))


if __name__ == "__main__":
    sys.exit(main())
