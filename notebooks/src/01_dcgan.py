# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 1 — DCGAN: a generator and a discriminator playing a game
#
# In this chapter we train a **deep convolutional GAN** (Radford et al., 2015) to draw
# clothing items in the style of Fashion-MNIST. You will see
#
# 1. the two-player game behind every GAN and its value function,
# 2. the six steps of one training iteration,
# 3. the architecture guidelines that make convolutional GANs train at all,
# 4. a complete training run with live samples, loss curves and a final grid.
#
# The architecture and hyper-parameters follow the pyimagesearch tutorial *GANs with Keras
# and TensorFlow* (Rosebrock, 2020). The reusable code lives in the `ganlib` package next to
# this notebook; whenever a cell relies on it, we print the relevant source so nothing is hidden.
#
# **Run modes.** The environment variable `GANLIB_MODE` picks how long to train:
# `smoke` (a few steps — what the automated tests run), `class` (the default, a few minutes on
# a laptop CPU) or `full` (the tutorial's 50 epochs — use a GPU).

# %%
# NBVAL_IGNORE_OUTPUT
import matplotlib.pyplot as plt
import numpy as np

import ganlib
from ganlib import config, data, dcgan, metrics, runs, viz
from ganlib.gan import GAN, training_callbacks
from ganlib.show import show

SCHEDULE = config.select(dcgan.SCHEDULES)   # generator steps, steps per log line, ...
PRECISION = config.set_precision()   # bfloat16 where the hardware is fast at it, else float32
SEED = 42
config.set_seed(SEED)

# %% [markdown]
# ## 1. The game
#
# A GAN has two networks:
#
# * the **generator** $G$ maps a random vector $z \sim p_z$ (here 100 numbers drawn uniformly from
#   $[-1, 1]$) to an image $G(z)$;
# * the **discriminator** $D$ maps an image $x$ to a probability $D(x)$ that $x$ is real.
#
# Goodfellow et al. (2014) set them against each other in a minimax game with value function
#
# $$\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_\text{data}}[\log D(x)] + \mathbb{E}_{z \sim p_z}[\log(1 - D(G(z)))].$$
#
# $D$ wants $D(x) \to 1$ on real images and $D(G(z)) \to 0$ on fakes; $G$ wants the opposite.
# For a fixed $G$ the best discriminator is $D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + p_g(x))$,
# and plugging it in shows that $G$ then minimises the Jensen–Shannon divergence between the real
# distribution and its own — which is zero exactly when $p_g = p_\text{data}$, where $D^* = \tfrac12$ everywhere.
#
# In practice $G$ does not minimise $\log(1 - D(G(z)))$: early on $D$ rejects fakes easily, that term
# saturates and its gradient vanishes. Instead $G$ *maximises* $\log D(G(z))$ — the "non-saturating"
# loss — which is exactly "label the fakes as real and minimise cross-entropy".
#
# ### The six steps of one iteration
#
# 1. Draw a batch of noise vectors $z$.
# 2. Pass them through $G$ to get fake images.
# 3. Take a batch of real images and mix them with the fakes (real → label 1, fake → label 0).
# 4. Update $D$ on that mix with binary cross-entropy.
# 5. Draw fresh noise and label it **real** (1).
# 6. Update $G$ through $D$ on those "real" labels — changing only $G$'s weights.
#
# ### Guidelines that make it train
#
# Radford et al. proposed, for stable convolutional GANs: replace pooling with strided
# convolutions (and transposed convolutions in $G$), use batch normalisation, drop fully connected
# hidden layers in deep models, use ReLU in $G$ except a `tanh` output, and LeakyReLU in $D$.
# Chollet adds: sample $z$ from a normal rather than a uniform distribution, add dropout to $D$, add
# noise to $D$'s labels, use kernel sizes divisible by the stride to avoid checkerboard artefacts, and
# if the $G$ loss climbs while the $D$ loss collapses to zero, weaken $D$ (lower its learning rate,
# more dropout). They are heuristics: this tutorial follows some of them (strided convolutions, BN,
# ReLU/tanh, LeakyReLU) and not others (it keeps two dense layers and uniform noise).
#
# ### Why neither loss should go to zero
#
# We are not looking for a minimum but for a balance. If $D$'s loss reaches zero, $D$ separates
# real from fake perfectly, its sigmoid saturates and $G$ receives almost no gradient: training
# stalls. If $G$'s loss reaches zero, $G$ has found images that fool *this* $D$ — usually a few
# degenerate ones (mode collapse). Healthy runs show both losses wandering around a plateau
# (for cross-entropy, $D$ near $\log 2 \approx 0.69$ at perfect balance).

# %% [markdown]
# ## 2. Data
#
# Fashion-MNIST: 28×28 grey images of ten kinds of clothing. As the tutorial does, we pool the
# training and test images — a GAN has no use for a held-out split during training.
# `ganlib.data.load_fashion_mnist` uses `keras.datasets` when online and falls back to local
# copies offline (Debian's `dataset-fashion-mnist` package, then a 10,000-image real sample shipped
# in `data/`); it prints which one it used.

# %%
# NBVAL_IGNORE_OUTPUT
((x_train, y_train), (x_test, y_test)), SOURCE = data.load_fashion_mnist()
images = np.concatenate([x_train, x_test])
print(f"{len(images)} images of shape {images.shape[1:]}, dtype {images.dtype}")

# %%
viz.show_grid(images[:64], ncols=16, scale="tanh", title="real Fashion-MNIST images", size=8)
plt.show()

# %% [markdown]
# The images stay `uint8` in memory. `make_dataset` builds a `tf.data` pipeline that shuffles
# (seeded), batches, and scales each batch to $[-1, 1]$ — the range of $G$'s `tanh` output.

# %%
show(data.make_dataset)

# %%
dataset = data.make_dataset(images, batch_size=dcgan.BATCH_SIZE, scale="tanh", seed=SEED)
dataset.element_spec

# %% [markdown]
# ## 3. The two networks
#
# The generator turns 100 numbers into a 7×7×64 volume through two dense layers, then doubles
# the resolution twice with 5×5 transposed convolutions (stride 2): 7 → 14 → 28.
# The discriminator is a small CNN: two strided 5×5 convolutions, a dense layer, and a sigmoid.
# Both are built from stock Keras layers only, so the generator a run saves loads with plain
# `keras.saving.load_model`, without `ganlib` (a unit test checks it for every chapter).

# %%
show(dcgan.build_generator)
show(dcgan.build_discriminator)

# %%
gan = dcgan.make_dcgan(steps_per_execution=SCHEDULE["steps_per_execution"], seed=SEED)
gan.generator.summary()
gan.discriminator.summary()

# %% [markdown]
# ## 4. The training step
#
# The whole algorithm lives in `GAN.train_step`, which `fit()` calls once per batch. This chapter's
# step is `reused_fakes_step`. Read it next to the six steps above: $G$ runs forward once (steps 1–2),
# $D$ is updated on real and fake images with $G$'s graph cut off (3–4), and then $G$ is updated
# (5–6) on **the same** fakes, as judged by the discriminator that was just updated — instead of on
# fresh noise. PyTorch's DCGAN example does the same. The outer tape recorded $G$'s forward pass, so
# $G$'s gradient flows back through it; `stop_recording` keeps $D$'s update out of that tape. It saves
# one of the two forward passes of $G$ per step: 5–15 % of the step in our CPU measurements
# (`benchmarks/speed_dcgan.py`). `alternating_step`, the textbook version with fresh noise for the
# $G$ update, is what the other chapters use (`make_dcgan(reuse_fakes=False)` gives it here too).

# %%
show(GAN.train_step)
show(GAN.reused_fakes_step)
show(GAN.discriminator_loss)
show(GAN.generator_loss)
show(GAN.apply_update)

# %% [markdown]
# ### Why `GradientTape` over explicit variables, not a frozen discriminator
#
# The original tutorial compiles $D$, then sets `discriminator.trainable = False`, builds a combined
# model `gan = D(G(z))` and compiles that — relying on Keras 2 freezing the flag into each model at
# `compile()` time, so that `D.train_on_batch` trains $D$ while `gan.train_on_batch` trains only $G$.
# **Keras 3 reads the flag when a training function is first traced** (at the first
# `train_on_batch`), not at `compile()`. Run literally, the tutorial's code then never trains $D$ at
# all — and nothing warns you. The next cell checks it on tiny models:

# %%
import warnings

import keras

d_demo = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
g_demo = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])
d_demo.compile(loss="binary_crossentropy", optimizer="adam")
d_demo.trainable = False                              # the tutorial's freezing trick
z = keras.Input((2,))
combined = keras.Model(z, d_demo(g_demo(z)))
combined.compile(loss="binary_crossentropy", optimizer="adam")
before = d_demo.get_weights()[0].copy()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    d_demo.train_on_batch(np.ones((8, 4)), np.ones(8))   # meant to train D ...
print("D.train_on_batch changed D's weights:", not np.allclose(before, d_demo.get_weights()[0]))
print("Keras said:", [str(w.message) for w in caught])

# %% [markdown]
# `apply_update` avoids the question: it computes the gradient of one loss and applies it to a
# named list of variables (`gan.d_variables` or `gan.g_variables`), whatever any flag says. The unit
# tests check that a $D$ update changes every $D$ weight and no $G$ weight, and vice versa.
#
# The optimiser is Adam with learning rate $2\times10^{-4}$ and $\beta_1 = 0.5$, decayed per step
# like the tutorial's `decay=lr/epochs`: Keras' own `Adam` with an `InverseTimeDecay` schedule.

# %%
show(dcgan.tutorial_optimizer)

# %% [markdown]
# ## 5. Training
#
# `fit()` runs the loop: progress output, callbacks, checkpoints. We count in generator steps;
# each "epoch" below is just a logging interval of `log_every` steps, and `steps_per_execution`
# (given to `make_dcgan` above) runs that many traced steps per call from Python. Two callbacks:
#
# * `viz.SampleGrid` redraws $G$'s images for a **fixed** batch of noise, so you watch the same 16
#   "seeds" turn from static into clothes;
# * `training_callbacks(run_dir)` stops on a NaN or exploding loss (and puts the model back to
#   its last finite state) and backs the run up after every interval into `run_dir`, a folder
#   of its own (`runs.run_dir` gives `runs/class/01_dcgan` in `class` mode) — if you interrupt
#   the cell, running it again resumes where it stopped.

# %%
# NBVAL_IGNORE_OUTPUT
fixed_noise = np.random.default_rng(SEED).uniform(-1, 1, (16, dcgan.LATENT_DIM)).astype("float32")
samples = viz.SampleGrid(fixed_noise, every=SCHEDULE["sample_every"], ncols=8, size=5)
fd_noise = np.random.default_rng(1).uniform(-1, 1, (1000, dcgan.LATENT_DIM)).astype("float32")
fd_track = metrics.MetricHistory(            # FD of 1,000 samples vs 1,000 held-out test images
    lambda g: metrics.frechet_distance(g.generate(inputs=fd_noise), x_test[:1000], "fashion_mnist"),
    every=SCHEDULE["sample_every"], at_start=True, name="FD")
epochs = SCHEDULE["steps"] // SCHEDULE["log_every"]
history = gan.fit(dataset, epochs=epochs, steps_per_epoch=SCHEDULE["log_every"], verbose=2,
                  callbacks=training_callbacks(runs.run_dir("01_dcgan")) + [samples, fd_track])

# %% [markdown]
# ## 6. Loss curves
#
# Each point is the mean over one logging interval. Look for the balance described above: neither
# curve should dive to zero. A discriminator loss drifting down while the generator loss climbs
# means $D$ is winning.

# %%
# NBVAL_IGNORE_OUTPUT
viz.plot_history(history, steps_per_epoch=SCHEDULE["log_every"])
plt.show()

# %% [markdown]
# ## 7. Samples
#
# One hundred fresh noise vectors through the trained generator. (In `smoke` mode, after a handful
# of steps, expect grey blobs; in `class` mode, recognisable shirts, trousers, shoes and bags.)

# %%
# NBVAL_IGNORE_OUTPUT
final = gan.generate(inputs=np.random.default_rng(0).uniform(-1, 1, (100, 100)).astype("float32"))
viz.show_grid(final, ncols=10, title=f"DCGAN samples after {SCHEDULE['steps']} generator steps", size=8)
plt.show()

# %% [markdown]
# ## 8. Evaluate
#
# Pictures that "look OK" are not a measurement. We use the **Fréchet distance** (FD), the recipe
# behind FID: pass real and generated images through a classifier, fit a Gaussian to each set's
# penultimate-layer features, and measure
#
# $$\mathrm{FD} = \lVert \mu_r - \mu_g \rVert^2 + \operatorname{Tr}\big(\Sigma_r + \Sigma_g - 2(\Sigma_r\Sigma_g)^{1/2}\big).$$
#
# Lower is better: it grows when samples look unlike the data *and* when they lack its variety
# (mode collapse shrinks $\Sigma_g$). FID uses an ImageNet Inception network; here the feature
# extractor is a small Fashion-MNIST classifier shipped in `data/` (about 90 % test accuracy — see
# `data/README.md`). So these numbers are **only comparable with each other**: same classifier,
# same sample sizes (1,000 vs 1,000 here). To read them, we place the run between two ends of the
# scale: an untrained generator, and real training images against the held-out ones.

# %%
show(metrics.frechet_distance)

# %%
# NBVAL_IGNORE_OUTPUT
untrained = dcgan.make_dcgan(seed=SEED + 1)
reference = {
    "untrained generator": metrics.frechet_distance(untrained.generate(inputs=fd_noise), x_test[:1000], "fashion_mnist"),
    f"this run, {SCHEDULE['steps']} steps": metrics.frechet_distance(gan.generate(inputs=fd_noise), x_test[:1000], "fashion_mnist"),
    "real training images": metrics.frechet_distance(x_train[:1000], x_test[:1000], "fashion_mnist"),
}
for name, fd in reference.items():
    print(f"FD {name:<28} {fd:10.2f}")
steps, fds = fd_track.series()
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(steps, fds, "o-", label="DCGAN samples")
ax.axhline(reference["real training images"], color="g", ls="--", label="real vs real (floor)")
ax.set_yscale("log"); ax.set_xlabel("generator steps"); ax.set_ylabel("FD (log scale)")
ax.set_title("Fréchet distance to held-out Fashion-MNIST during training"); ax.legend()
plt.show()

# %% [markdown]
# In the committed `class` run the FD fell at every measurement, from about 235 (untrained) to about
# 29 after 4,000 steps, roughly halving in the first 500 steps; it stays an order of magnitude
# above the real-vs-real floor (about 3) — the gap the longer `full` schedule is for. One caveat:
# this notebook pools the test images into training, as the tutorial does, so "held-out" is loose
# here; `benchmarks/quality.py` trains on the 60,000 training images only and scores against the
# untouched test set. Limits: FD needs many samples to be stable (its value
# depends on the sample size), it mixes quality and diversity into one number, and it says nothing
# about which images are bad — always look at the samples too.
#
# The run folder (`runs/class/01_dcgan` in `class` mode; test runs get a fresh temporary
# folder) already holds the final generator (`generator.keras`; `keras.models.load_model` reads it
# after `import ganlib`) and the loss history (`history.json`, read by `runs.load_history`).
# Running the training cell again resumes an interrupted run or loads a finished one; to
# train from scratch, delete the folder. The README's *Run folders* section has the details.
