"""Real image data, offline first, and the `tf.data` input pipeline.

`load_mnist()` / `load_fashion_mnist()` return ``(x_train, y_train), (x_test, y_test)``
as uint8 arrays, exactly like ``keras.datasets``, plus the name of the source used.
Sources are tried in this order:

1. files you point at (a directory holding the four IDX files, or an ``.npz`` with the
   keras keys): the ``path`` argument, else the dataset's own variable
   ``GANLIB_MNIST_DIR`` / ``GANLIB_FASHION_MNIST_DIR``, else the dataset's entry in the
   shared ``GANLIB_DATA_DIR``: its subfolder ``mnist/`` or ``fashion_mnist/`` (or
   ``mnist.npz`` / ``fashion_mnist.npz``).  A ``GANLIB_DATA_DIR`` that holds data files
   directly is refused: it cannot say which of the two datasets they are;
2. ``keras.datasets`` (its cache, or a download when online);
3. Debian's ``dataset-fashion-mnist`` package (``/usr/share/datasets/fashion-mnist``);
4. the real samples shipped in this repository's ``data/`` folder (with a notice).

Files you point at are checked to be the dataset asked for: the shipped reference
classifier of that dataset (`ganlib.metrics`) labels the first `VERIFY_IMAGES` test
images, and if it agrees with their labels less than `VERIFY_MIN_ACCURACY` of the time
(real files: over 90 %; the other dataset's files: 10-20 %) a `DataError` says which
dataset the files look like and which setting to fix (``verify=False`` skips the check).
"""
import contextlib
import gzip
import io
import os
import warnings

import numpy as np

from . import config
from .datafiles import DATA_DIR, SAMPLE_FILES, DataError  # noqa: F401  (data's names)
from .datafiles import check_arrays as _check, load_npz as _load_npz

DEBIAN_FASHION_DIR = "/usr/share/datasets/fashion-mnist"
IDX_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")

CLASS_NAMES = {
    "mnist": [str(d) for d in range(10)],
    "fashion_mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
}

VERIFY_IMAGES = 300          # images the plausibility check classifies (user-supplied files only)
VERIFY_MIN_ACCURACY = 0.5    # below this agreement with the labels, the files are refused

_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_announced = set()


# --------------------------------------------------------------------------- IDX files
def read_idx(path):
    """Read a (gzipped) IDX file into a numpy array, validating its header and size."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (OSError, EOFError) as e:  # bad gzip stream, truncated archive
        raise DataError(f"{path}: cannot read ({e})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise DataError(f"{path}: not an IDX file (bad magic {raw[:4].hex() or 'empty'})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise DataError(f"{path}: truncated IDX header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise DataError(f"{path}: header says shape {shape} ({expected} bytes of data) "
                        f"but the file holds {len(raw) - header} bytes (truncated or corrupt)")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)


def _load_idx_dir(directory):
    xtr, ytr, xte, yte = (read_idx(os.path.join(directory, n)) for n in IDX_FILES)
    return _check(((xtr, ytr), (xte, yte)), directory)


# --------------------------------------------------------------------------- sources
def _from_path(path, fix="Download or copy it again, delete it, or point the path elsewhere."):
    if os.path.isdir(path):
        return _load_idx_dir(path)
    if str(path).endswith(".npz"):
        return _load_npz(path, fix)
    raise DataError(f"{path}: expected a directory of IDX files or an .npz file")


def dataset_variable(name):
    """The environment variable naming one dataset's files: ``GANLIB_MNIST_DIR``, ..."""
    return f"GANLIB_{name.upper()}_DIR"


def _user_path(name, path):
    """``(path, what to fix)`` of the user's files for `name`, or ``(None, None)``."""
    var = dataset_variable(name)
    if path:
        where, fix = path, "the path argument"
    elif os.environ.get(var):
        where, fix = os.environ[var], var
    elif os.environ.get("GANLIB_DATA_DIR"):
        shared = os.environ["GANLIB_DATA_DIR"]
        for entry in (name, name + ".npz"):  # one folder (or .npz) per dataset
            if os.path.exists(os.path.join(shared, entry)):
                return (os.path.join(shared, entry),
                        f"GANLIB_DATA_DIR's {entry} entry (or set {var})")
        layout = (f"one folder per dataset, {os.path.join(shared, name)}/ holding the four "
                  f"IDX files ({', '.join(IDX_FILES)}) or {os.path.join(shared, name + '.npz')}")
        if os.path.isfile(shared) or any(os.path.exists(os.path.join(shared, f)) for f in IDX_FILES):
            raise DataError(f"GANLIB_DATA_DIR={shared} holds data files directly, but it is "
                            f"shared by {' and '.join(CLASS_NAMES)} and cannot say which one "
                            f"they are. Either set {var}={shared} (if they are {name}), or "
                            f"lay GANLIB_DATA_DIR out as {layout}.")
        raise DataError(f"GANLIB_DATA_DIR={shared} has no {name} entry: expected {layout}. "
                        f"Or set {var}, or unset GANLIB_DATA_DIR to use keras.datasets "
                        f"(or the shipped sample).")
    else:
        return None, None
    if os.path.isdir(where) and not os.path.exists(os.path.join(where, IDX_FILES[0])):
        sub = os.path.join(where, name)  # a folder holding one folder per dataset
        where = sub if os.path.isdir(sub) else where
    return where, fix


def verify_dataset(name, arrays, where, fix="the path"):
    """Refuse files that are not plausibly `name`: the reference classifier of `name` must
    agree with the labels of (up to) `VERIFY_IMAGES` test images at least
    `VERIFY_MIN_ACCURACY` of the time.  Skipped, with a warning, without the classifier."""
    from . import metrics
    (xtr, ytr), (xte, yte) = arrays
    x = np.concatenate([xte[:VERIFY_IMAGES], xtr[:max(0, VERIFY_IMAGES - len(xte))]])
    y = np.concatenate([yte[:VERIFY_IMAGES], ytr[:max(0, VERIFY_IMAGES - len(yte))]])
    if not len(x):
        raise DataError(f"{where}: holds no images")

    def agreement(dataset):
        return float((metrics.predict_labels(x, dataset) == y).mean())

    try:
        acc = agreement(name)
        if acc >= VERIFY_MIN_ACCURACY:
            return acc
        others = {d: agreement(d) for d in CLASS_NAMES if d != name}
    except metrics.ClassifierError as e:
        warnings.warn(f"{where}: cannot check that these files hold {name}: {e}")
        return None
    best = max(others, key=others.get)
    looks = (f"they look like {best} ({best}'s classifier agrees with {others[best]:.0%})"
             if others[best] >= VERIFY_MIN_ACCURACY else
             f"they look like neither {' nor '.join(CLASS_NAMES)} (or their labels do not "
             f"match their images)")
    raise DataError(f"{where}: these files do not look like {name}: its reference classifier "
                    f"agrees with only {acc:.0%} of the labels of {len(x)} images (real {name} "
                    f"files: over 90 %); {looks}. Fix {fix}: it must point at {name} files "
                    f"(pass verify=False if they really are {name}).")


def _from_keras(name):
    import keras
    module = {"mnist": keras.datasets.mnist, "fashion_mnist": keras.datasets.fashion_mnist}[name]
    # keras prints "Downloading data from ..." even when the download then fails offline
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return _check(module.load_data(), f"keras.datasets.{name}")


def _from_sample(name):
    path = os.path.join(DATA_DIR, SAMPLE_FILES[name])
    if not os.path.exists(path):
        raise DataError(
            f"No {name} data could be loaded: keras.datasets could not download it (offline?), "
            f"and the shipped sample {path} is missing. Either go online once, set "
            f"{dataset_variable(name)} to a folder with the four IDX files "
            f"({', '.join(IDX_FILES)}) or put them in GANLIB_DATA_DIR/{name}/, "
            + ("install Debian's package (apt-get install dataset-fashion-mnist), "
               if name == "fashion_mnist" else "")
            + "or rebuild the sample with data/make_samples.py.")
    return _load_npz(path, f"Restore it (git checkout data/{SAMPLE_FILES[name]}) or rebuild "
                           f"it with data/make_samples.py.")


def load_dataset(name, path=None, allow_download=True, verbose=True, verify=True):
    """Load ``"mnist"`` or ``"fashion_mnist"``; return ``((x_tr, y_tr), (x_te, y_te)), source``.

    Files you point at (``path``, ``GANLIB_<NAME>_DIR``, ``GANLIB_DATA_DIR/<name>``) must
    look like `name` to its reference classifier (`verify_dataset`; ``verify=False`` skips it).
    """
    if name not in CLASS_NAMES:
        raise ValueError(f"unknown dataset {name!r}; choose one of {sorted(CLASS_NAMES)}")
    path, fix = _user_path(name, path)
    if path:
        arrays, source = _from_path(path, f"Download or copy it again, delete it, or point "
                                          f"{fix} elsewhere."), f"local files at {path}"
        shipped = [os.path.join(DATA_DIR, f) for f in SAMPLE_FILES.values()]
        if verify and not any(os.path.abspath(path) == os.path.abspath(f) for f in shipped):
            verify_dataset(name, arrays, path, fix)
    else:
        arrays = source = None
        if allow_download and not config.offline():
            try:
                arrays, source = _from_keras(name), f"keras.datasets.{name}"
            except Exception:  # offline, blocked, or a broken cache: fall through
                pass
        if arrays is None and name == "fashion_mnist" and os.path.isdir(DEBIAN_FASHION_DIR):
            arrays, source = _load_idx_dir(DEBIAN_FASHION_DIR), f"Debian package ({DEBIAN_FASHION_DIR})"
        if arrays is None:
            arrays = _from_sample(name)
            source = (f"SAMPLE shipped in data/{SAMPLE_FILES[name]} "
                      f"({len(arrays[0][0]) + len(arrays[1][0])} real images, not the full set)")
    if verbose and (name, source) not in _announced:
        _announced.add((name, source))
        print(f"{name}: loaded from {source}")
    return arrays, source


def load_mnist(path=None, **kw):
    """MNIST as ``keras.datasets.mnist.load_data()`` would return it, plus the source."""
    return load_dataset("mnist", path, **kw)


def load_fashion_mnist(path=None, **kw):
    """Fashion-MNIST as ``keras.datasets.fashion_mnist.load_data()`` would, plus the source."""
    return load_dataset("fashion_mnist", path, **kw)


def class_names(name):
    if name not in CLASS_NAMES:
        raise ValueError(f"unknown dataset {name!r}; choose one of {sorted(CLASS_NAMES)}")
    return list(CLASS_NAMES[name])


# --------------------------------------------------------------------------- pipeline
def make_dataset(images, labels=None, batch_size=64, scale="tanh", seed=0,
                 shuffle=True, repeat=True, drop_remainder=True, num_classes=10):
    """uint8 images → a batched ``tf.data.Dataset`` of float32 images (and int32 labels).

    Scaling happens per batch inside the pipeline (no float copy of the whole set):
    ``scale="tanh"`` maps to [-1, 1], ``scale="sigmoid"`` to [0, 1].  Labels are integer
    classes in ``0 .. num_classes - 1``, shape (N,) or (N, 1).
    """
    import tensorflow as tf
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise DataError(f"make_dataset expects uint8 images, got {images.dtype}")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise DataError(f"make_dataset expects (N, H, W) or (N, H, W, C) images, got {images.shape}")
    if scale not in ("tanh", "sigmoid"):
        raise ValueError(f"scale must be 'tanh' or 'sigmoid', got {scale!r}")
    if labels is not None:
        labels = check_labels(labels, len(images), num_classes)

    def scale_batch(x, *y):
        x = tf.cast(x, tf.float32)
        x = x / 127.5 - 1.0 if scale == "tanh" else x / 255.0
        return (x, *y) if y else x

    arrays = [images] if labels is None else [images, labels]
    return gather_batches(arrays, scale_batch, batch_size, seed, shuffle, repeat, drop_remainder)


def check_labels(labels, n, num_classes=10, name="labels"):
    """Validate `n` integer class labels in ``0 .. num_classes - 1`` ((n,) or (n, 1));
    return them as an int32 array (n,)."""
    y = np.asarray(labels)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        hint = (" (one-hot labels? pass labels.argmax(1))" if y.ndim == 2 else "")
        raise DataError(f"{name}: expected one integer class per image, shape ({n},) or "
                        f"({n}, 1); got shape {np.shape(labels)}{hint}")
    if len(y) != n:
        raise DataError(f"{n} images but {len(y)} labels")
    if not (np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.floating)):
        raise DataError(f"{name}: expected integer class labels, got dtype {y.dtype}")
    if np.issubdtype(y.dtype, np.floating) and not np.all(y == np.round(y)):
        bad = y[y != np.round(y)][0]
        raise DataError(f"{name}: expected whole-number class labels, got {bad!r}; "
                        f"classes are 0 .. {num_classes - 1}")
    if n and (y.min() < 0 or y.max() >= num_classes):
        raise DataError(f"{name}: class labels must lie in 0 .. {num_classes - 1} "
                        f"(num_classes={num_classes}), got {y.min():g} .. {y.max():g}")
    return y.astype(np.int32)


def gather_batches(arrays, transform, batch_size, seed=0, shuffle=True, repeat=True,
                   drop_remainder=True):
    """The pipeline every family's data goes through: ``transform(*batch_of_each_array)``.

    The arrays (e.g. uint8 images) stay resident once; the pipeline shuffles *indices*,
    batches them, and gathers and transforms a whole batch at a time: cheap on a 2-core
    machine, and no float copy of the whole set.
    """
    import tensorflow as tf
    seed = config.check_seed(seed, "seed (the pipeline's shuffle)")
    n = len(arrays[0])
    if n == 0:
        raise DataError("no images: the pipeline needs at least one image")
    if isinstance(batch_size, (bool, np.bool_)) or not isinstance(batch_size, (int, np.integer)) \
            or not 1 <= batch_size <= n:
        raise DataError(f"batch_size must be a whole number from 1 to the number of images "
                        f"({n}), got {batch_size!r}")
    resident = [tf.constant(a) for a in arrays]
    ds = tf.data.Dataset.range(len(arrays[0]))
    if shuffle:
        ds = ds.shuffle(len(arrays[0]), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    ds = ds.map(lambda idx: transform(*[tf.gather(a, idx) for a in resident]),
                num_parallel_calls=2, deterministic=True).prefetch(2)
    # No tf.data autotuning: its background thread wakes on a doubling timer (up to ~10 s
    # apart), and a finished `fit()` waits for it when it drops the iterator; measured here,
    # that wait cost 5-7 s per `fit()` call. Fixed parallelism is ample for a gather + scale.
    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.with_options(options)


def to_uint8(images, scale="tanh"):
    """Inverse of the pipeline's scaling, for display and metrics.  NaN or infinite values
    are refused: cast to uint8 they would become black or white pixels, a picture (or a
    score) that looks like an answer."""
    if scale not in ("tanh", "sigmoid"):
        raise ValueError(f"scale must be 'tanh' ([-1, 1]) or 'sigmoid' ([0, 1]), got {scale!r}")
    images = np.asarray(images, np.float32)
    bad = ~np.isfinite(images)
    if bad.any():
        raise ValueError(f"images: {int(bad.sum())} of {images.size} values are NaN or "
                         "infinite (a generator that diverged, or NaN inputs); they have no "
                         "pixel value")
    x = (images + 1.0) * 127.5 if scale == "tanh" else images * 255.0
    return np.clip(np.round(x), 0, 255).astype(np.uint8)
