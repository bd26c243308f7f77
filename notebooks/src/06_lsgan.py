# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 6 — Least Squares GAN: pulling fakes all the way to the data
#
# The WGAN of chapter 5 fixed the *stability* of GAN training by changing the distance being
# minimised. The **Least Squares GAN** (Mao et al., 2017) targets stability *and* sample
# quality with an even smaller change: replace the discriminator's sigmoid cross-entropy by a
# **squared error**. In this chapter you will
#
# 1. see why sigmoid cross-entropy stops improving fakes that already fool the discriminator
#    (the decision-boundary argument),
# 2. compare the generator's gradient under both losses as a function of the discriminator's
#    output, on a small toy figure computed with `ganlib.losses`,
# 3. train an LSGAN on MNIST and, on the very same networks and schedule, the DCGAN it modifies.
#
# **Learning goals.** After this chapter you can
#
# * explain, with the decision-boundary argument, why sigmoid cross-entropy stops pulling fakes
#   that already fool $D$ towards the data, and why a squared error keeps pulling;
# * write the LSGAN losses for any target coding $a, b, c$ and plug them into a GAN;
# * compare the generator's gradient under different losses as a function of $D$'s logit;
# * read an equal-budget comparison of losses, with its noise and its limits.
#
# **Prerequisites.** Chapter 1 (the GAN game, the alternating training step, non-saturating
# loss, Fréchet distance); chapter 5 is referred to for the shared networks and the WGAN losses
# in the final comparison, but is not needed to follow the rest.
#
# Networks and hyper-parameters follow Atienza, *Advanced Deep Learning with Keras*
# (`lsgan-mnist-5.2.1.py` and the shared `gan.py`): the code lives in `ganlib.atienza`
# (networks and training loop, shared with chapter 5) and `ganlib.lsgan`.
#
# **Run modes.** `GANLIB_MODE`: `smoke` (a few steps, for the tests), `class` (the default: a
# thousand generator steps for each of the two models; the README's chapter table gives the
# notebook's time on a 2-core CPU in float32 and with bfloat16 units) or `full` (the book's
# 40,000 generator steps; use a GPU). Each training cell prints the mode and precision of its
# run in one line and shows one progress bar for the whole run.
#
# To go straight to the demos and the evaluation, set `MODE = "pretrained"` in the next cell
# (or `GANLIB_MODE=pretrained`): every training cell then loads the generator of a longer
# reference run shipped in `data/pretrained/` instead of training (`data/README.md` lists
# them; a run with no generator shipped there stops with a message saying so).

# %%
# NBVAL_IGNORE_OUTPUT
import matplotlib.pyplot as plt
import numpy as np

import ganlib  # first: it imports TensorFlow with the start-up log lines muted
import tensorflow as tf
from ganlib import atienza, check, config, data, losses, lsgan, runlog, runs, toy2d, viz
from ganlib.gan import GAN
from ganlib.show import show

MODE = None   # "pretrained": load a shipped reference run, no training; None: $GANLIB_MODE
config.use_mode(MODE)
SCHEDULE = config.select(lsgan.SCHEDULES, verbose=False)   # generator steps, widths, ...
PRECISION = config.set_precision(verbose=False)   # bfloat16 where the hardware is fast at it
SEED = 42
config.set_seed(SEED)

# %% [markdown]
# ## 1. The decision-boundary argument
#
# A sigmoid discriminator draws a **decision boundary** — the surface where $D(x) = \tfrac12$ —
# between what it calls real and what it calls fake. With cross-entropy, the generator's
# gradient comes from how *wrong* $D$ thinks a fake is. Consider fakes that are already on the
# "real" side of the boundary but still far from the real data. $D$ scores them as real with
# high confidence, the non-saturating loss $-\log D(G(z))$ is already near zero, its gradient
# vanishes, and nothing pulls those samples any closer to the real digits. The generator is
# rewarded for crossing the boundary, not for reaching the data. Chapter 0 (`00_gan_2d.ipynb`)
# draws this on a 2-D toy, where you can see the least-squares boundary and the samples it pulls.
#
# LSGAN keeps the same game but scores it with squared errors against target values: with $a$ the
# label for fake, $b$ for real, and $c$ the value the generator wants $D$ to give its fakes,
#
# $$\min_D \; \tfrac12\,\mathbb{E}_{x \sim p_\text{data}}\big[(D(x) - b)^2\big] + \tfrac12\,\mathbb{E}_{z}\big[(D(G(z)) - a)^2\big],
# \qquad
# \min_G \; \tfrac12\,\mathbb{E}_{z}\big[(D(G(z)) - c)^2\big].$$
#
# The book (like most implementations) uses the 0-1 coding $a = 0$, $b = c = 1$: the losses are
# simply the **mean squared error** of $D$'s raw output against the usual labels, and $D$ has **no
# output activation**. Now a fake scored $D(G(z)) = 3$ — deep on the real side — is penalised
# $(3-1)^2 = 4$: the loss is zero only *on* the target, so fakes far from the real data keep
# receiving gradient on either side of the boundary. (Mao et al. also show that with
# $b - c = 1$ and $b - a = 2$ the generator minimises the Pearson $\chi^2$ divergence between
# $p_\text{data} + p_g$ and $2p_g$.)
#
# **Live:** in chapter 0's live demo (GAN Lab, §4 of `00_gan_2d.ipynb`) the **LSGAN boundary**
# lesson trains least squares on the 2-D ring: watch fakes on the real side of the ½ boundary
# still being pushed, and compare with the **vanishing gradients** lesson.
#
# The two loss pairs, as `ganlib.losses` implements them:

# %%
show(losses.discriminator_least_squares)
show(losses.generator_least_squares)
show(losses.discriminator_bce)
show(losses.generator_bce)

# %% [markdown]
# ## 2. A toy comparison of the generator's gradient
#
# Take one fake image and let $s$ be the discriminator's last linear output for it (the *logit*).
# With cross-entropy $D = \sigma(s)$; with least squares $D = s$. The plots below differentiate
# the actual `ganlib` losses with respect to $s$ (with `tf.GradientTape`), which is the signal
# that back-propagates into the generator:
#
# * **non-saturating cross-entropy**, $-\log \sigma(s)$: gradient magnitude $1 - \sigma(s)$, which
#   dies out once $s$ is well past the boundary ($s = 0$) on the real side;
# * **the original minimax loss**, $\log(1 - \sigma(s))$: gradient $\sigma(s)$, dead on the *fake*
#   side — exactly where a young generator lives (why nobody uses it);
# * **least squares**, $(s - 1)^2$: gradient $2|s - 1|$, growing with the distance from the target
#   on both sides.

# %%
s = tf.constant(np.linspace(-6, 6, 241, dtype="float32")[:, None])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(s)
    # the losses average over the batch; multiply by its size for per-sample values
    n = float(s.shape[0])
    ce_loss = n * losses.generator_bce(tf.sigmoid(s))                      # -log σ(s)
    minimax_loss = -n * losses.bce(0.0, tf.sigmoid(s))                     # log(1 - σ(s))
    ls_loss = n * losses.generator_least_squares(s)                        # (s - 1)²
curves = (("non-saturating CE", "−log σ(s)", ce_loss),
          ("minimax CE", "log(1 − σ(s))", minimax_loss),
          ("least squares", "(s − 1)²", ls_loss))
grads = {name: np.abs(tape.gradient(loss, s).numpy().ravel()) for name, _, loss in curves}
x = s.numpy().ravel()
fig, (ax_l, ax_g) = plt.subplots(1, 2, figsize=(11, 3.8))
ax_l.plot(x, -np.log(1 / (1 + np.exp(-x))), label="non-saturating CE")
ax_l.plot(x, (x - 1) ** 2, label="least squares")
ax_l.set_ylim(0, 10)
ax_l.set_title("generator loss for one fake")
ax_l.set_ylabel("loss")
for name, formula, _ in curves:
    ax_g.plot(x, grads[name], label=f"{name}  {formula}")
ax_g.set_ylim(0, 6)
ax_g.set_title("|gradient| with respect to the logit s")
ax_g.set_ylabel("|∂ loss / ∂s|")
for ax in (ax_l, ax_g):
    ax.axvline(0, color="grey", ls=":", lw=1)
    ax.set_xlabel("discriminator logit s for a fake   (← 'fake'  |  'real' →)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# A few values, to read off the curves (the gradient of each per-sample loss at $s$):

# %%
for logit in (-4.0, 0.0, 1.0, 4.0):
    i = int(np.argmin(np.abs(x - logit)))
    print(f"s = {logit:+.0f}:  " + "   ".join(f"{name} {g[i]:6.3f}" for name, g in grads.items()))

# %% [markdown]
# At $s = +4$ — a fake the discriminator is sure is real, with probability $\sigma(4)$ — compare
# the last printed row: non-saturating cross-entropy gives the generator almost nothing, while
# least squares pushes hard towards the target $s = 1$ (its gradient is $2|s - 1|$). Note the
# flip side: the least-squares gradient also *grows* with the error, and pulls
# back fakes that overshoot the real data, which is what keeps them near it.

# %% [markdown]
# ### The same argument on a real discriminator: Mao et al.'s picture
#
# The curves above are one logit. Does a trained discriminator really leave fakes stranded? Take
# the 2-D toy of chapter 0 (eight Gaussians on a ring) and a young generator whose fakes are a
# blob at the centre. Train only $D$, once with each loss, until it separates the ring from the
# blob (`toy2d.train_discriminator`, 500 updates, a few seconds). Then look at the points of the
# plane that $D$ puts on the **real** side of its boundary although they lie at least 0.5 from any
# real point — where a fake would be taken for real while looking nothing like the data — and
# differentiate $G$'s own loss with respect to a fake's position there (`toy2d.gradient_norms`).
# The arrows are drawn on one scale for both panels: an arrow that is not there is a gradient
# that has vanished.

# %%
show(toy2d.far_side_experiment)

# %%
# NBVAL_IGNORE_OUTPUT
toy = {name: toy2d.far_side_experiment(loss, seed=SEED)
       for name, loss in (("sigmoid cross-entropy", "bce"), ("least squares", "lsgan"))}
fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
for ax, (name, r) in zip(axes, toy.items()):
    toy2d.plot_far_side(r, ax=ax, title=name)
    print(f"{name:<22} median ‖∇ₓ L_G‖ far on the real side {r['far_median']:.2g} "
          f"({len(r['far'])} points, {r['vanishing']:.0%} below 1e-3); at the fakes "
          f"{r['fake_median']:.2g}")
plt.tight_layout()
plt.show()

# %% [markdown]
# Read the two panels against the two printed lines. Each line gives, for one loss, the median
# gradient far on the real side, how many of those points give $G$ less than $10^{-3}$ (a
# gradient that has vanished: a fake that lands there stays there), and the median gradient at
# the fakes themselves. The argument predicts that with cross-entropy $D$'s sigmoid saturates
# over the real side, so its median there is tiny and most points fall below $10^{-3}$, while
# with least squares the push stays of order 1, pointing back towards the ring and the
# boundary, because $D$'s raw output overshoots the target $b = 1$ away from the data. Compare
# the two lines' first numbers to check it. The last number of each line is the flip side:
# *at the fakes themselves*, deep on the fake side, compare which loss pushes harder; this
# $D$'s least-squares output can be nearly flat there. The same experiment over five seeds
# (`python benchmarks/lsgan_gradients.py`, medians in `benchmarks/results/lsgan_gradients.txt`)
# says whether this seed is typical: least squares helps where the argument says it does,
# which need not be everywhere.

# %% [markdown]
# ## 3. Data
#
# MNIST digits in $[0, 1]$ (the generator ends in a sigmoid). Offline, `load_mnist` falls back to
# a 10,000-image real sample shipped in `data/` and says so. As in the book we train on the
# training split.

# %%
# NBVAL_IGNORE_OUTPUT
((x_train, y_train), (x_test, y_test)), SOURCE = data.load_mnist()
print(f"{len(x_train)} training images of shape {x_train.shape[1:]}, dtype {x_train.dtype}")

# %%
viz.show_grid(x_train[:64], ncols=16, title="real MNIST digits", size=8)
plt.show()

# %% [markdown]
# ## 4. The networks
#
# The same builders as the WGAN chapter: a generator of four BN → ReLU → transposed-convolution
# blocks ending in a sigmoid, and a discriminator of four LeakyReLU → convolution blocks ending
# in one linear unit. LSGAN asks for **no** output activation (`activation=None`); the DCGAN
# baseline passes `"sigmoid"`. Everything else is shared.

# %%
show(atienza.generator)
show(atienza.discriminator)

# %% [markdown]
# `make_gan` chooses the output activation and the pair of losses by name, with the book's
# optimisers: RMSprop, learning rate $2 \times 10^{-4}$ for $D$ and half that for $G$ (with the
# legacy Keras `decay` of $6\times10^{-8}$ per step, negligible here). As in the book's training
# loop, $D$ sees each batch of 64 real and 64 fake images concatenated in one batch.
# The schedule may scale both networks' filter counts (`g_width`, `d_width`, as in chapter 5);
# the summaries below print the layers this run mode builds.

# %%
show(lsgan.make_gan)

# %%
gan = lsgan.make_gan("lsgan", seed=SEED, **atienza.widths(SCHEDULE))   # this mode's network widths
gan.generator.summary()
gan.discriminator.summary()

# %% [markdown]
# ## 5. The training step
#
# LSGAN needs no new algorithm: it is the shared `GAN.alternating_step` — one discriminator update on
# real and fake images, then one generator update through the frozen discriminator — with the
# least-squares losses plugged in. Compared with chapter 5: one $D$ step per $G$ step, no clipping.

# %%
show(GAN.alternating_step)
show(GAN.discriminator_loss)
show(GAN.generator_loss)

# %% [markdown]
# ## 6. Training the LSGAN
#
# `viz.SampleGrid` redraws the samples of 16 fixed noise vectors; `atienza.fit` (shared with
# chapter 5) builds the input pipeline and runs `fit()` with the NaN guard and the backup /
# resume callback. One progress bar covers the whole run, with the time spent and the time
# left; re-running the cell resumes an interrupted training, and a finished one is loaded (the
# cell says so) — delete its run folder to start over.

# %%
# NBVAL_IGNORE_OUTPUT
config.describe_run(SCHEDULE)
fixed_noise = np.random.default_rng(SEED).uniform(-1, 1, (16, atienza.LATENT_DIM)).astype("float32")
samples = viz.SampleGrid(fixed_noise, every=SCHEDULE["sample_every"], ncols=8, scale="sigmoid", size=5)
RUN_DIR = runs.run_dir("06_lsgan")
history = atienza.fit(gan, SCHEDULE, images=x_train, seed=SEED, verbose=1,
                      callbacks=[samples], run_dir=RUN_DIR)

# %% [markdown]
# **The training strip.** The run folder keeps the generator's images for one fixed set of inputs
# after every logging interval; the strip shows up to eight of them, each labelled by its step.
# Each picture is two rows of eight digits, more than twice as wide as high, so the strip stacks
# them one under another: read it top to bottom, the untrained generator first. The inputs never
# change, so every difference between panels is what $G$ learned in between (how far it gets
# depends on the run mode).

# %%
# NBVAL_IGNORE_OUTPUT
runlog.show_strip(RUN_DIR);

# %% [markdown]
# ### Loss curves
#
# Both losses are mean squared errors. If $D$ could not tell real from fake at all, its best
# constant answer would be $\tfrac12$ everywhere: $D$'s loss $\tfrac12(0.25 + 0.25) = 0.25$ and
# $G$'s $(0.5 - 1)^2 = 0.25$. A $D$ loss far below 0.25 with a $G$ loss far above means $D$ is winning.

# %%
# NBVAL_IGNORE_OUTPUT
ax = viz.plot_history(history, steps_per_epoch=SCHEDULE["log_every"],
                      title="LSGAN losses (mean per logging interval)")
ax.set_ylabel("mean squared error")
plt.show()

# %% [markdown]
# ## 7. The same networks with the DCGAN loss
#
# To see what the loss alone changes, train a fresh pair with `make_gan("dcgan")` — identical
# networks, optimisers, data, seed and schedule, but a sigmoid on $D$ and binary cross-entropy:
# the book's DCGAN.

# %%
# NBVAL_IGNORE_OUTPUT
gan_dc = lsgan.make_gan("dcgan", seed=SEED, **atienza.widths(SCHEDULE))
samples_dc = viz.SampleGrid(fixed_noise, every=SCHEDULE["sample_every"], ncols=8, scale="sigmoid", size=5)
RUN_DIR_DC = runs.run_dir("06_dcgan")
history_dc = atienza.fit(gan_dc, SCHEDULE, images=x_train, seed=SEED, verbose=1,
                         callbacks=[samples_dc], run_dir=RUN_DIR_DC)

# %% [markdown]
# Its strip, from the same fixed inputs as the LSGAN's above: compare them panel by panel.

# %%
# NBVAL_IGNORE_OUTPUT
runlog.show_strip(RUN_DIR_DC);

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
viz.plot_history(history, steps_per_epoch=SCHEDULE["log_every"], ax=axes[0], title="LSGAN (squared error)")
viz.plot_history(history_dc, steps_per_epoch=SCHEDULE["log_every"], ax=axes[1], title="DCGAN (cross-entropy)")
axes[0].set_ylabel("mean squared error")
axes[1].set_ylabel("binary cross-entropy")
plt.show()

# %% [markdown]
# ## 8. Samples
#
# One hundred fresh noise vectors — the same ones — through both generators. In `class` mode
# expect rough, digit-like strokes, only some of them readable digits; the book's 40,000 steps (`full`) give clean ones, where
# Atienza finds LSGAN's perceptually better than the DCGAN's. Look for that difference in the two
# grids, but do not expect it to be clear after the first 1,000 of those 40,000 steps (and not at
# all after `smoke` mode's handful): at this length the two may look much alike.

# %%
# NBVAL_IGNORE_OUTPUT
eval_noise = np.random.default_rng(0).uniform(-1, 1, (100, atienza.LATENT_DIM)).astype("float32")
fig, axes = plt.subplots(1, 2, figsize=(12, 6))
viz.show_grid(gan.generate(inputs=eval_noise), ncols=10, scale="sigmoid", ax=axes[0],
              title=f"LSGAN, {gan.generator_steps} steps")
viz.show_grid(gan_dc.generate(inputs=eval_noise), ncols=10, scale="sigmoid", ax=axes[1],
              title=f"DCGAN loss, {gan_dc.generator_steps} steps")
plt.show()

# %% [markdown]
# ## 9. Evaluate
#
# Pictures can mislead, so score both generators with the reference MNIST classifier of
# `ganlib.metrics` (a small CNN trained on real digits):
#
# * **Fréchet distance** between 1,000 samples and 1,000 real test digits, on the classifier's
#   128 penultimate features (the FID recipe with a small MNIST network instead of Inception);
#   lower is better, and two sets of real digits give the floor;
# * **classifier score** (the Inception-Score recipe): up to 10 when every sample is confidently
#   one digit and all ten digits occur.
#
# With a single short run per loss these numbers carry run-to-run noise: treat small differences
# as ties.

# %%
# NBVAL_IGNORE_OUTPUT
from ganlib import metrics

scores = metrics.score_generators({"LSGAN": gan, "DCGAN loss": gan_dc}, x_train, x_test,
                                  "mnist", scale="sigmoid", n=1000)

# %% [markdown]
# ### What more training gives
#
# Both `class` runs stop after `SCHEDULE["steps"]` generator steps. Longer reference runs of the
# same two losses ship with the project in `data/pretrained/06_lsgan` and `data/pretrained/06_dcgan`
# (the generators `MODE = "pretrained"` loads; `data/README.md` says how they were made). They
# were trained on the book's full-width networks (`lsgan.SCHEDULES["pretrained"]` builds those),
# so they differ from this notebook's runs in width as well as in length. The
# next cell trains nothing: it puts those generators into fresh models
# (`compare.with_references`, through `chapters.load_reference`) and scores all four on this
# section's scale — the same 1,000 noise vectors and test digits — then draws the 100 digits of
# section 8 from the two reference runs.

# %%
# NBVAL_IGNORE_OUTPUT
from ganlib import compare

ref_scores, _ = compare.with_references({"LSGAN": gan, "DCGAN loss": gan_dc},
                                        {"LSGAN": "06_lsgan", "DCGAN loss": "06_dcgan"},   # data/pretrained/...
                                        x_train, x_test, grid_noise=eval_noise)
plt.show()

# %% [markdown]
# **Reading the comparison.** The table prints both losses for this notebook's runs and for the
# reference runs (longer, full width, another seed; each row names its steps). Compare the two
# losses within each pair of rows, column by column: FD is lower-is-better, the classifier score higher-is-better, and the two
# need not agree on which loss is ahead. Then compare the two pairs: does the order of this
# notebook's runs hold for the longer, wider ones? In the grids, look for broken and blotchy strokes and for a grid that
# repeats a few digits (collapse). One run per loss cannot rank the two losses (the seed table
# below says how far apart seeds land). The gradient argument of §2 is about fakes stranded
# far on the real side of $D$'s boundary; these scores do not measure how many such fakes a
# run makes.

# %% [markdown]
# ### The two losses over three seeds
#
# One run per loss is one draw, and §9 warned that small differences are ties. The two runs of
# this notebook were also trained on three seeds the notebook does not use, exactly as its
# cells train them, and scored on 2,000 samples
# (`python benchmarks/quality.py --mode class --chapters lsgan,dcgan-loss --seeds 1,2,3`;
# table in `benchmarks/results/quality_class_seeds_lsgan.txt`). FD depends on the number of
# samples and these are other seeds, so this table is on its own scale: compare its two rows
# with each other, not with the numbers above. The next cell
# reads that table; it trains nothing.

# %%
# NBVAL_IGNORE_OUTPUT
from ganlib import compare

seeds = compare.load_seeds("lsgan")   # benchmarks/results/quality_class_seeds_lsgan.json
print(compare.seed_lines(seeds, ["lsgan", "dcgan-loss"]))
ls_fd, dc_fd = seeds["lsgan"]["FD"][0], seeds["dcgan-loss"]["FD"][0]   # medians
print(f"{'met    ' if ls_fd <= dc_fd else 'NOT met'}  the chapter's claim on the medians: least "
      f"squares' FD ({ls_fd:.1f}) no worse than the DCGAN loss's ({dc_fd:.1f})")

# %% [markdown]
# **Reading the table.** Each line prints a loss's median over three seeds and, in brackets,
# the range. Compare the two medians, and then the ranges: where the two ranges overlap, the
# seeds do not separate the two losses. Compare the widths of the two FD ranges too: a narrower
# range is a loss that lands in much the same place from seed to seed, which is what §2's
# argument would suggest for least squares (it keeps pushing where cross-entropy goes silent);
# but three seeds measure the spread only roughly. The last line tests the claim the book
# makes, better images from least squares, as the chapter's bar on the two medians, and prints
# whether it is met at this length.

# %% [markdown]
# ## 10. Four losses, one budget
#
# The four-loss comparison (the DCGAN loss, LSGAN, WGAN and WGAN-GP on the same networks, for
# the same number of generator steps, by `benchmarks/quality.py --chapters losses`) is
# explained and read in chapter 5, §9 *Four losses, one budget* (`05_wgan.ipynb`). The next two
# cells print the same two tables here, so that the LSGAN and DCGAN-loss rows can be set beside
# this chapter's runs; they train nothing. Read them as chapter 5 §9 says.

# %%
# NBVAL_IGNORE_OUTPUT
from ganlib import compare

comparison = compare.load("class")
print(compare.table(comparison))
ranked = sorted(comparison["runs"], key=lambda r: r["fd"])
print("\nranked by final FD (lower is better):", " < ".join(r["name"] for r in ranked))
fastest = min(r["seconds"] for r in comparison["runs"])
print("training time relative to the fastest:",
      ", ".join(f"{r['name']} ×{r['seconds'] / fastest:.1f}" for r in comparison["runs"]))
compare.plot(comparison)
plt.show()

# %% [markdown]
# **For this chapter.** Compare the LSGAN and DCGAN-loss rows with the two runs of §9, which
# trained on this notebook's schedule (more steps in `class` mode than the benchmark's 500, and
# half-width networks against the benchmark's full-width ones) from another seed, scored on
# 1,000 samples instead of 2,000: where the two orders disagree,
# the gap between those two losses is within the run-to-run noise of a single run per loss.

# %% [markdown]
# ### The four losses over three seeds
#
# The same table over three seeds (`benchmarks/results/quality_class_seeds_losses.txt`), ranked
# by median FD, as chapter 5 §9 prints and reads it:

# %%
# NBVAL_IGNORE_OUTPUT
loss_seeds = compare.load_seeds("losses")   # benchmarks/results/quality_class_seeds_losses.json
print(compare.seed_lines(loss_seeds, ranked_by="FD", measures=("FD", "classifier score", "train s")))

# %% [markdown]
# **For this chapter.** Set the LSGAN and DCGAN-loss lines (500 steps, full width) beside §9's
# seed table (the same two losses on this notebook's schedule): compare the two losses' FD
# ranges in each table, and see whether their order, or their overlap, changes between the two
# set-ups. Which loss is
# ahead earlier in a run is a separate question, read from the FD curves of the plot above;
# neither table measures it.

# %% [markdown]
# The run folders (`runs/class/06_lsgan` and `runs/class/06_dcgan` in `class` mode; test runs
# get fresh temporary folders) each hold the final generator (`generator.keras`;
# `keras.saving.load_model` reads it without `ganlib`) and the loss history (`history.json`,
# read by `runs.load_history`).
# Running the training cell again resumes an interrupted run or loads a finished one; to
# train from scratch, delete the folder. The README's *Run folders* section has the details.

# %% [markdown]
# ## 11. Exercises
#
# From "predict, then look" to "write it yourself". Worked solutions:
# [`solutions/06_lsgan_solutions.ipynb`](solutions/06_lsgan_solutions.ipynb).
#
# **Exercise 1 — read the gradients (predict).** A young generator's fakes sit at $s = -4$: $D$ is
# sure they are fake. Before looking at the printed values of §2, rank the three generator losses
# by how hard they push such a fake, and say which one is useless there. Then do the same at
# $s = +4$. Check your answers against the printed table.
#
# **Exercise 2 — a faster generator (predict, then retrain).** The book lets $G$ learn at half
# $D$'s rate. Predict what the LSGAN loss curves of §6 do if $G$ learns at $D$'s rate, then try it
# in a copy of the notebook: replace the model cell of §4 by
#
# ```python
# gan = lsgan.make_gan("lsgan", seed=SEED, **atienza.widths(SCHEDULE))   # §4's networks
# gan.compile(d_optimizer=atienza.rmsprop(lsgan.LR, lsgan.DECAY),
#             g_optimizer=atienza.rmsprop(lsgan.LR, lsgan.DECAY),
#             d_loss_fn=losses.discriminator_least_squares, g_loss_fn=losses.generator_least_squares)
# ```
#
# and give the training cell a run folder of its own, `RUN_DIR = runs.run_dir("06_lsgan_g_lr_x2")`
# (in the chapter's folder, a finished run would be loaded back instead of trained). A `class` run
# is `SCHEDULE["steps"]` generator steps, about as long as the LSGAN training cell of §6 took (its
# progress bar printed the time spent). Describe the curves
# against the 0.25 / 0.25 "confused $D$" level of §6.
#
# **Exercise 3 — write the LSGAN losses.** With the 0-1 coding ($a = 0$, $b = c = 1$), write $D$'s
# loss $\tfrac12\,\overline{(D(x) - b)^2} + \tfrac12\,\overline{(D(G(z)) - a)^2}$ and $G$'s loss
# $\overline{(D(G(z)) - c)^2}$. `real_out` and `fake_out` are $D$'s raw outputs, shape `(N, 1)`.
# (Like the book's mean squared error, `ganlib` drops the ½ of Mao et al.'s $G$ loss: a constant
# factor: it rescales $G$'s gradient, and leaves RMSprop's step unchanged up to its small $\epsilon$.)

# %%
def my_lsgan_d_loss(real_out, fake_out):
    raise NotImplementedError  # your code here


def my_lsgan_g_loss(fake_out):
    raise NotImplementedError  # your code here


# %%
check.lsgan_discriminator_loss(my_lsgan_d_loss)
check.lsgan_generator_loss(my_lsgan_g_loss);

# %% [markdown]
# **Exercise 4 — Mao et al.'s other coding.** Mao et al. also use $a = -1$, $b = 1$, $c = 0$: $D$
# pushes fakes to $-1$ and reals to $+1$, and $G$ only asks for its fakes to sit on the boundary
# $0$ ($b - c = 1$, $b - a = 2$: the Pearson $\chi^2$ case of §1). Write both losses for this
# coding. Then predict what the loss curves would read if $D$ could not tell real from fake at all
# (what is its best constant answer now?), and why a $G$ loss near zero no longer means that $G$
# is winning.

# %%
def my_chi2_d_loss(real_out, fake_out):
    raise NotImplementedError  # your code here


def my_chi2_g_loss(fake_out):
    raise NotImplementedError  # your code here


# %%
check.lsgan_discriminator_loss(my_chi2_d_loss, a=-1, b=1)
check.lsgan_generator_loss(my_chi2_g_loss, c=0);

# %% [markdown]
# **Exercise 5 — train with your losses.** `GAN.compile` takes the two loss functions as
# arguments (`d_loss_fn`, `g_loss_fn`), next to the two optimisers; `make_gan("lsgan")` gives the
# networks with a linear $D$ output, which the targets $\pm1$ need. In a copy of the notebook,
# build the model of §4 as
#
# ```python
# gan = lsgan.make_gan("lsgan", seed=SEED, **atienza.widths(SCHEDULE))   # §4's networks
# gan.compile(d_optimizer=atienza.rmsprop(lsgan.LR, lsgan.DECAY),
#             g_optimizer=atienza.rmsprop(lsgan.LR * 0.5, lsgan.DECAY * 0.5),
#             d_loss_fn=my_chi2_d_loss, g_loss_fn=my_chi2_g_loss)
# ```
#
# (fresh optimisers: `compile` builds them for these variables), train it into its own run
# folder, e.g. `runs.run_dir("06_lsgan_chi2")` — `SCHEDULE["steps"]` generator steps, as long as
# the LSGAN run of §6 in `class` mode — and compare its samples and scores with the 0-1 coding's. The solutions notebook runs two steps
# of it to show that it trains, then trains it and exercise 2's run beside the chapter's recipe
# on one seed and measures all three.

# %% [markdown]
# ## 12. Summary
#
# * With cross-entropy, fakes that $D$ already scores as real get almost no gradient however far
#   they are from the data: $G$ is rewarded for crossing the decision boundary, not for reaching
#   the data.
# * LSGAN replaces the sigmoid cross-entropy with squared errors against targets $a$ (fake),
#   $b$ (real) and $c$ (what $G$ wants): the loss is zero only on the target, so the gradient grows
#   with the distance on both sides. With $b - c = 1$, $b - a = 2$ it minimises a Pearson $\chi^2$
#   divergence.
# * In code the change is small: no output activation on $D$ and another pair of loss functions
#   passed to `compile`; the training step is chapter 1's alternating step.
# * Reading LSGAN losses: a confused $D$ gives 0.25 / 0.25 with the 0-1 coding; other codings
#   move those levels.
# * Measured on a trained discriminator (the 2-D toy of §2): the argument predicts that far on
#   the real side of the boundary the cross-entropy gradient vanishes while least squares keeps
#   pushing; §2 prints the medians of both on each side, and at the fakes themselves the
#   comparison can go the other way round.

# * One short run per loss carries run-to-run noise; compare losses at equal generator steps,
#   report wall time too, and look at the samples next to the FD.
