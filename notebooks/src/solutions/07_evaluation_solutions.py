# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 7 — Evaluation: worked solutions
#
# Solutions to the exercises of [`07_evaluation.ipynb`](../07_evaluation.ipynb). Every check prints
# a line starting with ✓ when the answer is right. Nothing here trains; the sample sizes follow the
# run mode, as in the chapter.

# %%
import numpy as np
from scipy.spatial.distance import cdist

import ganlib  # first: it imports TensorFlow with the start-up log lines muted
from ganlib import chapters, check, config, data, metrics

config.use_mode(None)
N = config.select({"smoke": dict(n=200), "class": dict(n=2000), "full": dict(n=5000)},
                  verbose=False)["n"]   # the chapter's sample sizes
SEED = 7
DATASET = "fashion_mnist"
((x_train, _), (x_test, _)), _ = data.load_fashion_mnist(verbose=False)
n = min(N, len(x_test))
dcgan, _ = chapters.load_reference("01_dcgan")
good, scale = metrics.draw(dcgan, n, seed=SEED)

# %% [markdown]
# ## Exercise 1 — the same generator, another n
#
# **Prediction.** The FD's bias grows as $n$ shrinks (section 2), so on a quarter of the samples
# the FD comes out *higher*, for the same generator. Precision and recall move too, because the
# k-NN balls depend on how densely the points fill the space: fewer points, larger balls. Only
# numbers measured at the same $n$ compare. The measurement (`n` and `n // 4` samples against as
# many test images):

# %%
# NBVAL_IGNORE_OUTPUT
full = metrics.quality_table(x_test[:n], {"DCGAN": (good, scale)}, DATASET, verbose=False)["DCGAN"]
quarter = metrics.quality_table(x_test[:n // 4], {"DCGAN": (good[:n // 4], scale)}, DATASET,
                                verbose=False)["DCGAN"]
for m in metrics.QUALITY_MEASURES:
    print(f"{m:>9} at n={n}: {full[m]:.3f}, at n={n // 4}: {quarter[m]:.3f}")
print(f"the FD on n // 4 is {'higher' if quarter['FD'] > full['FD'] else 'NOT higher'} than on n")

# %% [markdown]
# ## Exercise 2 — the copycat
#
# **Prediction.** Training images are real images: against the test images they score like the
# table's first row — the lowest FD, precision and recall near the real-vs-real level, density near
# 1, coverage near its real-vs-real level. None of the distribution measures can expose them; section 5 can, since every
# "sample" is at distance 0 from a training image. The measurement:

# %%
# NBVAL_IGNORE_OUTPUT
copies = x_train[:n]
print(metrics.quality_table(x_test[:n], {"copycat": copies}, DATASET, verbose=False)["copycat"])
px = lambda x: metrics.prepare_images(x, "tanh").reshape(len(x), -1)   # noqa: E731
d_copy, _ = metrics.nearest_neighbours(px(copies), px(x_train))
d_test, _ = metrics.nearest_neighbours(px(x_test[:n]), px(x_train))
print(f"median distance to the nearest training image: copycat {np.median(d_copy):.3f}, real "
      f"test images {np.median(d_test):.3f}")
assert d_copy.max() < 0.01 < np.median(d_test)      # 0 up to round-off
print("✓ exercise 2: the distribution measures pass the copycat; the nearest-neighbour test "
      "finds every copy at distance 0")

# %% [markdown]
# ## Exercise 3 — precision
#
# The k-th nearest *other* point is column `k` of each sorted row of distances (column 0 is the
# point itself, at distance 0).

# %%
def my_precision(real, fake, k):
    radii = np.sort(cdist(real, real), axis=1)[:, k]
    inside = cdist(fake, real) <= radii[None, :]
    return float(inside.any(axis=1).mean())


# %%
check.knn_precision(my_precision);

# %% [markdown]
# ## Exercise 4 — coverage
#
# The same real balls, asked the other way round: does each one hold a fake point? A single fake
# point far from the data lies in no real ball, so it cannot raise coverage; recall, which builds
# balls around the *fake* points, gives that outlier a huge ball that can hold much of the real
# data.

# %%
def my_coverage(real, fake, k):
    radii = np.sort(cdist(real, real), axis=1)[:, k]
    inside = cdist(fake, real) <= radii[None, :]
    return float(inside.any(axis=0).mean())


# %%
check.knn_coverage(my_coverage);

# %% [markdown]
# ## Exercise 5 — the command line
#
# `chapters.evaluate` is what `python -m ganlib evaluate` prints. In a shell:
#
# ```bash
# python -m ganlib train 01_dcgan --mode smoke --run-dir /tmp/my_dcgan
# python -m ganlib evaluate /tmp/my_dcgan
# ```
#
# A `smoke` run trains a handful of steps, and its images are still nearly all alike: expect a
# high FD and recall and coverage near 0 (few real images have a sample near them). Read its
# precision with care. When nearly all samples fall on one point of feature space, and that
# point happens to lie inside the ball of some unusual real image, every sample counts as
# precise and precision comes out high for a generator that draws nothing recognisable. Density
# counts the real balls around each sample, so one stray ball weighs little there; this is why
# the chapter reads the four measures together, and FD next to them, rather than any one alone.
