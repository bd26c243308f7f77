# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 5 — Wasserstein GAN: a loss that keeps its gradient
#
# The DCGAN of chapter 1 trains, but only just: its losses tell you little, and a
# discriminator that gets too good starves the generator of gradient. The **Wasserstein GAN**
# (Arjovsky, Chintala & Bottou, 2017) changes *what distance* the generator minimises, and
# with it the discriminator's job: it becomes a **critic** that scores images instead of
# classifying them.
#
# **Learning goals.** After this chapter you can
#
# * explain why the Jensen–Shannon divergence behind the original GAN gives no gradient when the
#   real and generated distributions do not overlap, and why the Earth-Mover distance does;
# * state the Kantorovich–Rubinstein dual of the Earth-Mover (Wasserstein-1) distance and say
#   what the 1-Lipschitz constraint on the critic is for;
# * say how weight clipping (crudely) and the gradient penalty (WGAN-GP, Gulrajani et al., 2017)
#   enforce that constraint, and write both the critic loss and the penalty yourself;
# * map Algorithm 1 of the WGAN paper line by line onto the training code ($n_\text{critic}$
#   critic updates per generator update, clipping, RMSprop);
# * read a WGAN's curves: which quantity estimates the distance, and which way it should move.
#
# **Prerequisites.** Chapter 1 (the GAN game, the alternating updates with `GradientTape` and
# explicit variable lists, the Fréchet distance); expectations, gradients and the chain rule;
# what a norm is. Chapter 0 (`00_gan_2d.ipynb`) helps for intuition but is not required.
#
# The networks and hyper-parameters follow Atienza, *Advanced Deep Learning with Keras*
# (chapter "Improved GANs", `wgan-mnist-5.1.2.py` and its shared `gan.py`); the code lives in
# `ganlib.atienza` (networks) and `ganlib.wgan` (the WGAN family), shown below as we use it.
#
# **Run modes.** `GANLIB_MODE` picks the length of training: `smoke` (a few steps, for the
# automated tests), `class` (the default: a few hundred generator steps for each of the two
# runs, each step costing five critic steps, with the Fréchet distance measured along the way;
# the README's chapter table gives the notebook's time on a 2-core CPU in float32 and with
# bfloat16 units) or `full` (the book's 40,000 generator steps; use a GPU). Each training cell
# prints the mode and precision of its run in one line and shows one progress bar for the
# whole run. Sections 7 and 8 compare what the two `class` runs draw.
#
# To go straight to the demos and the evaluation, set `MODE = "pretrained"` in the next cell
# (or `GANLIB_MODE=pretrained`): every training cell then loads the generator of a longer
# reference run shipped in `data/pretrained/` instead of training (`data/README.md` lists
# them; a run with no generator shipped there stops with a message saying so).

# %%
# NBVAL_IGNORE_OUTPUT
import matplotlib.pyplot as plt
import numpy as np

from ganlib import atienza, compare, config, data, losses, metrics, runlog, runs, viz, wgan
from ganlib.gan import GAN, training_callbacks
from ganlib.show import show

MODE = None   # "pretrained": load a shipped reference run, no training; None: $GANLIB_MODE
config.use_mode(MODE)
SCHEDULE = config.select(wgan.SCHEDULES, verbose=False)   # generator steps, widths, ...
PRECISION = config.set_precision(verbose=False)   # bfloat16 where the hardware is fast at it
SEED = 42
config.set_seed(SEED)

# %% [markdown]
# ## 1. Why the original GAN loss can stop teaching the generator
#
# With the optimal discriminator, the original GAN's generator minimises the
# **Jensen–Shannon divergence** between the data distribution $p_r$ and its own $p_g$:
#
# $$\mathrm{JS}(p_r, p_g) = \tfrac12 \mathrm{KL}\!\left(p_r \,\middle\|\, \tfrac{p_r + p_g}{2}\right)
#   + \tfrac12 \mathrm{KL}\!\left(p_g \,\middle\|\, \tfrac{p_r + p_g}{2}\right).$$
#
# Images live on thin, low-dimensional manifolds inside pixel space; early in training the
# generator's manifold and the data's almost surely do not intersect. When the supports are
# **disjoint**, $\mathrm{JS} = \log 2$ *whatever the distance between them*: moving $p_g$ closer
# does not change the value, so its gradient is zero. (The KL divergence is worse: it is
# infinite.) A discriminator trained to optimality then separates real from fake perfectly,
# its sigmoid saturates, and the generator gets no signal.
#
# Arjovsky et al.'s simplest example makes this concrete. Let $p_r$ be the uniform
# distribution on the vertical segment $\{0\} \times [0, 1]$, and $p_\theta$ the same segment
# shifted to $x = \theta$. Then
#
# * $\mathrm{JS}(p_r, p_\theta) = \log 2$ for every $\theta \ne 0$ (and $0$ at $\theta = 0$),
# * $\mathrm{KL}(p_r \| p_\theta) = \infty$ for every $\theta \ne 0$,
# * the Earth-Mover distance $W(p_r, p_\theta) = |\theta|$ — continuous, with a useful gradient
#   everywhere.

# %%
theta = np.linspace(-1, 1, 401)
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(theta, np.where(theta == 0, 0.0, np.log(2)), label=r"JS$(p_r, p_\theta)$")
ax.plot(theta, np.abs(theta), label=r"$W(p_r, p_\theta) = |\theta|$")
ax.set_xlabel(r"shift $\theta$ of the generated segment")
ax.set_ylabel("divergence / distance")
ax.set_title("two parallel segments: JS is flat, Earth-Mover is not")
ax.legend()
ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# ## 2. The Earth-Mover distance and its dual
#
# Picture $p_r$ and $p_g$ as two piles of earth of equal mass. A **transport plan**
# $\gamma(x, y)$ says how much mass moves from $x$ to $y$; its marginals must be $p_r$ and
# $p_g$ (the set $\Pi(p_r, p_g)$ of such plans). The **Earth-Mover** or **Wasserstein-1**
# distance is the cost of the cheapest plan:
#
# $$W(p_r, p_g) = \inf_{\gamma \in \Pi(p_r, p_g)} \mathbb{E}_{(x, y) \sim \gamma}\,\|x - y\|.$$
#
# The infimum over plans is intractable for images. The **Kantorovich–Rubinstein duality**
# rewrites it as a supremum over functions:
#
# $$W(p_r, p_g) = \sup_{\|f\|_L \le 1} \; \mathbb{E}_{x \sim p_r}[f(x)] - \mathbb{E}_{x \sim p_g}[f(x)],$$
#
# where $\|f\|_L \le 1$ means $f$ is **1-Lipschitz**: $|f(x) - f(y)| \le \|x - y\|$ for all $x, y$.
# If we only ask for $K$-Lipschitz functions the supremum is $K \cdot W$, which is as good
# for training: the gradient points the same way.
#
# So WGAN trains a network $D_w$ (the critic) to *maximise* $\mathbb{E}[D_w(x_\text{real})] -
# \mathbb{E}[D_w(G(z))]$ over a family of Lipschitz functions — giving an estimate of $W$ —
# and trains $G$ to *minimise* that estimate, i.e. to maximise $\mathbb{E}[D_w(G(z))]$. The critic
# has **no sigmoid**: it outputs an unbounded score, not a probability. (Chapter 0,
# `00_gan_2d.ipynb`, draws such a critic as a surface over a 2-D toy data set, where the whole
# function can be seen at once.)
#
# As losses to *minimise*, with labels $y = +1$ for real and $y = -1$ for fake images, both are
# built from $-\operatorname{mean}(y \cdot D_w(x))$ — the book's `wasserstein_loss`. The critic's
# loss is the sum over its real and its fake batch, $\mathbb{E}[D_w(G(z))] - \mathbb{E}[D_w(x)]$,
# the negative of the estimate; the generator's is $-\mathbb{E}[D_w(G(z))]$:

# %%
show(losses.wasserstein)
show(losses.critic_wasserstein)
show(losses.generator_wasserstein)

# %% [markdown]
# ### The Lipschitz constraint and what clipping does
#
# How do we keep $D_w$ Lipschitz? The original WGAN **clips every weight** of the critic to
# $[-c, c]$ (here $c = 0.01$) after each update. The critic is then a composition of linear
# maps with bounded entries and 1-Lipschitz activations (LeakyReLU), so it is $K$-Lipschitz for
# some $K$ that depends only on $c$ and the architecture. The family of functions is compact,
# the supremum exists, and the critic's score estimates $K \cdot W$.
#
# Arjovsky et al. call this "a clearly terrible way to enforce a Lipschitz constraint": with
# $c$ large the critic takes long to train to optimality; with $c$ small its gradients vanish
# through deep stacks; and clipped critics tend towards very simple functions (many weights
# pinned at $\pm c$). Section 7 replaces clipping with a gradient penalty.
#
# Because the Wasserstein loss does not saturate, the critic *should* be trained close to
# optimality before each generator step: WGAN takes $n_\text{critic} = 5$ critic updates per
# generator update. And since a momentum-based optimiser (Adam) made training unstable in the
# paper's experiments, it uses RMSprop with a small learning rate, $5 \times 10^{-5}$.
#
# **Live:** in chapter 0's live demo (GAN Lab, §4 of `00_gan_2d.ipynb`) the **WGAN critic**
# lesson trains this loss on the 2-D ring: watch the critic's unbounded score surface and its
# push on the fakes, and switch the loss mid-run to compare it with the cross-entropy game.

# %% [markdown]
# ## 3. Data
#
# MNIST digits, scaled to $[0, 1]$ because Atienza's generator ends in a sigmoid. Offline,
# `ganlib.data.load_mnist` falls back to a 10,000-image real sample shipped in `data/` and says so.
# As in the book we train on the training split.

# %%
# NBVAL_IGNORE_OUTPUT
((x_train, y_train), (x_test, y_test)), SOURCE = data.load_mnist()
print(f"{len(x_train)} training images of shape {x_train.shape[1:]}, dtype {x_train.dtype}")

# %%
viz.show_grid(x_train[:64], ncols=16, title="real MNIST digits", size=8)
plt.show()

# %% [markdown]
# ## 4. Generator and critic
#
# Both come from Atienza's shared `gan.py` builders, which the whole chapter reuses:
#
# * the **generator** maps $z \in [-1, 1]^{100}$ to a 7×7×128 volume, then four
#   BatchNorm → ReLU → 5×5 transposed-convolution blocks (128, 64, 32, 1 filters; strides 2, 2, 1, 1)
#   grow it to 28×28×1, squashed to $[0, 1]$ by a sigmoid;
# * the **critic** is four LeakyReLU → 5×5 convolution blocks (32, 64, 128, 256 filters;
#   strides 2, 2, 2, 1), a flatten and one linear unit. For WGAN the output activation is
#   `"linear"`; the DCGAN and LSGAN of the book call the same builder with `"sigmoid"` and `None`.
#   There is no batch normalisation in the critic (the book notes the network does not converge
#   with it, and WGAN-GP's penalty is defined per sample, which batch norm would break).
#
# Those are the book's filter counts. A schedule may scale them (`g_width`, `d_width`: every
# count but the image's one channel is multiplied by the width), and the summaries below print
# the layers this run mode builds; §9's four-loss comparison keeps the book's widths.

# %%
show(atienza.generator)
show(atienza.discriminator)

# %% [markdown]
# `make_wgan` puts them together with the book's hyper-parameters:

# %%
show(wgan.make_wgan)

# %%
gan = wgan.make_wgan(seed=SEED, **atienza.widths(SCHEDULE))   # this mode's network widths
gan.generator.summary()
gan.discriminator.summary()

# %% [markdown]
# ## 5. The algorithm, next to the code
#
# Algorithm 1 of the WGAN paper, with $\alpha = 5\times10^{-5}$, $c = 0.01$, $m = 64$, $n_\text{critic} = 5$:
#
# 1. **while** $\theta$ (the generator's weights) has not converged:
# 2. &nbsp;&nbsp; **for** $t = 1 \dots n_\text{critic}$:
# 3. &nbsp;&nbsp;&nbsp;&nbsp; sample a batch $\{x^{(i)}\}_{i=1}^m$ of real images;
# 4. &nbsp;&nbsp;&nbsp;&nbsp; sample a batch $\{z^{(i)}\}_{i=1}^m$ of noise (here $U(-1, 1)$);
# 5. &nbsp;&nbsp;&nbsp;&nbsp; $g_w \leftarrow \nabla_w \big[\tfrac1m \sum_i D_w(x^{(i)}) - \tfrac1m \sum_i D_w(G_\theta(z^{(i)}))\big]$;
# 6. &nbsp;&nbsp;&nbsp;&nbsp; $w \leftarrow w + \alpha \cdot \mathrm{RMSProp}(w, g_w)$ — the critic climbs its objective;
# 7. &nbsp;&nbsp;&nbsp;&nbsp; $w \leftarrow \mathrm{clip}(w, -c, c)$;
# 8. &nbsp;&nbsp; **end for**
# 9. &nbsp;&nbsp; sample a batch $\{z^{(i)}\}_{i=1}^m$ of noise;
# 10. &nbsp;&nbsp; $g_\theta \leftarrow -\nabla_\theta \tfrac1m \sum_i D_w(G_\theta(z^{(i)}))$;
# 11. &nbsp;&nbsp; $\theta \leftarrow \theta - \alpha \cdot \mathrm{RMSProp}(\theta, g_\theta)$.
#
# In `ganlib` this is the shared `GAN.alternating_step` with `d_steps=5` and `clip_value=0.01`. The
# loop over `real_parts` is lines 2–8: `fit()` feeds batches of $5 \times 64$ real images, and each
# critic update takes its own slice of 64 (line 3). `discriminator_loss` draws fresh noise and
# fakes (line 4) and computes the loss, whose gradient (line 5) `apply_update` applies to the
# critic's variables only (line 6); `clip_discriminator` is line 7. The last call of
# `apply_update`, on `generator_loss`, is lines 9–11.

# %%
show(GAN.alternating_step)
show(wgan.WGAN.discriminator_loss)
show(GAN.generator_loss)
show(GAN.apply_update)
show(GAN.clip_discriminator)

# %% [markdown]
# Lines 5–6 maximise the critic's objective; `critic_wasserstein` is exactly its negative
# (mean $D$(fake) $-$ mean $D$(real)), so that RMSprop can *minimise* it. `WGAN` also logs
# `w_dist` $=$ mean $D$(real) $-$ mean $D$(fake), the critic's running estimate of $K \cdot W$;
# for the clipped WGAN it is simply $-$`d_loss`.
#
# ### Real and fake in separate critic batches
#
# The book's training loop does not give the critic one concatenated batch of real and fake
# images; it calls `train_on_batch` on the real batch (label $+1$), then on the fake batch
# (label $-1$). Its comment argues that one joint batch could make the gradient vanish, because
# the two halves carry labels of opposite sign and the clipped weights are tiny.
#
# What does the split really change? For a critic *without* batch normalisation, the mean loss
# over one concatenated batch equals the average of the two per-batch losses, so the gradient
# points the same way; the real difference in the book's code is that it takes *two* RMSprop
# steps per critic iteration (one per half). `ganlib` keeps the halves in separate forward
# passes (`joint_d_batch=False`): then no layer ever mixes statistics of real and fake images —
# which matters as soon as a critic contains batch normalisation (the book's next experiment),
# where a joint batch normalises real and fake images together and the critic can exploit the
# batch composition instead of judging each image. It then takes *one* step on the **sum** of
# the two halves' mean losses, $\mathbb{E}[D(G(z))] - \mathbb{E}[D(x)]$ (`critic_wasserstein`
# adds the real half and the fake half; see its docstring), as Algorithm 1 does. The sum is
# twice the average of the two halves; that constant factor leaves RMSprop's step unchanged (up
# to its $\epsilon$), and for WGAN-GP it keeps the penalty weight exactly the paper's $\lambda$.

# %% [markdown]
# ## 6. Training the WGAN
#
# `viz.SampleGrid` redraws the generator's images for a **fixed** batch of 16 noise vectors
# (the same "seeds" every time), so you can watch digits emerge; `training_callbacks` stops on
# a NaN loss and backs the run up after every logging interval (re-running the cell after an
# interruption resumes). A `metrics.MetricHistory` measures the Fréchet distance (FD, section 8;
# lower is better) every second interval, so that we can later ask whether the critic's loss
# follows the quality of the samples. The progress bar counts generator steps; each one is five
# critic steps. One bar covers the whole run, with the time spent and the time left; re-running
# the cell resumes an interrupted training, and a finished one is loaded (the cell says so) —
# delete its run folder to start over.

# %%
# NBVAL_IGNORE_OUTPUT
config.describe_run(SCHEDULE)
RUN_DIR = runs.run_dir("05_wgan")
fixed_noise = np.random.default_rng(SEED).uniform(-1, 1, (16, atienza.LATENT_DIM)).astype("float32")
samples = viz.SampleGrid(fixed_noise, every=SCHEDULE["sample_every"], ncols=8, scale="sigmoid", size=5)
fd_noise = np.random.default_rng(1).uniform(-1, 1, (1000, atienza.LATENT_DIM)).astype("float32")
fd_track = metrics.MetricHistory(            # FD of 1,000 samples vs 1,000 held-out test digits
    lambda g: metrics.frechet_distance(g.generate(inputs=fd_noise), x_test[:1000], "mnist",
                                       scale_a="sigmoid"),
    every=2, at_start=True, name="FD")
history = atienza.fit(gan, SCHEDULE, images=x_train, seed=SEED, verbose=1,
                      callbacks=[samples, fd_track], run_dir=RUN_DIR)

# %%
# NBVAL_IGNORE_OUTPUT
runlog.show_strip(RUN_DIR);

# %% [markdown]
# **Reading the training strip.** Each panel is the generator's output for the *same* fixed
# inputs, at the step written at its left. Each picture is two rows of eight digits, more than
# twice as wide as high, so the strip stacks the panels one under another: the untrained
# generator at the top, the last step at the bottom. Follow one position down the panels to see
# one noise vector's image change as training goes on.

# %% [markdown]
# `atienza.fit` is the small loop every model of this chapter shares: a `tf.data` pipeline of
# batches of `d_steps × 64` images in $[0, 1]$, and `fit()` in logging intervals.

# %%
show(atienza.fit)

# %% [markdown]
# Two checks that the algorithm ran as written: five critic updates per generator update, and
# every critic weight inside $[-0.01, 0.01]$.

# %%
print("critic updates per generator update:",
      int(gan.d_optimizer.iterations.numpy()) // int(gan.g_optimizer.iterations.numpy()))
largest = max(float(np.abs(v.numpy()).max()) for v in gan.d_variables)
print(f"largest |critic weight|: {largest:.4f} (clip value {wgan.CLIP_VALUE})")

# %% [markdown]
# ### Loss curves
#
# Unlike a DCGAN's, the WGAN critic's loss means something: $-$`d_loss` (`w_dist`) is the
# critic's estimate of the Earth-Mover distance times its Lipschitz constant $K$, and over a
# long run it should shrink as the samples improve.
#
# Do not expect small numbers, though. Clipping bounds each *weight* by 0.01, not the critic's
# gain: at the book's widths a unit of the last convolution sums $5 \cdot 5 \cdot 128 = 3200$
# inputs and the dense unit 4096 (half as many at the `class` recipe's half widths; §4's
# summaries print this run's layers), so $K$ can be in the thousands, and the critic uses that
# room. The estimate typically
# first *grows* while the critic learns which features separate real from fake, then shrinks as
# the generator closes the gap: a **shrinking estimate** $\mathbb{E}[D(x)] - \mathbb{E}[D(G(z))]$ —
# equivalently a critic loss rising back towards zero — is WGAN's promised progress meter. The
# right-hand plot shows the estimate itself; the cell after it prints where this run's estimate
# peaked and where it ended.
#
# (One detail matters here, as in every chapter: the critic scores fakes made with the
# generator's BatchNorm in *training* mode, the same images the generator's own update
# produces. Scoring inference-mode fakes instead — what the book's `predict()` does — made an
# earlier version of this notebook's critic estimate swing by hundreds and its samples stay
# blobs, because early on the running averages describe a different generator.)

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
viz.plot_history(history, steps_per_epoch=SCHEDULE["log_every"], ax=axes[0])
axes[0].set_ylabel("loss")
viz.plot_history(history, keys=["w_dist"], steps_per_epoch=SCHEDULE["log_every"], ax=axes[1],
                 title="critic's estimate: mean D(real) − mean D(fake)")
axes[1].set_ylabel("w_dist (≈ K · W)")
plt.show()

# %%
# NBVAL_IGNORE_OUTPUT
w_dist = np.asarray(history.history["w_dist"])
peak = int(np.argmax(w_dist))
print(f"estimate after the first interval: {w_dist[0]:.3f}")
print(f"peak: {w_dist[peak]:.3f} after {(peak + 1) * SCHEDULE['log_every']} generator steps")
print(f"last interval: {w_dist[-1]:.3f} after {len(w_dist) * SCHEDULE['log_every']} generator steps "
      f"({'below' if w_dist[-1] < w_dist[peak] else 'at'} its peak)")

# %%
# NBVAL_IGNORE_OUTPUT
eval_noise = np.random.default_rng(0).uniform(-1, 1, (100, atienza.LATENT_DIM)).astype("float32")
viz.show_grid(gan.generate(inputs=eval_noise), ncols=10, scale="sigmoid", size=7,
              title=f"WGAN samples after {gan.generator_steps} generator steps")
plt.show()

# %% [markdown]
# ## 7. WGAN-GP: a gradient penalty instead of clipping
#
# Gulrajani et al. (2017) observed that a differentiable function is 1-Lipschitz exactly when
# its gradient has norm at most 1 everywhere, and that the optimal critic has gradient norm
# **exactly** 1 on the straight lines between coupled real and generated points. So instead of
# clipping weights they *penalise* the critic where its gradient norm strays from 1:
#
# $$L_D = \underbrace{\mathbb{E}_{\tilde x \sim p_g}[D(\tilde x)] - \mathbb{E}_{x \sim p_r}[D(x)]}_{\text{Wasserstein critic loss}}
#   + \lambda\, \mathbb{E}_{\hat x}\big[(\|\nabla_{\hat x} D(\hat x)\|_2 - 1)^2\big],
#   \qquad \hat x = \epsilon x + (1 - \epsilon)\tilde x,\; \epsilon \sim U(0, 1),$$
#
# with $\lambda = 10$. The penalty is evaluated on random points $\hat x$ of the segments between
# real and fake images, one $\epsilon$ per image. Its gradient with respect to the critic's
# weights is a *gradient of a gradient*: `gradient_penalty` computes $\nabla_{\hat x} D(\hat x)$
# with an inner `GradientTape`, inside the outer tape of `apply_update` that differentiates
# the whole loss with respect to the critic's weights.
#
# `WGANGP` only overrides `penalty`, the hook `WGAN.discriminator_loss` (section 5) adds to the
# critic loss; the rest is unchanged: same networks, same losses, $n_\text{critic} = 5$, no clipping. Since
# the critic is no longer squeezed, the paper trains with Adam ($\alpha = 10^{-4}$,
# $\beta_2 = 0.9$; we use $\beta_1 = 0.5$ as many implementations do, the paper uses $0$).
# That is the `full` recipe. The `class` run has only 500 generator steps, so it takes twice
# the paper's learning rate, $\alpha = 2 \times 10^{-4}$: we chose it with
# `benchmarks/quality.py` on a seed this notebook does not use, comparing the FD after 500
# steps at $2 \times 10^{-4}$ (with $\beta_1 = 0.5$ and with $\beta_1 = 0$) against the paper's
# $10^{-4}$, whose 500-step FD is the WGAN-GP row of section 9's comparison (which keeps the
# paper's settings).

# %%
show(wgan.WGANGP.gradient_penalty)
show(wgan.WGANGP.penalty)
show(wgan.make_wgan_gp)

# %% [markdown]
# A quick sanity check of the penalty: a *linear* critic $D(x) = w \cdot x$ has gradient $w$
# everywhere, so its penalty is $(\|w\|-1)^2$ — zero for a unit-norm $w$, $(3 - 1)^2 = 4$ for
# $\|w\| = 3$.

# %%
import keras

linear_critic = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(dtype="float32"),
                                  keras.layers.Dense(1, use_bias=False, dtype="float32")])
probe = wgan.WGANGP(atienza.generator(), linear_critic, latent_dim=atienza.LATENT_DIM, seed=0)
w = np.random.default_rng(0).normal(size=(28 * 28, 1)).astype("float32")
real_probe = keras.ops.convert_to_tensor(x_train[:8, ..., None].astype("float32") / 255)
fake_probe = keras.ops.convert_to_tensor(np.random.default_rng(1).uniform(0, 1, (8, 28, 28, 1)).astype("float32"))
for norm in (1.0, 3.0):
    linear_critic.layers[-1].kernel.assign(norm * w / np.linalg.norm(w))
    print(f"||w|| = {norm:.0f}: penalty = {float(probe.gradient_penalty(real_probe, fake_probe)):.3f}")

# %% [markdown]
# Now train the same pair of networks — a fresh generator and critic — with the penalty, for
# the same number of generator steps. `GP_SCHEDULE` also carries the optimiser settings of
# this run mode, which `wgan.recipe` picks out and passes to `make_wgan_gp`
# (`print(wgan.recipe(GP_SCHEDULE))` shows them); the cell prints the run mode and precision.

# %%
# NBVAL_IGNORE_OUTPUT
GP_SCHEDULE = config.select(wgan.GP_SCHEDULES, verbose=False)
config.describe_run(GP_SCHEDULE)
gan_gp = wgan.make_wgan_gp(seed=SEED, **wgan.recipe(GP_SCHEDULE),   # this mode's lr, beta_1, n_critic
                           **atienza.widths(GP_SCHEDULE))            # ... and widths
samples_gp = viz.SampleGrid(fixed_noise, every=GP_SCHEDULE["sample_every"], ncols=8, scale="sigmoid",
                            size=5)
fd_track_gp = metrics.MetricHistory(fd_track.fn, every=2, at_start=True, name="FD")
RUN_DIR_GP = runs.run_dir("05_wgan_gp")
history_gp = atienza.fit(gan_gp, GP_SCHEDULE, images=x_train, seed=SEED, verbose=1,
                         callbacks=[samples_gp, fd_track_gp], run_dir=RUN_DIR_GP)

# %%
# NBVAL_IGNORE_OUTPUT
runlog.show_strip(RUN_DIR_GP);

# %% [markdown]
# The WGAN-GP run's training strip, read the same way: the same fixed noise as the clipped
# WGAN's strip, so the two strips can be compared panel by panel at equal generator steps.

# %% [markdown]
# ### Comparing the two critics
#
# Left: the critic loss of both runs against generator steps, each on its own axis (for WGAN-GP
# the loss includes $\lambda \cdot$ gp, exactly the paper's $L_D$ with $\lambda = 10$), because
# their scales differ: the penalised critic is held near $K = 1$ and so estimates $W$ itself
# (one image's distance is bounded by its $28 \times 28$ pixel differences), while the clipped
# critic's $K$ is whatever the clipped weights happen to allow. So compare the *shapes*, not
# the levels: which curve moves smoothly from interval to interval, and which oscillates?
# Right: the penalty term of WGAN-GP, which should stay small once the critic has adapted to it.

# %%
# NBVAL_IGNORE_OUTPUT
fig, (ax, ax_gp) = plt.subplots(1, 2, figsize=(12, 3.8), layout="constrained")
fig.get_layout_engine().set(wspace=0.08)   # room for the twin axis' label between the plots
steps_w = np.arange(1, len(history.history["d_loss"]) + 1) * SCHEDULE["log_every"]
steps_gp = np.arange(1, len(history_gp.history["d_loss"]) + 1) * GP_SCHEDULE["log_every"]
ax.plot(steps_w, history.history["d_loss"], color="C0", label="WGAN (clipping)")
ax.set_ylabel("WGAN critic loss", color="C0")
ax.set_xlabel("generator steps")
ax2 = ax.twinx()
ax2.plot(steps_gp, history_gp.history["d_loss"], color="C1", label="WGAN-GP (penalty)")
ax2.set_ylabel("WGAN-GP critic loss", color="C1")
ax.set_title("critic loss (mean per logging interval)")
ax.legend(handles=ax.get_lines() + ax2.get_lines(), loc="upper right")
ax.grid(alpha=0.3)
viz.plot_history(history_gp, keys=["gp"], steps_per_epoch=GP_SCHEDULE["log_every"], ax=ax_gp,
                 title="WGAN-GP: gradient penalty (before ×λ)")
ax_gp.set_ylabel("gp = E[(‖∇D(x̂)‖ − 1)²]")
plt.show()

# %% [markdown]
# ### Does the critic's estimate follow sample quality?
#
# The WGAN paper's selling point (its figures 3 and 4) is that the critic's estimate
# $\mathbb{E}[D(x)] - \mathbb{E}[D(G(z))]$ *tracks the quality of the samples*: it falls as they
# improve, where a DCGAN discriminator's loss says nothing about them. We can test that on our
# own runs, since both training cells measured the FD every 50 generator steps. Each panel below
# draws the critic's estimate (`w_dist`, blue, the mean over each logging interval) and the FD
# (red) on twin axes, and the next cell prints Pearson's $r$ (and Spearman's $\rho$, which only
# asks whether the two rise and fall together) between the estimate of the interval that ends at
# a measurement and the FD measured there. A positive $r$ near 1 is the paper's claim; near 0
# the estimate tells us nothing about quality.

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), layout="constrained")
tracks = {
    "WGAN (clipping)": viz.plot_estimate_and_fd(history, fd_track, SCHEDULE["log_every"],
                                                ax=axes[0], title="WGAN (clipping)"),
    "WGAN-GP (penalty)": viz.plot_estimate_and_fd(history_gp, fd_track_gp, GP_SCHEDULE["log_every"],
                                                  ax=axes[1], title="WGAN-GP (penalty)"),
}
plt.show()

# %%
# NBVAL_IGNORE_OUTPUT
for name, track in tracks.items():
    if track is None:
        print(f"{name}: too few FD measurements to correlate (a smoke run, or a shipped one, "
              "whose training measured no FD); train in class mode")
    else:
        print(f"{name}: r(w_dist, FD) = {track['r']:+.2f}, Spearman rho = {track['rho']:+.2f} "
              f"over {track['n']} measurements")

# %% [markdown]
# **Reading the two panels.** The cell above prints $r$ and $\rho$ for each critic. An $r$ near
# $+1$ means the estimate and the FD fall together: the paper's claim. For WGAN-GP, section 8's
# seed table also prints the range of $r$ over three seeds the notebooks do not use, which
# says whether this run's value is luck. For the clipped critic, look at the left panel's early
# intervals: while the critic is still learning what separates real from fake, its estimate is
# $K \cdot W$ with a $K$ that may be growing too (§6 printed where the estimate peaked), so a
# rise says more about $K$ than about the samples, and an $r$ near 0 or negative means that
# within this run the clipped critic's loss does **not** tell us how good the samples are. The
# paper's curves run for tens of thousands of steps, where $K$ has long settled; the penalty
# fixes $K$ near 1 from the first step, which is why its estimate can be read at once.

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 2, figsize=(12, 6))
viz.show_grid(gan.generate(inputs=eval_noise), ncols=10, scale="sigmoid", ax=axes[0],
              title=f"WGAN, {gan.generator_steps} steps")
viz.show_grid(gan_gp.generate(inputs=eval_noise), ncols=10, scale="sigmoid", ax=axes[1],
              title=f"WGAN-GP, {gan_gp.generator_steps} steps")
plt.show()

# %% [markdown]
# The book reports that WGAN trains without mode collapse over its 40,000 steps and stays stable
# even with batch normalisation added to the critic, where a DCGAN fails. After 500 generator
# steps (`class` mode), compare the two grids: in each, how many of the hundred images are
# digits you can read, do all ten digits occur, and does the grid repeat the same few stroke
# shapes again and again (a sign of mode collapse)? Section 8 puts numbers on that. The `full`
# schedule (40,000 steps) is the book's, for clean digits from both.

# %% [markdown]
# ## 8. Evaluate
#
# Losses do not measure image quality, so we score samples with a small reference CNN trained
# on real MNIST (`ganlib.metrics`):
#
# * **Fréchet distance** between 1,000 generated and 1,000 real test digits, computed on the
#   classifier's 128 penultimate features (the FID recipe with a small MNIST network instead of
#   Inception). Lower is better; two sets of real digits give the floor.
# * **Classifier score** (the Inception-Score recipe): high, up to 10, when each sample is
#   confidently one digit and all ten digits occur.

# %%
# NBVAL_IGNORE_OUTPUT
scores = metrics.score_generators({"WGAN": gan, "WGAN-GP": gan_gp}, x_train, x_test, "mnist",
                                  scale="sigmoid", n=1000)

# %% [markdown]
# Compare the two generators' rows with each other and with the real-vs-real row (the floor of
# FD and the ceiling of the classifier score), then check whether the numbers agree with what
# you saw in the two grids.
#
# **The chapter's bar.** In the `class` budget, WGAN-GP should draw digits at least as well as
# chapter 6's LSGAN does in its own `class` run: an FD no worse than LSGAN's on the same scorer.
# One notebook run is one seed, so the bar is judged on the median over three seeds that the
# notebooks do not use, trained exactly as these cells train (`benchmarks/quality.py --chapters
# wgan-gp,lsgan --seeds 1,2,3`). That script draws 2,000 samples per FD where this notebook draws
# 1,000, and the number of samples moves the FD. So compare numbers within one table, not
# across. The next cell reads that table; it
# trains nothing, and prints whether the bar is met on the medians.

# %%
# NBVAL_IGNORE_OUTPUT
seeds = compare.load_seeds("wgan")   # benchmarks/results/quality_class_seeds_wgan.json
for name in ("wgan-gp", "lsgan"):
    row = seeds[name]
    fd_med, fd_lo, fd_hi, n = row["FD"]
    line = f"{name:<8} FD {fd_med:6.1f} [{fd_lo:.1f}-{fd_hi:.1f}]  ({n} seeds; training {row['train s'][0]:.0f} s on one thread)"
    if "r(w_dist, FD)" in row:
        line += f"   r(w_dist, FD) {row['r(w_dist, FD)'][0]:+.2f} [{row['r(w_dist, FD)'][1]:+.2f} to {row['r(w_dist, FD)'][2]:+.2f}]"
    print(line)
gp_fd, ls_fd = seeds["wgan-gp"]["FD"][0], seeds["lsgan"]["FD"][0]   # medians
print(f"{'met    ' if gp_fd <= ls_fd else 'NOT met'}  the chapter's bar: WGAN-GP's median FD "
      f"({gp_fd:.1f}) no worse than LSGAN's class run ({ls_fd:.1f})")

# %% [markdown]
# ### What more training gives
#
# Both `class` runs stop after `SCHEDULE["steps"]` generator steps. Longer reference runs of the
# same two methods ship with the project in `data/pretrained/05_wgan` and `data/pretrained/05_wgan_gp`
# (the generators `MODE = "pretrained"` loads; `data/README.md` says how they were made). They
# were trained on the book's full-width networks (`wgan.SCHEDULES["pretrained"]` builds those),
# so they differ from this notebook's runs in width as well as in length. The
# next cell trains nothing: it puts those generators into fresh models
# (`compare.with_references`, through `chapters.load_reference`) and scores all four on this
# section's scale — the same 1,000 noise vectors and test digits — then draws the 100 digits of
# section 7 from the two reference runs.

# %%
# NBVAL_IGNORE_OUTPUT
ref_scores, _ = compare.with_references({"WGAN": gan, "WGAN-GP": gan_gp},
                                        {"WGAN": "05_wgan", "WGAN-GP": "05_wgan_gp"},   # data/pretrained/...
                                        x_train, x_test, grid_noise=eval_noise)
plt.show()

# %% [markdown]
# **Reading the references.** The table prints each method for this notebook's runs and for
# the reference runs (longer, full width, another seed; each row names its steps). Compare each
# method's two rows to see what the longer, wider runs bought, and the two methods at equal
# steps to see whether their order holds; in the grids, look at how many of the reference runs' images are digits
# you can read. Whether clipping catches up over a long run is what the book's 40,000 steps
# (`full` mode, on a GPU) would show.

# %% [markdown]
# ## 9. Four losses, one budget
#
# One short run per loss says little, so the comparison the chapter promises is measured
# separately and reproducibly by the quality benchmark (`ganlib.compare`):
#
# ```
# python benchmarks/quality.py --chapters losses --mode class
# ```
#
# It trains the DCGAN loss, LSGAN, WGAN and WGAN-GP on the same networks, from the same seed,
# for the same number of **generator** steps (each with its book or paper settings — WGAN-GP
# here with the paper's $\alpha = 10^{-4}$, not the doubled rate of section 7's class run;
# WGAN's five critic updates per step make its steps dearer, so wall time is in the table
# too), measures the Fréchet distance on 2,000 samples along the way, and saves the result in
# `benchmarks/results/`. The next cell does not train anything: it loads that file and plots it.

# %%
# NBVAL_IGNORE_OUTPUT
comparison = compare.load("class")
print(compare.table(comparison))
compare.plot(comparison)
plt.show()

# %% [markdown]
# **Reading the comparison.** The table prints, for each loss, its generator and critic steps,
# its training time (`train s`), its final FD and its classifier score, with real digits as the
# floor. Order the four losses by their final FD yourself, and set each FD against its time:
# the two WGANs run five critic updates per generator step, so compare what each loss bought
# per second as well as per generator step. In the plot, look at the first points of each
# curve: a curve that stays near the untrained value before it falls is a generator that has
# not yet found the digits, and which losses start fastest is a separate question from which
# ends lowest. Keep the scale in mind: 500 generator steps are only the start of the books'
# 40,000, one seed per loss carries run-to-run noise, and the order may change later in
# training — the same command with `--mode full` measures that (on a GPU).

# %% [markdown]
# ### The four losses over three seeds
#
# One run per loss is one draw. The same command with `--seeds 1,2,3` trained all four again on
# three seeds this notebook does not use, each run exactly as above, and kept each measure's
# median and spread (`benchmarks/results/quality_class_seeds_losses.txt`; `train s` is the
# training time of one run on one thread, two runs sharing the 2 cores). The next cell reads
# that table, ranked by median FD; it trains nothing.

# %%
# NBVAL_IGNORE_OUTPUT
loss_seeds = compare.load_seeds("losses")   # benchmarks/results/quality_class_seeds_losses.json
print(compare.seed_lines(loss_seeds, ranked_by="FD", measures=("FD", "classifier score", "train s")))

# %% [markdown]
# **Reading the seed table.** The lines are ranked by median FD; each prints the median and, in
# brackets, the range over the three seeds. Compare the ranking with the single run's order
# above, and the ranges with each other: where two losses' FD ranges do not overlap, their
# order held on every seed; where they overlap, one seed per loss could not have ranked them.
# Set each loss's `train s` against its FD too: the penalty's critic updates (five per
# generator step, each with a gradient of a gradient) cost time, and the width of a loss's
# range says how steady it is at this length. The chapter's claim — at 500 generator steps with
# the paper's settings, the penalised critic teaches its generator the most per generator
# step — is what the first line and the ranges test.

# %% [markdown]
# The run folders (`runs/class/05_wgan` and `runs/class/05_wgan_gp` in `class` mode; test runs
# get fresh temporary folders) each hold the final generator (`generator.keras`;
# `keras.saving.load_model` reads it without `ganlib`) and the loss history (`history.json`,
# read by `runs.load_history`).
# Running the training cell again resumes an interrupted run or loads a finished one; to
# train from scratch, delete the folder. The README's *Run folders* section has the details.

# %% [markdown]
# ## 10. Exercises
#
# From "change one switch and predict" to "write it yourself". The retraining exercises are
# described, not run here: each costs a `class`-mode run of its own (about as long as the
# chapter's run of the same method at the same widths: its progress bar printed the time spent;
# the code below builds the networks at this run mode's widths). Give each its own run folder,
# as below, so that the
# chapter's runs stay as they are. Worked answers: [`solutions/05_wgan_solutions.ipynb`](solutions/05_wgan_solutions.ipynb),
# which also trains exercises 1 and 2 on one seed beside the recipe and measures them.
#
# **Exercise 1 — $n_\text{critic}$ (predict, then run).** Train the clipped WGAN with one critic
# update per generator update instead of five. Before you run it, write down what you expect of
# (a) the time per generator step, (b) the `w_dist` curve, (c) the samples after 500 steps.
# Which assumption of the WGAN argument does $n_\text{critic} = 1$ weaken?
#
# ```python
# gan_1 = wgan.WGAN(atienza.generator(width=SCHEDULE["g_width"]),
#                   atienza.discriminator(activation="linear", width=SCHEDULE["d_width"]),
#                   latent_dim=atienza.LATENT_DIM, noise="uniform", d_steps=1,
#                   clip_value=wgan.CLIP_VALUE, joint_d_batch=False, seed=SEED, name="wgan")
# gan_1.compile(d_optimizer=keras.optimizers.RMSprop(wgan.LR), g_optimizer=keras.optimizers.RMSprop(wgan.LR),
#               d_loss_fn=losses.critic_wasserstein, g_loss_fn=losses.generator_wasserstein)
# history_1 = atienza.fit(gan_1, SCHEDULE, images=x_train, seed=SEED, verbose=1,
#                         run_dir=runs.run_dir("05_wgan_ncritic1"))
# ```
#
# **Exercise 2 — λ, and a factor of ½ (predict).** `wgan.make_wgan_gp(seed=SEED, gp_weight=...)`
# sets λ. Predict the `gp` and `w_dist` curves for λ = 0 (no constraint at all: what stops the
# critic's scores from growing without bound?) and for λ = 100. Then a puzzle: an earlier version
# of `ganlib` computed the critic loss as ½·(mean D(fake) − mean D(real)) and added 10·gp. Under
# Adam, which λ did that really train with — and why would the same ½ make no difference to the
# clipped WGAN under RMSprop?
#
# **Exercise 3 — batch normalisation in the critic (predict and explain).** The book's
# experiment adds batch normalisation to the WGAN critic. Build the critic below, train it with
# clipping (`wgan.WGAN(..., d_steps=5, clip_value=wgan.CLIP_VALUE, ...)`, compiled as in
# Exercise 1) and, separately, with the penalty (`wgan.WGANGP(...)` with Adam as in
# `make_wgan_gp`). Before running: clipping bounds every weight, including BatchNorm's γ and β —
# does it still bound the critic's Lipschitz constant? (Hint: what does BatchNorm divide by, and
# how large is that when all weights are ≤ 0.01?) And what does a *per-image* gradient norm
# $\|\nabla_{\hat x} D(\hat x)\|$ mean when $D(\hat x)$ depends on the other images of the batch?
#
# ```python
# def bn_critic():
#     critic = keras.Sequential([keras.Input((28, 28, 1))])
#     for filters, strides in zip(atienza.D_FILTERS, atienza.D_STRIDES):
#         critic.add(keras.layers.LeakyReLU(0.2))
#         critic.add(keras.layers.Conv2D(int(filters * SCHEDULE["d_width"]), atienza.KERNEL_SIZE,
#                                        strides=strides, padding="same"))   # this mode's width
#         critic.add(keras.layers.BatchNormalization())
#     critic.add(keras.layers.Flatten())
#     critic.add(keras.layers.Dense(1, dtype="float32"))
#     return critic
# ```
#
# **Exercise 4 — write the critic loss.** Complete `my_critic_loss`: the loss the critic
# *minimises*, from its scores on a batch of real images and a batch of fakes. The check runs it
# on fixed scores and compares it with $\mathbb{E}[D(G(z))] - \mathbb{E}[D(x)]$.

# %%
def my_critic_loss(real_out, fake_out):
    """The critic's loss from its scores (N, 1) on real images and on fakes."""
    raise NotImplementedError  # your code here

# %%
from ganlib import check

check.critic_loss(my_critic_loss);

# %% [markdown]
# **Exercise 5 — write the gradient penalty.** Complete `my_gradient_penalty(critic, real, fake,
# eps)`: form $\hat x = \epsilon\,x + (1 - \epsilon)\,\tilde x$ (`eps` is given, shape
# (N, 1, 1, 1), so that the check is deterministic), take the gradient of the critic's output
# with respect to $\hat x$ in a `tf.GradientTape` (`tape.watch` it: it is not a variable), and
# return the batch mean of $(\|\nabla_{\hat x} D(\hat x)\|_2 - 1)^2$, one norm per image.

# %%
import tensorflow as tf


def my_gradient_penalty(critic, real, fake, eps):
    """WGAN-GP's penalty E[(‖∇D(x̂)‖₂ − 1)²] at x̂ = eps·real + (1 − eps)·fake."""
    raise NotImplementedError  # your code here

# %%
check.gradient_penalty(my_gradient_penalty);

# %% [markdown]
# ## Summary
#
# * When real and generated distributions do not overlap, the Jensen–Shannon divergence is
#   stuck at $\log 2$ and gives no gradient; the Earth-Mover distance keeps measuring how far
#   apart they are.
# * Its Kantorovich–Rubinstein dual turns it into a maximisation over 1-Lipschitz functions: a
#   **critic** with a linear output, trained to maximise $\mathbb{E}[D(x)] - \mathbb{E}[D(G(z))]$,
#   i.e. to minimise the critic loss $\mathbb{E}[D(G(z))] - \mathbb{E}[D(x)]$; the generator
#   minimises $-\mathbb{E}[D(G(z))]$.
# * The original WGAN enforces the constraint crudely, by clipping the weights to ±0.01, trains
#   the critic $n_\text{critic} = 5$ times per generator step and uses RMSprop; its estimate is
#   $K \cdot W$ for an unknown, possibly large $K$.
# * WGAN-GP replaces clipping by the penalty $\lambda\,\mathbb{E}[(\|\nabla D(\hat x)\|_2 - 1)^2]$
#   on random interpolates, $\lambda = 10$ — a gradient of a gradient — and trains with Adam.
# * The estimate $\mathbb{E}[D(x)] - \mathbb{E}[D(G(z))]$ (`w_dist`) should shrink as the
#   generator closes the gap. Whether it moves in step with the Fréchet distance is measured,
#   not assumed: §7 prints Pearson's $r$ for each critic in this run, and section 8 the range of
#   WGAN-GP's $r$ over three other seeds. A clipped critic's scale $K$ can still be changing in a
#   short run, so measure image quality (here with the Fréchet distance), and trust the critic's
#   curve only where its Lipschitz constant is pinned down.


