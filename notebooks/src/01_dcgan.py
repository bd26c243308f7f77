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
# **Learning goals.** After this chapter you can
#
# * write down the GAN value function and say what each player wants from it;
# * list the six steps of one training iteration and find each of them in real code;
# * explain why the generator uses the non-saturating loss $-\log D(G(z))$;
# * read a pair of GAN loss curves (balance, or one player winning) and a Fréchet distance;
# * explain why Keras 3 needs explicit variable lists instead of the `trainable = False` trick.
#
# **Prerequisites.** Convolutional networks and binary cross-entropy; training a Keras model with
# `fit()`; what a gradient and `tf.GradientTape` are. No earlier chapter is needed.
#
# The architecture and hyper-parameters follow the pyimagesearch tutorial *GANs with Keras
# and TensorFlow* (Rosebrock, 2020). The reusable code lives in the `ganlib` package next to
# this notebook; whenever a cell relies on it, we print the relevant source so nothing is hidden.
#
# **Run modes.** The environment variable `GANLIB_MODE` picks how long to train:
# `smoke` (a few steps — what the automated tests run), `class` (the default; the README's chapter
# table gives its time on a 2-core CPU, in float32 and with bfloat16 units) or `full` (the
# tutorial's 50 epochs — use a GPU). The training cell (§5) prints the mode and precision of
# this run in one line.
#
# To go straight to the demos and the evaluation, set `MODE = "pretrained"` in the next cell
# (or `GANLIB_MODE=pretrained`): every training cell then loads the generator of a longer
# reference run shipped in `data/pretrained/` instead of training (`data/README.md` lists
# them; a run with no generator shipped there stops with a message saying so).

# %%
# NBVAL_IGNORE_OUTPUT
import matplotlib.pyplot as plt
import numpy as np

import ganlib
from ganlib import check, compare, config, data, dcgan, losses, metrics, runlog, runs, viz
from ganlib.gan import GAN, training_callbacks
from ganlib.show import show

MODE = None   # "pretrained": load a shipped reference run, no training; None: $GANLIB_MODE
config.use_mode(MODE)
SCHEDULE = config.select(dcgan.SCHEDULES, verbose=False)   # generator steps, steps per log line, ...
PRECISION = config.set_precision(verbose=False)   # bfloat16 where the hardware is fast at it (appendix)
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
# 5. Draw fresh noise, make new fakes and label them **real** (1).
# 6. Update $G$ through $D$ on those "real" labels — changing only $G$'s weights.
#
# That is the textbook loop. This chapter's run skips the second draw: in step 5 it labels
# **the same fakes** as step 2 "real" (see §4 and the appendix).
#
# ### Guidelines that make it train
#
# Radford et al. proposed, for stable convolutional GANs: replace pooling with strided
# convolutions (and transposed convolutions in $G$), use batch normalisation, drop fully connected
# hidden layers in deep models, use ReLU in $G$ except a `tanh` output, and LeakyReLU in $D$.
# Chollet adds: sample $z$ from a normal rather than a uniform distribution, add dropout to $D$, add
# noise to $D$'s labels, use kernel sizes divisible by the stride to avoid checkerboard artefacts, and
# if the $G$ loss climbs while the $D$ loss collapses to zero, weaken $D$ (lower its learning rate,
# more dropout). They are heuristics, and the tutorial we follow keeps only some of them. It uses
# strided (transposed) convolutions, ReLU with a `tanh` output in $G$ and LeakyReLU in $D$, and
# batch normalisation **in $G$ only**: its discriminator has no BatchNorm layer at all (see
# `build_discriminator` in §3), no dropout and no label noise. It keeps fully connected hidden
# layers (two in $G$, one in $D$) and uniform noise. And its kernels are 5×5 with stride 2 in both
# networks — a size *not* divisible by the stride, exactly what the checkerboard tip warns against.
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
# Only $G$ has BatchNorm layers. Both are built from stock Keras layers only, so the generator a run saves loads with plain
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
# The whole algorithm lives in `GAN.train_step`, which `fit()` calls once per batch. It hands the
# batch to `alternating_step`, the textbook loop. Read it next to the six steps above:
# `discriminator_loss` draws noise and runs $G$ (steps 1–2), cuts $G$'s graph off with
# `stop_gradient` and scores real and fake images with $D$ (3); `apply_update` then changes $D$'s
# weights only (4). Next `generator_loss` draws **fresh** noise, makes new fakes and scores them
# against the label "real" through $D$ in inference mode (5), and `apply_update` changes only $G$'s
# weights (6).
#
# **This chapter's run does not take that path.** `make_dcgan` builds the GAN with
# `reuse_fakes=True`, so `train_step` calls `reused_fakes_step` instead of `alternating_step`.
# Steps 1–4 are the same; step 5 differs: $G$ is updated on **the same fakes** $D$ has just been
# trained on (no fresh noise), as judged by the updated $D$, so $G$ runs forward once per step
# instead of twice. The appendix at the end prints it; it is the same game. The other chapters
# use `alternating_step`, with fresh noise.

# %%
show(GAN.train_step)
show(GAN.alternating_step)
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
# all. The next cell checks it on tiny models and records what Keras says:

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
# Keras does warn: "The model does not have any trainable weights." Read it for what it says and
# what it leaves out. It says that the model you just asked to train had no trainable weights at
# that call, so that call updated nothing. It does not say *why* (the `trainable = False` you set
# for the combined model's sake froze $D$ itself), nor that the combined model's training is fine.
# It is a warning, not an error: `train_on_batch` still returns a loss, so a training loop carries
# on printing plausible numbers. And it is issued while the training function is traced, at the
# first call; the later calls run the traced graph and say nothing (the cell above catches every
# warning; Python's default shows one only once per place in the code). One line among the first
# lines of output is easy to miss.
#
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
# `fit()`'s "epochs" are logging intervals of `log_every` steps, and one progress bar covers the
# whole run, with the time spent and the time left. Two callbacks:
#
# * `viz.SampleGrid` redraws $G$'s images for a **fixed** batch of noise, so you watch the same 16
#   "seeds" turn from static into clothes;
# * `training_callbacks(run_dir)` stops on a NaN or exploding loss (and puts the model back to
#   its last finite state) and backs the run up after every interval into `run_dir`, a folder
#   of its own (`runs.run_dir` gives `runs/class/01_dcgan` in `class` mode) — if you interrupt
#   the cell, running it again resumes where it stopped, and a finished run is loaded (the cell
#   says so) — delete its run folder to start over.

# %%
# NBVAL_IGNORE_OUTPUT
config.describe_run(SCHEDULE)
fixed_noise = np.random.default_rng(SEED).uniform(-1, 1, (16, dcgan.LATENT_DIM)).astype("float32")
samples = viz.SampleGrid(fixed_noise, every=SCHEDULE["sample_every"], ncols=8, size=5)
fd_noise = np.random.default_rng(1).uniform(-1, 1, (1000, dcgan.LATENT_DIM)).astype("float32")
fd_track = metrics.MetricHistory(            # FD of 1,000 samples vs 1,000 held-out test images
    lambda g: metrics.frechet_distance(g.generate(inputs=fd_noise), x_test[:1000], "fashion_mnist"),
    every=SCHEDULE["sample_every"], at_start=True, name="FD")
epochs = SCHEDULE["steps"] // SCHEDULE["log_every"]
RUN_DIR = runs.run_dir("01_dcgan")
history = gan.fit(dataset, epochs=epochs, steps_per_epoch=SCHEDULE["log_every"], verbose=1,
                  callbacks=training_callbacks(RUN_DIR) + [samples, fd_track])

# %% [markdown]
# **The training strip.** The run folder keeps a picture of the generator's images for one fixed
# set of inputs after every logging interval; the strip shows up to eight of them, each labelled
# by its step. Each picture is a grid of two rows of eight images, more than twice as wide as
# high, so the strip stacks them one under another: read it top to bottom, the untrained
# generator (step 0) first. Each panel is the *same* inputs, so what changes is
# only what $G$ has learned — from the untrained generator's near-flat grey, to blurry blobs, to
# garments (how far it gets depends on the run mode).

# %%
# NBVAL_IGNORE_OUTPUT
runlog.show_strip(RUN_DIR);

# %% [markdown]
# ## 6. Loss curves
#
# Each point is the mean over one logging interval. Look for the balance described above: neither
# curve should dive to zero. A discriminator loss drifting down while the generator loss climbs
# means $D$ is winning.

# %%
# NBVAL_IGNORE_OUTPUT
ax = viz.plot_history(history, steps_per_epoch=SCHEDULE["log_every"])
ax.set_ylabel("binary cross-entropy")
plt.show()

# %% [markdown]
# ## 7. Samples
#
# One hundred fresh noise vectors through the trained generator. (In `smoke` mode, after a handful
# of steps, expect grey blobs; in `class` mode, recognisable shirts, trousers, shoes and bags.)

# %%
# NBVAL_IGNORE_OUTPUT
final = gan.generate(inputs=np.random.default_rng(0).uniform(-1, 1, (100, 100)).astype("float32"))
viz.show_grid(final, ncols=10, title=f"DCGAN samples after {gan.generator_steps} generator steps", size=8)
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
# extractor is a small Fashion-MNIST classifier shipped in `data/` (`data/README.md` gives its
# test accuracy). So these numbers are **only comparable with each other**: same classifier,
# same sample sizes (1,000 vs 1,000 here). To read them, we place the run between two ends of the
# scale: an untrained generator, and real training images against the held-out ones.

# %%
show(metrics.frechet_distance)

# %%
# NBVAL_IGNORE_OUTPUT
untrained = dcgan.make_dcgan(seed=SEED + 1)
reference = {
    "untrained generator": metrics.frechet_distance(untrained.generate(inputs=fd_noise), x_test[:1000], "fashion_mnist"),
    f"this run, {gan.generator_steps} steps": metrics.frechet_distance(gan.generate(inputs=fd_noise), x_test[:1000], "fashion_mnist"),
    "real training images": metrics.frechet_distance(x_train[:1000], x_test[:1000], "fashion_mnist"),
}
for name, fd in reference.items():
    print(f"FD {name:<28} {fd:10.2f}")
ratio = reference[f"this run, {gan.generator_steps} steps"] / reference["untrained generator"]
print(f"{'met    ' if ratio <= 0.1 else 'NOT met'}  the chapter's bar, FD at most 1/10 of the "
      f"untrained generator's: this run has {ratio:.3f} of it")
steps, fds = fd_track.series()
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(steps, fds, "o-", label="DCGAN samples")
ax.axhline(reference["real training images"], color="g", ls="--", label="real vs real (floor)")
ax.set_yscale("log"); ax.set_xlabel("generator steps"); ax.set_ylabel("FD (log scale)")
ax.set_title("Fréchet distance to held-out Fashion-MNIST during training"); ax.legend()
plt.show()

# %% [markdown]
# Read the three printed rows as a scale: where "this run" falls between the untrained generator
# and the real-vs-real floor says how far training got, and the curve shows how fast it got there
# (in `class` mode it should fall well below the untrained value and stay above the floor: the
# gap the longer `full` schedule is for; after `smoke` mode's handful of steps expect little
# change). The last printed line divides this run's FD by the untrained generator's and says
# whether that fraction is within the chapter's bar (at most 1/10); compare it with the bar
# yourself to see by how much, and look at the end of the curve to see whether FD was still
# falling when training stopped. One caveat:
# this notebook pools the test images into training, as the tutorial does, so "held-out" is loose
# here; `benchmarks/quality.py` trains on the 60,000 training images only and scores against the
# untouched test set. Limits: FD needs many samples to be stable (its value
# depends on the sample size), it mixes quality and diversity into one number, and it says nothing
# about which images are bad — always look at the samples too.
#
# One run is one seed, and seeds differ. The chapter's bar is judged on the **median over three
# seeds** this notebook does not use (1, 2, 3), each trained with this recipe by
# `benchmarks/quality.py` on the 60,000 training images and scored with 2,000 samples against
# 2,000 test images (so the values sit on their own scale, not on the one above). The next cell
# reads that table, `benchmarks/results/quality_class_seeds_dcgan.json`, and prints the median
# and range of each row and whether the median ratio is within the bar.

# %%
# NBVAL_IGNORE_OUTPUT
seeds = compare.load_seeds("dcgan")   # benchmarks/results/quality_class_seeds_dcgan.json
for name in ("dcgan", "dcgan: untrained G", "dcgan: real train vs test"):
    med, lo, hi, n = seeds[name]["FD"]
    print(f"FD {name:<26} {med:7.2f} [{lo:.2f}-{hi:.2f}]  ({n} seeds)")
med, lo, hi, n = seeds["dcgan"]["FD / untrained FD"]
print(f"{'met    ' if med <= 0.1 else 'NOT met'}  the chapter's bar on the median of {n} seeds: FD / "
      f"untrained FD {med:.3f} [{lo:.3f}-{hi:.3f}], at most 0.1 wanted")

# %% [markdown]
# ### What more training gives
#
# The `class` run stops at 6,000 generator steps (compare the last points of the curve above to
# see whether its FD was still falling). A
# longer reference run of the same recipe ships with the project, in `data/pretrained/01_dcgan`
# (the generator `MODE = "pretrained"` loads; `data/README.md` says how it was made). The next
# cell trains nothing: it draws the same 100 noise vectors as the grid of section 7 through the
# reference generator and measures it on this section's scale (the same 1,000 noise vectors
# and 1,000 test images), so its FD sits on the same scale as "this run" above.

# %%
# NBVAL_IGNORE_OUTPUT
ref_generator, ref_about = runs.load_shipped("01_dcgan")
print("reference run:", ref_about["made"])
ref_fd = metrics.frechet_distance(   # the 1,000 noise vectors of `fd_noise` (training cell)
    np.asarray(ref_generator(np.random.default_rng(1).uniform(-1, 1, (1000, 100)).astype("float32"))),
    x_test[:1000], "fashion_mnist")
print(f"FD after {ref_about['steps']} generator steps: {ref_fd:.2f} (this section's scale)")
viz.show_grid(np.asarray(ref_generator(np.random.default_rng(0).uniform(-1, 1, (100, 100)).astype("float32"))),
              ncols=10, size=8, title=f"the reference run after {ref_about['steps']} generator steps")
plt.show()
#
# The run folder (`runs/class/01_dcgan` in `class` mode; test runs get a fresh temporary
# folder) already holds the final generator (`generator.keras`; `keras.saving.load_model` reads it
# without `ganlib`) and the loss history (`history.json`, read by `runs.load_history`).
# Running the training cell again resumes an interrupted run or loads a finished one; to
# train from scratch, delete the folder. The README's *Run folders* section has the details.

# %% [markdown]
# ## 9. Exercises
#
# From "predict, then look" to "write it yourself". Worked solutions:
# [`solutions/01_dcgan_solutions.ipynb`](solutions/01_dcgan_solutions.ipynb); they also train exercise 1 at a shorter budget beside the recipe
# and measure both.
#
# **Exercise 1 — a stronger discriminator (predict, then retrain).** Double $D$'s learning rate
# and leave $G$'s alone. Before you run anything, write down what you expect of the two loss
# curves of §6 and of the FD curve of §8. Then, in a copy of the notebook, replace the model cell
# of §3 by
#
# ```python
# gan = dcgan.make_dcgan(steps_per_execution=SCHEDULE["steps_per_execution"], seed=SEED)
# gan.compile(d_optimizer=dcgan.tutorial_optimizer(lr=4e-4), g_optimizer=dcgan.tutorial_optimizer(),
#             steps_per_execution=SCHEDULE["steps_per_execution"])
# ```
#
# and give the training cell a run folder of its own, `RUN_DIR = runs.run_dir("01_dcgan_d_lr_x2")`
# (in the chapter's folder, a finished run would be loaded back instead of trained). A `class` run
# is `SCHEDULE["steps"]` generator steps, as long as the training cell above took (its progress
# bar printed the time, and the line above it the precision this copy ran in).
# Describe what happened, using the guideline "if the $G$ loss climbs while the $D$ loss collapses,
# weaken $D$".
#
# **Exercise 2 — the numbers of a perfect balance (predict).** At the end of the game $D$ says
# $\tfrac12$ for every image. What do `d_loss` and `g_loss` read then? Work it out on paper from
# the two losses of §4, then check it with `losses.discriminator_bce` and `losses.generator_bce`
# on arrays of 0.5. Compare with the curves of §6: is this run at the balance?
#
# **Exercise 3 — write $D$'s loss.** `real_out` and `fake_out` are $D$'s probabilities on a batch
# of real and a batch of fake images (shape `(N, 1)`). Return the binary cross-entropy with real
# → 1 and fake → 0, as the mean over the two halves: $-\tfrac12\big(\overline{\log D(x)} +
# \overline{\log(1 - D(G(z)))}\big)$.

# %%
def my_discriminator_loss(real_out, fake_out):
    raise NotImplementedError  # your code here


# %%
check.discriminator_loss(my_discriminator_loss);

# %% [markdown]
# **Exercise 4 — write $G$'s non-saturating loss.** Given $D$'s probabilities on fakes, return
# $-\overline{\log D(G(z))}$: cross-entropy with the fakes labelled *real*.

# %%
def my_generator_loss(fake_out):
    raise NotImplementedError  # your code here


# %%
check.generator_loss(my_generator_loss);

# %% [markdown]
# **Exercise 5 — the saturating loss, and why it stalls.** Write the generator loss of the original
# minimax game, the mean of $\log(1 - D(G(z)))$ (which $G$ *minimises*). Then explain why a
# generator trained with it barely moves at the start of training. Hint: write
# $D = \sigma(s)$ with $s$ the discriminator's logit and differentiate both generator losses with
# respect to $s$ (`tf.GradientTape` does it for you) at a fake that $D$ rejects confidently, say
# $D(G(z)) = 0.02$. Chapter 6 draws both gradients as curves.

# %%
def my_saturating_generator_loss(fake_out):
    raise NotImplementedError  # your code here


# %%
check.saturating_generator_loss(my_saturating_generator_loss);

# %% [markdown]
# ## 10. Summary
#
# * A GAN is a two-player game: $D$ learns to tell real from fake, $G$ learns to fool it; at the
#   game's optimum $p_g = p_\text{data}$ and $D = \tfrac12$ everywhere.
# * $G$ minimises the non-saturating loss $-\log D(G(z))$ rather than $\log(1 - D(G(z)))$, whose
#   gradient vanishes exactly when $G$ is bad and $D$ is sure.
# * One iteration is six steps: a $D$ update on real and fake images with $G$ held fixed, then a
#   $G$ update through $D$ with $D$ held fixed. In Keras 3 "held fixed" means applying each gradient
#   to an explicit list of variables; the Keras 2 `trainable = False` trick silently (but for one
#   warning at the first call) stops $D$ from learning.
# * The architecture guidelines are heuristics; the tutorial keeps some (strided convolutions,
#   BatchNorm in $G$, ReLU/tanh, LeakyReLU) and breaks others (no BatchNorm in $D$, dense layers,
#   5×5 kernels with stride 2).
# * Healthy loss curves wander around a plateau; neither should go to zero. Judge the result with
#   the samples *and* a measure such as the Fréchet distance, read against an untrained generator
#   and real-vs-real.

# %% [markdown]
# ## Appendix: making it fast
#
# Nothing here changes the game; it changes how fast a CPU plays it. The chapter's code has three
# levers; the first, bfloat16, is pulled only on hardware that is fast at it (the training
# cell prints the precision this copy ran in).
#
# **bfloat16.** `config.set_precision()` (first cell; the training cell prints its choice) chooses Keras' `mixed_bfloat16` policy on
# hardware with fast bfloat16 units (a GPU, or a CPU with AMX-BF16 / AVX512-BF16), float32
# elsewhere; `GANLIB_PRECISION=float32` forces float32. Under the policy the layers compute in
# bfloat16 (float32's exponent range with 8 bits of mantissa) while the weights stay float32; the
# last activation of each network is declared `dtype="float32"` (see the builders in §3), and the
# losses and BatchNorm statistics are computed in float32.
#
# **`steps_per_execution`.** The schedule's value, given to `make_dcgan` in §3 (it passes it to
# `compile`), makes `fit()` run that many training steps inside one traced call, so Python and
# the callbacks are visited once per that many steps. It must divide the logging interval.
#
# **One forward pass of $G$ per step.** `make_dcgan` builds the GAN with `reuse_fakes=True`, so
# `train_step` calls `reused_fakes_step` instead of `alternating_step`:

# %%
show(GAN.reused_fakes_step)

# %% [markdown]
# $G$ runs forward once; $D$ is updated on real images and those fakes with $G$'s graph cut off,
# and then $G$ is updated on **the same** fakes, as judged by the discriminator that was just
# updated — instead of on fresh noise. PyTorch's DCGAN example does the same. The outer tape
# recorded $G$'s forward pass, so $G$'s gradient flows back through it; `stop_recording` keeps
# $D$'s update out of that tape. The step saves one of the two forward passes of $G$.
# `make_dcgan(reuse_fakes=False)` gives the textbook `alternating_step` of §4, which the other
# chapters use.
#
# What each lever is worth was measured by `benchmarks/speed_dcgan.py` (its saved output, two
# rounds of fresh processes on a shared 2-core CPU). The next cell prints each row's speed as a
# ratio to the setting the chapter ships with, in the same round: a ratio below 1 means that
# variant was slower than the chapter's setting.

# %%
# NBVAL_IGNORE_OUTPUT
import os
import re

speed_file = os.path.join(os.path.dirname(ganlib.__file__), os.pardir, "benchmarks", "results",
                          "speed_dcgan.txt")
with open(speed_file) as f:
    lines = f.read().splitlines()
rows = {}
for line in lines:
    m = re.match(r"round (\d+)\s+(.*?)\s+([\d.]+) steps/s$", line.strip())
    if m:
        rows.setdefault(m[2], {})[int(m[1])] = float(m[3])
shipped = next(label for label in rows if "as shipped" in label)
print(lines[0])
for label, by_round in rows.items():
    print(f"{label:<60}" + "".join(f"  round {k}: x{v / rows[shipped][k]:.2f}"
                                   for k, v in sorted(by_round.items())))

# %% [markdown]
# Read a difference only when both rounds agree on its direction: the machine is shared and
# noisy, and a lever that wins in one round and loses in the other is within the noise there.
# Apply that rule to the rows printed above: a row below ×1 in both rounds is a variant slower
# than the shipped setting, so the lever it removes paid on that CPU; a row that is below ×1 in
# one round and not in the other is within the noise. Check the float32 row (the bfloat16
# lever), the fresh-fakes row (the shared forward pass of $G$) and the one-step-per-execution
# row (`steps_per_execution`) this way. `steps_per_execution` is meant for steps so short that
# Python's overhead per step is a large share of them, which is more often the case on a GPU;
# these ratios are for one CPU only.

