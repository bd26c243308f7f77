import gzip
import os

import numpy as np
import pytest

from ganlib import data
from ganlib.data import DataError


def write_idx(path, arr, gz=True):
    codes = {np.uint8: 0x08}
    header = bytes([0, 0, codes[arr.dtype.type], arr.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in arr.shape)
    payload = header + arr.tobytes()
    with (gzip.open if gz else open)(path, "wb") as f:
        f.write(payload)
    return path


def real_arrays(dataset, n_train, n_test):
    """The first real images of the shipped sample: user files must look like their dataset."""
    with np.load(os.path.join(data.DATA_DIR, data.SAMPLE_FILES[dataset])) as z:
        return [z["x_train"][:n_train], z["y_train"][:n_train],
                z["x_test"][:n_test], z["y_test"][:n_test]]


def make_idx_dir(d, n_train=20, n_test=10, dataset="fashion_mnist"):
    os.makedirs(d, exist_ok=True)
    arrays = real_arrays(dataset, n_train, n_test)
    for name, arr in zip(data.IDX_FILES, arrays):
        write_idx(os.path.join(d, name), arr)
    return arrays


def test_read_idx_roundtrip(tmp_path):
    arr = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    for gz in (True, False):
        p = write_idx(str(tmp_path / f"a{'.gz' if gz else ''}"), arr, gz)
        np.testing.assert_array_equal(data.read_idx(p), arr)


def test_read_idx_bad_magic_names_file(tmp_path):
    p = tmp_path / "bad-idx1-ubyte"
    p.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(DataError, match="bad-idx1-ubyte.*not an IDX file"):
        data.read_idx(str(p))


def test_read_idx_truncated(tmp_path):
    arr = np.zeros((5, 28, 28), np.uint8)
    p = write_idx(str(tmp_path / "t.gz"), arr)
    raw = gzip.open(p).read()
    with gzip.open(p, "wb") as f:
        f.write(raw[:-100])
    with pytest.raises(DataError, match=r"t\.gz.*truncated or corrupt"):
        data.read_idx(p)


def test_read_idx_corrupt_gzip(tmp_path):
    p = tmp_path / "c.gz"
    p.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(DataError, match="c.gz"):
        data.read_idx(str(p))


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(DataError, match="not found"):
        data.read_idx(str(tmp_path / "nope.gz"))


def test_load_from_explicit_idx_dir(tmp_path):
    arrays = make_idx_dir(str(tmp_path / "fm"))
    ((xtr, ytr), (xte, yte)), source = data.load_fashion_mnist(str(tmp_path / "fm"), verbose=False)
    np.testing.assert_array_equal(xtr, arrays[0])
    np.testing.assert_array_equal(yte, arrays[3])
    assert xtr.dtype == np.uint8 and "local files" in source


def test_data_dir_env_with_one_folder_per_dataset(tmp_path, monkeypatch):
    make_idx_dir(str(tmp_path / "mnist"), n_train=7, dataset="mnist")
    monkeypatch.setenv("GANLIB_DATA_DIR", str(tmp_path))
    ((xtr, _), _), source = data.load_mnist(verbose=False)
    assert len(xtr) == 7 and str(tmp_path / "mnist") in source


def test_idx_dir_with_mismatched_labels(tmp_path):
    d = str(tmp_path / "bad")
    make_idx_dir(d)
    write_idx(os.path.join(d, data.IDX_FILES[1]), np.zeros(3, np.uint8))
    with pytest.raises(DataError, match="20 train images but labels of shape"):
        data.load_mnist(d, verbose=False)


def test_npz_wrong_keys_and_shapes(tmp_path):
    p = str(tmp_path / "x.npz")
    np.savez(p, a=np.zeros(3))
    with pytest.raises(DataError, match="expected arrays x_train"):
        data.load_mnist(p, verbose=False)
    np.savez(p, x_train=np.zeros((2, 32, 32), np.uint8), y_train=np.zeros(2, np.uint8),
             x_test=np.zeros((1, 28, 28), np.uint8), y_test=np.zeros(1, np.uint8))
    with pytest.raises(DataError, match=r"uint8 \(N, 28, 28\)"):
        data.load_mnist(p, verbose=False)


def test_npz_corrupt(tmp_path):
    p = tmp_path / "broken.npz"
    p.write_bytes(b"this is not a zip file")
    with pytest.raises(DataError, match="broken.npz"):
        data.load_mnist(str(p), verbose=False)


def test_unknown_dataset():
    with pytest.raises(ValueError, match="unknown dataset 'cifar'"):
        data.load_dataset("cifar")
    with pytest.raises(ValueError, match="unknown dataset"):
        data.class_names("svhn")


def test_offline_without_sample_gives_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GANLIB_OFFLINE", "1")
    monkeypatch.delenv("GANLIB_DATA_DIR", raising=False)
    monkeypatch.setattr(data, "DATA_DIR", str(tmp_path))
    with pytest.raises(DataError, match="(?s)No mnist data could be loaded.*GANLIB_DATA_DIR"):
        data.load_mnist(verbose=False)


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist"])
def test_shipped_samples_are_real_balanced_and_safe(name, monkeypatch):
    monkeypatch.setenv("GANLIB_OFFLINE", "1")
    monkeypatch.delenv("GANLIB_DATA_DIR", raising=False)
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", "/nonexistent")
    ((xtr, ytr), (xte, yte)), source = data.load_dataset(name, verbose=False)
    assert "SAMPLE" in source
    assert xtr.shape == (8000, 28, 28) and xte.shape == (2000, 28, 28)
    assert np.bincount(yte, minlength=10).tolist() == [200] * 10
    assert np.bincount(ytr, minlength=10).min() > 600
    # real images: mostly dark background, some ink; no duplicates of one picture
    assert 20 < xtr.mean() < 110 and (xtr == 0).mean() > 0.3
    assert len(np.unique(xtr[:500].reshape(500, -1), axis=0)) == 500
    with np.load(os.path.join(data.DATA_DIR, data.SAMPLE_FILES[name]), allow_pickle=False) as z:
        assert all(z[k].dtype == np.uint8 for k in z.files)


def test_pipeline_scales_per_batch_and_keeps_labels():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (50, 28, 28), dtype=np.uint8)
    x[0] = 0
    x[1] = 255
    y = np.arange(50) % 10
    ds = data.make_dataset(x, y, batch_size=50, seed=3, shuffle=False, repeat=False)
    xb, yb = next(iter(ds))
    assert xb.shape == (50, 28, 28, 1) and xb.dtype.name == "float32"
    assert float(xb[0].numpy().min()) == -1.0 and float(xb[1].numpy().max()) == 1.0
    np.testing.assert_array_equal(data.to_uint8(xb.numpy())[..., 0], x)
    np.testing.assert_array_equal(yb.numpy(), y)
    xs = next(iter(data.make_dataset(x, batch_size=10, scale="sigmoid", seed=0)))
    assert 0.0 <= float(xs.numpy().min()) and float(xs.numpy().max()) <= 1.0


def test_pipeline_shuffle_is_seeded_and_pairs_stay_aligned():
    x = np.repeat(np.arange(40, dtype=np.uint8)[:, None, None], 28, 1).repeat(28, 2)
    y = np.arange(40) % 10
    take = lambda s: next(iter(data.make_dataset(x, y, batch_size=16, seed=s)))
    (a, ya), (b, _), (c, _) = take(5), take(5), take(6)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy())
    ids = data.to_uint8(a.numpy())[:, 0, 0, 0]
    np.testing.assert_array_equal(ids % 10, ya.numpy())


def test_pipeline_rejects_bad_input():
    with pytest.raises(DataError, match="uint8"):
        data.make_dataset(np.zeros((4, 28, 28), np.float64))
    with pytest.raises(DataError, match=r"\(N, H, W\)"):
        data.make_dataset(np.zeros((4, 28), np.uint8))
    with pytest.raises(DataError, match="4 images but 3 labels"):
        data.make_dataset(np.zeros((4, 28, 28), np.uint8), np.zeros(3))


# --------------------------------------------------------------------------- bad inputs
@pytest.fixture
def offline(monkeypatch):
    """No download, no Debian package, no data variables: only what a test sets."""
    monkeypatch.setenv("GANLIB_OFFLINE", "1")
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", "/nonexistent")
    for var in ("GANLIB_DATA_DIR", "GANLIB_MNIST_DIR", "GANLIB_FASHION_MNIST_DIR"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_load_mnist_refuses_fashion_files_and_names_the_variable(tmp_path, offline):
    fm = str(tmp_path / "fm")
    make_idx_dir(fm, n_test=300, dataset="fashion_mnist")
    offline.setenv("GANLIB_MNIST_DIR", fm)
    with pytest.raises(DataError, match="(?s)do not look like mnist.*look like fashion_mnist"
                                        ".*GANLIB_MNIST_DIR"):
        data.load_mnist(verbose=False)
    with pytest.raises(DataError, match="(?s)do not look like mnist.*path argument"):
        data.load_mnist(fm, verbose=False)
    # the check can be switched off, and matching files pass it
    assert len(data.load_mnist(fm, verbose=False, verify=False)[0][1][0]) == 300
    assert len(data.load_fashion_mnist(fm, verbose=False)[0][1][0]) == 300


def test_per_dataset_variables_separate_the_two_datasets(tmp_path, offline):
    make_idx_dir(str(tmp_path / "m"), n_train=5, dataset="mnist")
    make_idx_dir(str(tmp_path / "f"), n_train=6, dataset="fashion_mnist")
    offline.setenv("GANLIB_MNIST_DIR", str(tmp_path / "m"))
    offline.setenv("GANLIB_FASHION_MNIST_DIR", str(tmp_path / "f"))
    ((xm, _), _), src_m = data.load_mnist(verbose=False)
    ((xf, _), _), src_f = data.load_fashion_mnist(verbose=False)
    assert len(xm) == 5 and str(tmp_path / "m") in src_m
    assert len(xf) == 6 and str(tmp_path / "f") in src_f


def test_shared_data_dir_holding_files_directly_is_refused(tmp_path, offline):
    make_idx_dir(str(tmp_path), dataset="fashion_mnist")  # no per-dataset subfolder
    offline.setenv("GANLIB_DATA_DIR", str(tmp_path))
    for load, var in ((data.load_mnist, "GANLIB_MNIST_DIR"),
                      (data.load_fashion_mnist, "GANLIB_FASHION_MNIST_DIR")):
        with pytest.raises(DataError, match=f"(?s)holds data files directly.*shared.*{var}"):
            load(verbose=False)


def test_truncated_npz_names_the_file_and_what_to_do(tmp_path, offline):
    with open(os.path.join(data.DATA_DIR, data.SAMPLE_FILES["mnist"]), "rb") as f:
        raw = f.read()
    p = tmp_path / "half.npz"
    p.write_bytes(raw[:len(raw) // 2])
    with pytest.raises(DataError, match=r"(?s)half\.npz.*not a valid, complete \.npz.*truncated"
                                        r".*(again|delete)"):
        data.load_mnist(str(p), verbose=False)
    offline.setenv("GANLIB_MNIST_DIR", str(p))
    with pytest.raises(DataError, match="(?s)half.npz.*GANLIB_MNIST_DIR"):
        data.load_mnist(verbose=False)


def test_random_bytes_npz_is_not_reported_as_pickled_data(tmp_path):
    p = tmp_path / "noise.npz"
    p.write_bytes(np.random.default_rng(0).integers(0, 256, 1000, dtype=np.uint8).tobytes())
    with pytest.raises(DataError, match=r"noise\.npz.*not an \.npz file") as err:
        data.load_mnist(str(p), verbose=False)
    assert "pickle" not in str(err.value)


@pytest.mark.parametrize("labels", [[-1] + [0] * 9, [10] + [0] * 9, [0.5] + [0] * 9,
                                    np.eye(10)], ids=["minus1", "ten", "half", "one-hot"])
def test_make_dataset_refuses_bad_labels(labels):
    x = np.zeros((10, 28, 28), np.uint8)
    with pytest.raises(DataError, match="labels"):
        data.make_dataset(x, labels, batch_size=2)


def test_make_dataset_accepts_n_by_1_labels_and_num_classes():
    x = np.zeros((10, 28, 28), np.uint8)
    y = (np.arange(10) % 5)[:, None]
    _, yb = next(iter(data.make_dataset(x, y, batch_size=10, shuffle=False, num_classes=5)))
    np.testing.assert_array_equal(yb.numpy(), np.arange(10) % 5)
    with pytest.raises(DataError, match=r"0 \.\. 3"):
        data.make_dataset(x, y, batch_size=2, num_classes=4)


@pytest.mark.parametrize("batch_size", [0, -4, 11, 2.5])
def test_make_dataset_refuses_bad_batch_sizes(batch_size):
    with pytest.raises(DataError, match=f"batch_size.*1 to the number of images.*{batch_size}"):
        data.make_dataset(np.zeros((10, 28, 28), np.uint8), batch_size=batch_size)


def test_make_dataset_refuses_empty_images():
    with pytest.raises(DataError, match="no images"):
        data.make_dataset(np.zeros((0, 28, 28), np.uint8), batch_size=1)


def test_data_and_metrics_do_not_import_each_other_both_ways():
    """metrics reads the shipped files through ganlib.datafiles; only data uses metrics (its
    classifiers check a user's dataset files), lazily."""
    import ast
    import pathlib

    def imports(name):
        tree = ast.parse((pathlib.Path(data.__file__).parent / f"{name}.py").read_text())
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found.update([node.module] if node.module else [a.name for a in node.names])
        return found

    assert "data" not in imports("metrics")
    assert "data" not in imports("datafiles") and "metrics" not in imports("datafiles")
