"""The files under ``data/`` and the keras.datasets array convention, shared by `data` (which
loads datasets) and `metrics` (whose reference classifiers check themselves on the shipped
samples), so that neither module needs the other to import."""
import os
import zipfile
import zlib

import numpy as np

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
SAMPLE_FILES = {"mnist": "mnist_sample.npz", "fashion_mnist": "fashion_mnist_sample.npz"}


class DataError(RuntimeError):
    """Raised when a data file is missing, corrupt or of the wrong shape."""


def load_npz(path, fix="Download or copy it again, delete it, or point the path elsewhere."):
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except OSError as e:
        raise DataError(f"{path}: cannot read ({e}). {fix}") from None
    if not head.startswith(b"PK"):  # every .npz is a zip archive
        raise DataError(f"{path}: not an .npz file (no zip header: "
                        f"{'the file is empty' if not head else 'it starts with ' + head.hex()}). "
                        f"{fix}")
    try:
        with np.load(path, allow_pickle=False) as z:
            if "x_train" not in z:
                raise DataError(f"{path}: expected arrays x_train, y_train, x_test, y_test; "
                                f"found {sorted(z.files)}")
            arrays = ((z["x_train"], z["y_train"]), (z["x_test"], z["y_test"]))
    except DataError:
        raise
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, EOFError) as e:
        raise DataError(f"{path}: not a valid, complete .npz file ({type(e).__name__}: {e}); "
                        f"it is probably truncated (an interrupted download or copy). "
                        f"{fix}") from None
    return check_arrays(arrays, path)


def check_arrays(arrays, where):
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
