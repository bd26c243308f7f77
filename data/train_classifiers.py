"""Train the two reference classifiers behind `ganlib.metrics` and save them here.

    python data/train_classifiers.py [--only mnist|fashion_mnist] [--epochs N]

* Fashion-MNIST: the full 60,000 training images when available (Debian's
  ``dataset-fashion-mnist`` package, ``GANLIB_DATA_DIR`` or the keras cache), else the
  shipped sample; accuracy on the 10,000 test images (or the sample's 2,000).
* MNIST: the 8,000 training digits of ``data/mnist_sample.npz`` (small shifts and
  rotations as augmentation), accuracy on its 2,000 held-out digits.

Writes ``data/classifier_<dataset>.keras`` (about 1 MB each, float32, no optimizer
state).  Seeded; a CPU run takes a few minutes.
"""
import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
import ganlib  # noqa: E402,F401  (quiet TensorFlow import)
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

from ganlib import data, metrics  # noqa: E402

SETTINGS = {
    # epochs, batch size, augmentation (max shift as a fraction, max rotation in turns)
    "fashion_mnist": dict(epochs=12, batch_size=128, shift=0.0, rotation=0.0),
    "mnist": dict(epochs=30, batch_size=64, shift=0.1, rotation=0.04),
}


def load(name):
    if name == "mnist":
        arrays, source = data.load_mnist(os.path.join(data.DATA_DIR, data.SAMPLE_FILES["mnist"]),
                                         verbose=False)
        source = f"data/{data.SAMPLE_FILES['mnist']} (8,000 train / 2,000 held-out real digits)"
    else:
        arrays, source = data.load_fashion_mnist(verbose=False)
    return arrays, source


def train(name, epochs=None, seed=0, verbose=2):
    keras.mixed_precision.set_global_policy("float32")
    keras.utils.set_random_seed(seed)
    s = dict(SETTINGS[name])
    epochs = epochs or s["epochs"]
    ((xtr, ytr), (xte, yte)), source = load(name)
    print(f"{name}: {len(xtr)} training / {len(xte)} held-out images from {source}")
    xtr = xtr[..., None].astype("float32") / 255.0
    xte = xte[..., None].astype("float32") / 255.0
    clf = metrics.build_classifier()
    aug = []
    if s["shift"]:
        aug.append(layers.RandomTranslation(s["shift"], s["shift"], fill_mode="constant", seed=seed))
    if s["rotation"]:
        aug.append(layers.RandomRotation(s["rotation"], fill_mode="constant", seed=seed + 1))
    trainer = keras.Sequential([keras.Input((28, 28, 1))] + aug + [clf])  # augmentation not saved
    steps = epochs * int(np.ceil(len(xtr) / s["batch_size"]))
    lr = keras.optimizers.schedules.CosineDecay(2e-3, steps, alpha=0.02)
    trainer.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])
    t0 = time.time()
    trainer.fit(xtr, ytr, batch_size=s["batch_size"], epochs=epochs, shuffle=True,
                validation_data=(xte, yte), verbose=verbose)
    acc = float((clf.predict(xte, batch_size=1000, verbose=0).argmax(1) == yte).mean())
    path = metrics.classifier_path(name)
    clf.save(path)  # the inner model was never compiled: no optimizer state in the file
    print(f"{name}: held-out accuracy {acc:.4f} ({len(xte)} images), {time.time() - t0:.0f} s, "
          f"{clf.count_params():,} parameters, saved {os.path.relpath(path, ROOT)} "
          f"({os.path.getsize(path) / 1e6:.2f} MB)")
    return acc


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", choices=sorted(SETTINGS))
    p.add_argument("--epochs", type=int)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    for name in [args.only] if args.only else ["fashion_mnist", "mnist"]:
        train(name, args.epochs, args.seed)


if __name__ == "__main__":
    main()
