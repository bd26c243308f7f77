"""pix2pix (Isola et al. 2017) as taught by the machinelearningmastery "maps" tutorial.

A *conditional* GAN for paired image-to-image translation (satellite → map, or back):

G (U-Net, 256×256): encoder C64-C128-C256-C512-C512-C512-C512 (Conv 4×4 s2, norm
   except the first, LeakyReLU 0.2) → bottleneck Conv 512 s2 + ReLU (1×1) → decoder of
   ConvT 4×4 s2 + norm (+ Dropout 0.5 in the first three) + skip concat + ReLU,
   mirroring the encoder → ConvT 3 + tanh.  Smaller images get fewer levels (the
   bottleneck always lands at 1×1): 64×64 uses C64…C512 (5 levels), 32×32 four.
D (70×70 PatchGAN): input = source and target concatenated on channels;
   C64 s2 (no norm) - C128 s2 - C256 s2 - C512 s1 - Conv 1 s1 → sigmoid, LeakyReLU 0.2,
   4×4 kernels, one real/fake probability per 70×70 patch: 30×30 patches at 256×256.
Weights N(0, 0.02).  Losses: D = BCE on patches, weighted 0.5; G = BCE(D(src, G(src)) → 1)
   + 100·L1(G(src), target).  Adam(2e-4, β1 0.5), batch 1, 100 epochs in `full`.

The tutorial writes ``BatchNormalization()(g, training=True)`` and ``Dropout(0.5)(g,
training=True)``: at its batch size of 1 that normalises each image by its own statistics,
in training and at inference, and keeps dropout (pix2pix's only noise) on when translating.
Here "norm" is that instance normalisation as a stock layer (`instance_norm`, the same in
every mode and at every batch size), and G's dropout acts whenever G is called
(`always_dropout`): stock Keras layers only, so a saved generator loads without ganlib.
"""
import math

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers, ops

from . import config, data, losses, maps_data
from .gan import GAN, fit_schedule
from .models import check_image_shape, gan_init
from .viz import SampleGrid, show_grid

ENCODER_FILTERS = (64, 128, 256, 512, 512, 512, 512)  # the tutorial's U-Net at 256×256
BOTTLENECK_FILTERS = 512
MIN_SIZE, MAX_SIZE = 32, 256
DIRECTIONS = ("sat2map", "map2sat")
L1_WEIGHT = 100.0
TRAIN_PAIRS = 1096  # the tutorial's training set: one epoch = 1,096 steps at batch 1

# Per run mode: image size, batch, generator steps, steps per logging interval, sample
# refresh (in intervals), how many pairs to load, the width multipliers of G's and D's filters
# and the two loss weights.  `full` is the tutorial's recipe.  `class` trains on 64×64 images
# (a 5-level U-Net) with half the U-Net's filters (C32 … C256), half the PatchGAN's (d_width:
# at 64×64 the full PatchGAN's 512-filter layer cost more than the U-Net;
# benchmarks/speed_edges.py --task maps) and batches of 4, and weighs the adversarial term 0.25
# (`adv_weight`; the tutorial's 1 stays in `full`).  The seed tables behind these choices,
# against the same U-Net on L1 alone, are benchmarks/results/quality_class_seeds_pix2pix*.txt
# (chapter 4 §8 prints them); the recipes tried on the way are in benchmarks/results/experiments/.
SCHEDULES = {
    "smoke": dict(image_size=32, batch_size=1, steps=4, log_every=2, sample_every=1,
                  n_train=16, n_val=8, width=0.25, d_width=1.0, adv_weight=0.25,
                  l1_weight=L1_WEIGHT),
    "class": dict(image_size=64, batch_size=4, steps=1000, log_every=100, sample_every=2,
                  n_train=1000, n_val=100, width=0.5, d_width=0.5, adv_weight=0.25,
                  l1_weight=L1_WEIGHT),
    "full": dict(image_size=256, batch_size=1, steps=100 * TRAIN_PAIRS, log_every=TRAIN_PAIRS,
                 sample_every=10, n_train=None, n_val=None, width=1.0, d_width=1.0,
                 adv_weight=1.0, l1_weight=L1_WEIGHT),
}
# GANLIB_MODE=pretrained builds the networks of the reference runs shipped in data/pretrained:
# the class recipe at a quarter of the tutorial's width (C16 … C128, 1.8 M parameters, 3.7 MB
# in float16), because the class U-Net's 7.3 M parameters (14.6 MB) are over data/'s 5 MB per
# file.  They are trained with `python -m ganlib train 04_pix2pix --mode class --set width=0.25
# --steps N` (data/README.md).
REFERENCE_WIDTH = 0.25
SCHEDULES["pretrained"] = dict(SCHEDULES["class"], width=REFERENCE_WIDTH, d_width=1.0)


# --------------------------------------------------------------------------- layers
# Stock Keras layers only, so a saved generator loads with plain `keras.saving.load_model`.
def instance_norm(name):
    """Normalisation by each image's own statistics, per channel (learned γ, β).

    What the tutorial's ``BatchNormalization()(x, training=True)`` computes at its batch size
    of 1, and what it keeps doing at inference: no moving averages, so the same maths in
    training and at test time, and nothing changes when the model is only called.
    """
    return layers.GroupNormalization(groups=-1, epsilon=1e-3, name=name)


def always_dropout(x, rate, name, seed=None):
    """Dropout that also acts when G is *called* for a translation, as in the tutorial
    (``Dropout(0.5)(g, training=True)``): the flag is stored in the model's graph, so
    ``G(x)`` (training unset) keeps it, and pix2pix's noise is this dropout. An explicit
    ``training=False`` (e.g. `Model.predict`) turns it off: call the model instead."""
    return layers.Dropout(rate, seed=seed, name=name)(x, training=True)


# --------------------------------------------------------------------------- builders
def check_size(image_shape, what="pix2pix"):
    """Validate a square (S, S, C) shape with S a power of two in 32..256; return (S, C)."""
    h, w, c = check_image_shape(image_shape)
    if h != w:
        raise ValueError(f"{what}: images must be square, got {h}×{w}")
    if h < MIN_SIZE or h > MAX_SIZE or h & (h - 1):
        raise ValueError(f"{what}: image size must be a power of two from {MIN_SIZE} to "
                         f"{MAX_SIZE} (32, 64, 128 or 256), got {h}")
    return h, c


def unet_levels(size):
    """Encoder blocks before the bottleneck: 7 at 256×256, 5 at 64, 4 at 32 (bottleneck 1×1)."""
    return int(math.log2(size)) - 1


def _conv(filters, strides=2, name=None, seed=None, padding="same", **kw):
    return layers.Conv2D(filters, 4, strides=strides, padding=padding,
                         kernel_initializer=gan_init(seed=seed), name=name, **kw)


def build_generator(image_shape=(256, 256, 3), out_channels=None, dropout_blocks=3, width=1.0,
                    seed=None):
    """The tutorial's U-Net generator, with as many levels as the image size allows.

    ``width`` scales every filter count (1.0 = the tutorial's).  Input and output are
    images in [-1, 1].
    """
    size, c = check_size(image_shape, "U-Net generator")
    out_channels = out_channels or c
    levels = unet_levels(size)
    filters = [max(1, int(round(f * width))) for f in ENCODER_FILTERS[:levels]]
    source = keras.Input((size, size, c), name="source")
    x, skips = source, []
    for i, f in enumerate(filters):              # encoder: C64 (no BN) - C128 - ... - C512
        x = _conv(f, name=f"enc{i + 1}_conv", seed=seed)(x)
        if i > 0:
            x = instance_norm(f"enc{i + 1}_norm")(x)
        x = layers.LeakyReLU(0.2, name=f"enc{i + 1}_lrelu")(x)
        skips.append(x)
    x = _conv(max(1, int(round(BOTTLENECK_FILTERS * width))), name="bottleneck_conv", seed=seed)(x)
    x = layers.ReLU(name="bottleneck_relu")(x)   # 1×1, no BatchNorm
    for j, (skip, f) in enumerate(zip(reversed(skips), reversed(filters))):   # decoder
        x = layers.Conv2DTranspose(f, 4, strides=2, padding="same", name=f"dec{j + 1}_convT",
                                   kernel_initializer=gan_init(seed=seed))(x)
        x = instance_norm(f"dec{j + 1}_norm")(x)
        if j < dropout_blocks:
            x = always_dropout(x, 0.5, f"dec{j + 1}_dropout", seed=seed)
        x = layers.Concatenate(name=f"dec{j + 1}_skip")([x, skip])
        x = layers.ReLU(name=f"dec{j + 1}_relu")(x)
    x = layers.Conv2DTranspose(out_channels, 4, strides=2, padding="same", name="out_convT",
                               kernel_initializer=gan_init(seed=seed), dtype="float32")(x)
    out = layers.Activation("tanh", name="out_tanh", dtype="float32")(x)
    return keras.Model(source, out, name="unet_generator")


def build_discriminator(image_shape=(256, 256, 3), target_channels=None, alpha=0.2, seed=None,
                        width=1.0):
    """The 70×70 PatchGAN: ``[source, target]`` → (S/8 − 2)² patch probabilities (30×30 at 256).
    `width` scales its filters (C64-C128-C256-C512 at 1.0), as the U-Net's `width` does."""
    size, c = check_size(image_shape, "PatchGAN discriminator")
    config.check_number(width, "PatchGAN discriminator: width", above=0)
    scaled = lambda f: max(1, int(round(f * width)))  # noqa: E731
    source = keras.Input((size, size, c), name="source")
    target = keras.Input((size, size, target_channels or c), name="target")
    x = layers.Concatenate(name="source_target")([source, target])
    for i, f in enumerate((64, 128, 256)):            # C64 - C128 - C256, stride 2
        x = _conv(scaled(f), name=f"c{f}", seed=seed)(x)
        if i > 0:
            x = instance_norm(f"c{f}_norm")(x)
        x = layers.LeakyReLU(alpha, name=f"c{f}_lrelu")(x)
    x = layers.ZeroPadding2D(1, name="pad1")(x)        # C512, stride 1
    x = _conv(scaled(512), strides=1, padding="valid", name="c512", seed=seed)(x)
    x = instance_norm("c512_norm")(x)
    x = layers.LeakyReLU(alpha, name="c512_lrelu")(x)
    x = layers.ZeroPadding2D(1, name="pad2")(x)        # one probability per patch
    x = _conv(1, strides=1, padding="valid", name="patch_logit", seed=seed, dtype="float32")(x)
    out = layers.Activation("sigmoid", name="patch_prob", dtype="float32")(x)
    return keras.Model([source, target], out, name="patchgan_discriminator")


def receptive_field(kernels=(4, 4, 4, 4, 4), strides=(2, 2, 2, 1, 1)):
    """Input pixels seen by one output unit of a conv stack: 70 for the PatchGAN."""
    rf, jump = 1, 1
    for k, s in zip(kernels, strides):
        rf += (k - 1) * jump
        jump *= s
    return rf


# --------------------------------------------------------------------------- the GAN
class Pix2Pix(GAN):
    """Conditional GAN on ``(source, target)`` batches (`fit` on a `pair_dataset`).

    * D update: D sees (source, real target) → 1 and (source, G(source)) → 0 on every
      patch, in two batches (as the tutorial's two ``train_on_batch`` calls);
      loss = 0.5·(BCE_real + BCE_fake), the tutorial's ``loss_weights=[0.5]``.  G's
      dropout is on (its noise), and G has no statistics to update: no G variable moves.
    * G update: loss = BCE(D(source, G(source)) → 1) + l1_weight · mean|G(source) − target|;
      no D variable moves.

    Both networks normalise each image by its own statistics (`instance_norm`), so
    training and inference compute the same thing; G's dropout always acts (`always_dropout`).

    Logs ``d_loss``, ``g_loss`` (the weighted sum), ``g_adv`` and ``g_l1`` (its terms).
    """

    extra_loss_names = ("g_adv", "g_l1")

    def __init__(self, generator, discriminator, l1_weight=L1_WEIGHT, adv_weight=1.0, **kwargs):
        super().__init__(generator, discriminator, latent_dim=0, joint_d_batch=False, **kwargs)
        self.l1_weight = float(l1_weight)
        self.adv_weight = float(adv_weight)   # 0: the L1-only generator pix2pix is compared with

    @staticmethod
    def unpack(data):
        """Batches arrive as ``(source, target)``; the trainer wants ``(real, labels)``."""
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise ValueError("pix2pix trains on (source, target) batches of paired images")
        source, target = data
        return target, source

    def check_batch_spec(self, spec):
        """Targets must have G's output shape (the base check), sources its input shape."""
        super().check_batch_spec(spec)
        _, source = self.unpack(spec)
        want, got = tuple(self.generator.input_shape[1:]), tuple(source.shape[1:])
        if got != want:
            raise ValueError(f"the dataset's source images have shape {got} but this generator "
                             f"translates {want}: resize them or build the model for {got}")

    def generator_inputs(self, n, labels=None):
        if labels is None:
            raise ValueError("pix2pix's generator needs source images")
        return labels

    def call(self, inputs, training=None):
        return self.generator(inputs, training=training)

    preview_columns = 4

    def preview_inputs(self, n=None):
        """pix2pix draws from source images, not noise: pictures of training need them
        passed (`train` passes held-out sources); without them there are none."""
        return None

    def discriminator_loss(self, real, labels):
        source = labels
        fake = ops.stop_gradient(self.generator(source))   # training unset: dropout on
        real_out = self.discriminator([source, real], training=True)
        fake_out = self.discriminator([source, ops.cast(fake, real.dtype)], training=True)
        loss = self.d_loss_fn(real_out, fake_out)
        return loss, {"d_loss": loss}

    def generator_loss(self, real, labels):
        source = labels
        fake = self.generator(source, training=True)
        fake_out = self.discriminator([source, fake], training=False)
        adv = self.g_loss_fn(fake_out)
        l1 = ops.mean(ops.abs(ops.cast(fake, "float32") - ops.cast(real, "float32")))
        loss = self.adv_weight * adv + self.l1_weight * l1
        return loss, {"g_loss": loss, "g_adv": adv, "g_l1": l1}

    def translate(self, sources, batch_size=16):
        """Translate uint8 or [-1, 1] float images; returns float32 images in [-1, 1].

        The images must have the generator's input shape (size and channels).
        """
        x = check_sources(sources, tuple(self.generator.input_shape[1:]))
        # G is called, not `predict`ed: predict() would pass training=False and turn off
        # the dropout that is pix2pix's noise.
        return np.concatenate([np.asarray(self.generator(x[i:i + batch_size]), np.float32)
                               for i in range(0, len(x), batch_size)])


def check_sources(sources, shape, name="sources"):
    """Validate images for a generator taking `shape` = (S, S, C) inputs: uint8 (0..255) or
    floats in [-1, 1], (N, S, S, C); return them as float32 in [-1, 1]."""
    from .metrics import RANGE_TOLERANCE
    x = np.asarray(sources)
    if x.ndim != 4 or x.shape[1:] != tuple(shape):
        raise ValueError(f"{name}: this generator translates images of shape (N, "
                         f"{', '.join(map(str, shape))}), got {x.shape}; resize them (e.g. "
                         f"maps_data.load_maps(size={shape[0]})) or use a model built for that size")
    if len(x) == 0:
        raise ValueError(f"{name}: no images")
    if np.issubdtype(x.dtype, np.integer):
        if x.min() < 0 or x.max() > 255:
            raise ValueError(f"{name}: integer images must hold pixel values 0..255, got "
                             f"{x.min()}..{x.max()}")
        return x.astype(np.float32) / 127.5 - 1.0
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{name}: expected uint8 or float images, got dtype {x.dtype}")
    x = x.astype(np.float32)
    if not np.isfinite(x).all():
        raise ValueError(f"{name}: contains NaN or infinite values")
    if x.min() < -1.0 - RANGE_TOLERANCE or x.max() > 1.0 + RANGE_TOLERANCE:
        hint = " (pixel values 0..255 in a float array? pass them as uint8)" if x.max() > 1.5 else ""
        raise ValueError(f"{name}: float images must lie in [-1, 1] (the generator's scale), "
                         f"got {x.min():.4g}..{x.max():.4g}{hint}")
    return x


def recipe(schedule):
    """The model keyword arguments of a schedule (image size, widths, the two loss weights, and
    channels where it names them), for ``make_pix2pix(seed=..., **recipe(schedule))``."""
    return config.model_kwargs(schedule, ("image_size", "channels", "width", "adv_weight",
                                          "d_width", "l1_weight"))


def make_pix2pix(image_size=256, channels=3, lr=2e-4, l1_weight=L1_WEIGHT, width=1.0, seed=None,
                 adv_weight=1.0, d_width=1.0):
    """The tutorial's pix2pix, compiled and ready for `fit()` on a `pair_dataset`.

    ``adv_weight=0``: the same U-Net trained on L1 alone (D still trains, but G ignores it),
    the baseline the paper shows blurry.  ``width`` scales the U-Net's filters and ``d_width``
    the PatchGAN's (1.0: the tutorial's)."""
    config.check_number(lr, "make_pix2pix: lr", above=0)
    config.check_number(l1_weight, "make_pix2pix: l1_weight", minimum=0)
    config.check_number(adv_weight, "make_pix2pix: adv_weight", minimum=0)
    config.check_number(width, "make_pix2pix: width", above=0)
    shape = (image_size, image_size, channels)
    gan = Pix2Pix(build_generator(shape, width=width, seed=seed),
                  build_discriminator(shape, seed=seed, width=d_width), l1_weight=l1_weight,
                  adv_weight=adv_weight, seed=seed, name="pix2pix")
    gan.compile(d_optimizer=keras.optimizers.Adam(lr, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(lr, beta_1=0.5),
                d_loss_fn=losses.discriminator_bce, g_loss_fn=losses.generator_bce)
    return gan


# --------------------------------------------------------------------------- data
def split_direction(pairs, direction):
    """``(satellite, map)`` arrays → ``(sources, targets)`` for "sat2map" or "map2sat"."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    if not isinstance(pairs, (tuple, list)) or len(pairs) != 2:
        raise ValueError("pairs: expected (satellite, map) arrays, e.g. maps.train of "
                         f"load_data(...); got {type(pairs).__name__}"
                         + (f" of {len(pairs)}" if isinstance(pairs, (tuple, list)) else ""))
    sat, mp = pairs
    check_pairs(sat, mp, "satellite", "map")
    return (sat, mp) if direction == "sat2map" else (mp, sat)


def check_pairs(sources, targets, a="sources", b="targets"):
    """Paired images must be (N, H, W, C) arrays of one shape (channels included)."""
    s, t = np.shape(sources), np.shape(targets)
    if len(s) != 4 or s != t:
        hint = ""
        if len(s) == len(t) == 4 and s[:3] == t[:3]:
            hint = (f": {a} have {s[3]} channel(s) and {b} {t[3]}; convert one side (e.g. "
                    f"np.repeat(gray, 3, axis=-1) for grayscale to RGB)")
        raise ValueError(f"{a} and {b} must be paired (N, H, W, C) arrays of the same shape, "
                         f"got {s} and {t}{hint}")


def pair_dataset(sources, targets, batch_size=1, seed=0, shuffle=True, repeat=True):
    """uint8 image pairs → a ``tf.data.Dataset`` of ``(source, target)`` float batches in [-1, 1].

    The same pipeline as `data.make_dataset` (`data.gather_batches`).
    """
    import tensorflow as tf
    s, t = np.asarray(sources), np.asarray(targets)
    if s.dtype != np.uint8 or t.dtype != np.uint8:
        raise ValueError(f"pair_dataset expects uint8 images, got {s.dtype} and {t.dtype}")
    check_pairs(s, t)

    def scale_pair(a, b):
        return tf.cast(a, tf.float32) / 127.5 - 1.0, tf.cast(b, tf.float32) / 127.5 - 1.0

    return data.gather_batches([s, t], scale_pair, batch_size, seed, shuffle, repeat)


def load_data(schedule, seed=0, **kw):
    """The maps data (real or synthetic, see `maps_data.load_maps`) at the schedule's size."""
    if not isinstance(schedule, dict) or "image_size" not in schedule:
        raise ValueError("load_data needs a pix2pix schedule naming image_size (and n_train, "
                         "n_val), e.g. config.select(pix2pix.SCHEDULES)")
    for key in ("n_train", "n_val"):
        if schedule.get(key) is not None:
            config.check_count(schedule[key], f"schedule: {key} (None: all pairs)")
    return maps_data.load_maps(size=schedule["image_size"], n_train=schedule.get("n_train"),
                               n_val=schedule.get("n_val"), seed=seed, **kw)


# --------------------------------------------------------------------------- pictures
def triplets(sources, generated, targets):
    """Interleave to rows of (source, generated, target), uint8 (3·N, H, W, C)."""
    from .data import to_uint8
    as_u8 = lambda a: np.asarray(a) if np.asarray(a).dtype == np.uint8 else to_uint8(a)  # noqa: E731
    s, g, t = as_u8(sources), as_u8(generated), as_u8(targets)
    return np.stack([s, g, t], axis=1).reshape((-1,) + s.shape[1:])


def show_triplets(sources, generated, targets, title=None, ax=None, size=6):
    """Plot rows of source | generated | target; returns the Axes."""
    return show_grid(triplets(sources, generated, targets), ncols=3, title=title, ax=ax, size=size,
                     col_labels=["source", "generated", "target"])


class PairSamples(SampleGrid):
    """Show source | generated | target for fixed held-out pairs every `every` epochs.

    Refreshed in place in a notebook (one output); `save_dir` also writes PNGs.
    """

    prefix = "pairs"

    def __init__(self, sources, targets, every=1, save_dir=None, display=True, size=5):
        super().__init__(None, every=every, save_dir=save_dir, display=display, size=size)
        self.sources, self.targets = np.asarray(sources), np.asarray(targets)

    def figure(self, step):
        gen = self.model.translate(self.sources)
        fig, ax = plt.subplots(figsize=(self.size, self.size * len(self.sources) / 3))
        show_triplets(self.sources, gen, self.targets, title=f"after {step} generator steps", ax=ax)
        return fig


# --------------------------------------------------------------------------- training
def train(schedule=None, direction="sat2map", seed=0, data=None, callbacks=(), verbose=0,
          run_dir=None, schedules=None):
    """Build and train pix2pix for one direction with a run-mode schedule; returns (gan, history).

    ``data`` is a `maps_data.MapsData` (loaded with `load_data(schedule)` when omitted).
    `schedule` may name only the entries it changes (`config.training_schedule`); `seed`
    seeds everything.  Another paired task passes its `data` (the same layout: ``train`` and
    ``val`` as (sources, targets)) and its run-mode `schedules` (`edges`).
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    schedule = config.training_schedule(schedules or SCHEDULES, schedule, run_dir, seed,
                                        who="pix2pix.train()")
    data = data or load_data(schedule, seed=seed, verbose=bool(verbose))
    sources, targets = split_direction(data.train, direction)
    gan = make_pix2pix(seed=seed, **recipe(schedule))
    ds = pair_dataset(sources, targets, batch_size=schedule["batch_size"], seed=seed)
    preview = check_sources(split_direction(data.val, direction)[0][:8],
                            tuple(gan.generator.input_shape[1:]), "held-out sources")
    history = fit_schedule(gan, ds, schedule, run_dir, callbacks, verbose, preview=preview)
    return gan, history
