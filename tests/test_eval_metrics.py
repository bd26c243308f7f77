"""Chapter 7's measures on cases with known answers: precision / recall (Kynkäänniemi et al.,
2019), density / coverage (Naeem et al., 2020), nearest neighbours and the Fréchet distance.

Most tests work on plain feature arrays (Gaussians, fast); the last ones go through the shipped
Fashion-MNIST classifier, and one through `python -m ganlib evaluate`'s `chapters.evaluate`.
"""
import os

import numpy as np
import pytest

from ganlib import chapters, data, metrics


def gaussians(n, d=4, seed=0, centres=None, labels=None):
    """`n` points of a standard Gaussian in `d` dimensions, or of a mixture around `centres`."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    if centres is not None:
        x += centres[labels if labels is not None else rng.integers(0, len(centres), n)]
    return x


CENTRES = np.random.default_rng(99).normal(scale=8, size=(10, 4))   # ten well-separated modes


# --------------------------------------------------------------------------- feature level
@pytest.mark.parametrize("normalize", [False, True])
def test_two_samples_of_one_distribution_score_near_one(normalize):
    real, fake = gaussians(2000, centres=CENTRES, seed=1), gaussians(2000, centres=CENTRES, seed=2)
    pr = metrics.precision_recall(real, fake, normalize=normalize)
    dc = metrics.density_coverage(real, fake, normalize=normalize)
    assert pr["precision"] > 0.85 and pr["recall"] > 0.85, pr
    assert 0.9 < dc["density"] < 1.1, dc
    assert dc["coverage"] > 0.93, dc          # Naeem et al.: 1 - 2^-k ≈ 0.97 for k = 5


def test_one_mode_of_ten_keeps_precision_and_loses_recall_and_coverage():
    real = gaussians(2000, centres=CENTRES, seed=1)
    one = gaussians(2000, centres=CENTRES, labels=np.zeros(2000, int), seed=2)
    pr = metrics.precision_recall(real, one, normalize=False)
    dc = metrics.density_coverage(real, one, normalize=False)
    assert pr["precision"] > 0.85, pr
    assert pr["recall"] < 0.15 and dc["coverage"] < 0.15, (pr, dc)   # one tenth of the data
    assert dc["density"] > 0.85, dc


def test_noise_far_from_the_data_has_no_precision_or_density():
    real = gaussians(2000, centres=CENTRES, seed=1)
    noise = np.random.default_rng(3).uniform(-60, 60, (2000, 4))
    pr = metrics.precision_recall(real, noise, normalize=False)
    dc = metrics.density_coverage(real, noise, normalize=False)
    assert pr["precision"] < 0.05 and dc["density"] < 0.05 and dc["coverage"] < 0.05, (pr, dc)
    # recall's weakness that coverage fixes: spread-out junk has huge balls that hold the data
    assert pr["recall"] > 0.5


def test_results_match_a_brute_force_count_and_do_not_depend_on_the_chunking(monkeypatch):
    from scipy.spatial.distance import cdist
    real, fake, k = gaussians(300, seed=4), gaussians(200, seed=5) + 0.5, 3
    rr, ff, fr = cdist(real, real), cdist(fake, fake), cdist(fake, real)
    r_rad = np.sort(rr, 1)[:, k]          # column 0 is the point itself
    f_rad = np.sort(ff, 1)[:, k]
    inside = fr <= r_rad[None, :]
    inside_5 = fr <= np.sort(rr, 1)[:, 5][None, :]     # density and coverage with k = 5
    want = dict(precision=inside.any(1).mean(), recall=(fr <= f_rad[:, None]).any(0).mean(),
                density=inside_5.sum() / (5 * len(fake)), coverage=inside_5.any(0).mean())
    for chunk in (metrics.CHUNK_ELEMENTS, 1000, 1):
        monkeypatch.setattr(metrics, "CHUNK_ELEMENTS", chunk)
        got = {**metrics.precision_recall(real, fake, k=k, normalize=False),
               **metrics.density_coverage(real, fake, k=5, normalize=False)}
        assert got == pytest.approx(want, abs=1e-12), chunk


def test_nearest_neighbours_match_scipy_and_leave_self_out():
    from scipy.spatial.distance import cdist
    q, p = gaussians(60, d=7, seed=6), gaussians(250, d=7, seed=7)
    dist, idx = metrics.nearest_neighbours(q, p, k=4)
    order = np.argsort(cdist(q, p), 1)[:, :4]
    assert np.array_equal(idx, order)
    assert dist == pytest.approx(np.take_along_axis(cdist(q, p), order, 1))
    d_self, i_self = metrics.nearest_neighbours(p, p, k=1, exclude_self=True)
    assert (i_self[:, 0] != np.arange(len(p))).all()
    assert d_self[:, 0] == pytest.approx(np.sort(cdist(p, p), 1)[:, 1])
    assert metrics.knn_radii(p, 2) == pytest.approx(np.sort(cdist(p, p), 1)[:, 2])


def test_unit_rows_keep_directions_and_zero_rows():
    f = np.array([[3.0, 4.0], [0.0, 0.0], [0.0, -2.0]])
    assert metrics.unit_rows(f) == pytest.approx(np.array([[0.6, 0.8], [0, 0], [0, -1]]))


@pytest.mark.parametrize("call, message", [
    (lambda: metrics.precision_recall(np.zeros((3, 4)), np.zeros((9, 4)), k=3), "real: 3 points"),
    (lambda: metrics.precision_recall(np.zeros((9, 4)), np.zeros((2, 4)), k=3), "fake: 2 points"),
    (lambda: metrics.density_coverage(np.zeros((9, 4)), np.zeros((9, 5))), "differ in width"),
    (lambda: metrics.density_coverage(np.zeros((9, 4)), np.zeros((9, 4)), k=0), "positive"),
    (lambda: metrics.precision_recall(np.zeros((5, 28, 28)), np.zeros((5, 28, 28))), "dataset"),
    (lambda: metrics.precision_recall(np.full((9, 4), np.nan), np.zeros((9, 4))), "finite"),
    (lambda: metrics.nearest_neighbours(np.zeros((2, 3)), np.zeros((4, 2))), "same number"),
    (lambda: metrics.nearest_neighbours(np.zeros((2, 3)), np.zeros((4, 3)), k=5), "k = 5"),
], ids=["few real", "few fake", "widths", "k=0", "no dataset", "nan", "columns", "big k"])
def test_bad_input_is_refused_with_a_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- Fréchet distance
def test_frechet_distance_of_two_samples_of_one_gaussian_is_near_zero():
    a, b = gaussians(20000, d=8, seed=8), gaussians(20000, d=8, seed=9)
    fd = metrics.frechet_distance_from_stats(a.mean(0), np.cov(a, rowvar=False),
                                             b.mean(0), np.cov(b, rowvar=False))
    shifted = metrics.frechet_distance_from_stats(a.mean(0), np.cov(a, rowvar=False),
                                                  b.mean(0) + 1, np.cov(b, rowvar=False))
    assert fd < 0.01 and shifted == pytest.approx(8, rel=0.02)   # ‖(1, …, 1)‖² = 8


def test_frechet_distance_of_known_gaussians_matches_its_closed_form():
    """N(μ1, Σ1) and N(μ2, Σ2) with Σ2 = R diag(s) Rᵀ, Σ1 = R diag(t) Rᵀ (commuting):
    FD = ‖μ1 − μ2‖² + Σ (√t − √s)², from the exact statistics and from 100,000 samples."""
    rng = np.random.default_rng(10)
    d = 6
    rot = np.linalg.qr(rng.normal(size=(d, d)))[0]
    t, s = rng.uniform(0.5, 3, d), rng.uniform(0.5, 3, d)
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    s1, s2 = rot @ np.diag(t) @ rot.T, rot @ np.diag(s) @ rot.T
    closed = ((mu1 - mu2) ** 2).sum() + ((np.sqrt(t) - np.sqrt(s)) ** 2).sum()
    assert metrics.frechet_distance_from_stats(mu1, s1, mu2, s2) == pytest.approx(closed, rel=1e-9)
    a = rng.multivariate_normal(mu1, s1, 100_000)
    b = rng.multivariate_normal(mu2, s2, 100_000)
    fd = metrics.frechet_distance_from_stats(a.mean(0), np.cov(a, rowvar=False),
                                             b.mean(0), np.cov(b, rowvar=False))
    assert fd == pytest.approx(closed, rel=0.03, abs=0.01)


# --------------------------------------------------------------------------- the real classifier
@pytest.fixture(scope="module")
def fashion():
    path = os.path.join(data.DATA_DIR, data.SAMPLE_FILES["fashion_mnist"])
    (xtr, ytr), (xte, _) = data.load_dataset("fashion_mnist", path, verbose=False)[0]
    return xtr[:1000], ytr[:1000], xte[:1000], ytr[ytr == 0][:300], xtr[ytr == 0][:300]


def test_on_the_classifier_real_scores_high_one_class_low_recall_noise_low_precision(fashion):
    xtr, _, xte, _, one_class = fashion
    real_f = metrics.feature_array(xte, "fashion_mnist")
    pr_real = metrics.precision_recall(real_f, xtr, "fashion_mnist")   # images or features
    dc_real = metrics.density_coverage(real_f, xtr, "fashion_mnist")
    assert pr_real["precision"] > 0.75 and pr_real["recall"] > 0.75, pr_real
    assert dc_real["coverage"] > 0.9 and 0.8 < dc_real["density"] < 1.2, dc_real
    pr_one = metrics.precision_recall(real_f[:300], one_class, "fashion_mnist")
    dc_one = metrics.density_coverage(real_f[:300], one_class, "fashion_mnist")
    assert pr_one["precision"] > 0.6 and dc_one["coverage"] < 0.3, (pr_one, dc_one)
    assert pr_one["recall"] < 0.75 * pr_real["recall"], pr_one
    noise = np.random.default_rng(0).integers(0, 256, (1000, 28, 28)).astype(np.uint8)
    pr_noise = metrics.precision_recall(real_f, noise, "fashion_mnist")
    assert pr_noise["precision"] < 0.5 * pr_real["precision"], pr_noise
    blank = np.zeros((1000, 28, 28), np.uint8)
    pr_blank = metrics.precision_recall(real_f, blank, "fashion_mnist")
    assert pr_blank["precision"] == 0.0 and pr_blank["recall"] == 0.0, pr_blank
    # why the default measures directions: on the raw ReLU features blank images sit near the
    # origin, inside the big balls of the least typical real images, and look perfectly precise
    raw = metrics.precision_recall(real_f, blank, "fashion_mnist", normalize=False)
    assert raw["precision"] > 0.9, raw


def test_evaluate_reports_precision_recall_density_coverage(tmp_path, monkeypatch):
    monkeypatch.setenv("GANLIB_MODE", "smoke")
    run = tmp_path / "run"
    chapters.train("01_dcgan", "smoke", str(run), precision="float32", verbose=0)
    got = chapters.evaluate(str(run), n=60)
    for key in ("precision", "recall", "density", "coverage"):
        assert isinstance(got[key], float) and got[key] >= 0, (key, got)
    assert got["precision"] <= 1 and got["recall"] <= 1 and got["coverage"] <= 1
    assert "FD" in got


# --------------------------------------------------------------------------- the exercises' checks
def test_chapter7_checks_pass_right_answers_and_catch_the_usual_slips():
    from scipy.spatial.distance import cdist
    from ganlib import check

    def radii(x, k, counted_self=False):
        return np.sort(cdist(x, x), 1)[:, k - 1 if counted_self else k]

    def precision(real, fake, k):
        return float((cdist(fake, real) <= radii(real, k)[None]).any(1).mean())

    def precision_self_as_neighbour(real, fake, k):   # the point itself taken as a neighbour
        return float((cdist(fake, real) <= radii(real, k, True)[None]).any(1).mean())

    def coverage(real, fake, k):
        return float((cdist(fake, real) <= radii(real, k)[None]).any(0).mean())

    def coverage_with_fake_balls(real, fake, k):      # that is recall, not coverage
        return float((cdist(fake, real) <= radii(fake, k)[:, None]).any(0).mean())

    assert check.knn_precision(precision) and check.knn_coverage(coverage)
    assert not check.knn_precision(precision_self_as_neighbour)
    assert not check.knn_coverage(coverage_with_fake_balls)
    assert not check.knn_precision(coverage)


# --------------------------------------------------------------------------- chapter 7's helpers
def test_quality_table_and_fd_from_features_agree_with_the_image_functions(fashion, capsys):
    xtr, _, xte, _, _ = fashion
    fa, fb = metrics.feature_array(xtr[:300], "fashion_mnist"), metrics.feature_array(xte[:300], "fashion_mnist")
    fd = metrics.frechet_distance(xtr[:300], xte[:300], "fashion_mnist")
    assert metrics.frechet_distance_from_features(fa, fb) == pytest.approx(fd, rel=1e-9)
    as_tanh = xtr[:300].astype(np.float32) / 127.5 - 1
    rows = metrics.quality_table(xte[:300], {"uint8": xtr[:300], "tanh": (as_tanh, "tanh")},
                                 "fashion_mnist")
    assert set(rows) == {"uint8", "tanh"} and set(rows["uint8"]) == set(metrics.QUALITY_MEASURES)
    assert rows["uint8"]["FD"] == pytest.approx(fd, rel=1e-6)
    assert rows["tanh"] == pytest.approx(rows["uint8"], abs=0.01)
    assert rows["uint8"] == {"FD": rows["uint8"]["FD"], **metrics.precision_recall(fb, fa),
                             **metrics.density_coverage(fb, fa)}
    out = capsys.readouterr().out
    assert "precision" in out.splitlines()[0] and out.count("\n") == 3


def test_draw_is_seeded_truncates_and_passes_acgan_labels():
    dcgan, _ = chapters.load_reference("01_dcgan")
    a, scale = metrics.draw(dcgan, 16, seed=3)
    assert scale == "tanh" and a.shape == (16, 28, 28, 1)
    assert np.array_equal(a, metrics.draw(dcgan, 16, seed=3)[0])
    assert not np.array_equal(a, metrics.draw(dcgan, 16, seed=4)[0])
    flat, _ = metrics.draw(dcgan, 4, seed=3, truncation=0.0)        # one input: one image
    assert np.allclose(flat, flat[:1], atol=1e-6)
    acgan, _ = chapters.load_reference("02_acgan")
    trousers, scale = metrics.draw(acgan, 40, seed=3, labels=np.full(40, 1))
    assert (metrics.predict_labels(trousers, "fashion_mnist", scale) == 1).mean() > 0.9
