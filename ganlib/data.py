"""Real image data, offline first, and the `tf.data` input pipeline.

`load_mnist()` / `load_fashion_mnist()` return ``(x_train, y_train), (x_test, y_test)``
as uint8 arrays, exactly like ``keras.datasets``, plus the name of the source used.
Sources are tried in this order:

1. an explicit ``path`` argument, or the ``GANLIB_DATA_DIR`` environment variable
   (a directory holding the four IDX files, or an ``.npz`` with the keras keys);
2. ``keras.datasets`` (its cache, or a download when online);
3. Debian's ``dataset-fashion-mnist`` package (``/usr/share/datasets/fashion-mnist``);
4. the real samples shipped in this repository's ``data/`` folder (with a notice).
"""
import contextlib
import gzip
import io
import os
import warnings

import numpy as np

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
DEBIAN_FASHION_DIR = "/usr/share/datasets/fashion-mnist"
IDX_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")

CLASS_NAMES = {
    "mnist": [str(d) for d in range(10)],
    "fashion_mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
}
SAMPLE_FILES = {"mnist": "mnist_sample.npz", "fashion_mnist": "fashion_mnist_sample.npz"}

_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_announced = set()


class DataError(RuntimeError):
    """Raised when a data file is missing, corrupt or of the wrong shape."""


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


def _load_npz(path):
    try:
        with np.load(path, allow_pickle=False) as z:
            if "x_train" in z:
                arrays = ((z["x_train"], z["y_train"]), (z["x_test"], z["y_test"]))
            else:
                raise DataError(f"{path}: expected arrays x_train, y_train, x_test, y_test; "
                                f"found {sorted(z.files)}")
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (ValueError, OSError, EOFError) as e:
        if isinstance(e, DataError):
            raise
        raise DataError(f"{path}: not a readable .npz file ({e})") from None
    return _check(arrays, path)


def _check(arrays, where):
    """Validate the keras.datasets convention: uint8 (N, 28, 28) images, N labels in 0..9."""
    (xtr, ytr), (xte, yte) = arrays
    for x, y, part in ((xtr, ytr, "train"), (xte, yte, "test")):
        if x.ndim != 3 or x.shape[1:] != (28, 28) or x.dtype != np.uint8:
            raise DataError(f"{where}: {part} images must be uint8 (N, 28, 28), "
                            f"got {x.dtype} {x.shape}")
        if y.shape != (len(x),):
            raise DataError(f"{where}: {len(x)} {part} images but labels of shape {y.shape}")
        if len(y) and (y.min() < 0 or y.max() > 9):
            raise DataError(f"{where}: {part} labels outside 0..9")
    return (xtr, ytr.astype(np.uint8)), (xte, yte.astype(np.uint8))


# --------------------------------------------------------------------------- sources
def _from_path(path):
    if os.path.isdir(path):
        return _load_idx_dir(path)
    if str(path).endswith(".npz"):
        return _load_npz(path)
    raise DataError(f"{path}: expected a directory of IDX files or an .npz file")


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
            f"GANLIB_DATA_DIR to a folder with the four IDX files "
            f"({', '.join(IDX_FILES)}), "
            + ("install Debian's package (apt-get install dataset-fashion-mnist), "
               if name == "fashion_mnist" else "")
            + "or rebuild the sample with data/make_samples.py.")
    return _load_npz(path)


def load_dataset(name, path=None, allow_download=True, verbose=True):
    """Load ``"mnist"`` or ``"fashion_mnist"``; return ``((x_tr, y_tr), (x_te, y_te)), source``."""
    if name not in CLASS_NAMES:
        raise ValueError(f"unknown dataset {name!r}; choose one of {sorted(CLASS_NAMES)}")
    path = path or os.environ.get("GANLIB_DATA_DIR")
    if path:
        if os.path.isdir(path) and not os.path.exists(os.path.join(path, IDX_FILES[0])):
            sub = os.path.join(path, name)  # GANLIB_DATA_DIR may hold one folder per dataset
            path = sub if os.path.isdir(sub) else path
        arrays, source = _from_path(path), f"local files at {path}"
    else:
        arrays = source = None
        if allow_download and os.environ.get("GANLIB_OFFLINE") != "1":
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
                 shuffle=True, repeat=True, drop_remainder=True):
    """uint8 images → a batched ``tf.data.Dataset`` of float32 images (and int32 labels).

    Scaling happens per batch inside the pipeline (no float copy of the whole set):
    ``scale="tanh"`` maps to [-1, 1], ``scale="sigmoid"`` to [0, 1].
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
    if labels is not None and len(labels) != len(images):
        raise DataError(f"{len(images)} images but {len(labels)} labels")

    def scale_batch(x, *y):
        x = tf.cast(x, tf.float32)
        x = x / 127.5 - 1.0 if scale == "tanh" else x / 255.0
        return (x, *y) if y else x

    arrays = [images] if labels is None else [images, np.asarray(labels, np.int32)]
    return gather_batches(arrays, scale_batch, batch_size, seed, shuffle, repeat, drop_remainder)


def gather_batches(arrays, transform, batch_size, seed=0, shuffle=True, repeat=True,
                   drop_remainder=True):
    """The pipeline every family's data goes through: ``transform(*batch_of_each_array)``.

    The arrays (e.g. uint8 images) stay resident once; the pipeline shuffles *indices*,
    batches them, and gathers and transforms a whole batch at a time: cheap on a 2-core
    machine, and no float copy of the whole set.
    """
    import tensorflow as tf
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
    """Inverse of the pipeline's scaling, for display and metrics."""
    images = np.asarray(images, np.float32)
    x = (images + 1.0) * 127.5 if scale == "tanh" else images * 255.0
    return np.clip(np.round(x), 0, 255).astype(np.uint8)
