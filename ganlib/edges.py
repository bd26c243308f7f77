"""Edges → garments: pix2pix on a real paired task made from Fashion-MNIST (chapter 4).

The pix2pix paper's edges2shoes and edges2handbags pairs are photographs and the edges found
in them; here the photographs are Fashion-MNIST's garments (real images, padded to 32×32 for
a four-level U-Net) and the edges are found the same way, by thresholding the gradient
magnitude of each image.  An edge map says where the outline and the seams are and nothing
about shading, texture or how dark the cloth is: many garments fit one edge map.  A translator
trained on L1 alone answers that uncertainty with the average of the plausible garments (a
smooth grey fill); the adversarial term asks for one plausible garment instead.  That is the
case the paper makes for it, and the one the synthetic maps stand-in cannot show (its map is
almost a function of its photo).

The networks and losses are chapter 4's (`pix2pix.make_pix2pix`, one channel in, one out);
`train` goes through `pix2pix.train` with this data, so the run folder, resume and pictures
are the same.  The measures (`evaluate`): Fréchet distance of the outputs to real garments on
the Fashion-MNIST reference classifier's features, edge sharpness against the real garments,
and L1.
"""
from collections import namedtuple

import numpy as np
from scipy import ndimage

from . import config, data, pix2pix

SIZE = 32                     # Fashion-MNIST's 28×28, padded by 2 on each side
PAD = (SIZE - 28) // 2
EDGE_THRESHOLD = 0.2          # an edge: gradient magnitude above this fraction of the image's largest
DIRECTION = "edges2garments"

EdgesData = namedtuple("EdgesData", "train val source synthetic")

# Per run mode, as pix2pix's: one-channel 32×32 pairs.  The class recipe narrows both networks
# to a quarter (the U-Net's `width`, the PatchGAN's `d_width`): at 32×32 the tutorial's full-width
# PatchGAN costs more than the U-Net it judges (benchmarks/speed_edges.py: about 8 times the
# time a step of both at a quarter, in float32 on 2 cores; benchmarks/results/speed_edges.txt).
SCHEDULES = {
    "smoke": dict(image_size=SIZE, channels=1, batch_size=4, steps=4, log_every=2,
                  sample_every=1, n_train=64, n_val=16, width=0.25, d_width=0.25, adv_weight=1.0),
    "class": dict(image_size=SIZE, channels=1, batch_size=16, steps=3000, log_every=100,
                  sample_every=5, n_train=20000, n_val=1000, width=0.25, d_width=0.25,
                  adv_weight=1.0),
    "full": dict(image_size=SIZE, channels=1, batch_size=16, steps=20000, log_every=500,
                 sample_every=4, n_train=None, n_val=None, width=1.0, d_width=1.0, adv_weight=1.0),
}
SCHEDULES["pretrained"] = dict(SCHEDULES["class"])


def edge_map(images, threshold=EDGE_THRESHOLD):
    """Binary edge maps (uint8 0 / 255) of uint8 grayscale images (N, H, W[, 1]): the Sobel
    gradient magnitude of each image above `threshold` times its largest."""
    x = np.asarray(images)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or x.dtype != np.uint8:
        raise ValueError(f"edge_map needs uint8 grayscale images (N, H, W), got {x.dtype} "
                         f"{x.shape}")
    if not 0 < float(threshold) < 1:
        raise ValueError(f"threshold={threshold!r} must lie strictly between 0 and 1")
    f = x.astype(np.float32)
    # Sobel kernels of shape (1, 3, 3): each image alone (ndimage.sobel on the stack would
    # also smooth across neighbouring images)
    gy = np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]], np.float32)[None]
    mag = np.hypot(ndimage.correlate(f, gy), ndimage.correlate(f, gy.transpose(0, 2, 1)))
    top = mag.reshape(len(mag), -1).max(axis=1).reshape(-1, 1, 1)
    edges = mag > threshold * np.maximum(top, 1e-6)
    return (edges * 255).astype(np.uint8)


def pad(images):
    """28×28 → 32×32 (N, 32, 32, 1) uint8, black border (Fashion-MNIST's background)."""
    x = np.asarray(images)
    if x.ndim == 4:
        x = x[..., 0]
    return np.pad(x, ((0, 0), (PAD, PAD), (PAD, PAD)))[..., None]


def crop(images):
    """32×32 → the 28×28 centre, what the reference classifier reads."""
    return np.asarray(images)[:, PAD:PAD + 28, PAD:PAD + 28]


def make_pairs(garments):
    """(edges, garments), both (N, 32, 32, 1) uint8, from 28×28 uint8 garments."""
    g = pad(garments)
    return pad(edge_map(np.asarray(garments))), g


def load_data(schedule, seed=0, verbose=False):
    """Edges → garments pairs: `n_train` from Fashion-MNIST's training images, `n_val` from its
    test images (never trained on), in a random order fixed by `seed`."""
    ((x_train, _), (x_test, _)), source = data.load_dataset("fashion_mnist", verbose=verbose)
    rng = np.random.default_rng(seed)
    picks = []
    for x, n in ((x_train, schedule.get("n_train")), (x_test, schedule.get("n_val"))):
        idx = rng.permutation(len(x))[:n]
        picks.append(make_pairs(x[idx]))
    return EdgesData(picks[0], picks[1], source, False)


def check_direction(direction):
    if direction != DIRECTION:
        raise ValueError(f"direction must be {DIRECTION!r}, got {direction!r}")


def split_direction(pairs, direction=DIRECTION):
    """``(edges, garments)`` → ``(sources, targets)``: this task has one direction."""
    check_direction(direction)
    return pairs


recipe = pix2pix.recipe          # image size, channels, widths, adversarial weight


def make_pix2pix(seed=None, **kw):
    """Chapter 4's pix2pix for one-channel 32×32 pairs (`recipe` gives the keywords)."""
    kw.setdefault("image_size", SIZE)
    kw.setdefault("channels", 1)
    return pix2pix.make_pix2pix(seed=seed, **kw)


def train(schedule=None, direction=DIRECTION, seed=0, data=None, callbacks=(), verbose=0,
          run_dir=None):
    """Train pix2pix on edges → garments; returns (gan, history).  `schedule` may name only
    the entries it changes (`adv_weight=0`: the same U-Net on L1 alone)."""
    check_direction(direction)
    schedule = config.training_schedule(SCHEDULES, schedule, run_dir, seed, who="edges.train()")
    data = data or load_data(schedule, seed=seed, verbose=bool(verbose))
    return pix2pix.train(schedule, "sat2map", seed=seed, data=data, callbacks=callbacks,
                         verbose=verbose, run_dir=run_dir, schedules=SCHEDULES)


def evaluate(gan, sources, targets):
    """FD of the translations to the real garments (Fashion-MNIST reference classifier, 28×28
    centres), edge sharpness against the real garments, and L1; a dict."""
    from . import metrics
    pred = gan.translate(sources)
    tgt = np.asarray(targets, np.float32) / 127.5 - 1.0
    return {"FD": metrics.frechet_distance(crop(pred), crop(tgt), "fashion_mnist"),
            "edge sharpness": metrics.edge_sharpness(pred, tgt),
            "l1": metrics.l1(pred, tgt)}
