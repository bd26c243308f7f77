# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 7 — How to tell a good GAN: evaluation and diagnostics
#
# Every chapter so far ended with a number: a Fréchet distance, a class accuracy, a code purity.
# This chapter is about those numbers themselves — what they measure, what they miss and how they
# mislead — and about the other questions a careful evaluation asks of a generator: does it draw
# every kind of image the data holds? Has it memorised its training set? Do the numbers agree with
# what you see? It trains **nothing**: every generator here is one of the reference runs shipped
# in `data/pretrained/` with chapters 1–6, or a deliberately broken version of one.
#
# **Learning goals.** After this chapter you can
#
# * say what the Fréchet distance measures, why it depends on the number of samples, and why two
#   FDs are comparable only at the same sample size and with the same feature network;
# * measure *quality* and *diversity* separately, with precision and recall (Kynkäänniemi et al.,
#   2019) and density and coverage (Naeem et al., 2020), and say which failure each one catches;
# * check a generator's mode coverage with a classifier's class histogram;
# * screen a generator for memorised training images with nearest neighbours, in pixels and in
#   features, against the distances held-out real images give;
# * read the precision–recall trade-off of truncating the noise;
# * compare a metric's ranking of generators with your own eye.
#
# **Prerequisites.** Chapter 1 (the generator, the noise $z$, the Fréchet distance as used there).
# The generators of chapters 2 (ACGAN) and 3, 5 and 6 (MNIST) are used as they are; you do not need
# those chapters to follow this one. Chapter 0's mode count is referred to once.
#
# **Run modes.** Nothing trains, so the run mode only sets **how many images** each measurement
# uses (the table the first cell prints): `smoke` (a few hundred: the automated tests), `class`
# (the default: thousands, a few minutes on a 2-core laptop CPU) or `full` (more where the data
# allows). `pretrained` measures as `class` does.

# %%
# NBVAL_IGNORE_OUTPUT
import matplotlib.pyplot as plt
import numpy as np

import ganlib  # first: it imports TensorFlow with the start-up log lines muted
import tensorflow as tf
from ganlib import chapters, check, config, data, metrics, viz
from ganlib.show import show

MODE = None   # None: $GANLIB_MODE (default class); the mode sets the sample sizes below
config.use_mode(MODE)
SIZES = config.select({
    "smoke": dict(fd_sizes=(50, 100, 200, 400), n=300, n_memo=200, n_search=1000, n_eye=100),
    "class": dict(fd_sizes=(100, 200, 500, 1000, 2000, 5000, 10000), n=2000, n_memo=2000,
                  n_search=20000, n_eye=500),       # n_search: training images searched
    "full": dict(fd_sizes=(100, 200, 500, 1000, 2000, 5000, 10000, 20000), n=5000, n_memo=5000,
                 n_search=None, n_eye=2000),
})
config.set_precision("float32", verbose=False)   # every model here is measured in float32
print("precision: float32  (nothing trains here; the shipped generators run in float32)")
SEED = 7
DATASET = "fashion_mnist"

# %% [markdown]
# ## 1. The data and the generators under test
#
# Chapter 1's DCGAN and chapter 2's ACGAN were trained on Fashion-MNIST, so most of this chapter
# measures against real Fashion-MNIST images. `chapters.load_reference` builds a chapter's model
# around the generator of its shipped reference run (read with Keras' safe mode) and returns that
# run's `about.json` too: how it was made and how long it trained. `metrics.draw` samples a model
# from seeded noise, so every number below can be reproduced.

# %%
# NBVAL_IGNORE_OUTPUT
((x_train, y_train), (x_test, y_test)), SOURCE = data.load_fashion_mnist()
CLASS_NAMES = data.class_names(DATASET)
dcgan, about_dcgan = chapters.load_reference("01_dcgan")
acgan, about_acgan = chapters.load_reference("02_acgan")
for name, about in (("01_dcgan", about_dcgan), ("02_acgan", about_acgan)):
    print(f"{name}: {about['steps']} generator steps — {about['made']}")

# %%
show(metrics.draw)

# %%
# NBVAL_IGNORE_OUTPUT
samples, scale = metrics.draw(dcgan, 64, seed=SEED)
viz.show_grid(samples, ncols=16, scale=scale, title="chapter 1's reference DCGAN", size=8)
plt.show()

# %% [markdown]
# ## 2. The Fréchet distance, understood
#
# **What it measures.** Pass $n$ real images and $n$ generated ones through a fixed network and keep
# a layer of features for each image. Fit a Gaussian to each set of features — a mean $\mu$ and a
# covariance $\Sigma$ — and measure the Fréchet (2-Wasserstein) distance between the two Gaussians:
#
# $$\mathrm{FD} = \lVert \mu_r - \mu_g \rVert^2 + \operatorname{Tr}\big(\Sigma_r + \Sigma_g - 2\,(\Sigma_r \Sigma_g)^{1/2}\big).$$
#
# The first term compares where the two clouds of features sit, the second how they spread. Zero
# means the same mean and covariance — not the same distribution: two Gaussians summarise each
# cloud, and anything the first two moments do not see, FD does not see either.
#
# **Which features.** The FID of the literature (Heusel et al., 2017) uses Inception-v3, a
# network trained on ImageNet photographs, at 299×299 colour pixels. This project uses instead
# the 128-unit `features` layer of a small CNN trained to classify the very dataset the GAN
# learns (`metrics.build_classifier`, shipped as `data/classifier_*.keras`), for three reasons:
# Inception has never seen a 28×28 grey digit or garment and would have to judge them blown up to
# photograph size; its features were shaped by 1,000 ImageNet classes, not by what tells a shirt
# from a pullover; and it is a 90 MB network, slow on a laptop CPU, where this one is 1 MB. The
# price: these FDs are **not** comparable with published FIDs, nor between the two datasets'
# classifiers, nor with the same classifier retrained — only numbers computed with the same
# classifier files compare.

# %%
show(metrics.frechet_distance_from_stats)

# %% [markdown]
# ### The bias with the number of samples
#
# $\mu$ and $\Sigma$ are *estimated* from $n$ images, and the estimation noise does not average
# out: the trace terms add a positive bias that shrinks roughly like $1/n$ (Chong & Forsyth, 2020).
# Two sets of real images from the same distribution, which have a true FD of zero, score above
# zero, and the smaller $n$ the higher. The next cell measures it: real against real (two disjoint
# halves of the real images, shuffled together) and the DCGAN against real, at each $n$ of the
# run mode's table (as far as the real images loaded go). The classifier runs once per image;
# each FD then uses the first $n$ feature vectors of each set. It also fits
# $\mathrm{FD}(n) \approx \mathrm{FD}_\infty + b/n$ to each curve, to estimate the FD an infinite
# sample would give.

# %%
# NBVAL_IGNORE_OUTPUT
pool = np.concatenate([x_train, x_test])[np.random.default_rng(SEED).permutation(
    len(x_train) + len(x_test))]
m = min(len(pool) // 2, max(SIZES["fd_sizes"]))    # real images in each of the two halves
n_gen = min(max(SIZES["fd_sizes"]), len(pool))
generated, scale = metrics.draw(dcgan, n_gen, seed=SEED)
gen_f, gen_probs = metrics.features_and_probs(generated, DATASET, scale)
pool_f = metrics.feature_array(pool[:max(2 * m, n_gen)], DATASET)
curves = {"real vs real": ([n for n in SIZES["fd_sizes"] if n <= m], pool_f[:m], pool_f[m:2 * m]),
          "DCGAN vs real": ([n for n in SIZES["fd_sizes"] if n <= n_gen], gen_f, pool_f)}
fd_curves = {}
for name, (sizes, a, b) in curves.items():
    fd_curves[name] = (np.array(sizes), np.array([metrics.frechet_distance_from_features(a[:n], b[:n])
                                                   for n in sizes]))
    print(f"{name:>14}: " + "  ".join(f"n={n}: {fd:.1f}" for n, fd in zip(*fd_curves[name])))
print(f"({len(pool)} real images loaded; the real-vs-real curve uses two halves of at most {m})")

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for name, (sizes, fds) in fd_curves.items():
    slope, fd_inf = np.polyfit(1.0 / sizes, fds, 1)        # FD(n) ≈ FD∞ + slope / n
    print(f"{name:>14}: FD∞ ≈ {fd_inf:.1f}, bias at the smallest n ({sizes[0]}): "
          f"{slope / sizes[0]:.1f}, at the largest ({sizes[-1]}): {slope / sizes[-1]:.1f}")
    for ax in axes:
        ax.plot(1.0 / sizes if ax is axes[1] else sizes, fds, "o-", label=name)
axes[0].set_xscale("log")
axes[0].set_xlabel("n (images per set)")
axes[1].set_xlabel("1 / n")
axes[0].set_title("Fréchet distance against the sample size")
axes[1].set_title("the same against 1/n: a line's intercept is FD∞")
for ax in axes:
    ax.set_ylabel("FD")
    ax.grid(alpha=0.3)
    ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# **Reading the curves.** The printed lines give each curve's FD at every $n$ and the part of it the
# $1/n$ fit calls bias. Two consequences hold whatever the numbers: an FD means nothing without its
# $n$ (every chapter prints it next to the score), and two FDs compare only at the **same** $n$ —
# a generator measured on 10,000 samples has an advantage over one measured on 1,000 that has
# nothing to do with its images. The real-vs-real curve at a given $n$ is the floor of the scale
# at that $n$: differences between generators smaller than it are noise. When a single number
# must summarise several $n$, the intercept $\mathrm{FD}_\infty$ removes most of the bias.

# %% [markdown]
# ## 3. Quality and diversity, separately
#
# FD folds two different failures into one number: samples that look wrong (**quality**) and
# samples that are fine but cover only part of the data (**diversity**). Two pairs of measures
# keep them apart. Both describe each set of feature vectors by balls: around every point, a ball
# whose radius is the distance to its $k$-th nearest neighbour in the same set. The union of the
# balls around the real points is an estimate of the *real manifold*, the region real images
# occupy; likewise for the generated points.
#
# * **Precision** (Kynkäänniemi et al., 2019): the fraction of generated samples inside the real
#   manifold — how many samples look like *some* real image. **Recall**: the fraction of real
#   images inside the generated manifold — how much of the data the generator reaches.
# * **Density** and **coverage** (Naeem et al., 2020) repair a weakness of these two: a few
#   outlying generated points have huge balls and can swallow most of the real data, inflating
#   recall; likewise a few unusual real images have huge balls, and samples that all land in one
#   of them count as precise. Both use the real balls only, and density counts them. **Density**: how many real balls contain a sample, on
#   average, divided by $k$ (about 1 when the samples are distributed like the data, above 1 when
#   they crowd into its densest parts). **Coverage**: the fraction of real images whose ball
#   contains at least one sample.
#
# In `ganlib.metrics` they work on the classifier's features, each scaled to unit length: on the
# raw ReLU features, an image with nothing in it lands near the origin, inside the very large
# balls of the few real images the classifier is least sure of, and a blank image would count as
# perfectly precise (`tests/test_eval_metrics.py` measures it; the docstring says more). Distances
# are computed a block at a time, so 10,000 against 10,000 images takes seconds.

# %%
show(metrics.precision_recall)

# %% [markdown]
# ### A good generator, a collapsed one, a noisy one
#
# The next cell builds a row of the table for each of these, all on the run mode's $n$ samples
# against as many real test images:
#
# * **real (train vs test)**: real training images — the best any generator can do at this $n$;
# * **DCGAN**: chapter 1's reference generator, as trained;
# * **DCGAN, noise ×0.25**: the same generator fed noise shrunk towards the centre of its range, a
#   simple way to make it draw only its most typical images (section 6 studies it);
# * **DCGAN + pixel noise**: every sample with Gaussian pixel noise added — every image damaged;
# * **DCGAN, half junk**: half the samples replaced by images of uniform noise — a generator that
#   fails on half its draws;
# * **ACGAN, ten classes** and **ACGAN, one class**: chapter 2's reference ACGAN asked for the ten
#   classes in turn, then for one class only: a perfectly *collapsed* generator whose images are as
#   good as its usual ones.

# %%
# NBVAL_IGNORE_OUTPUT
n = min(SIZES["n"], len(x_test))
rng = np.random.default_rng(SEED)
good, scale = metrics.draw(dcgan, n, seed=SEED)
junk = good.copy()
junk[: n // 2] = rng.uniform(-1, 1, junk[: n // 2].shape)
ONE_CLASS = 7
broken = {
    "real (train vs test)": x_train[:n],
    "DCGAN": (good, scale),
    "DCGAN, noise ×0.25": metrics.draw(dcgan, n, seed=SEED, truncation=0.25),
    "DCGAN + pixel noise": (np.clip(good + rng.normal(0, 0.6, good.shape), -1, 1), scale),
    "DCGAN, half junk": (junk, scale),
    "ACGAN, ten classes": metrics.draw(acgan, n, seed=SEED),
    "ACGAN, one class": metrics.draw(acgan, n, seed=SEED, labels=np.full(n, ONE_CLASS)),
}
print(f"{n} samples per row against {n} real test images; the one class: {CLASS_NAMES[ONE_CLASS]}\n")
table = metrics.quality_table(x_test[:n], broken, DATASET)

# %% [markdown]
# Each failure has a healthy generator to compare with: the DCGAN for its three broken versions,
# the ten-class ACGAN for its one-class version. The next cell calls a measure's change **a catch**
# when it moves the wrong way by more than a quarter of the healthy value (FD up, any other measure
# down), and prints for each failure which measures caught it and which did not.

# %%
# NBVAL_IGNORE_OUTPUT
HEALTHY = {"DCGAN, noise ×0.25": "DCGAN", "DCGAN + pixel noise": "DCGAN",
           "DCGAN, half junk": "DCGAN", "ACGAN, one class": "ACGAN, ten classes"}
for failure, healthy in HEALTHY.items():
    caught, missed = [], []
    for m in metrics.QUALITY_MEASURES:
        before, after = table[healthy][m], table[failure][m]
        worse = after > 1.25 * before if m == "FD" else after < 0.75 * before
        (caught if worse else missed).append(f"{m} {before:.3g}→{after:.3g}")
    print(f"{failure} (against {healthy}):\n   caught by {', '.join(caught) or 'no measure'}"
          f"\n   missed by {', '.join(missed) or 'no measure'}")
a, b = table["DCGAN"], table["ACGAN, ten classes"]
print("the two healthy generators, DCGAN against ACGAN: " + ", ".join(
    f"{m} {a[m]:.3g} vs {b[m]:.3g}" for m in metrics.QUALITY_MEASURES))

# %% [markdown]
# **Reading the table.** The printed catches are the chapter's answer to "which metric catches
# which failure" for these generators and this $n$; set them against what the definitions
# predict. A collapsed generator draws good images, so precision and density have no reason to
# fall, while recall and coverage should: most real images have no sample near them. Damaged
# images should cost precision and density. Junk in half the draws should cost precision and
# density up to half their value (less where junk lands inside the real manifold in feature space),
# while recall can hold up: the junk points' balls are large.
# FD has no way to say *which* of these happened; when it rises, the other four tell you why.
# The last line sets the two healthy generators side by side: where their FDs are close and their
# precision or recall are not, FD alone would have called two different generators equal.

# %% [markdown]
# ## 4. Mode coverage: does it draw every class?
#
# Fashion-MNIST has ten classes in equal numbers. An unconditional generator is never told about
# them, so the reference classifier can tell us which classes the DCGAN actually draws: classify
# its samples (those of section 2) and compare the histogram with the uniform one. Real test
# images, classified the same way, show how far the classifier's own mistakes move a histogram.
# This is the same idea as chapter 0's *modes covered* on the 2-D ring, where each Gaussian was a
# mode and a point's mode was simply the nearest centre; here the classifier plays that role.

# %%
# NBVAL_IGNORE_OUTPUT
shares = {"DCGAN samples": np.bincount(gen_probs.argmax(1), minlength=10) / len(gen_probs),
          "real test images": np.bincount(metrics.predict_labels(x_test, DATASET), minlength=10)
          / len(x_test)}
fig, ax = plt.subplots(figsize=(10, 3.5))
for i, (name, share) in enumerate(shares.items()):
    ax.bar(np.arange(10) + (i - 0.5) * 0.4, share, width=0.4, label=name)
    tv = 0.5 * np.abs(share - 0.1).sum()
    low = int(share.argmin())
    print(f"{name:>16}: total-variation distance from uniform {tv:.3f}; rarest class "
          f"{CLASS_NAMES[low]} ({share[low]:.1%}), commonest {CLASS_NAMES[int(share.argmax())]} "
          f"({share.max():.1%}); classes under half their share: {int((share < 0.05).sum())}")
ax.axhline(0.1, color="k", ls=":", label="uniform (10 %)")
ax.set_xticks(range(10), CLASS_NAMES, rotation=30, ha="right")
ax.set_ylabel("share of images")
ax.set_title("which class the reference classifier sees")
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# The total-variation distance is the share of images that would have to change class to make the
# histogram uniform (0: uniform, 0.9: one class only). Read the generator's line against the real
# images' line: only the difference between them is the generator's. A class far under its share
# is a mode the generator (nearly) dropped — a failure FD shows only as a somewhat higher number,
# recall and coverage as a lower one, and the histogram by name.

# %% [markdown]
# ## 5. Memorisation: has it copied its training images?
#
# A generator that returned its training images would score very well on every measure above.
# The test for it: find each sample's **nearest training image** and look at both. Nearest in
# pixels catches near-exact copies; nearest in the classifier's features catches the same item
# redrawn (shifted, thickened). The next cell searches the training images loaded here (see the
# data source printed in section 1: a sample of the full set offline; the first `n_search` of the
# run mode's table, all of them in `full` mode) with `metrics.nearest_neighbours` and shows the
# samples that came closest to a training image.

# %%
# NBVAL_IGNORE_OUTPUT
n_memo = min(SIZES["n_memo"], len(x_test))
search = x_train[:SIZES["n_search"]]
train_px = metrics.prepare_images(search, "tanh").reshape(len(search), -1)
train_dir = metrics.unit_rows(metrics.feature_array(search, DATASET))
gen_px = metrics.prepare_images(generated[:n_memo], scale).reshape(n_memo, -1)
test_px = metrics.prepare_images(x_test[:n_memo], "tanh").reshape(n_memo, -1)
d_gen, i_gen = metrics.nearest_neighbours(gen_px, train_px)
d_test, _ = metrics.nearest_neighbours(test_px, train_px)
_, i_feat = metrics.nearest_neighbours(metrics.unit_rows(gen_f[:n_memo]), train_dir)
closest = np.argsort(d_gen[:, 0])[:10]
rows = np.concatenate([gen_px[closest], train_px[i_gen[closest, 0]],
                       train_px[i_feat[closest, 0]]]).reshape(-1, 28, 28)
viz.show_grid(rows, ncols=10, scale="sigmoid", size=9, row_labels=[
    "sample", "nearest in pixels", "nearest in features"],
    title=f"the {len(closest)} samples closest to a training image ({len(search)} searched)")
plt.show()

# %% [markdown]
# One picture cannot tell a copy from a good sample of a common item. The distances can: give the
# same search to held-out **real test images**, which the generator never saw. If the generator
# copies, its samples sit closer to the training set than new real images do.

# %%
# NBVAL_IGNORE_OUTPUT
fig, ax = plt.subplots(figsize=(8, 3.5))
bins = np.linspace(0, max(d_gen.max(), d_test.max()), 40)
ax.hist(d_test[:, 0], bins, alpha=0.6, label="real test images")
ax.hist(d_gen[:, 0], bins, alpha=0.6, label="DCGAN samples")
ax.set_xlabel("distance to the nearest training image (pixels in [0, 1], Euclidean)")
ax.set_ylabel("images")
ax.legend()
plt.show()
floor = np.percentile(d_test[:, 0], 1)
near = (d_gen[:, 0] < floor).mean()
print(f"median distance to the training set: samples {np.median(d_gen):.2f}, real test images "
      f"{np.median(d_test):.2f}")
print(f"samples closer to a training image than 99 % of the real test images are (< {floor:.2f}): "
      f"{near:.1%}, where new real images give 1 %")
print("verdict: " + ("MORE than twice as many samples sit that close as new real images do: look "
                     "at the pictures above for copies" if near > 0.02 else
                     "no more samples sit that close than twice what new real images give: no "
                     "sign of copying at this resolution"))

# %% [markdown]
# A generator that copies shows a pile of samples at distance near 0, far left of every real test
# image. Smooth, blurry samples can also sit close in pixels without copying anything (a blur is
# near many images at once), which is why the pictures and the feature-space neighbours are part of
# the test. Note the limit: a copy of a training image outside the searched ones (the picture's
# title says how many) goes unseen.

# %% [markdown]
# ## 6. Truncation: quality against diversity
#
# Scaling the noise $z$ by a factor below 1 keeps the generator near the centre of its input
# space, where it saw the most training signal; above 1 it is fed inputs it never saw (the DCGAN
# was trained on noise uniform in $[-1, 1]$). BigGAN's *truncation trick* (Brock et al., 2019)
# is the same idea with a normal noise redrawn outside a threshold; it is used to trade diversity
# for quality. The next cell measures the DCGAN at several scales and prints where precision and
# recall peak and where FD is lowest.

# %%
# NBVAL_IGNORE_OUTPUT
SCALES = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5)
trunc = metrics.quality_table(x_test[:n], {f"×{s:g}": metrics.draw(dcgan, n, seed=SEED, truncation=s)
                                           for s in SCALES}, DATASET)
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, (q, d) in zip(axes, (("precision", "recall"), ("density", "coverage"))):
    xs, ys = [trunc[k][d] for k in trunc], [trunc[k][q] for k in trunc]
    ax.plot(xs, ys, "o-")
    for label, x_, y_ in zip(trunc, xs, ys):
        ax.annotate(label, (x_, y_), textcoords="offset points", xytext=(5, 5))
    ax.set_xlabel(f"{d} (diversity)")
    ax.set_ylabel(f"{q} (quality)")
    ax.set_xlim(0, 1.02)                      # coverage and recall lie in [0, 1]
    ax.set_ylim(0, max(1.02, 1.05 * max(ys)))  # density may pass 1
    ax.grid(alpha=0.3)
axes[0].set_title("noise scale: precision against recall")
axes[1].set_title("density against coverage")
plt.tight_layout()
plt.show()
best = min(trunc, key=lambda k: trunc[k]["FD"])
print(f"precision is highest at {max(trunc, key=lambda k: trunc[k]['precision'])}, recall at "
      f"{max(trunc, key=lambda k: trunc[k]['recall'])}; the lowest FD at {best}")

# %%
# NBVAL_IGNORE_OUTPUT
picks = (0.25, 1.0, 1.5)
fig, axes = plt.subplots(1, len(picks), figsize=(12, 3))
for ax, s in zip(axes, picks):
    images, sc = metrics.draw(dcgan, 32, seed=SEED, truncation=s)
    viz.show_grid(images, ncols=8, scale=sc, ax=ax, title=f"noise ×{s:g}")
plt.show()

# %% [markdown]
# The same 32 noise vectors, scaled. Follow one image from panel to panel, then compare whole
# panels: how much do the draws differ from one another at each scale, and how many look odd? Set
# what you see against the printed peaks. A single FD picks one point on this curve; the curve is
# what you choose from.

# %% [markdown]
# ## 7. Agreeing with the eye
#
# Metrics are only worth trusting where they agree with what people see. Here are five MNIST
# generators from chapters 3, 5 and 6, shipped as reference runs of different lengths and
# losses, shown under letters in a fixed shuffled order so that their names do not influence you.
# **Before running the cell after the pictures**, rank them from best to worst by eye and write the
# ranking into `MY_RANKING`. Then the next cell ranks them by each measure (against as many real
# MNIST test images) and says how well your ranking agrees with each.

# %%
# NBVAL_IGNORE_OUTPUT
((_, _), (mnist_test, _)), _ = data.load_mnist()
EYE_RUNS = ("06_lsgan", "03_infogan", "05_wgan", "06_dcgan", "05_wgan_gp")   # shown as A, B, C, ...
n_eye = min(SIZES["n_eye"], len(mnist_test))
tf.get_logger().setLevel("ERROR")   # five models' predict() would each note a retracing
eye = {}
for letter, run in zip("ABCDE", EYE_RUNS):
    gan, about = chapters.load_reference(run)
    eye[letter] = metrics.draw(gan, n_eye, seed=SEED)
fig, axes = plt.subplots(1, 5, figsize=(15, 3.4))
for ax, (letter, (images, sc)) in zip(axes, eye.items()):
    viz.show_grid(images[:36], ncols=6, scale=sc, ax=ax, title=letter)
plt.show()

# %%
MY_RANKING = None   # your ranking, best first, e.g. ["C", "A", "E", "B", "D"]

# %%
# NBVAL_IGNORE_OUTPUT
from scipy.stats import spearmanr

eye_table = metrics.quality_table(mnist_test[:n_eye], eye, "mnist")
print()
for m in metrics.QUALITY_MEASURES:
    order = sorted(eye_table, key=lambda k: eye_table[k][m], reverse=(m != "FD"))
    agree = ""
    if MY_RANKING is not None:
        rho = spearmanr([MY_RANKING.index(k) for k in order], range(len(order)))[0]
        agree = f"   agreement with your ranking (Spearman ρ): {rho:+.2f}"
    print(f"{m:>9} ranks {' > '.join(order)}{agree}")
print("\nthe runs behind the letters: " + ", ".join(f"{k} = {r}" for k, r in zip("ABCDE", EYE_RUNS)))

# %% [markdown]
# **Reading the rankings.** A ρ of +1 is the same order as yours, −1 the reverse. Where the measures
# disagree with one another, look back at the pictures for the reason: a generator whose digits are
# clean but few kinds ranks high on precision and density and lower on recall and coverage; one
# that draws varied strokes of which many are not digits, the other way round. Recall can rank
# a poor, scattered generator high (its balls are large); coverage was made to resist that. The
# letters' runs differ in loss and in length (the printed names; `data/README.md` says how long
# each trained), which is why they differ at all.

# %% [markdown]
# ## 8. Exercises
#
# From "predict, then look" to "write it yourself". Worked solutions:
# [`solutions/07_evaluation_solutions.ipynb`](solutions/07_evaluation_solutions.ipynb).
#
# **Exercise 1 — the same generator, another n (predict).** Section 3 scored the DCGAN on $n$
# samples. Predict whether its FD on a quarter as many samples comes out higher, lower or the same,
# and whether precision and recall move too. Then compute all five with
# `metrics.quality_table(x_test[:n // 4], {"DCGAN": (good[:n // 4], scale)}, DATASET)` and compare
# with section 2's curves.
#
# **Exercise 2 — the copycat (predict, then measure).** A "generator" that returns training images
# unchanged is the perfect memoriser. Predict its FD, precision, recall, density and coverage
# against the test images, and which section of this chapter would expose it. Then measure: the
# table's first row already is such a generator; run section 5's search on `x_train[:n_memo]` as
# the samples.
#
# **Exercise 3 — write precision.** `real` and `fake` are arrays of feature vectors, one row per
# image. Each real row's ball has radius the distance to its `k`-th nearest *other* real row;
# return the fraction of fake rows inside at least one real ball.
# (`scipy.spatial.distance.cdist(a, b)` gives all distances between the rows of `a` and `b`.)

# %%
def my_precision(real, fake, k):
    raise NotImplementedError  # your code here


# %%
check.knn_precision(my_precision);

# %% [markdown]
# **Exercise 4 — write coverage.** With the same real balls, return the fraction of *real* rows
# whose ball holds at least one fake row. Then say in one sentence why one fake point far from
# the data cannot raise coverage, and why it can raise recall.

# %%
def my_coverage(real, fake, k):
    raise NotImplementedError  # your code here


# %%
check.knn_coverage(my_coverage);

# %% [markdown]
# **Exercise 5 — the command line.** `python -m ganlib evaluate RUN_DIR` prints a finished run's
# measures, precision, recall, density and coverage among them (`chapters.evaluate`). Train a short
# `smoke` run of chapter 1 into a folder of your own
# (`python -m ganlib train 01_dcgan --mode smoke --run-dir /tmp/my_dcgan`), evaluate it, and place
# its numbers in section 3's table: which row is it closest to, and which measures say so?

# %% [markdown]
# ## 9. Summary
#
# * The Fréchet distance compares the mean and covariance of two sets of features. It is biased
#   upwards by roughly $b/n$: report $n$ with every FD, compare FDs only at equal $n$ and with the
#   same feature network, and use real-vs-real at that $n$ as the floor.
# * This project's FD uses the features of small classifiers trained on the data itself, not
#   Inception: fitting for 28×28 images and fast on a CPU, but not comparable with published FIDs.
# * Precision and density measure quality (are samples near real images?), recall and coverage
#   diversity (are real images near samples?), from k-nearest-neighbour balls in feature space.
#   Coverage and density resist the outliers that inflate recall.
# * By their definitions, a collapsed generator should keep its precision and lose recall and
#   coverage, while damaged or junk samples cost precision and density; section 3 prints which
#   measures caught each failure here. FD folds them all into one number.
# * A classifier's class histogram names the modes an unconditional generator drops.
# * Memorisation is screened with nearest training images, in pixels and features, judged against
#   the distances of held-out real images.
# * Scaling the noise moves a generator along a quality–diversity curve; one number picks one
#   point of it.
# * Check any metric against your eye on generators you can tell apart.
