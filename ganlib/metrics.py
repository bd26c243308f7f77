"""Measured quality: reference classifiers, Fréchet distance and friends, pix2pix metrics.

A GAN's losses say little about how good its pictures are.  The measures here score
*images* with small CNN classifiers trained on the real data (shipped in ``data/``,
retrained by ``data/train_classifiers.py``):

* `frechet_distance` – the FID recipe on the classifier's penultimate layer (128
  features) instead of Inception: distance between two Gaussians fitted to features of
  two image sets.  Lower is better; real-vs-real sets the floor, noise the ceiling.
  Numbers are comparable only with the same classifier and the same sample sizes.
  For scale, at 2,000 vs 2,000 images: real train vs real test ≈ 1.3 (Fashion-MNIST) and
  3.1 (MNIST, 2,000 vs 2,000 of the sample); uniform noise ≈ 204 and 531; an untrained
  DCGAN generator ≈ 238 (Fashion-MNIST).
* `class_accuracy` – do class-conditional samples (ACGAN) show the requested class?
* `classifier_score` – the Inception-Score recipe: exp(E KL(p(y|x) || p(y))),
  high when each image is confidently one class and all classes occur (1 … 10).
* `code_purity` – InfoGAN: how well does the categorical code pick out one class?
* `l1`, `psnr`, `ssim`, `baselines` – image-to-image (pix2pix) against targets.
* `MetricHistory` – a callback recording any of these against generator steps.

Image convention for the classifier metrics: uint8 ``(N, 28, 28)`` or ``(N, 28, 28, 1)``
(0 … 255), or floats with ``scale="tanh"`` ([-1, 1], the generators' output, the
default) or ``scale="sigmoid"`` ([0, 1]).  Anything else raises a ``ValueError``.
"""
import os
import warnings

import keras
import numpy as np

from . import datafiles

DATASETS = ("mnist", "fashion_mnist")
FEATURE_LAYER = "features"
RANGE_TOLERANCE = 1e-3  # float images may overshoot their range by this much (round-off)
MAX_CODE = 10_000  # code_purity: categorical code values must lie below this
_SCALES = ("tanh", "sigmoid")
_cache = {}


class ClassifierError(RuntimeError):
    """The shipped reference classifier is missing or unreadable."""


# --------------------------------------------------------------------------- classifiers
def build_classifier(num_classes=10, feature_dim=128, dropout=0.3):
    """The reference CNN for 28×28×1 images in [0, 1] (~260k parameters, float32).

    Conv32 → pool → Conv64 → pool → Conv64 → Dense 128 ('features') → softmax 10.
    Always float32, whatever the global mixed-precision policy, so metrics do not
    depend on the hardware a notebook runs on.
    """
    from keras import layers
    f32 = dict(dtype="float32")
    return keras.Sequential([
        keras.Input((28, 28, 1), dtype="float32"),
        layers.Conv2D(32, 3, padding="same", activation="relu", name="conv1", **f32),
        layers.MaxPooling2D(name="pool1", **f32),
        layers.Conv2D(64, 3, padding="same", activation="relu", name="conv2", **f32),
        layers.MaxPooling2D(name="pool2", **f32),
        layers.Conv2D(64, 3, activation="relu", name="conv3", **f32),
        layers.Flatten(name="flatten", **f32),
        layers.Dropout(dropout, name="dropout1", **f32),
        layers.Dense(feature_dim, activation="relu", name=FEATURE_LAYER, **f32),
        layers.Dropout(dropout, name="dropout2", **f32),
        layers.Dense(num_classes, activation="softmax", name="probs", **f32),
    ], name="reference_classifier")


def classifier_path(dataset):
    _check_dataset(dataset)
    return os.path.join(datafiles.DATA_DIR, f"classifier_{dataset}.keras")


def _check_dataset(dataset):
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; the reference classifiers cover {DATASETS}")


def load_classifier(dataset, path=None):
    """The shipped reference classifier for ``"mnist"`` or ``"fashion_mnist"`` (cached).

    Loaded with Keras' safe mode (no code from the file is ever run).
    """
    _check_dataset(dataset)
    path = path or classifier_path(dataset)
    key = (dataset, os.path.abspath(path))
    if key in _cache:
        return _cache[key]
    retrain = ("Retrain it with `python data/train_classifiers.py` (a few minutes on a CPU; "
               "see data/README.md).")
    if not os.path.exists(path):
        raise ClassifierError(f"reference classifier for {dataset} not found at {path}. {retrain}")
    try:
        model = keras.models.load_model(path, compile=False, safe_mode=True)
    except Exception as e:  # zip errors, bad config, bad weights: all mean "corrupt"
        raise ClassifierError(f"reference classifier {path} cannot be loaded "
                              f"({type(e).__name__}: {e}). The file is corrupt or from "
                              f"another version. {retrain}") from None
    try:
        model.get_layer(FEATURE_LAYER)
    except ValueError:
        raise ClassifierError(f"{path} has no layer named {FEATURE_LAYER!r}; it is not a "
                              f"ganlib reference classifier. {retrain}") from None
    if tuple(model.input_shape[1:]) != (28, 28, 1) or model.output_shape[-1] != 10:
        raise ClassifierError(f"{path}: expected 28×28×1 inputs and 10 classes, got "
                              f"{model.input_shape} → {model.output_shape}. {retrain}")
    _check_recognises(model, dataset, path, retrain)
    _cache[key] = model
    return model


RECOGNISE_IMAGES = 300       # held-out sample images a classifier file is checked on
RECOGNISE_MIN_ACCURACY = 0.5  # the shipped files: over 90 %; the other dataset's file: 10-20 %


def _sample_accuracy(model, dataset):
    """`model`'s accuracy on the first `RECOGNISE_IMAGES` held-out (test) images of the sample
    of `dataset` shipped in ``data/`` (never used to train the classifiers, data/README.md),
    or None when that sample is missing."""
    path = os.path.join(datafiles.DATA_DIR, datafiles.SAMPLE_FILES[dataset])
    if not os.path.exists(path):
        return None
    _, (x, y) = datafiles.load_npz(path)
    x, y = x[:RECOGNISE_IMAGES], y[:RECOGNISE_IMAGES]
    probs = model.predict(x[..., None].astype(np.float32) / 255.0, batch_size=500, verbose=0)
    return float((np.argmax(probs, axis=1) == y).mean())


def _check_recognises(model, dataset, path, retrain):
    """Refuse a classifier file that does not recognise `dataset` (e.g. the Fashion-MNIST
    classifier copied over the MNIST one): every metric it feeds would be silently wrong."""
    acc = _sample_accuracy(model, dataset)
    if acc is None:
        warnings.warn(f"cannot check that {path} recognises {dataset}: the shipped sample "
                      f"data/{datafiles.SAMPLE_FILES[dataset]} is missing")
        return
    if acc >= RECOGNISE_MIN_ACCURACY:
        return
    others = {d: _sample_accuracy(model, d) for d in DATASETS if d != dataset}
    best = max(others, key=lambda d: others[d] or 0.0)
    looks = (f"; it is {best}'s classifier ({others[best]:.0%} on {best}'s sample)"
             if (others[best] or 0.0) >= RECOGNISE_MIN_ACCURACY else "")
    fix = (f"Restore the file (git checkout data/classifier_{dataset}.keras) or "
           f"{retrain[0].lower()}{retrain[1:]}"
           if os.path.abspath(path) == os.path.abspath(classifier_path(dataset)) else
           f"Pass the path of a {dataset} classifier (or none: the shipped one).")
    raise ClassifierError(f"{path} is not a {dataset} classifier: it labels only {acc:.0%} of "
                          f"the {RECOGNISE_IMAGES} held-out images of the shipped {dataset} "
                          f"sample right (the reference classifier: over 90 %){looks}. {fix}")


def feature_model(dataset, path=None):
    """A model mapping images in [0, 1] to (penultimate features, class probabilities)."""
    clf = load_classifier(dataset, path)
    key = ("features", id(clf))
    if key not in _cache:
        _cache[key] = keras.Model(clf.inputs[0], [clf.get_layer(FEATURE_LAYER).output, clf.outputs[0]],
                                  name=f"{clf.name}_features")
    return _cache[key]


def clear_cache():
    _cache.clear()


# --------------------------------------------------------------------------- image input
def prepare_images(images, scale="tanh", name="images"):
    """Validate classifier-metric input and return float32 ``(N, 28, 28, 1)`` in [0, 1]."""
    x = np.asarray(images)
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4 or x.shape[1:] != (28, 28, 1):
        raise ValueError(f"{name}: expected images of shape (N, 28, 28) or (N, 28, 28, 1), "
                         f"got {np.shape(images)}")
    if len(x) == 0:
        raise ValueError(f"{name}: no images")
    if x.dtype == np.uint8:
        return x.astype(np.float32) / 255.0
    if np.issubdtype(x.dtype, np.integer):
        if x.min() < 0 or x.max() > 255:
            raise ValueError(f"{name}: integer images must hold pixel values 0..255, "
                             f"got {x.min()}..{x.max()}")
        return x.astype(np.float32) / 255.0
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{name}: expected uint8 or float images, got dtype {x.dtype}")
    if scale not in _SCALES:
        raise ValueError(f"{name}: scale must be 'tanh' ([-1, 1]) or 'sigmoid' ([0, 1]) "
                         f"for float images, got {scale!r}")
    x = x.astype(np.float32)
    if not np.isfinite(x).all():
        raise ValueError(f"{name}: contains NaN or infinite values")
    lo, hi = (-1.0, 1.0) if scale == "tanh" else (0.0, 1.0)
    if x.min() < lo - RANGE_TOLERANCE or x.max() > hi + RANGE_TOLERANCE:
        if x.max() > 1.5:
            hint = " (pixel values 0..255 in a float array? pass them as uint8)"
        elif scale == "sigmoid" and x.min() >= -1.0 - RANGE_TOLERANCE:
            hint = " (images in [-1, 1]? pass scale='tanh')"
        else:
            hint = ""
        raise ValueError(f"{name}: values span {x.min():.4g}..{x.max():.4g}, outside the "
                         f"[{lo:g}, {hi:g}] of scale={scale!r}{hint}")
    if scale == "tanh":
        x = (x + 1.0) / 2.0
    return np.clip(x, 0.0, 1.0)


def features_and_probs(images, dataset, scale="tanh", batch_size=500, path=None):
    """Penultimate features (N, 128) and class probabilities (N, 10) as float64 arrays."""
    x = prepare_images(images, scale)
    model = feature_model(dataset, path)
    feats, probs = [], []
    for i in range(0, len(x), batch_size):
        f, p = model(x[i:i + batch_size], training=False)
        feats.append(np.asarray(f))
        probs.append(np.asarray(p))
    return np.concatenate(feats).astype(np.float64), np.concatenate(probs).astype(np.float64)


def predict_probs(images, dataset, scale="tanh", **kw):
    return features_and_probs(images, dataset, scale, **kw)[1]


def predict_labels(images, dataset, scale="tanh", **kw):
    return predict_probs(images, dataset, scale, **kw).argmax(1)


def _labels(labels, n, name="labels"):
    """`n` integer labels, given as (n,) or (n, 1) (as `ACGAN.generator_inputs` makes them)."""
    y = np.asarray(labels)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.shape != (n,):
        hint = " (one-hot? pass labels.argmax(1))" if y.ndim == 2 else ""
        raise ValueError(f"{name}: expected {n} labels (one per image), shape ({n},) or ({n}, 1); "
                         f"got shape {np.shape(labels)}{hint}")
    if n == 0:
        raise ValueError(f"{name}: no labels (and no images): the metric needs at least one")
    if not np.issubdtype(y.dtype, np.integer):
        if not np.issubdtype(y.dtype, np.number) or not np.all(y == np.round(y)):
            raise ValueError(f"{name}: expected integer class labels")
        y = y.astype(np.int64)
    return y.astype(np.int64)


# --------------------------------------------------------------------------- class metrics
def class_accuracy(images, requested_labels, dataset, scale="tanh", **kw):
    """How often the classifier sees the requested class: ``dict(overall, per_class)``.

    ``per_class[k]`` is the accuracy over images requested as class k (NaN if none).
    """
    y = _labels(requested_labels, len(np.asarray(images)), "requested_labels")
    if y.min() < 0 or y.max() > 9:
        raise ValueError("requested_labels must lie in 0..9")
    pred = predict_labels(images, dataset, scale, **kw)
    hit = pred == y
    counts = np.bincount(y, minlength=10)
    per_class = np.full(10, np.nan)
    nz = counts > 0
    per_class[nz] = np.bincount(y, weights=hit, minlength=10)[nz] / counts[nz]
    return dict(overall=float(hit.mean()), per_class=per_class)


def within_class_diversity(images, labels, dataset, scale="tanh", **kw):
    """How varied the images of each class are: ``dict(per_class, mean)``.

    ``per_class[k]`` is the mean pairwise Euclidean distance between the reference
    classifier's penultimate features of the images labelled k (NaN for fewer than two).
    Compare a generator's value with the real images' (`diversity_ratio`): a conditional
    generator that draws nearly one item per class scores far below the real data even when
    every image is recognisable.
    """
    images = np.asarray(images)
    y = _labels(labels, len(images), "labels")
    if y.min() < 0 or y.max() > 9:
        raise ValueError("labels must lie in 0..9")
    feats, _ = features_and_probs(images, dataset, scale, **kw)
    per_class = np.full(10, np.nan)
    for k in range(10):
        f = feats[y == k]
        if len(f) >= 2:
            sq = (f * f).sum(1)
            d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * f @ f.T, 0.0)
            per_class[k] = np.sqrt(d2)[np.triu_indices(len(f), 1)].mean()
    mean = float(np.nanmean(per_class)) if np.isfinite(per_class).any() else float("nan")
    return dict(per_class=per_class, mean=mean)


def diversity_ratio(fake, fake_labels, real, real_labels, dataset, scale_fake="tanh",
                    scale_real="tanh", **kw):
    """Per class, generated within-class diversity over the real one: ``dict(per_class, min,
    median)`` (1 = as varied as the real class; near 0 = one item drawn over and over)."""
    g = within_class_diversity(fake, fake_labels, dataset, scale_fake, **kw)["per_class"]
    r = within_class_diversity(real, real_labels, dataset, scale_real, **kw)["per_class"]
    ratio = g / r
    return dict(per_class=ratio, min=float(np.nanmin(ratio)), median=float(np.nanmedian(ratio)))


def classifier_score(images, dataset, scale="tanh", eps=1e-12, **kw):
    """exp(mean KL(p(y|x) || p(y))): 1 (one class, or no confident class) … 10 (ideal)."""
    p = predict_probs(images, dataset, scale, **kw)
    return score_from_probs(p, eps)


def score_from_probs(p, eps=1e-12):
    p = np.asarray(p, np.float64)
    marginal = p.mean(0, keepdims=True)
    kl = (p * (np.log(p + eps) - np.log(marginal + eps))).sum(1)
    return float(np.exp(kl.mean()))


def code_purity(codes, images=None, dataset=None, scale="tanh", predicted=None, **kw):
    """InfoGAN: how well the categorical code determines the class the classifier sees.

    Builds the code-vs-class contingency table, finds the one-to-one code → class
    assignment with most agreement (Hungarian algorithm) and returns
    ``(purity, {code: class})``: purity is the fraction of images whose class is the one
    assigned to their code (1.0 = each code value draws exactly one class).
    Pass ``predicted`` (class per image) instead of ``images`` to skip the classifier.
    """
    from scipy.optimize import linear_sum_assignment
    if predicted is None:
        if images is None or dataset is None:
            raise ValueError("code_purity needs images and dataset (or predicted labels)")
        predicted = predict_labels(images, dataset, scale, **kw)
    table = code_class_table(codes, predicted)
    rows, cols = linear_sum_assignment(-table)
    used = set(np.flatnonzero(table.sum(1)).tolist())
    mapping = {int(r): int(k) for r, k in zip(rows, cols) if r in used}
    purity = table[rows, cols].sum() / table.sum()
    return float(purity), mapping


# --------------------------------------------------------------------------- style factors
def slant(images, scale="tanh"):
    """Each image's slant from its second moments: the shear ``μ₁₁ / μ₀₂`` of the ink around its
    centre of mass (x to the right, y upwards), i.e. how far the strokes lean right per unit of
    height: 0 for an upright digit, positive leaning right (like /), negative leaning left.
    Returns an (N,) float array; an empty image gives 0."""
    x = prepare_images(images, scale)[..., 0].astype(np.float64)
    h, w = x.shape[1:]
    cols = np.arange(w, dtype=np.float64)[None, None, :]
    rows = (h - 1 - np.arange(h, dtype=np.float64))[None, :, None]   # y up
    mass = x.sum((1, 2))
    safe = np.where(mass > 0, mass, 1.0)
    cx = (x * cols).sum((1, 2)) / safe
    cy = (x * rows).sum((1, 2)) / safe
    dx, dy = cols - cx[:, None, None], rows - cy[:, None, None]
    mu11 = (x * dx * dy).sum((1, 2)) / safe
    mu02 = (x * dy * dy).sum((1, 2)) / safe
    return np.where((mass > 0) & (mu02 > 0), mu11 / np.where(mu02 > 0, mu02, 1.0), 0.0)


def stroke_mass(images, scale="tanh"):
    """Each image's ink: the mean pixel value in [0, 1] (thicker or longer strokes, more ink)."""
    return prepare_images(images, scale)[..., 0].mean((1, 2)).astype(np.float64)


STYLE_FACTORS = {"slant": slant, "stroke mass": stroke_mass}


def code_factor_correlations(cont_codes, images, scale="tanh", factors=None, within=None):
    """Pearson r between each continuous code and each style factor of the images.

    ``{(code index, factor name): r}`` for the codes (columns of `cont_codes`, one row per
    image) and `factors` (default `STYLE_FACTORS`: slant, stroke mass).  With `within` (e.g. the
    categorical code of each image), r is computed inside each group and averaged, weighted by
    group size, so a code is not credited with the style differences between digits.
    """
    codes = np.asarray(cont_codes, np.float64)
    if codes.ndim == 1:
        codes = codes[:, None]
    if codes.ndim != 2 or len(codes) != len(np.asarray(images)):
        raise ValueError(f"cont_codes: expected one row of codes per image, got shape "
                         f"{np.shape(cont_codes)} for {len(np.asarray(images))} images")
    factors = factors or STYLE_FACTORS
    values = {name: np.asarray(fn(images, scale), np.float64) for name, fn in factors.items()}
    groups = [np.arange(len(codes))] if within is None else \
        [np.flatnonzero(np.asarray(within) == g) for g in np.unique(within)]
    out = {}
    for k in range(codes.shape[1]):
        for name, v in values.items():
            rs, ns = [], []
            for idx in groups:
                c, f = codes[idx, k], v[idx]
                if len(idx) > 2 and c.std() > 0 and f.std() > 0:
                    rs.append(np.corrcoef(c, f)[0, 1])
                    ns.append(len(idx))
            out[(k, name)] = float(np.average(rs, weights=ns)) if rs else float("nan")
    return out


def code_class_table(codes, predicted):
    """The contingency table: ``table[c, k]`` = how many images with code c show class k.

    At least 10 rows (one per code value, more if the codes go higher) and 10 columns.
    """
    predicted = _labels(predicted, len(np.asarray(predicted)), "predicted")
    c = _labels(codes, len(predicted), "codes")
    if c.min() < 0:
        raise ValueError("codes must be non-negative integers")
    if c.max() >= MAX_CODE:
        raise ValueError(f"codes: a code value of {c.max()} would need a table of {c.max() + 1:,} "
                         f"rows; codes are categorical values 0 .. n_cat - 1 (below {MAX_CODE:,})"
                         f" - pass the categorical code of each image, not an index or a hash")
    if predicted.min() < 0 or predicted.max() > 9:
        raise ValueError(f"predicted: classes must lie in 0..9, got "
                         f"{predicted.min()}..{predicted.max()}")
    table = np.zeros((max(int(c.max()) + 1, 10), 10), np.int64)
    np.add.at(table, (c, predicted), 1)
    return table


# --------------------------------------------------------------------------- Fréchet distance
def feature_stats(images, dataset, scale="tanh", **kw):
    """Mean and covariance of the classifier features of a set of images."""
    f, _ = features_and_probs(images, dataset, scale, **kw)
    if len(f) < 2:
        raise ValueError("the Fréchet distance needs at least 2 images per set")
    return f.mean(0), np.cov(f, rowvar=False)


def frechet_distance_from_stats(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """||mu1 - mu2||² + Tr(S1 + S2 - 2 (S1 S2)^½), computed carefully.

    The matrix square root comes from `scipy.linalg.sqrtm`; if it is singular or not finite (a
    singular product, e.g. fewer images than features or dead features), eps·I is added
    to both covariances; round-off imaginary parts are dropped (large ones raise).
    """
    from scipy import linalg
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, np.float64)), np.atleast_1d(np.asarray(mu2, np.float64))
    s1, s2 = np.atleast_2d(np.asarray(sigma1, np.float64)), np.atleast_2d(np.asarray(sigma2, np.float64))
    if mu1.shape != mu2.shape or s1.shape != s2.shape or s1.shape != (len(mu1), len(mu1)):
        raise ValueError(f"mismatched statistics: means {mu1.shape} {mu2.shape}, "
                         f"covariances {s1.shape} {s2.shape}")
    diff = mu1 - mu2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", linalg.LinAlgWarning)
        covmean = linalg.sqrtm(s1 @ s2)
    singular = any(issubclass(w.category, linalg.LinAlgWarning) for w in caught)
    if singular or not np.isfinite(covmean).all():
        # e.g. features that are always 0 (dead ReLUs): regularise both covariances
        offset = np.eye(len(s1)) * eps
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", linalg.LinAlgWarning)
            covmean = linalg.sqrtm((s1 + offset) @ (s2 + offset))
        if not np.isfinite(covmean).all():
            raise ValueError("matrix square root of the covariance product is not finite")
    if np.iscomplexobj(covmean):
        imag = np.abs(covmean.imag).max()
        if imag > 1e-3 * max(1.0, np.abs(covmean.real).max()):
            raise ValueError(f"matrix square root has a large imaginary part ({imag:.3g})")
        covmean = covmean.real
    fd = diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * np.trace(covmean)
    return float(max(fd, 0.0))  # tiny negative values are round-off


def frechet_distance(images_a, images_b, dataset, scale_a="tanh", scale_b="tanh", **kw):
    """Fréchet distance between two image sets in the reference classifier's feature space."""
    return frechet_distance_from_stats(*feature_stats(images_a, dataset, scale_a, **kw),
                                       *feature_stats(images_b, dataset, scale_b, **kw))


# --------------------------------------------------------------------------- image-to-image
def _pair(a, b, scale, data_range):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"image sets differ in shape: {a.shape} vs {b.shape}")
    if a.ndim == 2:
        a, b = a[None, ..., None], b[None, ..., None]
    elif a.ndim == 3:  # one (H, W, C) image with 1, 3 or 4 channels, else (N, H, W) grayscale
        a, b = (a[None], b[None]) if a.shape[-1] in (1, 3, 4) else (a[..., None], b[..., None])
    if a.ndim != 4:
        raise ValueError(f"expected images of shape (N, H, W, C), (N, H, W) or (H, W, C), got {a.shape}")
    if a.size == 0:
        raise ValueError(f"no images to compare (shape {a.shape}): pass at least one image pair")
    if data_range is not None and not _positive(data_range):
        raise ValueError(f"data_range must be a positive number (the span of the pixel values, "
                         f"e.g. 2 for [-1, 1], 255 for uint8), got {data_range!r}; "
                         f"or leave it None to use the scale's")
    if (a.dtype == np.uint8) != (b.dtype == np.uint8):
        raise ValueError(f"one image set is uint8 and the other {a.dtype if b.dtype == np.uint8 else b.dtype}: "
                         "convert both to the same convention (e.g. floats in [-1, 1])")
    if a.dtype == np.uint8:
        lo, hi, default = 0.0, 255.0, 255.0
    elif scale == "tanh":
        lo, hi, default = -1.0, 1.0, 2.0
    elif scale == "sigmoid":
        lo, hi, default = 0.0, 1.0, 1.0
    else:
        raise ValueError(f"scale must be 'tanh' ([-1, 1]) or 'sigmoid' ([0, 1]), got {scale!r}")
    a, b = a.astype(np.float64), b.astype(np.float64)
    for x, nm in ((a, "a"), (b, "b")):
        if not np.isfinite(x).all():
            raise ValueError(f"{nm}: contains NaN or infinite values")
        tol = RANGE_TOLERANCE * (hi - lo)
        if x.min() < lo - tol or x.max() > hi + tol:
            raise ValueError(f"{nm}: values span {x.min():.4g}..{x.max():.4g}, outside "
                             f"[{lo:g}, {hi:g}] of scale={scale!r} (pass scale='sigmoid' for "
                             f"[0, 1] images, or uint8 for 0..255)")
    return a, b, float(default if data_range is None else data_range), lo


def _positive(x):
    try:
        x = float(x)
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(x) and x > 0)


def l1(a, b, scale="tanh", data_range=None):
    """Mean absolute error, as a fraction of the data range (0 = identical, 1 = opposite)."""
    a, b, r, _ = _pair(a, b, scale, data_range)
    return float(np.abs(a - b).mean() / r)


def psnr(a, b, scale="tanh", data_range=None):
    """Mean per-image PSNR in dB (inf when every pair is identical)."""
    a, b, r, _ = _pair(a, b, scale, data_range)
    mse = ((a - b) ** 2).reshape(len(a), -1).mean(1)
    with np.errstate(divide="ignore"):
        per_image = 10.0 * np.log10(r * r / mse)
    return float(per_image.mean())


def ssim(a, b, scale="tanh", data_range=None, sigma=1.5, radius=5, k1=0.01, k2=0.03):
    """Mean SSIM (Wang et al. 2004): 1 = identical, 0 = unrelated, < 0 = anti-correlated.

    Gaussian window (σ 1.5, 11×11, as `tf.image.ssim`), local statistics per channel,
    averaged over the positions where the window fits inside the image (a smaller window
    on images under 11 pixels), over channels and images.  [-1, 1] images are shifted to
    [0, 2] first, so both scale conventions give the same value.
    """
    from scipy.ndimage import gaussian_filter
    a, b, r, lo = _pair(a, b, scale, data_range)
    a, b = a - lo, b - lo  # SSIM's luminance term assumes intensities 0 … data range
    radius = int(min(radius, (min(a.shape[1], a.shape[2]) - 1) // 2))
    def filt(x):
        return gaussian_filter(x, sigma=(0, sigma, sigma, 0), mode="reflect", radius=(0, radius, radius, 0))
    c1, c2 = (k1 * r) ** 2, (k2 * r) ** 2
    mu_a, mu_b = filt(a), filt(b)
    var_a = filt(a * a) - mu_a ** 2
    var_b = filt(b * b) - mu_b ** 2
    cov = filt(a * b) - mu_a * mu_b
    smap = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2))
    if radius:
        smap = smap[:, radius:-radius, radius:-radius, :]
    return float(smap.mean())


def edge_energy(images, scale="tanh"):
    """Mean gradient magnitude of images (finite differences across and down, per channel),
    in units of the data range: blurred edges score low, crisp roads and building edges high."""
    x = np.asarray(images)
    if x.ndim != 4:
        raise ValueError(f"images: expected (N, H, W, C), got shape {x.shape}")
    x, _, r, _ = _pair(x, x, scale, None)
    dx, dy = np.diff(x, axis=2)[:, :-1], np.diff(x, axis=1)[:, :, :-1]
    return float(np.sqrt(dx * dx + dy * dy).mean() / r)


def edge_sharpness(predictions, targets, scale="tanh"):
    """`edge_energy` of the predictions over the targets': 1 = as much edge contrast as the real
    maps', below 1 = blurred (an L1-only translator averages the plausible outputs), above 1 =
    texture or noise the targets do not have."""
    return edge_energy(predictions, scale) / edge_energy(targets, scale)


def image_metrics(predictions, targets, scale="tanh", data_range=None):
    """``dict(l1, psnr, ssim)`` of predictions against targets."""
    return dict(l1=l1(predictions, targets, scale, data_range),
                psnr=psnr(predictions, targets, scale, data_range),
                ssim=ssim(predictions, targets, scale, data_range))


def baselines(sources, targets, scale="tanh", data_range=None):
    """What a translator must beat: the metrics of two trivial 'translations'.

    * ``copy input`` – output the source image unchanged (grayscale tiled to the
      target's channels);
    * ``mean colour`` – output, for every pixel, the mean colour of all targets.
    """
    s, t = np.asarray(sources), np.asarray(targets)
    if s.shape[:-1] == t.shape[:-1] and s.ndim == 4 and s.shape[-1] != t.shape[-1]:
        if s.shape[-1] != 1:
            raise ValueError(f"cannot copy {s.shape[-1]}-channel sources onto "
                             f"{t.shape[-1]}-channel targets")
        s = np.repeat(s, t.shape[-1], axis=-1)
    if s.shape != t.shape:
        raise ValueError(f"sources and targets differ in shape: {s.shape} vs {t.shape}")
    if t.size == 0:
        raise ValueError(f"no images to compare (shape {t.shape}): pass at least one pair")
    axes = tuple(range(t.ndim - 1)) if t.ndim == 4 else None
    mean = t.astype(np.float64).mean(axis=axes, keepdims=True)
    mean_img = np.broadcast_to(mean, t.shape)
    if t.dtype == np.uint8:
        mean_img = np.round(mean_img).astype(np.uint8)
    return {"copy input": image_metrics(s, t, scale, data_range),
            "mean colour": image_metrics(mean_img, t, scale, data_range)}


# --------------------------------------------------------------------------- during training
def correlation_over_training(history, key, record, steps_per_interval, record_key=None):
    """How well a logged training quantity tracks a measured one: Pearson's r and Spearman's ρ.

    `history` is a `fit()` History (or its dict) with one value of `key` per logging interval
    (e.g. WGAN's ``w_dist``, the critic's Wasserstein estimate); `record` a `MetricHistory`
    (e.g. the FD every few intervals).  Each record at generator step s > 0 is paired with the
    logged value of the interval that ends at s.  Returns ``dict(r, rho, n, pairs)``, with
    ``pairs`` the (logged, measured) values used.
    """
    from scipy.stats import pearsonr, spearmanr
    logged = list(getattr(history, "history", history)[key])
    steps, values = record.series(record_key)
    pairs = [(logged[int(s) // steps_per_interval - 1], float(v)) for s, v in zip(steps, values)
             if s > 0 and int(s) % steps_per_interval == 0
             and 0 < int(s) // steps_per_interval <= len(logged)]
    if len(pairs) < 3:
        raise ValueError(f"only {len(pairs)} measurements fall on logged intervals; measure more "
                         "often (MetricHistory every=...) or train longer")
    a, b = np.asarray(pairs).T
    return dict(r=float(pearsonr(a, b)[0]), rho=float(spearmanr(a, b)[0]), n=len(pairs),
                pairs=pairs)


class MetricHistory(keras.callbacks.Callback):
    """Compute ``fn(gan)`` every `every` epochs (logging intervals) and record it.

    ``fn`` returns a float or a dict of floats.  ``steps`` holds the generator step of
    each record (the generator optimizer's iteration count), ``values`` the results;
    ``series(key)`` gives ``(steps, values)`` arrays ready for plotting.
    With ``at_start=True`` the untrained model is measured as well (step 0).
    """

    def __init__(self, fn, every=1, at_start=False, name="metric", verbose=False):
        super().__init__()
        if int(every) < 1:
            raise ValueError(f"every must be >= 1, got {every}")
        self.fn, self.every, self.at_start = fn, int(every), at_start
        self.name, self.verbose = name, verbose
        self.steps, self.values = [], []
        self._epochs_seen = 0

    def _step(self):
        opt = getattr(self.model, "g_optimizer", None) or getattr(self.model, "optimizer", None)
        if opt is not None and getattr(opt, "iterations", None) is not None:
            return int(opt.iterations.numpy() if hasattr(opt.iterations, "numpy")
                       else opt.iterations)
        return self._epochs_seen * int((self.params or {}).get("steps") or 1)

    def record(self):
        value = self.fn(self.model)
        if isinstance(value, dict):
            value = {k: float(v) for k, v in value.items()}
        else:
            value = float(value)
        step = self._step()
        if self.steps and self.steps[-1] == step:  # same step twice (resume): replace
            self.values[-1] = value
        else:
            self.steps.append(step)
            self.values.append(value)
        if self.verbose:
            print(f"step {step}: {self.name} = {value}")
        return value

    def on_train_begin(self, logs=None):
        if self.at_start and not self.steps:
            self.record()

    def on_epoch_end(self, epoch, logs=None):
        self._epochs_seen = epoch + 1
        if (epoch + 1) % self.every == 0:
            self.record()

    def on_train_end(self, logs=None):
        if not self.steps:   # e.g. a shipped generator loaded (GANLIB_MODE=pretrained): measure it
            self.record()

    def get_state(self):
        """The records so far (a `runs.RunBackup` saves them with the run's backup)."""
        return {"steps": list(self.steps), "values": list(self.values)}

    def set_state(self, state):
        """Resume with the records of an interrupted run."""
        self.steps, self.values = list(state["steps"]), list(state["values"])

    @property
    def history(self):
        return list(zip(self.steps, self.values))

    def series(self, key=None):
        steps = np.asarray(self.steps)
        if key is None:
            if self.values and isinstance(self.values[0], dict):
                raise ValueError(f"values are dicts; pick a key from {sorted(self.values[0])}")
            return steps, np.asarray(self.values, np.float64)
        return steps, np.asarray([v[key] for v in self.values], np.float64)

    def plot(self, key=None, ax=None, **kw):
        import matplotlib.pyplot as plt
        ax = ax or plt.gca()
        steps, vals = self.series(key)
        ax.plot(steps, vals, marker="o", **kw)
        ax.set_xlabel("generator step")
        ax.set_ylabel(key or self.name)
        return ax


def score_generators(models, real_train, real_test, dataset="mnist", scale="sigmoid", n=1000,
                     seed=1):
    """FD and classifier score of unconditional generators, with real data as the reference.

    `models`: ``{name: gan}`` (anything with ``latent_dim``, ``noise`` and ``generate``). Each
    draws the same `n` noise vectors (seeded); FD is against ``real_test[:n]``, and the first
    row gives real training images against the same test images (the floor of the scale).
    Prints the table and returns ``{name: (fd, score)}``.
    """
    real = real_test[:n]
    rows = {"real (train vs test)": (frechet_distance(real_train[:n], real, dataset),
                                     classifier_score(real, dataset))}
    for name, gan in models.items():
        rng = np.random.default_rng(seed)  # the same noise for every model
        shape = (n, gan.latent_dim)
        z = rng.uniform(-1, 1, shape) if gan.noise == "uniform" else rng.normal(size=shape)
        fakes = gan.generate(inputs=z.astype("float32"))
        rows[name] = (frechet_distance(fakes, real, dataset, scale_a=scale),
                      classifier_score(fakes, dataset, scale=scale))
    print(f"{'':>22} {'Fréchet distance':>17} {'classifier score':>17}")
    for name, (fd, score) in rows.items():
        print(f"{name:>22} {fd:>17.2f} {score:>17.2f}")
    return rows


# --------------------------------------------------------------------------- quality and diversity
# Precision / recall (Kynkäänniemi et al., 2019) and density / coverage (Naeem et al., 2020)
# split what the Fréchet distance lumps together: are the samples *inside* the real data
# (precision, density: quality) and does the real data lie inside the samples' reach (recall,
# coverage: diversity)?  Both estimate each set's manifold by balls around its points, of
# radius the distance to the k-th nearest neighbour in the same set, in the reference
# classifier's feature space, each feature vector scaled to length 1 (`unit_rows`; see
# `precision_recall` for why).  Memory stays bounded: distances are computed a block of rows at
# a time (`CHUNK_ELEMENTS` entries), so 10,000 against 10,000 is a few seconds on a CPU.
CHUNK_ELEMENTS = 1 << 22


def feature_array(x, dataset=None, scale="tanh", name="images", **kw):
    """The classifier features ``(N, D)`` of an image set, as `features_and_probs` gives them;
    a 2-D array ``(N, D)`` is taken as features already computed and returned as float64."""
    a = np.asarray(x)
    if a.ndim == 2:
        if len(a) == 0:
            raise ValueError(f"{name}: no feature vectors")
        if not np.issubdtype(a.dtype, np.number) or not np.isfinite(a).all():
            raise ValueError(f"{name}: features must be finite numbers")
        return a.astype(np.float64)
    if dataset is None:
        raise ValueError(f"{name}: images need the dataset of their reference classifier "
                         f"(one of {DATASETS}); or pass features of shape (N, D)")
    return features_and_probs(a, dataset, scale, **kw)[0]


def unit_rows(features):
    """Each row scaled to length 1 (a zero row stays zero): only the feature vector's direction
    is kept, which says *what* the classifier sees; the length mostly says how much of it."""
    f = np.asarray(features, np.float64)
    return f / np.maximum(np.linalg.norm(f, axis=1, keepdims=True), 1e-12)


def _blocks(a, b):
    """Squared Euclidean distances between the rows of `a` and `b`, a block of rows of `a` at
    a time: yields ``(start, d2)`` with ``d2`` of shape ``(rows, len(b))``."""
    bb = (b * b).sum(1)
    rows = max(1, CHUNK_ELEMENTS // max(1, len(b)))
    for i in range(0, len(a), rows):
        block = a[i:i + rows]
        d2 = (block * block).sum(1)[:, None] + bb[None, :] - 2.0 * block @ b.T
        yield i, np.maximum(d2, 0.0)


def nearest_neighbours(queries, pool, k=1, exclude_self=False):
    """The `k` nearest rows of `pool` to each row of `queries` (Euclidean, any dimension; flatten
    images first): ``(distances, indices)``, each ``(len(queries), k)``, nearest first.  With
    ``exclude_self`` the queries *are* the pool and each row's own distance is left out."""
    q = np.asarray(queries, np.float64)
    p = np.asarray(pool, np.float64)
    if q.ndim != 2 or p.ndim != 2 or q.shape[1] != p.shape[1]:
        raise ValueError(f"queries and pool must be 2-D arrays with the same number of columns, "
                         f"got {q.shape} and {p.shape} (reshape images to (N, -1) first)")
    if exclude_self and len(q) != len(p):
        raise ValueError("exclude_self needs the queries to be the pool itself")
    k = int(k)
    if k < 1 or k + int(exclude_self) > len(p):
        raise ValueError(f"k = {k} needs at least {k + int(exclude_self)} points in the pool, "
                         f"which has {len(p)}")
    dist = np.empty((len(q), k))
    idx = np.empty((len(q), k), np.int64)
    for i, d2 in _blocks(q, p):
        if exclude_self:
            d2[np.arange(len(d2)), np.arange(i, i + len(d2))] = np.inf
        part = np.argpartition(d2, k - 1, axis=1)[:, :k]
        vals = np.take_along_axis(d2, part, 1)
        order = np.argsort(vals, axis=1)
        idx[i:i + len(d2)] = np.take_along_axis(part, order, 1)
        dist[i:i + len(d2)] = np.sqrt(np.take_along_axis(vals, order, 1))
    return dist, idx


def knn_radii(features, k):
    """Each point's distance to its `k`-th nearest *other* point of the same set: the radius of
    its ball in the k-NN estimate of the set's manifold."""
    return nearest_neighbours(features, features, k, exclude_self=True)[0][:, -1]


def _manifolds(real, fake, dataset, k, scale_real, scale_fake, need_fake_radii, normalize,
               **kw):
    """Both sets' features, the k-NN radii, and the ball memberships the four measures need:
    for each fake, how many real balls hold it; for each real point, whether a fake lies in its
    ball and (`need_fake_radii`) whether it lies in some fake's ball."""
    k = int(k)
    if k < 1:
        raise ValueError(f"k must be a positive integer (the neighbour that sets a ball's "
                         f"radius), got {k}")
    r = feature_array(real, dataset, scale_real, "real", **kw)
    f = feature_array(fake, dataset, scale_fake, "fake", **kw)
    if r.shape[1] != f.shape[1]:
        raise ValueError(f"real and fake features differ in width: {r.shape[1]} vs {f.shape[1]}")
    if normalize:
        r, f = unit_rows(r), unit_rows(f)
    for x, name in [(r, "real")] + ([(f, "fake")] if need_fake_radii else []):
        if len(x) <= k:
            raise ValueError(f"{name}: {len(x)} points cannot give a {k}-nearest-neighbour "
                             f"radius; pass more than k = {k} (thousands, for stable values)")
    r_rad = knn_radii(r, k)
    f_rad = knn_radii(f, k) if need_fake_radii else None
    in_real_balls = np.zeros(len(f), np.int64)       # per fake: real balls that hold it
    real_covered = np.zeros(len(r), bool)            # per real: a fake inside its ball
    real_reached = np.zeros(len(r), bool)            # per real: inside some fake's ball
    for i, d2 in _blocks(f, r):
        inside = d2 <= (r_rad ** 2)[None, :]
        in_real_balls[i:i + len(d2)] = inside.sum(1)
        real_covered |= inside.any(0)
        if need_fake_radii:
            real_reached |= (d2 <= (f_rad[i:i + len(d2)] ** 2)[:, None]).any(0)
    return in_real_balls, real_covered, real_reached


def precision_recall(real, fake, dataset=None, k=3, scale_real="tanh", scale_fake="tanh",
                     normalize=True, **kw):
    """Improved precision and recall (Kynkäänniemi et al., 2019): ``dict(precision, recall)``.

    *Precision*: the fraction of generated samples that fall inside the real manifold (the union
    of balls around the real points, each of radius the distance to its k-th nearest real
    neighbour): are the samples realistic?  *Recall*: the fraction of real points inside the
    generated manifold (the same construction on the samples): does the generator reach all of
    the data?  Both in [0, 1], higher is better; a collapsed generator keeps its precision and
    loses recall, one that draws junk loses precision.

    `real` and `fake`: images (as for `frechet_distance`, with `dataset` naming the reference
    classifier; `scale_real` / `scale_fake` their value range) or features already computed,
    arrays ``(N, D)`` (`feature_array`).  Compare values only at equal sample sizes and k.

    ``normalize=True`` (the default) measures distances between feature *directions*
    (`unit_rows`).  On the raw features of the shipped classifiers (ReLU outputs), images with no
    object in them — blank, noise — all land near the origin, inside the large balls of the few
    real images the classifier is least sure of: blank images score a precision of 1.  On the
    unit sphere they score 0, and noise far below real images, while real-vs-real and a
    one-class set keep their values (`tests/test_eval_metrics.py` measures both).  Pass ``normalize=False`` for the
    papers' raw distances.
    """
    in_real, _, reached = _manifolds(real, fake, dataset, k, scale_real, scale_fake, True,
                                     normalize, **kw)
    return dict(precision=float((in_real > 0).mean()), recall=float(reached.mean()))


def density_coverage(real, fake, dataset=None, k=5, scale_real="tanh", scale_fake="tanh",
                     normalize=True, **kw):
    """Density and coverage (Naeem et al., 2020): ``dict(density, coverage)``.

    Both use the real points' k-NN balls only, which an outlier among the samples cannot
    inflate.  *Density*: how many real balls hold a sample, on average, divided by k — about 1
    when the samples are distributed like the real data, above 1 when they crowd into its
    densest regions, near 0 for junk.  *Coverage*: the fraction of real points whose ball holds
    at least one sample (in [0, 1]; for two samples of one distribution about 1 - 2^-k).

    Inputs and ``normalize`` as for `precision_recall`.
    """
    in_real, covered, _ = _manifolds(real, fake, dataset, k, scale_real, scale_fake, False,
                                     normalize, **kw)
    return dict(density=float(in_real.sum() / (int(k) * len(in_real))),
                coverage=float(covered.mean()))


def frechet_distance_from_features(a, b):
    """The Fréchet distance between two feature arrays ``(N, D)`` (e.g. from `feature_array`),
    to measure many subsets of one set of images without running the classifier again."""
    a, b = feature_array(a, name="a"), feature_array(b, name="b")
    if len(a) < 2 or len(b) < 2:
        raise ValueError("the Fréchet distance needs at least 2 feature vectors per set")
    return frechet_distance_from_stats(a.mean(0), np.cov(a, rowvar=False),
                                       b.mean(0), np.cov(b, rowvar=False))


QUALITY_MEASURES = ("FD", "precision", "recall", "density", "coverage")


def quality_table(real, fakes, dataset, scale_real="tanh", verbose=True, **kw):
    """Each image set of `fakes` against `real`: ``{name: {FD, precision, recall, density,
    coverage}}`` (default k: 3 for precision and recall, 5 for density and coverage).

    `fakes`: ``{name: images}`` or ``{name: (images, scale)}`` (scale as for
    `frechet_distance`); `real` likewise, with `scale_real`.  Features are computed once per
    set.  With `verbose`, prints the table (FD: lower is better; the others: higher, but a
    density above 1 means samples crowded where the real data is densest).
    """
    real_f = feature_array(real, dataset, scale_real, "real", **kw)
    rows = {}
    for name, item in fakes.items():
        images, scale = item if isinstance(item, tuple) else (item, "tanh")
        f = feature_array(images, dataset, scale, str(name), **kw)
        rows[name] = {"FD": frechet_distance_from_features(f, real_f),
                      **precision_recall(real_f, f), **density_coverage(real_f, f)}
    if verbose:
        width = max(len(str(n)) for n in rows) if rows else 4
        print(f"{'':<{width}}  " + "  ".join(f"{m:>9}" for m in QUALITY_MEASURES))
        for name, row in rows.items():
            print(f"{name:<{width}}  " + "  ".join(f"{row[m]:>9.3f}" if m != "FD" else
                                                   f"{row[m]:>9.1f}" for m in QUALITY_MEASURES))
    return rows


def draw(gan, n, seed=0, truncation=1.0, labels=None):
    """``(images, scale)``: `n` samples of a chapter's model (e.g. `chapters.load_reference`)
    from seeded noise drawn as the model draws it (`preview_noise`), times `truncation` (1: as
    trained; below 1: nearer the centre of the noise), and the images' value range ("tanh" or
    "sigmoid").  An ACGAN draws `labels` (default: the classes in turn), an InfoGAN random
    categorical codes and continuous codes (seeded too); other models ignore `labels`."""
    from .runlog import output_scale
    n = int(n)
    noise = gan.preview_noise(n, seed=seed) * np.float32(truncation)
    if hasattr(gan, "num_classes"):                       # ACGAN
        y = np.arange(n) % gan.num_classes if labels is None else labels
        images = gan.generate(labels=y, noise=noise)
    elif hasattr(gan, "n_cat"):                           # InfoGAN
        from .infogan import latent_inputs
        rng = np.random.default_rng(seed)
        cat = rng.integers(0, gan.n_cat, n)
        cont = rng.uniform(-1, 1, (n, gan.n_cont)).astype(np.float32) if gan.n_cont else None
        images = gan.generate(inputs=latent_inputs(noise, cat, cont, gan.n_cat, gan.n_cont))
    else:
        images = gan.generate(inputs=noise)
    return images, output_scale(gan.generator)
