"""Measured quality: the metrics must separate good from bad images, and say why they refuse input.

The classifier tests load the shipped reference classifiers (data/classifier_*.keras)
and score the real images of the shipped samples (2,000 held-out per dataset).
"""
import os

import numpy as np
import pytest

from ganlib import data, metrics
from ganlib.metrics import ClassifierError


def sample(name):
    path = os.path.join(data.DATA_DIR, data.SAMPLE_FILES[name])
    return data.load_dataset(name, path, verbose=False)[0]


@pytest.fixture(scope="module")
def mnist():
    return sample("mnist")


@pytest.fixture(scope="module")
def fashion():
    return sample("fashion_mnist")


# --------------------------------------------------------------------------- classifiers
@pytest.mark.parametrize("name", ["mnist", "fashion_mnist"])
def test_shipped_classifiers_are_small_float32_and_have_features(name):
    path = metrics.classifier_path(name)
    assert os.path.getsize(path) <= 2_000_000
    clf = metrics.load_classifier(name)
    assert metrics.load_classifier(name) is clf  # cached per process
    assert clf.get_layer("features").output.shape[-1] == 128
    assert all(w.dtype == "float32" for w in clf.weights)


def test_class_accuracy_of_real_images_is_the_classifiers_accuracy(mnist):
    _, (xte, yte) = mnist
    clf = metrics.load_classifier("mnist")
    direct = float((clf.predict(xte[..., None] / 255.0, verbose=0).argmax(1) == yte).mean())
    res = metrics.class_accuracy(xte, yte, "mnist")
    assert res["overall"] == pytest.approx(direct, abs=1e-9)
    assert res["overall"] >= 0.97  # the shipped weights are good enough to judge digits
    counts = np.bincount(yte, minlength=10)
    assert res["per_class"].shape == (10,)
    assert (res["per_class"] * counts).sum() / counts.sum() == pytest.approx(res["overall"])
    # the same images as a generator would emit them: floats in [-1, 1] (one flip allowed)
    as_tanh = xte.astype(np.float32) / 127.5 - 1.0
    assert abs(metrics.class_accuracy(as_tanh, yte, "mnist")["overall"] - direct) <= 1 / len(xte)


def test_label_shuffled_generator_scores_chance(fashion):
    _, (xte, yte) = fashion
    shuffled = np.random.default_rng(0).permutation(yte)
    res = metrics.class_accuracy(xte, shuffled, "fashion_mnist")
    assert 0.06 < res["overall"] < 0.14
    assert metrics.class_accuracy(xte, yte, "fashion_mnist")["overall"] > 0.85


def test_classifier_score_real_beats_one_repeated_image(fashion):
    _, (xte, _) = fashion
    real = metrics.classifier_score(xte[:1000], "fashion_mnist")
    same = metrics.classifier_score(np.repeat(xte[:1], 1000, axis=0), "fashion_mnist")
    assert same == pytest.approx(1.0, abs=1e-6)
    assert 6.0 < real <= 10.0
    assert metrics.score_from_probs(np.eye(10)) == pytest.approx(10.0)


def test_code_purity_finds_a_permuted_mapping(mnist):
    _, (xte, yte) = mnist
    perm = np.random.default_rng(3).permutation(10)  # code c draws class k where perm[k] == c
    predicted = metrics.predict_labels(xte, "mnist")
    purity, mapping = metrics.code_purity(perm[predicted], xte, "mnist")
    assert purity == 1.0
    assert mapping == {int(perm[k]): k for k in range(10)}
    # codes that follow the true labels: purity is the classifier's accuracy
    purity, mapping = metrics.code_purity(perm[yte], xte, "mnist")
    assert purity == pytest.approx(float((predicted == yte).mean()))
    assert mapping == {int(perm[k]): k for k in range(10)}
    # codes unrelated to the images: far from pure
    rand_codes = np.random.default_rng(1).integers(0, 10, len(yte))
    assert metrics.code_purity(rand_codes, predicted=predicted)[0] < 0.2


def test_code_class_table_counts_code_class_pairs():
    table = metrics.code_class_table([0, 0, 1, 11], [3, 3, 5, 9])
    assert table.shape == (12, 10) and table.sum() == 4
    assert table[0, 3] == 2 and table[1, 5] == 1 and table[11, 9] == 1
    with pytest.raises(ValueError, match="non-negative"):
        metrics.code_class_table([-1, 0], [1, 2])


# --------------------------------------------------------------------------- Fréchet distance
def test_frechet_distance_separates_real_from_noise(fashion):
    (xtr, _), (xte, _) = fashion
    noise = np.random.default_rng(0).uniform(-1, 1, (1000, 28, 28)).astype(np.float32)
    fd_real = metrics.frechet_distance(xtr[:1000], xte[:1000], "fashion_mnist")
    fd_noise = metrics.frechet_distance(xte[:1000], noise, "fashion_mnist")
    assert fd_real < 0.05 * fd_noise
    # a "generator" that draws only two classes is much worse than real data
    (_, ytr), _ = fashion
    two = xtr[np.isin(ytr, [1, 8])][:1000]
    assert metrics.frechet_distance(two, xte[:1000], "fashion_mnist") > 5 * fd_real


def test_frechet_distance_is_symmetric_and_zero_on_identical_sets(mnist):
    (xtr, _), (xte, _) = mnist
    a, b = xtr[:500], xte[:500]
    ab = metrics.frechet_distance(a, b, "mnist")
    assert ab == pytest.approx(metrics.frechet_distance(b, a, "mnist"), rel=1e-6)
    assert metrics.frechet_distance(a, a, "mnist") < 1e-6 * ab
    # scale conventions meet: uint8 vs the same images as [0, 1] floats
    as_sigmoid = a.astype(np.float32) / 255.0
    assert metrics.frechet_distance(a, as_sigmoid, "mnist", scale_b="sigmoid") < 1e-6 * ab


def test_frechet_distance_from_stats_known_values():
    # 1-D Gaussians: (mu1 - mu2)^2 + (sigma1 - sigma2)^2
    assert metrics.frechet_distance_from_stats([0.0], [[1.0]], [1.0], [[4.0]]) == pytest.approx(2.0)
    s1, s2 = np.diag([1.0, 4.0, 9.0]), np.diag([4.0, 4.0, 1.0])
    assert metrics.frechet_distance_from_stats(np.zeros(3), s1, np.ones(3), s2) == \
        pytest.approx(3 + 1 + 0 + 4)
    # rank-deficient covariances (fewer samples than features) stay finite
    f = np.random.default_rng(0).normal(size=(5, 20))
    g = np.random.default_rng(1).normal(size=(5, 20))
    fd = metrics.frechet_distance_from_stats(f.mean(0), np.cov(f, rowvar=False),
                                             g.mean(0), np.cov(g, rowvar=False))
    assert np.isfinite(fd) and fd > 0
    with pytest.raises(ValueError, match="mismatched"):
        metrics.frechet_distance_from_stats(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))


# --------------------------------------------------------------------------- input checks
def test_classifier_metrics_reject_bad_images():
    with pytest.raises(ValueError, match=r"\(N, 28, 28\) or \(N, 28, 28, 1\).*\(4, 32, 32\)"):
        metrics.class_accuracy(np.zeros((4, 32, 32), np.uint8), np.zeros(4), "mnist")
    with pytest.raises(ValueError, match=r"outside the \[-1, 1\].*uint8"):
        metrics.classifier_score(np.full((4, 28, 28), 200.0), "mnist")
    with pytest.raises(ValueError, match=r"outside the \[0, 1\] of scale='sigmoid'"):
        metrics.classifier_score(np.full((4, 28, 28), -0.5), "mnist", scale="sigmoid")
    with pytest.raises(ValueError, match="NaN"):
        metrics.frechet_distance(np.full((4, 28, 28), np.nan), np.zeros((4, 28, 28)), "mnist")
    with pytest.raises(ValueError, match="scale must be"):
        metrics.classifier_score(np.zeros((4, 28, 28)), "mnist", scale="0-255")
    with pytest.raises(ValueError, match="no images"):
        metrics.classifier_score(np.zeros((0, 28, 28), np.uint8), "mnist")
    with pytest.raises(ValueError, match="expected 4 labels"):
        metrics.class_accuracy(np.zeros((4, 28, 28), np.uint8), np.zeros(3, int), "mnist")
    with pytest.raises(ValueError, match="unknown dataset 'cifar10'"):
        metrics.load_classifier("cifar10")


def test_missing_or_corrupt_classifier_says_how_to_retrain(tmp_path):
    with pytest.raises(ClassifierError, match="(?s)not found.*train_classifiers.py"):
        metrics.load_classifier("mnist", path=str(tmp_path / "classifier_mnist.keras"))
    bad = tmp_path / "classifier_mnist.keras"
    bad.write_bytes(b"not a zip archive at all")
    with pytest.raises(ClassifierError, match="(?s)corrupt.*train_classifiers.py"):
        metrics.load_classifier("mnist", path=str(bad))


# --------------------------------------------------------------------------- image-to-image
def test_image_metrics_on_identical_and_known_pairs():
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (3, 32, 32, 3)).astype(np.float32)
    assert metrics.l1(a, a) == 0.0
    assert metrics.psnr(a, a) == np.inf
    assert metrics.ssim(a, a) == pytest.approx(1.0, abs=1e-6)
    zero, tenth = np.zeros((2, 16, 16, 1)), np.full((2, 16, 16, 1), 0.1)
    assert metrics.psnr(zero, tenth, scale="sigmoid") == pytest.approx(20.0)
    assert metrics.l1(zero, tenth, scale="sigmoid") == pytest.approx(0.1)
    # the same pair in [-1, 1]: same L1 and PSNR (both relative to the data range)
    assert metrics.psnr(zero * 2 - 1, tenth * 2 - 1) == pytest.approx(20.0)
    assert metrics.l1(zero * 2 - 1, tenth * 2 - 1) == pytest.approx(0.1)
    assert metrics.ssim(a, -a) < -0.9  # anti-correlated
    # the same as TensorFlow's SSIM on [0, 1] images, whichever convention is passed in
    import tensorflow as tf
    b = np.clip(a + rng.normal(0, 0.3, a.shape), -1, 1).astype(np.float32)
    a01, b01 = (a + 1) / 2, (b + 1) / 2
    expected = float(np.mean(tf.image.ssim(a01, b01, max_val=1.0)))
    assert metrics.ssim(a01, b01, scale="sigmoid") == pytest.approx(expected, abs=1e-5)
    assert metrics.ssim(a, b) == pytest.approx(expected, abs=1e-5)
    u8 = rng.integers(0, 256, (2, 28, 28), dtype=np.uint8)
    assert metrics.psnr(u8, u8) == np.inf and metrics.ssim(u8, u8) == pytest.approx(1.0)


def test_baselines_rank_a_close_copy_above_the_mean_colour():
    rng = np.random.default_rng(0)
    targets = np.clip(rng.normal(0, 0.5, (4, 32, 32, 3)).cumsum(1) / 8, -1, 1).astype(np.float32)
    sources = np.clip(targets + rng.normal(0, 0.05, targets.shape), -1, 1)
    b = metrics.baselines(sources, targets)
    assert set(b) == {"copy input", "mean colour"}
    copy, mean = b["copy input"], b["mean colour"]
    assert copy["l1"] < mean["l1"] and copy["psnr"] > mean["psnr"] and copy["ssim"] > mean["ssim"]
    # a grayscale source is tiled to the target's colour channels
    gray = sources.mean(-1, keepdims=True)
    assert metrics.baselines(gray, targets)["copy input"]["l1"] > 0
    with pytest.raises(ValueError, match="differ in shape"):
        metrics.l1(targets, targets[:2])
    with pytest.raises(ValueError, match=r"outside \[-1, 1\]"):
        metrics.psnr(targets * 300, targets)
    with pytest.raises(ValueError, match=r"outside \[0, 1\]"):
        metrics.ssim(targets, targets, scale="sigmoid")
    with pytest.raises(ValueError, match="same convention"):
        metrics.l1(np.zeros((2, 8, 8), np.uint8), np.zeros((2, 8, 8)))


# --------------------------------------------------------------------------- during training
def test_metric_history_records_generator_steps():
    from ganlib import dcgan
    gan = dcgan.make_dcgan(seed=0)
    x = np.random.default_rng(0).integers(0, 256, (256, 28, 28), dtype=np.uint8)
    ds = data.make_dataset(x, batch_size=32, seed=0)
    hist = metrics.MetricHistory(lambda g: {"mean": g.generate(8).mean(), "n": 8.0},
                                 every=2, at_start=True)
    gan.fit(ds, epochs=4, steps_per_epoch=2, verbose=0, callbacks=[hist])
    assert hist.steps == [0, 4, 8]
    steps, vals = hist.series("n")
    assert steps.tolist() == [0, 4, 8] and vals.tolist() == [8.0] * 3
    with pytest.raises(ValueError, match="pick a key"):
        hist.series()
    with pytest.raises(ValueError, match="every"):
        metrics.MetricHistory(lambda g: 0.0, every=0)


class _ReplayGenerator:
    """A stand-in generator that returns fixed images in [0, 1], whatever the noise."""

    latent_dim, noise = 8, "uniform"

    def __init__(self, images):
        self.images = images

    def generate(self, inputs):
        assert inputs.shape == (len(self.images), self.latent_dim)
        return self.images


def test_score_generators_ranks_real_digits_above_noise(mnist, capsys):
    (x, _), (xt, _) = mnist
    n = 500
    real_like = (x[-n:, ..., None] / 255.0).astype("float32")
    noise = np.random.default_rng(0).uniform(0, 1, real_like.shape).astype("float32")
    rows = metrics.score_generators({"replays real": _ReplayGenerator(real_like),
                                     "noise": _ReplayGenerator(noise)}, x, xt, n=n)
    assert list(rows) == ["real (train vs test)", "replays real", "noise"]
    assert rows["replays real"][0] < 0.1 * rows["noise"][0]
    assert rows["replays real"][1] > 2 * rows["noise"][1]
    assert "Fréchet distance" in capsys.readouterr().out


# --------------------------------------------------------------------------- bad inputs
def test_class_accuracy_and_code_purity_accept_n_by_1_labels(mnist):
    _, (xte, yte) = mnist
    x, y = xte[:300], yte[:300]
    flat = metrics.class_accuracy(x, y, "mnist")["overall"]
    assert flat > 0.9
    assert metrics.class_accuracy(x, y[:, None], "mnist")["overall"] == flat  # ACGAN's (N, 1)
    predicted = metrics.predict_labels(x, "mnist")
    assert metrics.code_purity(predicted[:, None], predicted=predicted)[0] == 1.0
    assert metrics.code_purity(predicted[:, None], x, "mnist")[0] == 1.0


@pytest.mark.parametrize("shape", [(20, 2), (20, 10), (1, 20), (20, 1, 1)])
def test_class_accuracy_and_code_purity_refuse_other_label_shapes(shape):
    x = np.zeros((20, 28, 28), np.uint8)
    labels = np.zeros(shape, int)
    with pytest.raises(ValueError, match=r"requested_labels: expected 20 labels.*\(20,\) or \(20, 1\)"):
        metrics.class_accuracy(x, labels, "mnist")
    with pytest.raises(ValueError, match=r"codes: expected 20 labels.*got shape"):
        metrics.code_purity(labels, predicted=np.zeros(20, int))


@pytest.mark.parametrize("bad", [-2, 0, np.nan, "wide"])
def test_image_metrics_refuse_non_positive_data_range(bad):
    a = np.random.default_rng(0).uniform(-1, 1, (2, 16, 16, 1))
    b = np.clip(a + 0.1, -1, 1)
    for fn in (metrics.ssim, metrics.psnr, metrics.l1, metrics.image_metrics, metrics.baselines):
        with pytest.raises(ValueError, match=r"data_range must be a positive number.*got"):
            fn(a, b, data_range=bad)
    assert metrics.ssim(a, b, data_range=2.0) == metrics.ssim(a, b)  # a valid range still works


def test_code_purity_refuses_huge_code_values_instead_of_allocating():
    with pytest.raises(ValueError, match=r"codes: a code value of 1000000000.*below 10,000"):
        metrics.code_purity(np.array([1e9, 0, 1]), predicted=[1, 2, 3])
    assert metrics.code_purity([9_999, 0], predicted=[1, 2])[0] == 1.0  # large but sane


EMPTY = np.zeros((0, 28, 28), np.uint8)
EMPTY_PAIRS = np.zeros((0, 16, 16, 3), np.float32)


@pytest.mark.parametrize("call", [
    lambda: metrics.frechet_distance(EMPTY, EMPTY, "mnist"),
    lambda: metrics.classifier_score(EMPTY, "mnist"),
    lambda: metrics.class_accuracy(EMPTY, [], "mnist"),
    lambda: metrics.code_purity([], EMPTY, "mnist"),
    lambda: metrics.code_purity([], predicted=[]),
    lambda: metrics.ssim(EMPTY_PAIRS, EMPTY_PAIRS),
    lambda: metrics.psnr(EMPTY_PAIRS, EMPTY_PAIRS),
    lambda: metrics.l1(EMPTY_PAIRS, EMPTY_PAIRS),
    lambda: metrics.baselines(EMPTY_PAIRS, EMPTY_PAIRS),
], ids=["frechet_distance", "classifier_score", "class_accuracy", "code_purity_images",
        "code_purity_predicted", "ssim", "psnr", "l1", "baselines"])
def test_metrics_refuse_zero_images_clearly(call):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "mean of empty slice" on the way
        with pytest.raises(ValueError, match="no (images|labels)"):
            call()


def test_within_class_diversity_tells_a_varied_class_from_one_item_repeated(fashion):
    (xtr, ytr), (xte, yte) = fashion
    x, y = xte[:600], yte[:600]
    real = metrics.within_class_diversity(x, y, "fashion_mnist", scale="uint8")
    assert np.all(real["per_class"] > 0) and real["mean"] > 0
    # a "generator" that draws the first image of each class, slightly jittered
    first = np.stack([x[np.flatnonzero(y == k)[0]] for k in range(10)])
    rng = np.random.default_rng(0)
    same = np.clip(first[y].astype(int) + rng.integers(-3, 4, x.shape), 0, 255).astype(np.uint8)
    ratio = metrics.diversity_ratio(same, y, x, y, "fashion_mnist", scale_fake="uint8",
                                    scale_real="uint8")
    assert ratio["median"] < 0.3 and ratio["min"] < ratio["median"] + 1e-9
    other = metrics.diversity_ratio(xtr[:600], ytr[:600], x, y, "fashion_mnist",
                                    scale_fake="uint8", scale_real="uint8")
    assert 0.8 < other["median"] < 1.25        # real vs real: about 1
    one = metrics.within_class_diversity(x[:1], y[:1], "fashion_mnist", scale="uint8")
    assert np.isnan(one["per_class"]).sum() == 10


def test_within_class_diversity_refuses_labels_that_do_not_fit(fashion):
    _, (xte, yte) = fashion
    with pytest.raises(ValueError, match="one per image"):
        metrics.within_class_diversity(xte[:10], yte[:9], "fashion_mnist", scale="uint8")
    with pytest.raises(ValueError, match="0..9"):
        metrics.within_class_diversity(xte[:10], np.full(10, 12), "fashion_mnist", scale="uint8")


# --------------------------------------------------------------------------- style factors
def _bar(shear, width=2, value=1.0):
    """A vertical bar through the centre, sheared by `shear` pixels of x per pixel of y (up)."""
    img = np.zeros((28, 28), np.float32)
    for r in range(4, 24):
        y = 27 - r - 13.5
        c = int(round(13.5 + shear * y))
        img[r, max(0, c - width // 2):c - width // 2 + width] = value
    return img


def test_slant_reads_the_lean_of_a_stroke():
    from ganlib import metrics
    bars = np.stack([_bar(s) for s in (-0.4, -0.2, 0.0, 0.2, 0.4)])
    got = metrics.slant(bars, scale="sigmoid")
    assert abs(got[2]) < 0.02
    assert np.all(np.diff(got) > 0.1)                 # leaning right (/) is positive
    np.testing.assert_allclose(got, [-0.4, -0.2, 0, 0.2, 0.4], atol=0.06)
    assert metrics.slant(np.zeros((1, 28, 28), np.uint8))[0] == 0.0


def test_stroke_mass_and_code_correlations():
    from ganlib import metrics
    rng = np.random.default_rng(0)
    c2, c3 = rng.uniform(-1, 1, 200), rng.uniform(-1, 1, 200)
    images = np.stack([_bar(0.3 * a, width=2 + int(round(2 * (b + 1)))) for a, b in zip(c2, c3)])
    mass = metrics.stroke_mass(images, scale="sigmoid")
    assert np.corrcoef(mass, c3)[0, 1] > 0.9
    r = metrics.code_factor_correlations(np.stack([c2, c3], 1), images, scale="sigmoid")
    assert r[(0, "slant")] > 0.9 and r[(1, "stroke mass")] > 0.9
    assert abs(r[(0, "stroke mass")]) < 0.3 and abs(r[(1, "slant")]) < 0.3
    # within groups: a factor that only differs between the groups is not credited to the code
    group = (c2 > 0).astype(int)
    r_in = metrics.code_factor_correlations(group[:, None] + 0.01 * rng.normal(size=(200, 1)),
                                            images, scale="sigmoid", within=group)
    assert abs(r_in[(0, "slant")]) < 0.3
    with pytest.raises(ValueError, match="one row of codes per image"):
        metrics.code_factor_correlations(np.zeros((5, 2)), images, scale="sigmoid")


def test_correlation_over_training_pairs_each_record_with_its_interval():
    from ganlib import metrics
    record = metrics.MetricHistory(lambda g: 0.0, name="FD")
    record.set_state({"steps": [0, 20, 40, 60, 80], "values": [300.0, 200.0, 150.0, 120.0, 100.0]})
    w = {"w_dist": [9.0, 8.0, 6.0, 5.0, 4.5, 4.0, 3.8, 3.0]}        # one per 10-step interval
    got = metrics.correlation_over_training(w, "w_dist", record, steps_per_interval=10)
    assert got["pairs"] == [(8.0, 200.0), (5.0, 150.0), (4.0, 120.0), (3.0, 100.0)]
    assert got["n"] == 4 and got["rho"] == pytest.approx(1.0) and got["r"] > 0.95
    flipped = metrics.correlation_over_training({"w_dist": [-v for v in w["w_dist"]]}, "w_dist",
                                                record, steps_per_interval=10)
    assert flipped["r"] < -0.95
    with pytest.raises(ValueError, match="measure more often"):
        metrics.correlation_over_training(w, "w_dist", record, steps_per_interval=1000)
