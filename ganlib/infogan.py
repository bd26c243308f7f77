"""InfoGAN (Chen et al. 2016) on MNIST, as taught by the machinelearningmastery tutorial.

G's input is noise plus *codes* the generator is pushed to make visible in its images:

    z  (62 numbers ~ N(0, 1))  |  c1 one-hot (10-way categorical)  |  c2, c3 ~ U(-1, 1)

G: Dense 512·7·7 → ReLU → BN → 7×7×512 → Conv 128 4×4 → ReLU → BN
   → ConvT 64 4×4 s2 → ReLU → BN → ConvT 1 4×4 s2 → tanh              (28×28×1)
Shared trunk: Conv 64 4×4 s2 → LReLU 0.1 → Conv 128 4×4 s2 → LReLU → BN
   → Conv 256 4×4 → LReLU → BN → Flatten
D head: Dense 1 → sigmoid (real or fake?)
Q head: Dense 128 → BN → LReLU 0.1 → [softmax over c1 | mean of c2, c3]
Weights N(0, 0.02); Adam(2e-4, β1 0.5); 32 real + 32 fake images per D update and
64 samples per G/Q update (the tutorial's batch of 64); the tutorial's 100 epochs.

The tutorial uses the categorical code only; ``n_cont=0`` reproduces it exactly.  The
`class` run mode uses narrower networks, scales the one-hot code by 8 and the continuous
codes by 8 at G's input (and weighs the continuous codes' squared error 2 instead of 0.5),
lets G and Q learn at 1e-3, weighs the categorical code 3 times, adds a
mode-seeking term to G's loss and makes Q read the code from moved copies of the fakes
too (`CLASS_RECIPE`, explained there); `full` keeps the tutorial's settings (`SEED_RECIPE`).

Who learns from the mutual-information (MI) term
------------------------------------------------
The information loss  L_I = λ_cat · CE(c1, Q(G(z, c))) + λ_cont · MSE(c2,3, Q(G(z, c)))
(cross-entropy for the categorical code; for the continuous codes a Gaussian with fixed
variance, whose negative log-likelihood *is* a squared error) is minimised by both
players in InfoGAN's objective  min_{G,Q} max_D V(D, G) − λ L_I(G, Q).  Here:

* **D step** (variables: trunk + D head): binary cross-entropy on real and fake images,
  as in the tutorial, whose composite model froze every non-BN layer of D so that its
  trunk learned from the real/fake task only.  ``mi_trunk=True`` adds L_I on the same
  fakes, so the trunk also learns features that serve Q (the Q head itself is not
  updated here).  Measured in class mode: off, the code follows the digits more closely
  (Q must read the code from features that tell real from fake, which are about shape).
* **G/Q step** (variables: G + Q head): the non-saturating adversarial loss plus L_I
  (plus, with ``lambda_ms``, the mode-seeking term of `losses.mode_seeking`; with
  ``lambda_aug``, the categorical cross-entropy once more on moved copies of the fakes,
  `InfoGAN.moved_code_loss`; and with ``n_zrec``, λ_z times the squared error of Q's guess
  of z's first n_zrec numbers: *noise reconstruction*, which G can only keep low by letting
  its noise show).
  The trunk is *not* updated here: G must not be able to change the features D judges
  it by.

Both updates run G and the trunk with BatchNorm batch statistics, so D judges exactly the
fakes G is trained on (see `discriminator_loss`); the trunk's BatchNorm layers use batch
statistics in both updates, as the tutorial's trainable BN layers did.
"""
import keras
import numpy as np
from keras import layers, ops

from . import config, data, losses
from .gan import GAN, fit_schedule
from .models import check_image_shape, gan_init

LATENT_DIM = 62
N_CAT = 10
N_CONT = 2
BATCH_SIZE = 64                       # samples per G/Q update
HALF_BATCH = BATCH_SIZE // 2          # real (and fake) images per D update
STEPS_PER_EPOCH = 60000 // BATCH_SIZE  # 937: the tutorial's epoch over MNIST's 60,000 digits
LAMBDA_CAT = 1.0
LAMBDA_CONT = 0.5
CONT_RANGE = 2.0                      # sliders and sweeps reach beyond the training range ±1
# Per run mode: generator steps, steps per logging interval, sample refresh and code-purity
# measurement (both in logging intervals); `smoke` also names a small batch
# (`config.batch_size`): tests spend seconds on it.
# The tutorial's recipe: its widths, one-hot code as it is, Adam 2e-4 for both players, λ_cat 1,
# no extra terms.
SEED_RECIPE = dict(code_scale=1.0, g_lr=2e-4, lambda_cat=LAMBDA_CAT, lambda_ms=0.0, ms_cap=None,
                   lambda_aug=0.0, g_filters=(512, 128, 64), d_filters=(64, 128, 256),
                   cont_scale=1.0, lambda_cont=LAMBDA_CONT)
# The `class` (and `smoke`) recipe, for ~10 minutes on 2 CPU cores (all figures measured on the
# offline 8,000-digit sample, code purity of 1,000 samples, FD against 1,000 test digits; the
# sweep lines are in benchmarks/results/infogan_sweep_float32.txt and, for the moved-copy
# term, infogan_sweep_bf16.txt):
#  * narrower networks: half of the tutorial's widths in G (256, 64, 32), a quarter in the
#    trunk (16, 32, 64).  Float32 on a 2-core AVX2 CPU runs ~5.5 steps/s against ~1.1 at full
#    width (both halved: ~3.3; both quartered: ~10); bfloat16 on a 2-core AVX512-BF16 CPU
#    runs ~17 steps/s (~13 each for two runs sharing the cores), so 5,000 steps fit there
#    (on an AVX2-only CPU roughly 18 minutes, estimated from the ~5 steps/s measured there
#    before the moved-copy term, which adds 10-15 %);
#  * the one-hot code enters G multiplied by 8, so at the start it moves G's output as much
#    as the 62 noise numbers do (‖z‖ ≈ √62 ≈ 8 against ‖one-hot‖ = 1). Unscaled, z decides the
#    digit and the code settles for small style changes that Q can read just as well
#    (purity 19-31 % after 1,000 steps, 23 % after 2,000 at full width);
#  * G and Q learn at 1e-3, D at 2e-4: the learning rates of the InfoGAN paper;
#  * the scaled code alone dominates G so strongly that G stops listening to z: each code
#    value collapses to one prototype digit (FD 200-290 against 30-70).  A mode-seeking
#    term (MSGAN, `losses.mode_seeking`, weight 0.1) makes two samples with the same codes
#    and different noise differ - but uncapped it rewards pairs that differ *more*, and two
#    different digits differ more than two styles of one, so codes drift towards mixtures
#    of digits (both quartered, 3,000 steps, seed 0: purity 66 %, FD 29);
#  * λ_cat = 3: the categorical code's cross-entropy weighs three times the paper's 1 in G's
#    loss, against the adversarial and mode-seeking terms.  With these widths, 2,000 steps:
#    78.3 % / FD 34 and 78.0 % / FD 41 (seeds 0, 1; float32).  Both quartered, 3,000 steps:
#    seed 0 74.6 % / FD 31, seed 1 66.9 % / FD 59 after 2,500 (λ_cat 1: 66 %; 6 and 10 spoil
#    the digits: FD 100-170); notebook 03 with that model (seed 42) 56-67 %, FD 74-85;
#  * the moved-copy term (λ_aug = 3, `InfoGAN.moved_code_loss`): Q must also read c1 from
#    each fake turned by up to 18°, shifted by up to 3 pixels and zoomed by up to 10 %.
#    Without it the short runs above spend two code values on two slants (or sizes) of one
#    digit - Q reads slant as easily as identity - while look-alike digits share a value;
#    a small move changes slant, position and size but not the digit.  Bfloat16, one thread
#    per run, seeds 0-5, 5,000 steps: 77.1 / 79.8 / 77.7 / 82.8 / 86.3 / 84.7 %, FD 37-73
#    (without the term: 82.9 / 67.4 / 86.4 / 74.1 / 66.5 / 67.7 %, FD 15-39); 3,000 steps
#    68.4-84.6 % (without: 61.2-84.6 %).  Notebook 03 (seed 42, two threads) 89.4 %,
#    quality.py (seed 0) 91.4 %.  (A first version whose three random layers shared one
#    seed, so that each turn came with a fixed shift and zoom, gave 80.2-98.8 % after 5,000.)
#  Also measured (both quartered), not in the recipe: capping the mode-seeking ratio at 0.2
#  (`ms_cap`; two real digits of one class have ~0.24, of different classes ~0.30), so that
#  it only stops collapse, with λ_cat 3: 81.4 % / FD 41 (seed 0) but 60.7 % / FD 103 and
#  52.2 % / FD 100 (seeds 1, 2); the cap alone 83.6 % / FD 74 (seed 0, 56-84 % between
#  checkpoints); code scale 16 instead of 8: 45-57 % after 2,000 steps; G learning at 5e-4:
#  61 % after 3,000.  Noise reconstruction (`n_zrec`) instead of the term collapses (FD ~210);
#  with it and a smaller lambda_cont, both halved reached 68-71 % after 1,500 steps; with the
#  MI term also training the trunk (`mi_trunk=True`, full width) 51-57 %.  Purity moves by
#  10-20 points between seeds (and by 5-10 between checkpoints 500 steps apart).  Also tried
#  with bfloat16 (3,000 steps, not kept): Q spreading real digits evenly and confidently over
#  the code values (entropy terms on real batches; seeds 1, 2: 81.7 / 68.2 %, with the trunk
#  also trained on them 77.4 / 67.6 %, three times stronger 60.6 / 62.7 %), the same with
#  cosine-decaying learning rates (67.9 / 66.2 %), a half-width trunk (seeds 1, 4: 59.8 / 73.5 %).
#  * the continuous codes enter G multiplied by 8 (`cont_scale`) and their squared error weighs
#    2 (`lambda_cont`, the tutorial-style 0.5 before): unscaled and at 0.5, c2 and c3 moved the
#    digits a little but controlled nothing measurable (|r| of either code with slant or stroke
#    mass within a digit code 0.031 [0.030-0.049], seeds 1-3, float32; the table
#    experiments/quality_class_seeds_infogan_before_cont.txt).  Scale 4 (bfloat16, seeds 1-3,
#    experiments/quality_class_seeds_infogan_cs4.txt): best |r| 0.40 [0.35-0.74] (seed 1: c3 with stroke
#    mass 0.74; seeds 2, 3: one code moves slant and stroke mass together, |r| 0.3-0.4 each),
#    purity 98.6 % [77.4-99.1], FD 18.1 [17.4-33.0] (before: 85.1 % [84.6-92.8], FD 38.8
#    [38.3-45.0]).  Scale 8, the recipe (quality_class_seeds_infogan.txt): best |r| 0.65
#    [0.42-0.81], stroke mass in every seed, purity 98.1 % [94.4-98.9], FD 16.8 [15.6-18.8].
#    Also tried (experiments/quality_class_infogan_experiments.txt): weight 4 at scale 4 (0.48, 0.37) and
#    16 noise dimensions instead of 62 (0.38, 0.36).
#  Against plain InfoGAN (these widths and learning rates, the paper's losses and weights: the
#  CLI chapter 03_infogan_plain), float32, seeds 1-3, 5,000 steps
#  (quality_class_seeds_infogan_family.txt): the recipe purity 89.7 % [83.9-98.1], best |r|
#  0.60 [0.59-0.66], FD 16.2 [13.7-20.7]; plain 76.1 % [61.6-86.4], 0.43 [0.42-0.62], FD 12.1
#  [10.4-12.7].  The additions buy purity and a steadier continuous code at a higher FD.
#  Scale 12 instead of 8 (float32, seeds 1-3, experiments/quality_class_infogan_cs12.txt) did not
#  lift that float32 |r| over the 0.6 bar: best |r| 0.39 [0.37-0.62], purity 98.2 % [80.2-98.7],
#  FD 15.5 [13.9-18.5]; the recipe keeps 8.
CLASS_RECIPE = dict(code_scale=8.0, g_lr=1e-3, lambda_cat=3.0, lambda_ms=0.1, ms_cap=None,
                    lambda_aug=3.0, g_filters=(256, 64, 32), d_filters=(16, 32, 64),
                    cont_scale=8.0, lambda_cont=2.0)
SCHEDULES = {
    "smoke": dict(steps=20, log_every=10, sample_every=1, purity_every=1, batch_size=32,
                  **CLASS_RECIPE),
    "class": dict(steps=5000, log_every=100, sample_every=5, purity_every=10, **CLASS_RECIPE),
    "full": dict(steps=100 * STEPS_PER_EPOCH, log_every=STEPS_PER_EPOCH, sample_every=10,
                 purity_every=10, **SEED_RECIPE),
}


def recipe(schedule):
    """The model keyword arguments of a schedule (code scale, G's learning rate)."""
    return config.model_kwargs(schedule, SEED_RECIPE)


# ----------------------------------------------------------------------------- builders
def build_generator(image_shape=(28, 28, 1), latent_dim=LATENT_DIM, n_cat=N_CAT, n_cont=N_CONT,
                    filters=(512, 128, 64), code_scale=1.0, cont_scale=1.0, seed=None):
    """G: [z | one-hot c1 | c2, c3] → image in [-1, 1] (the tutorial's `define_generator`).

    `filters`: channels of the 7×7 volume, of the 4×4 convolution and of the upsampling layer.
    `code_scale`: G multiplies the one-hot code by this first (1: the tutorial's G);
    `cont_scale` likewise the continuous codes.
    """
    h, w, c = check_image_shape(image_shape, divisible_by=4)
    f0, f1, f2 = filters
    init = lambda k: gan_init(seed=None if seed is None else seed + k)  # noqa: E731
    scale = [1.0] * latent_dim + [float(code_scale)] * n_cat + [float(cont_scale)] * n_cont
    return keras.Sequential([
        keras.Input((latent_dim + n_cat + n_cont,)),
        *([layers.Rescaling(scale, name="code_scale")] if set(scale) != {1.0} else []),
        layers.Dense(f0 * (h // 4) * (w // 4), kernel_initializer=init(0)), layers.ReLU(),
        layers.BatchNormalization(),
        layers.Reshape((h // 4, w // 4, f0)),
        layers.Conv2D(f1, 4, padding="same", kernel_initializer=init(1)), layers.ReLU(),
        layers.BatchNormalization(),
        layers.Conv2DTranspose(f2, 4, strides=2, padding="same", kernel_initializer=init(2)),
        layers.ReLU(), layers.BatchNormalization(),
        layers.Conv2DTranspose(c, 4, strides=2, padding="same", kernel_initializer=init(3)),
        layers.Activation("tanh", dtype="float32"),
    ], name="generator")


def build_trunk(image_shape=(28, 28, 1), alpha=0.1, filters=(64, 128, 256), seed=None):
    """The feature extractor D and Q share (the tutorial's `define_discriminator` up to Flatten)."""
    h, w, c = check_image_shape(image_shape, divisible_by=4)
    f0, f1, f2 = filters
    init = lambda k: gan_init(seed=None if seed is None else seed + 10 + k)  # noqa: E731
    return keras.Sequential([
        keras.Input((h, w, c)),
        layers.Conv2D(f0, 4, strides=2, padding="same", kernel_initializer=init(0)),
        layers.LeakyReLU(alpha),
        layers.Conv2D(f1, 4, strides=2, padding="same", kernel_initializer=init(1)),
        layers.LeakyReLU(alpha), layers.BatchNormalization(),
        layers.Conv2D(f2, 4, padding="same", kernel_initializer=init(2)),
        layers.LeakyReLU(alpha), layers.BatchNormalization(),
        layers.Flatten(),
    ], name="shared_trunk")


def build_d_head(feature_dim, seed=None):
    """D's real/fake output on the trunk's features."""
    return keras.Sequential([
        keras.Input((feature_dim,)),
        layers.Dense(1, kernel_initializer=gan_init(seed=seed), dtype="float32"),
        layers.Activation("sigmoid", dtype="float32"),
    ], name="d_head")


def build_q_head(feature_dim, n_cat=N_CAT, n_cont=N_CONT, alpha=0.1, n_zrec=0, seed=None):
    """Q's prediction of the codes: ``[softmax over c1 (n_cat) | means of c2… (n_cont)
    | guesses of z's first n_zrec numbers]``, float32."""
    if n_cat < 2:
        raise ValueError(f"the categorical code needs at least 2 values, got n_cat={n_cat}")
    if n_cont < 0 or n_zrec < 0:
        raise ValueError(f"n_cont and n_zrec must be >= 0, got {n_cont} and {n_zrec}")
    feats = keras.Input((feature_dim,))
    q = layers.Dense(128, kernel_initializer=gan_init(seed=seed))(feats)
    q = layers.BatchNormalization()(q)
    q = layers.LeakyReLU(alpha)(q)
    out = layers.Dense(n_cat, activation="softmax", dtype="float32", name="c_cat")(q)
    extra = [layers.Dense(k, dtype="float32", name=name)(q)  # linear: the means
             for k, name in ((n_cont, "c_cont"), (n_zrec, "z_rec")) if k]
    if extra:
        out = layers.Concatenate(dtype="float32")([out, *extra])
    return keras.Model(feats, out, name="q_head")


def build_augmentation(rotation=0.05, shift=0.1, zoom=0.1, seed=None):
    """Small random moves of a batch of [-1, 1] images: turn by up to ±`rotation` of a full
    circle (0.05: 18°), shift by up to ±`shift` of the side (0.1: ~3 pixels), zoom by up to
    ±`zoom`; uncovered pixels become background (-1).  Differentiable, float32.  The three
    layers get different seeds: with one seed for all, they would draw the same random numbers,
    and every turn would come with its own fixed shift and zoom."""
    kw = dict(fill_mode="constant", fill_value=-1.0, dtype="float32")
    seeds = [None if seed is None else seed + k for k in range(3)]
    return keras.Sequential([layers.RandomRotation(rotation, seed=seeds[0], **kw),
                             layers.RandomTranslation(shift, shift, seed=seeds[1], **kw),
                             layers.RandomZoom(zoom, seed=seeds[2], **kw)], name="augmentation")


def build_discriminator_and_q(image_shape=(28, 28, 1), n_cat=N_CAT, n_cont=N_CONT,
                              filters=(64, 128, 256), n_zrec=0, seed=None):
    """The shared trunk and the two heads: ``(trunk, d_head, q_head)``."""
    trunk = build_trunk(image_shape, filters=filters, seed=seed)
    dim = int(trunk.output_shape[-1])
    return (trunk, build_d_head(dim, seed=None if seed is None else seed + 20),
            build_q_head(dim, n_cat, n_cont, n_zrec=n_zrec,
                         seed=None if seed is None else seed + 30))


# ----------------------------------------------------------------------------- inputs
def check_codes(n, cat, cont=None, n_cat=N_CAT, n_cont=None):
    """Validate chosen codes for `n` samples; return ``(cat (n,) int64, cont (n, k) float32
    or None)``.

    `cat`: one whole number in ``0 .. n_cat - 1`` for all, or one per sample; `cont`: one
    row of finite values for all, or one row per sample, of `n_cont` values (any number
    when `n_cont` is None); required when ``n_cont > 0``.
    """
    c = np.asarray(cat)
    if not (np.issubdtype(c.dtype, np.integer) or np.issubdtype(c.dtype, np.floating)):
        raise ValueError(f"categorical code must be whole numbers 0..{n_cat - 1}, got {cat!r}")
    if c.size and not np.all(c == np.round(c)):
        raise ValueError(f"categorical code must be whole numbers 0..{n_cat - 1}, got "
                         f"{float(c[c != np.round(c)].ravel()[0]):g}")
    if c.ndim == 2 and c.shape[1] == 1:
        c = c[:, 0]
    if c.ndim > 1 or (c.ndim == 1 and len(c) not in (1, n)):
        raise ValueError(f"categorical code: one value for all {n} samples or one per sample, "
                         f"got shape {c.shape}")
    c = np.broadcast_to(c, (n,)).astype(np.int64)
    if n and (c.min() < 0 or c.max() >= n_cat):
        raise ValueError(f"categorical code out of range: values must lie in 0..{n_cat - 1}, "
                         f"got {sorted(set(c.tolist()))}")
    if cont is None:
        if n_cont:
            raise ValueError(f"this model has {n_cont} continuous codes: pass cont (one row of "
                             f"{n_cont} values for all samples, or one row per sample)")
        return c, None
    v = np.asarray(cont, np.float32)
    if v.ndim == 0 or v.ndim > 2 or (v.ndim == 2 and len(v) not in (1, n)):
        raise ValueError(f"continuous codes: one row of values for all {n} samples or one row "
                         f"per sample, got shape {v.shape}")
    if n_cont is not None and v.shape[-1] != n_cont:
        raise ValueError(f"continuous codes: this model has {n_cont} (c2..c{n_cont + 1}), got "
                         f"{v.shape[-1]} value(s) per sample")
    if not np.isfinite(v).all():
        raise ValueError(f"continuous codes must be finite numbers, got "
                         f"{v[~np.isfinite(v)].ravel()[0]:g}")
    return c, np.broadcast_to(v if v.ndim == 2 else v[None], (n, v.shape[-1]))


def latent_inputs(noise, cat, cont=None, n_cat=N_CAT, n_cont=None):
    """Numpy G inputs ``[noise | one-hot(cat) | cont]`` (float32) for chosen codes.

    `cat` is an int or one int per row; `cont` is ``None`` (no continuous codes), one
    row of values for all, or one row per sample (checked by `check_codes`; pass the
    model's `n_cont` to check the number of continuous codes too).
    """
    noise = config.check_finite(noise, "noise")
    if noise.ndim != 2 or not len(noise):
        raise ValueError(f"noise must be (n, latent_dim) with n >= 1, got shape {noise.shape}")
    n = len(noise)
    cat, cont = check_codes(n, cat, cont, n_cat, n_cont)
    parts = [noise, np.eye(n_cat, dtype=np.float32)[cat]]
    if cont is not None:
        parts.append(cont)
    return np.concatenate(parts, axis=1).astype(np.float32)


def code_grid_inputs(n_per_code, n_cat=N_CAT, n_cont=N_CONT, latent_dim=LATENT_DIM, seed=0,
                     cont=0.0):
    """Inputs for a grid: row k = code value k, column j = the same noise z_j in every row."""
    n_per_code = config.check_count(n_per_code, "code_grid_inputs: n_per_code")
    noise = np.random.default_rng(seed).normal(size=(n_per_code, latent_dim)).astype(np.float32)
    rows = [latent_inputs(noise, k, np.full(n_cont, cont) if n_cont else None, n_cat, n_cont)
            for k in range(n_cat)]
    return np.concatenate(rows)


def sweep_inputs(code, dim, values, n_rows=1, n_cat=N_CAT, n_cont=N_CONT, latent_dim=LATENT_DIM,
                 seed=0):
    """Inputs varying continuous code `dim` (0 → c2, 1 → c3) over `values`, the others at 0.

    Row r uses noise z_r and categorical value ``code[r]`` (or `code` for all rows).
    """
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not 0 <= dim < n_cont:
        raise ValueError(f"continuous code index {dim!r} out of range: this model has {n_cont} "
                         f"(0 → c2{', 1 → c3' if n_cont > 1 else ''})")
    values = config.check_finite(values, "sweep_inputs: values")
    if values.ndim != 1 or not len(values):
        raise ValueError(f"sweep_inputs: values must be a non-empty list of code values, got "
                         f"shape {values.shape}")
    n_rows = config.check_count(n_rows, "sweep_inputs: n_rows")
    noise = np.random.default_rng(seed).normal(size=(n_rows, latent_dim)).astype(np.float32)
    codes = np.broadcast_to(np.asarray(code), (n_rows,))
    out = []
    for r in range(n_rows):
        cont = np.zeros((len(values), n_cont), np.float32)
        cont[:, dim] = values
        out.append(latent_inputs(np.repeat(noise[r:r + 1], len(values), 0), codes[r], cont, n_cat,
                                 n_cont))
    return np.concatenate(out)


# ----------------------------------------------------------------------------- the model
class InfoGAN(GAN):
    """GAN with a Q network recovering the codes from the images (see the module docstring)."""

    extra_loss_names = ("q_cat_loss", "q_cont_loss", "ms_loss", "z_rec_loss", "aug_loss")

    def __init__(self, generator, trunk, d_head, q_head, latent_dim=LATENT_DIM, n_cat=N_CAT,
                 n_cont=N_CONT, lambda_cat=LAMBDA_CAT, lambda_cont=LAMBDA_CONT, mi_trunk=False,
                 lambda_ms=0.0, ms_cap=None, n_zrec=0, lambda_z=0.0, lambda_aug=0.0,
                 seed=None, **kwargs):
        image = keras.Input(trunk.input_shape[1:])
        feats = trunk(image)
        discriminator = keras.Model(image, d_head(feats), name="discriminator")
        q_network = keras.Model(image, q_head(feats), name="q_network")
        kwargs.setdefault("g_batch_factor", 2)  # 32 real + 32 fake per D update, 64 per G update
        super().__init__(generator, discriminator, latent_dim, noise="normal", seed=seed, **kwargs)
        self.trunk, self.d_head, self.q_head, self.q_network = trunk, d_head, q_head, q_network
        self.n_cat, self.n_cont = int(n_cat), int(n_cont)
        self.lambda_cat, self.lambda_cont = float(lambda_cat), float(lambda_cont)
        self.mi_trunk = bool(mi_trunk)
        self.lambda_ms = float(lambda_ms)
        self.ms_cap = None if ms_cap is None else float(ms_cap)
        if self.ms_cap is not None and self.ms_cap <= 0:
            raise ValueError(f"ms_cap must be positive (or None: no cap), got {ms_cap}")
        self.n_zrec, self.lambda_z = int(n_zrec), float(lambda_z)
        self.lambda_aug = float(lambda_aug)
        self.augment = build_augmentation(seed=seed) if self.lambda_aug else None
        if not 0 <= self.n_zrec <= int(latent_dim):
            raise ValueError(f"n_zrec must lie in 0..latent_dim ({latent_dim}), got {n_zrec}")
        q_out = q_head.output_shape[-1]
        if q_out != self.n_cat + self.n_cont + self.n_zrec:
            raise ValueError(f"the Q head has {q_out} outputs, but n_cat + n_cont + n_zrec = "
                             f"{self.n_cat + self.n_cont + self.n_zrec}")
        expected = self.latent_dim + self.n_cat + self.n_cont
        if generator.input_shape[-1] != expected:
            raise ValueError(f"generator takes {generator.input_shape[-1]} inputs, but "
                             f"latent_dim + n_cat + n_cont = {expected}")

    # The explicit variable lists of the two updates.
    @property
    def d_variables(self):
        return self.trunk.trainable_variables + self.d_head.trainable_variables

    @property
    def g_variables(self):
        return self.generator.trainable_variables + self.q_head.trainable_variables

    # ------------------------------------------------------------------ codes and inputs
    @property
    def preview_columns(self):
        return self.n_cat

    def preview_inputs(self, n=None):
        """Fixed inputs for pictures of training: column k has code c1 = k, the continuous
        codes at 0."""
        n = n or 2 * self.n_cat
        return latent_inputs(self.preview_noise(n), np.arange(n) % self.n_cat,
                             np.zeros(self.n_cont) if self.n_cont else None, self.n_cat,
                             self.n_cont)

    def sample_codes(self, n):
        """Random codes: (categorical values (n,) int32, continuous (n, n_cont) in [-1, 1])."""
        cat = self.replica_rows(lambda m: keras.random.randint(
            (m,), 0, self.n_cat, seed=self.seed_generator, dtype="int32"), n)
        cont = self.replica_rows(lambda m: keras.random.uniform(
            (m, self.n_cont), -1.0, 1.0, seed=self.seed_generator), n)
        return cat, cont

    def paired_codes(self, n):
        """Random codes for n (even) samples whose second half repeats the first: sample i and
        sample i + n/2 share their codes and differ only in their noise."""
        cat, cont = self.sample_codes(n // 2)
        return ops.concatenate([cat, cat], 0), ops.concatenate([cont, cont], 0)

    def generator_inputs(self, n, labels=None, codes=None):
        """``[z (latent_dim) | one-hot c1 (n_cat) | c2, c3 (n_cont)]``; `labels` is ignored
        (InfoGAN never sees labels); `codes` as `sample_codes` returns them, else random.
        Codes given as lists or numpy arrays are checked (`check_codes`); tensors (inside a
        training step) are used as they are."""
        cat, cont = self.sample_codes(n) if codes is None else codes
        if codes is not None and not (ops.is_tensor(cat) and ops.is_tensor(cont)):
            cat, cont = check_codes(int(n), cat, cont if self.n_cont else None, self.n_cat,
                                    self.n_cont)
        parts = [self.sample_noise(n), ops.one_hot(cat, self.n_cat)]
        if self.n_cont:
            parts.append(ops.cast(cont, "float32"))
        return ops.concatenate(parts, axis=1)

    def info_loss(self, q_out, cat, cont):
        """(λ_cat·CE + λ_cont·MSE, CE, MSE) of Q's output against the codes that made the images."""
        q_out = ops.cast(q_out, "float32")
        cat_loss = losses.sparse_class_ce(cat, q_out[:, :self.n_cat])
        if self.n_cont:
            means = q_out[:, self.n_cat:self.n_cat + self.n_cont]
            cont_loss = ops.mean(ops.square(means - ops.cast(cont, "float32")))
        else:
            cont_loss = ops.zeros((), "float32")
        return self.lambda_cat * cat_loss + self.lambda_cont * cont_loss, cat_loss, cont_loss

    # ------------------------------------------------------------------ the two objectives
    def discriminator_loss(self, real, labels):
        n = ops.shape(real)[0]
        codes = self.sample_codes(n)
        # G in training mode: D must judge the very images the G step trains on.  (With
        # G's BatchNorm in inference mode its running averages lag behind fast-changing
        # weights early on; D then rejects those stale fakes while G's real outputs fool
        # it, and the game falls apart.)  G's weights stay untouched; only its BN running
        # averages - never trained, used only for sampling - take in this batch too.
        fake = ops.stop_gradient(self.generator(self.generator_inputs(n, codes=codes),
                                                training=True))
        # Real and fake in separate batches (the tutorial's two train_on_batch calls).
        real_f = self.trunk(real, training=True)
        fake_f = self.trunk(ops.cast(fake, real.dtype), training=True)
        loss = self.d_loss_fn(self.d_head(real_f, training=True), self.d_head(fake_f, training=True))
        total = loss
        if self.mi_trunk:  # the trunk also learns to keep what Q needs (Q head itself frozen here)
            info, _, _ = self.info_loss(self.q_head(fake_f, training=False), *codes)
            total = loss + info
        return total, {"d_loss": loss}

    def generator_loss(self, real, labels):
        n = ops.shape(real)[0] * self.g_batch_factor  # even: g_batch_factor is 2
        codes = self.paired_codes(n) if self.lambda_ms else self.sample_codes(n)
        inputs = self.generator_inputs(n, codes=codes)
        fake = self.generator(inputs, training=True)
        feats = self.trunk(fake, training=True)  # batch statistics, as in the D step
        adversarial = self.g_loss_fn(self.d_head(feats, training=False))
        q_out = self.q_head(feats, training=True)
        info, cat_loss, cont_loss = self.info_loss(q_out, *codes)
        loss, ms_loss = adversarial + info, ops.zeros((), "float32")
        z_rec_loss = ops.zeros((), "float32")
        if self.n_zrec:  # Q also reads back z's first n_zrec numbers: G cannot ignore its noise
            z_rec_loss = self.noise_reconstruction_loss(q_out, inputs)
            loss = loss + self.lambda_z * z_rec_loss
        if self.lambda_ms:  # pairs with the same codes should not draw the same image
            h, z = n // 2, inputs[:, :self.latent_dim]
            ms_loss = losses.mode_seeking(fake[:h], fake[h:], z[:h], z[h:], cap=self.ms_cap)
            loss = loss + self.lambda_ms * ms_loss
        aug_loss = ops.zeros((), "float32")
        if self.lambda_aug:  # the code must survive a turn, shift and zoom of the image
            aug_loss = self.moved_code_loss(fake, codes[0])
            loss = loss + self.lambda_aug * aug_loss
        return loss, {"g_loss": adversarial, "q_cat_loss": cat_loss, "q_cont_loss": cont_loss,
                      "ms_loss": ms_loss, "z_rec_loss": z_rec_loss, "aug_loss": aug_loss}

    def moved_code_loss(self, fake, cat):
        """Cross-entropy of Q's reading of c1 from randomly moved copies of the fakes
        (`build_augmentation`): G can only keep it low by drawing its code in something a
        small turn, shift or zoom does not change - which slant, position and size are not."""
        moved = self.augment(fake, training=True)
        q_out = self.q_head(self.trunk(moved, training=True), training=True)
        return losses.sparse_class_ce(cat, ops.cast(q_out, "float32")[:, :self.n_cat])

    def noise_reconstruction_loss(self, q_out, inputs):
        """Squared error of Q's guess of the first `n_zrec` noise numbers of G's `inputs`."""
        guess = ops.cast(q_out, "float32")[:, self.n_cat + self.n_cont:]
        return ops.mean(ops.square(guess - ops.cast(inputs[:, :self.n_zrec], "float32")))

    # ------------------------------------------------------------------ convenience
    def predict_codes(self, images, batch_size=256):
        """Q's reading of images: (categorical probabilities (n, n_cat), continuous means).
        `images`: G's output range [-1, 1] (as `generate` gives them), or uint8 (0..255)."""
        x = np.asarray(images)
        if x.dtype == np.uint8:
            x = x.astype(np.float32) / 127.5 - 1.0
        x = config.check_finite(x, "predict_codes: images")
        if x.ndim == 3:
            x = x[..., None]
        want = tuple(self.q_network.input_shape[1:])
        if x.shape[1:] != want or not len(x):
            raise ValueError(f"predict_codes: expected images (n, {', '.join(map(str, want))}) "
                             f"with n >= 1, got {x.shape}")
        if x.min() < -1.0 - 1e-3 or x.max() > 1.0 + 1e-3:
            raise ValueError(f"predict_codes: float images must lie in [-1, 1] (G's range), got "
                             f"{x.min():g}..{x.max():g}; pass uint8 images as uint8")
        out = np.asarray(self.q_network.predict(x, batch_size=batch_size, verbose=0), np.float32)
        return out[:, :self.n_cat], out[:, self.n_cat:self.n_cat + self.n_cont]

    def generate_codes(self, n, seed=0):
        """n samples with random codes, reproducibly: (images, categorical codes, continuous codes)."""
        n = config.check_count(n, "generate_codes: n")
        rng = np.random.default_rng(config.check_seed(seed, "generate_codes: seed"))
        cat = rng.integers(0, self.n_cat, n)
        cont = rng.uniform(-1, 1, (n, self.n_cont)).astype(np.float32) if self.n_cont else None
        noise = rng.normal(size=(n, self.latent_dim)).astype(np.float32)
        return (self.generate(inputs=latent_inputs(noise, cat, cont, self.n_cat, self.n_cont)),
                cat, cont)

    def generate(self, n=None, inputs=None, batch_size=256):
        """Images in [-1, 1]; numpy `inputs` (e.g. from `latent_inputs`) are checked first."""
        if inputs is not None and not ops.is_tensor(inputs):
            x = np.asarray(inputs, np.float32)
            width = self.latent_dim + self.n_cat + self.n_cont
            if x.ndim != 2 or x.shape[1] != width or not len(x):
                raise ValueError(f"inputs: expected shape (n, {width}), n >= 1: noise ({self.latent_dim})"
                                 f" + one-hot code ({self.n_cat}) + continuous codes "
                                 f"({self.n_cont}), got {x.shape}; build them with "
                                 f"latent_inputs(noise, cat, cont, n_cat, n_cont)")
            if not np.isfinite(x).all():
                raise ValueError("inputs contain NaN or infinite values (a NaN code gives a "
                                 "flat grey image)")
            inputs = x
        return super().generate(n, inputs, batch_size)


def make_infogan(image_shape=(28, 28, 1), latent_dim=LATENT_DIM, n_cat=N_CAT, n_cont=N_CONT,
                 lambda_cat=LAMBDA_CAT, lambda_cont=LAMBDA_CONT, mi_trunk=False, lr=2e-4,
                 g_lr=None, code_scale=1.0, cont_scale=1.0, lambda_ms=0.0, ms_cap=None, n_zrec=0,
                 lambda_z=0.0, lambda_aug=0.0, g_filters=(512, 128, 64), d_filters=(64, 128, 256),
                 seed=None):
    """The tutorial's InfoGAN (plus continuous codes unless ``n_cont=0``), compiled for `fit()`
    on batches of HALF_BATCH real images.  `lr` is D's learning rate, `g_lr` G's and Q's
    (default: `lr`); `code_scale`, `cont_scale` see `build_generator`, `lambda_ms` (weight of the
    mode-seeking term, 0: off), `ms_cap` (its ratio cap, `losses.mode_seeking`) and
    `lambda_aug` (weight of `InfoGAN.moved_code_loss`, 0: off) see `CLASS_RECIPE`,
    `mi_trunk` the module docstring, `n_zrec`/`lambda_z` `InfoGAN`."""
    config.check_count(latent_dim, "make_infogan: latent_dim")
    config.check_number(lr, "make_infogan: lr", above=0)
    if g_lr is not None:
        config.check_number(g_lr, "make_infogan: g_lr", above=0)
    for name, value in (("code_scale", code_scale), ("cont_scale", cont_scale)):
        config.check_number(value, f"make_infogan: {name}", above=0)
    for name, value in (("lambda_cat", lambda_cat), ("lambda_cont", lambda_cont),
                        ("lambda_ms", lambda_ms), ("lambda_z", lambda_z),
                        ("lambda_aug", lambda_aug)):
        config.check_number(value, f"make_infogan: {name}", minimum=0)
    generator = build_generator(image_shape, latent_dim, n_cat, n_cont, g_filters, code_scale,
                                cont_scale, seed=seed)
    trunk, d_head, q_head = build_discriminator_and_q(image_shape, n_cat, n_cont, d_filters,
                                                      n_zrec=n_zrec, seed=seed)
    gan = InfoGAN(generator, trunk, d_head, q_head, latent_dim=latent_dim, n_cat=n_cat,
                  n_cont=n_cont, lambda_cat=lambda_cat, lambda_cont=lambda_cont,
                  mi_trunk=mi_trunk, lambda_ms=lambda_ms, ms_cap=ms_cap, n_zrec=n_zrec,
                  lambda_z=lambda_z, lambda_aug=lambda_aug, seed=seed, name="infogan")
    gan.compile(d_optimizer=keras.optimizers.Adam(lr, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(g_lr or lr, beta_1=0.5))
    return gan


def load_images():
    """The tutorial's training images: MNIST's training digits (uint8)."""
    ((x_train, _), _), _ = data.load_mnist()
    return x_train


def train(schedule=None, images=None, seed=0, callbacks=(), verbose=0, run_dir=None, **model_kw):
    """Build and train the InfoGAN with a run-mode schedule; returns (gan, history).

    `schedule` may name only the entries it changes (`config.training_schedule`); `seed` seeds
    everything; `model_kw` go to `make_infogan` over the schedule's recipe."""
    schedule = config.training_schedule(SCHEDULES, schedule, run_dir, seed,
                                        who="infogan.train()")
    images = load_images() if images is None else images
    gan = make_infogan(seed=seed, **{**recipe(schedule), **model_kw})
    half = config.batch_size(schedule, BATCH_SIZE) // 2
    ds = data.make_dataset(images, batch_size=half, scale="tanh", seed=seed)
    history = fit_schedule(gan, ds, schedule, run_dir, callbacks, verbose)
    return gan, history
