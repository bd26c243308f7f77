# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 3 — InfoGAN: codes that mean something, learned without labels
#
# A plain GAN turns random noise into images, but nobody tells it *how* to use that noise: which
# of the 100 numbers decides the digit, which the slant, which the stroke width. In this chapter
# we train an **InfoGAN** (Chen et al., 2016) on handwritten digits. Next to the noise, its
# generator receives a few **codes** — one categorical code with ten values and two continuous
# ones — and a third network, $Q$, is trained to read those codes back from the images. To make
# $Q$'s job possible, the generator has to make each code *visible* in the picture. Without ever
# seeing a label, the categorical code ends up choosing the digit.
#
# **Learning goals.** After this chapter you can
#
# * say why a GAN's latent space is *entangled*, and what mutual information has to do with it;
# * derive the variational lower bound that makes the mutual information trainable, and turn it
#   into two ordinary losses: a cross-entropy for a categorical code, a squared error for a
#   continuous one;
# * explain why $Q$ shares almost all of its layers with the discriminator, and which player
#   trains which layers on which loss;
# * read what each code value draws, and test whether the continuous codes do anything;
# * measure an unsupervised code with **code purity** (with the Hungarian matching of code values
#   to digits) next to a quality measure.
#
# **Prerequisites.** Chapter 1 (the GAN game, the non-saturating generator loss, the explicit
# D and G updates of `ganlib.gan.GAN`); chapter 2 helps (a discriminator with a second head);
# entropy and cross-entropy; the idea of a Gaussian log-likelihood.
#
# The architecture and hyper-parameters follow the machinelearningmastery tutorial *How to
# Develop an Information Maximizing GAN (InfoGAN) in Keras* (Brownlee, 2019), itself taken from
# the paper's MNIST appendix. The tutorial uses the categorical code only; we add the paper's two
# continuous codes $c_2, c_3$ (pass `n_cont=0` to `make_infogan` to get the tutorial's model
# exactly).
#
# **Run modes.** `GANLIB_MODE` = `smoke` (a few steps, what the tests run), `class` (the default;
# the README's chapter table gives its time on a 2-core CPU, in float32 and with bfloat16 units)
# or `full` (the tutorial's 100 epochs — use a GPU). The training cell (§7) prints the mode and
# precision of this run in one line. The `class` run uses smaller networks, changes a few settings and adds two extra terms to the
# generator's loss so that the code finds the digits within its short budget; the chapter
# teaches the method first and explains these additions in the appendix at the end. `full`
# keeps the tutorial's settings.
#
# To go straight to the demos and the evaluation, set `MODE = "pretrained"` in the next cell
# (or `GANLIB_MODE=pretrained`): every training cell then loads the generator of a longer
# reference run shipped in `data/pretrained/` instead of training (`data/README.md` lists
# them; a run with no generator shipped there stops with a message saying so).

# %%
# NBVAL_IGNORE_OUTPUT
import matplotlib.pyplot as plt
import numpy as np

from ganlib import check, compare, config, data, infogan, losses, metrics, runlog, runs, viz, widgets
from ganlib.gan import training_callbacks
from ganlib.infogan import InfoGAN
from ganlib.show import show

MODE = None   # "pretrained": load a shipped reference run, no training; None: $GANLIB_MODE
config.use_mode(MODE)
SCHEDULE = config.select(infogan.SCHEDULES, verbose=False)   # generator steps, steps per log line, ...
PRECISION = config.set_precision(verbose=False)   # bfloat16 where the hardware is fast at it
SEED = 42
config.set_seed(SEED)

# %% [markdown]
# ## 1. Entangled latent spaces
#
# A generator $G(z)$ learns *some* mapping from $z$ to images, and any mapping that produces
# realistic images satisfies the discriminator. Nothing in the GAN objective asks for a mapping
# in which one coordinate of $z$ controls one property of the image. In practice, the digit's
# identity, its slant and its thickness are all smeared across many coordinates: the latent
# space is **entangled**. Moving along one axis of $z$ changes several things at once, and there
# is no axis that means "make it a 7".
#
# A conditional GAN fixes this with labels: feed the class in, and make the discriminator check
# it. InfoGAN does it **without labels**. It splits the generator's input into
#
# * incompressible noise $z$ (62 numbers from $\mathcal N(0, 1)$), and
# * a **latent code** $c$: here $c_1 \sim \text{Cat}(K{=}10, p{=}0.1)$ fed as a one-hot vector, and
#   $c_2, c_3 \sim \mathcal U(-1, 1)$,
#
# and it asks that the code stay **recoverable** from the image.
#
# ## 2. Mutual information and its variational lower bound
#
# "Recoverable" is measured by the **mutual information** between the code and the image,
#
# $$I(c; G(z, c)) = H(c) - H(c \mid G(z, c)),$$
#
# the drop in uncertainty about $c$ once we see the image. If $G$ ignored $c$, the image would
# tell us nothing about it and $I = 0$; if every code value drew a distinct kind of image,
# $H(c \mid G(z,c)) = 0$ and $I$ would be as large as it can be, $H(c) = \log 10$ for $c_1$.
# InfoGAN adds this term to the GAN game, weighted by $\lambda$:
#
# $$\min_G \max_D \; V(D, G) - \lambda\, I(c; G(z, c)).$$
#
# The posterior $P(c \mid x)$ inside $H(c \mid x)$ is unknown, so InfoGAN approximates it with a
# network $Q(c \mid x)$. For any $Q$ (Barber & Agakov's *variational information maximisation*),
#
# $$I(c; G(z,c)) \;\ge\; \mathbb{E}_{c \sim P(c),\, x \sim G(z,c)}\big[\log Q(c \mid x)\big] + H(c)
#   \;=:\; L_I(G, Q),$$
#
# with equality when $Q$ is the true posterior. $H(c)$ is a constant (we fix the code's
# distribution), so maximising the bound means **minimising the cross-entropy between the code
# that made an image and $Q$'s prediction of it** — an ordinary classification loss:
#
# * for $c_1$: softmax output, categorical cross-entropy, weighted by `lambda_cat` ($\lambda = 1$
#   is the paper's choice for discrete codes; the short `class` run uses a larger `lambda_cat`,
#   printed with its recipe in §5 and explained in the appendix);
# * for $c_2, c_3$: $Q$ outputs a mean, and a Gaussian with fixed variance turns $-\log Q$ into a
#   squared error — a mean squared error weighted by `lambda_cont`. The paper advises a smaller
#   weight for continuous codes ($\lambda = 0.5$, the tutorial-style default); the `class` recipe
#   raises it instead (appendix).
#
# Both $G$ and $Q$ minimise this loss: $Q$ learns to read the codes, and $G$ learns to write them
# legibly into its images.
#
# ## 3. Why $Q$ shares the discriminator's trunk
#
# $Q$ has to look at a digit and extract high-level information from it — exactly what $D$'s
# convolutional layers already do to tell real from fake. So $Q$ is not a new network: it is a
# small **head** (one hidden layer of 128 units) on top of $D$'s **shared trunk**. This costs
# almost nothing (the paper: InfoGAN is "negligible" extra computation over a GAN) and gives $Q$
# good features from the start.
#
# Sharing raises a design question the tutorial answers implicitly: **who trains the trunk on the
# MI term?** Its composite model freezes $D$'s layers, so the trunk learns from the real/fake task
# only, and the mutual information reaches just $G$ and the Q head. We do the same:
#
# | update | variables | loss |
# |---|---|---|
# | $D$ step | trunk + D head | BCE(real, fake) |
# | $G$/$Q$ step | generator + Q head | non-saturating $-\log D(G(z,c)) \;+\; \lambda L_I$ |
#
# The generator cannot reshape the features it is judged by, and $Q$ must read the code from
# features that tell real digits from fakes — features about shape. `make_infogan(mi_trunk=True)`
# lets the MI term train the trunk too, in $D$'s update; in our short runs the code then followed
# the digits less closely (appendix; the measured purities are in the comments above
# `infogan.CLASS_RECIPE`).

# %% [markdown]
# ## 4. Data
#
# MNIST: 28×28 grey handwritten digits. The labels are loaded but **never used for training** —
# only at the very end, indirectly, to *evaluate* what the code learned. Offline, `load_mnist`
# falls back to a sample of 10,000 real digits shipped in `data/` (8,000 for training).

# %%
# NBVAL_IGNORE_OUTPUT
((x_train, y_train), (x_test, y_test)), SOURCE = data.load_mnist()
print(f"{len(x_train)} training digits of shape {x_train.shape[1:]}, dtype {x_train.dtype}; "
      f"{len(x_test)} held out")

# %%
# NBVAL_IGNORE_OUTPUT
viz.show_grid(x_train[:64], ncols=16, title="real MNIST digits", size=8)
plt.show()

# %% [markdown]
# As in the tutorial, each discriminator update sees a half batch of 32 real images and 32 fakes
# (in two separate batches), and each generator update 64 samples; the pipeline serves the half
# batches, scaled to $[-1, 1]$.

# %%
dataset = data.make_dataset(x_train, batch_size=infogan.HALF_BATCH, scale="tanh", seed=SEED)
dataset.element_spec

# %% [markdown]
# ## 5. The networks
#
# The generator's input is `[z (62) | one-hot c1 (10) | c2, c3]`, 74 numbers. A dense layer makes
# 512 feature maps of 7×7, a 4×4 convolution reduces them to 128, and two transposed
# convolutions (stride 2) upsample 7 → 14 → 28. The trunk mirrors it with strided convolutions
# and LeakyReLU (slope 0.1); all weights start from $\mathcal N(0, 0.02)$.
#
# **The `class` recipe.** The model above is the method; a short CPU run needs some help for
# the code to find the digits in time. `infogan.CLASS_RECIPE` (the next cell prints it) uses
# **narrower networks** (`g_filters`: half the feature maps in $G$; `d_filters`: a quarter in
# the trunk), feeds the one-hot code **multiplied by `code_scale`** and the continuous codes
# by `cont_scale`, lets $G$ and $Q$ learn at the paper's rate (`g_lr`) and weighs the
# categorical code's cross-entropy with `lambda_cat` and the continuous codes' squared error
# with `lambda_cont`. It also adds two **extra terms** to $G$'s loss: a
# *mode-seeking* term (against each code value drawing one prototype digit again and again) and
# a *moved-copy* term ($Q$ must read the code from slightly turned and shifted copies of each
# fake too). Neither is part of InfoGAN; the appendix *The class recipe's extra terms* explains
# both, and why each setting was chosen.
#
# `full` mode keeps the tutorial's model (`infogan.SEED_RECIPE`).

# %%
show(infogan.build_generator)
show(infogan.build_trunk)
show(infogan.build_q_head)
print("this run's recipe:", infogan.recipe(SCHEDULE))

# %%
gan = infogan.make_infogan(seed=SEED, **infogan.recipe(SCHEDULE))
gan.generator.summary()
gan.trunk.summary()
gan.q_head.summary()

# %% [markdown]
# `generator_inputs` draws the noise and the codes and lays them side by side:

# %%
show(InfoGAN.generator_inputs)

# %%
# NBVAL_IGNORE_OUTPUT
example = np.asarray(gan.generator_inputs(3))
print("one-hot c1:", example[:, 62:72].argmax(1), "  c2, c3 in [-1, 1]:", example[:, 72:].round(2).tolist())

# %% [markdown]
# ## 6. The training step
#
# `GAN.train_step` (chapter 1) runs one $D$ update and one $G$ update per batch, each applying the
# gradient of one loss to a named list of variables. InfoGAN overrides the two losses and the two
# variable lists:

# %%
show(InfoGAN.d_variables.fget)   # a property: show its getter
show(InfoGAN.g_variables.fget)
show(InfoGAN.info_loss)
show(InfoGAN.discriminator_loss)
show(InfoGAN.generator_loss)

# %% [markdown]
# Note the `training=` flags. The generator makes the $D$ step's fakes in training mode, so $D$
# judges the very kind of images $G$'s own update produces (batch statistics in BatchNorm), but
# no gradient reaches $G$ there; $Q$'s head is frozen in the $D$ step.
# The trunk normalises with batch statistics in both updates, like the tutorial's trainable
# BatchNorm layers; only the $D$ step changes its weights.
#
# `generator_loss` is the adversarial loss plus `info_loss`, and then three optional terms,
# each skipped when its switch is off: the mode-seeking term (`lambda_ms`), the moved-copy term
# (`lambda_aug`) and *noise reconstruction* (`n_zrec` numbers of $z$ that $Q$ would also have to
# read back, weighted by `lambda_z`). The `class` recipe switches on the first two (appendix);
# noise reconstruction is off (`n_zrec=0`), so its `z_rec_loss` is logged as a constant 0.
#
# ## 7. Training
#
# `viz.SampleGrid` redraws a fixed grid while training: **row $k$ uses code value $c_1 = k$**, and
# each column keeps the same noise $z$ (with $c_2 = c_3 = 0$). Early on all rows look alike; as
# the MI term takes hold, each row settles on its own digit, long before the digits look good.
#
# A second callback, `metrics.MetricHistory`, measures now and then how cleanly the code separates
# the digits — the **code purity** of section 12, where it is explained; section 8 plots how it
# climbed. One progress bar covers the whole run, with the time spent and the time left;
# re-running the cell resumes an interrupted training, and a finished one is loaded (the cell
# says so) — delete its run folder to start over.

# %%
# NBVAL_IGNORE_OUTPUT
config.describe_run(SCHEDULE)


def code_purity_now(model, n=1000):
    images, codes, _ = model.generate_codes(n, seed=1)
    return metrics.code_purity(codes, images, "mnist")[0]


grid_inputs = infogan.code_grid_inputs(8, seed=SEED)   # 10 rows (code values) × 8 noise vectors
samples = viz.SampleGrid(grid_inputs, every=SCHEDULE["sample_every"], ncols=8, size=5)
purity_log = metrics.MetricHistory(code_purity_now, every=SCHEDULE["purity_every"],
                                   name="code purity")
epochs = SCHEDULE["steps"] // SCHEDULE["log_every"]
run_folder = runs.run_dir("03_infogan")
history = gan.fit(dataset, epochs=epochs, steps_per_epoch=SCHEDULE["log_every"], verbose=1,
                  callbacks=training_callbacks(run_folder) + [samples, purity_log])

# %% [markdown]
# **The training strip.** The run folder keeps a picture of $G$'s output for the same fixed
# inputs after every logging interval, and `strip.png` puts up to eight of them one under
# another (each picture is two rows of ten images, more than twice as wide as high), so read it
# top to bottom, the untrained generator (step 0) first, each labelled by its step. Here the code runs
# along the *columns*: in each
# frame, column $k$ has $c_1 = k$ (with $c_2 = c_3 = 0$), and each of the twenty images has a
# noise vector of its own, the same in every frame (so the two images of a column share their
# code, not their noise). Early frames look the same in every column; the step at which the
# columns start to differ is when $G$ began writing the code into its images, and a column that keeps one digit
# from frame to frame is a code value that has settled.

# %%
# NBVAL_IGNORE_OUTPUT
runlog.show_strip(run_folder);

# %% [markdown]
# ## 8. Loss curves
#
# `d_loss` and `g_loss` are the usual adversarial losses. `q_cat_loss` is the cross-entropy of
# $Q$'s guess of $c_1$: an untrained $Q$ guesses uniformly, a cross-entropy of
# $\log 10 \approx 2.3$ (the dotted line), and it should fall towards zero — then
# $H(c_1 \mid x) \approx 0$ and the lower bound on $I(c_1; x)$ approaches its maximum $\log 10$.
# Each point is the mean over one logging interval, so the curve's first point already averages
# the first `log_every` steps and may lie far below the dotted line. `q_cont_loss` is the
# squared error on $c_2, c_3$; always guessing 0 gives $\mathbb E[c^2] = 1/3$ for
# $c \sim \mathcal U(-1, 1)$ (the dashed line), so a value below it means $Q$ reads *something* of the continuous codes.
#
# The progress bar showed three more losses. `ms_loss` and `aug_loss` are the recipe's extra
# terms (appendix; not plotted). `z_rec_loss` is always 0 in this recipe: it is the
# noise-reconstruction term, switched off here (`n_zrec=0`, so $Q$ has no outputs for $z$ and
# `generator_loss` skips the term); the trainer logs a zero so that every InfoGAN run has the
# same columns.
#
# The third panel is the code purity measured during training (chance level: one sample in ten).

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 3, figsize=(15, 3.5))
viz.plot_history(history, keys=["d_loss", "g_loss"], ax=axes[0], title="adversarial losses",
                 steps_per_epoch=SCHEDULE["log_every"])
viz.plot_history(history, keys=["q_cat_loss", "q_cont_loss"], ax=axes[1],
                 title="information losses (Q's errors)", steps_per_epoch=SCHEDULE["log_every"])
for ax in axes[:2]:
    ax.set_ylabel("loss (mean per logging interval)")
axes[1].axhline(np.log(10), ls=":", c="gray", label="ln 10: uniform guess of c1")
axes[1].axhline(1 / 3, ls="--", c="gray", label="1/3: guessing c2 = c3 = 0")
axes[1].legend()
purity_log.plot(ax=axes[2])
axes[2].set_ylim(0, 1)
axes[2].set_title("code purity during training")
axes[2].grid(alpha=0.3)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 9. What each code value draws
#
# Ten rows, one per value of $c_1$; the ten columns share their noise vectors across rows. If the
# code has been discovered, each row shows one digit in many styles, and each column keeps a
# style (its noise) across digits. The **order is arbitrary**: nothing told the network that code
# 0 should be the digit 0 — it only had to make the ten values distinguishable, and the most
# distinguishable split of MNIST happens to be the ten digits. (Sometimes two similar digits,
# 4 and 9 for instance, share a value, and one digit is split over two values.)
#
# Look at the columns, too. If every column of a row shows the *same* image, the generator has
# stopped listening to its noise $z$: each code value draws one prototype digit. That is **mode
# collapse within a code** — what the mode-seeking term of the `class` recipe is there to prevent
# (appendix); the Fréchet distance of section 12 would show it.

# %%
# NBVAL_IGNORE_OUTPUT
per_code = gan.generate(inputs=infogan.code_grid_inputs(10, seed=0))
viz.show_grid(per_code, ncols=10, size=7, row_labels=[f"c1 = {k}" for k in range(10)],
              title="one row per categorical code value")
plt.show()

# %% [markdown]
# ## 10. The continuous codes
#
# Each row below keeps its noise and its $c_1$ and varies one continuous code from $-2$ to $2$
# (training only drew values in $[-1, 1]$, so the outer columns extrapolate). In the paper, one of
# the two codes came to control the **slant** of the digit and the other its **width**. Look at
# the figure before reading on: does anything change along a row?

# %%
# NBVAL_IGNORE_OUTPUT
values = np.linspace(-2, 2, 9)
fig, axes = plt.subplots(1, 2, figsize=(12, 6))
for dim, ax in enumerate(axes):
    sweep = gan.generate(inputs=infogan.sweep_inputs(np.arange(10), dim, values, n_rows=10, seed=1))
    viz.show_grid(sweep, ncols=len(values), ax=ax, title=f"varying c{dim + 2} (others 0)",
                  row_labels=[f"c1={k}" for k in range(10)], col_labels=[f"{v:+.1f}" for v in values])
plt.tight_layout()
plt.show()

# %% [markdown]
# Look along the rows of each sweep. Does one code turn the digits (leaning one way at $-2$,
# the other way at $+2$), and does one change the weight of the strokes (thick at one end, thin
# at the other)? The paper found one code for the slant and one for the width; a short run may
# give each code a job of its own, give both the same job, or leave one idle, and the rows of
# the digits with long straight strokes (1, 7) show a slant most clearly. Where a row changes
# most, a large value can also turn one digit into another: look for rows whose digit changes
# identity along the sweep. The
# next cell puts a number on how much the picture moves (mean absolute pixel change, pixels in
# $[-1, 1]$) when one continuous code goes from $-1$ to $+1$, its whole training range, next to
# how much it moves when only the noise $z$ changes: near 0 the codes are ignored, near the
# third number they matter as much as a whole new $z$. `q_cont_loss` far below $1/3$ (the loss
# of guessing 0) says the same from $Q$'s side: $G$ writes the codes into the image where $Q$
# can read them back.

# %%
# NBVAL_IGNORE_OUTPUT
def images_at(dim, value, n_rows=50):
    return gan.generate(inputs=infogan.sweep_inputs(np.arange(n_rows) % 10, dim, [value],
                                                    n_rows=n_rows, seed=1))


for dim in range(gan.n_cont):
    change = np.mean(np.abs(images_at(dim, 1.0) - images_at(dim, -1.0)))
    print(f"c{dim + 2} from -1 to +1, same z and c1:  mean |change| = {change:.3f}")
pairs = gan.generate(inputs=infogan.code_grid_inputs(20, seed=3)).reshape(10, 20, -1)
print(f"another z, same c1 (c2 = c3 = 0):        mean |change| = "
      f"{np.mean(np.abs(pairs[:, ::2] - pairs[:, 1::2])):.3f}")
print(f"q_cont_loss in the last interval: {history.history['q_cont_loss'][-1]:.3f}"
      f"   (1/3 = guessing 0)")

# %% [markdown]
# **Which factor does each code control?** A picture can suggest more than there is, so we
# measure two style factors of each sample from its image moments (`ganlib.metrics`): the
# **slant** (how far the ink leans right per unit of height, 0 for an upright digit) and the
# **stroke mass** (the mean ink per pixel: thicker or longer strokes, more ink). The left and
# right plots follow their mean over 200 samples as one code sweeps from $-2$ to $2$. Then the
# correlation $r$ of each code with each factor over 2,000 random samples, computed *within*
# each value of $c_1$ (so a code is not credited with the difference between a 1 and an 8).
# The chapter's bar asks for $|r| \ge 0.6$ for at least one code: a code that by itself
# explains more than a third of the variation of one factor.

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 2, figsize=(11, 3.2))
for ax, (factor, measure) in zip(axes, metrics.STYLE_FACTORS.items()):
    for dim in range(gan.n_cont):
        ax.plot(values, [measure(images_at(dim, v, n_rows=200)).mean() for v in values],
                marker="o", label=f"varying c{dim + 2}")
    ax.axvspan(-1, 1, color="0.92", zorder=0, label="training range")
    ax.set_xlabel("code value (the other code 0)")
    ax.set_title(f"mean {factor} of 200 samples")
    ax.legend()
plt.tight_layout()
plt.show()
fakes_r, codes_r, cont_r = gan.generate_codes(2000, seed=SEED)
r = metrics.code_factor_correlations(cont_r, fakes_r, within=codes_r)
for (k, factor), value in r.items():
    print(f"c{k + 2} and {factor:<12} r = {value:+.2f}   (within each code value c1, 2,000 samples)")
best = max(r, key=lambda key: abs(r[key]))
print(f"{'met    ' if abs(r[best]) >= 0.6 else 'NOT met'}  the chapter's bar, |r| >= 0.6 for at least "
      f"one code: c{best[0] + 2} with {best[1]}, |r| = {abs(r[best]):.2f}")

# %% [markdown]
# **Reading the measurement.** In each plot, a curve that rises or falls steadily across the
# sweep is a code that moves that factor; a flat one is a code that leaves it alone. The four
# printed correlations say the same sample by sample: a code controls a factor of its own when
# its $|r|$ with that factor is large and its $|r|$ with the other factor stays near 0, and the
# two codes control different factors when their large correlations fall on different
# factors. The last line names the code with the largest $|r|$ and says whether it reaches the
# bar. One run is one seed: section 12 prints the best $|r|$ over three other seeds (median and
# range), and the appendix names the files with the measurements of the earlier recipes, in
# which the continuous codes were not scaled and weighed as much. A short run does not always
# separate the factors; compare the four correlations above to see whether this one did.

# %% [markdown]
# ## 11. Try it yourself
#
# Pick a code value and move the sliders; the eight samples keep their noise, so only the
# codes change. (Widgets need a live Jupyter kernel; the static sweep above shows the same.)

# %%
# NBVAL_IGNORE_OUTPUT
from ganlib.widgets.infogan import CodeExplorer

explorer = CodeExplorer(gan, n=8, seed=SEED)
explorer.widget

# %% [markdown]
# Without a running kernel (on GitHub, say) the widget above shows nothing; here is its picture
# as an ordinary figure, as it is drawn when the explorer opens ($c_1 = 0$, $c_2 = c_3 = 0$):

# %%
# NBVAL_IGNORE_OUTPUT
widgets.show_static(explorer);

# %% [markdown]
# The widget checks what it is asked for: `explorer.show(code=..., c2=..., c3=...)` sets the
# controls from code, and refuses values out of range — showing a message instead of drawing
# something meaningless. `explorer.check` returns that message (or `None` when all is well):

# %%
print(explorer.check(code=12))
print(explorer.check(c2=3.5))
print(explorer.check(code=3, c2=0.5))

# %% [markdown]
# ## 12. Evaluate: did the code find the digits?
#
# The losses cannot tell us whether code value 3 draws *one* digit. We measure it with the
# reference MNIST classifier (`ganlib.metrics`, a small CNN trained on real digits):
#
# 1. draw 2,000 samples with random codes and let the classifier name each digit;
# 2. count how often each code value produced each digit (a 10×10 table);
# 3. find the one-to-one code → digit assignment with the most agreement (the Hungarian
#    algorithm — the code's numbering is arbitrary, so we must *match*, not compare);
# 4. **purity** = the share of samples whose digit is the one assigned to their code.
#
# Purity is one in ten (chance) for a code the generator ignores and 1 (all samples) if every
# code value draws exactly one digit. We also compute the **Fréchet distance** (FD) between the samples and held-out real
# digits in the classifier's feature space — the FID recipe, lower is better — with two real
# sets as the floor.

# %%
# NBVAL_IGNORE_OUTPUT
fakes, codes, _ = gan.generate_codes(2000, seed=SEED)
purity, mapping = metrics.code_purity(codes, fakes, "mnist")
fd = metrics.frechet_distance(fakes, x_test[:2000], "mnist")
fd_floor = metrics.frechet_distance(x_train[:2000], x_test[:2000], "mnist")
print(f"code purity: {purity:.1%}   (chance 10%)")
print(f"{'met    ' if purity >= 0.85 else 'NOT met'}  the chapter's bar, code purity >= 85 %")
print(f"FD(samples, held-out digits) = {fd:.2f}   FD(real, real) = {fd_floor:.2f}")

# %% [markdown]
# One run is one draw. The same recipe was trained on three seeds this notebook does not use and
# measured the same way (`python benchmarks/quality.py --mode class --chapters infogan --seeds
# 1,2,3`; table in `benchmarks/results/quality_class_seeds_infogan.txt`, computed with bfloat16
# units), and again in float32 for §13 (`quality_class_seeds_infogan_family.txt`): the cell
# prints both. The chapter's bars are judged on the medians: a minimum code purity (the cell
# prints it), and at least one continuous code with $|r| \ge 0.6$ against slant or stroke mass
# (section 10).

# %%
# NBVAL_IGNORE_OUTPUT
for table, precision in (("infogan", "mixed_bfloat16"), ("infogan_family", "float32")):
    seeds = compare.load_seeds(table)   # benchmarks/results/quality_class_seeds_<table>.json
    print(f"the class recipe over seeds 1-3 in {precision} (quality_class_seeds_{table}.txt):")
    for measure in ("code purity", "best |r|", "FD"):
        med, lo, hi, n = seeds["infogan"][measure]
        print(f"   {measure:<12} {med:7.3f} [{lo:.3f}-{hi:.3f}]  ({n} seeds)")
    for measure, bar in (("code purity", 0.85), ("best |r|", 0.6)):
        med = seeds["infogan"][measure][0]
        print(f"   {'met    ' if med >= bar else 'NOT met'}  the chapter's bar on the median: {measure} "
              f"{med:.3f}, at least {bar} wanted")

# %% [markdown]
# **Reading the lines above.** Purity says how many of the 2,000 samples carry the digit
# their code value was matched to: well above chance (one in ten) means the code found digit
# classes without a label. The chapter's bar on purity is printed with this run's value in
# §12's first cell and with the three seeds' median and range in the cell above: compare this
# run's purity with the bar and with that range. Purity moves from seed to seed (a single run
# can land outside the three seeds' range: see where this one falls) and between
# checkpoints of one run (the purity panel of section 8); the mapping below shows where
# this one lost its points: code values that share a digit, or split one between two look-alikes. The Fréchet
# distance is the quality check next to it: the further it lies above the real-data floor, the
# more the samples differ from real digits as a whole — in stroke quality, and in variety. A
# code can be pure and still poor: each code value drawing one prototype digit again and again
# would score a high purity and a large FD. That is why we always report both.
#
# The learned mapping, and how pure each code value is on its own:

# %%
# NBVAL_IGNORE_OUTPUT
predicted = metrics.predict_labels(fakes, "mnist")
print(f"{'code c1':>8} {'digit':>6} {'share of that digit':>21}")
for k in range(gan.n_cat):
    mine = predicted[codes == k]
    share = np.mean(mine == mapping[k]) if len(mine) else float("nan")
    print(f"{k:>8} {mapping[k]:>6} {share:>20.0%}")

# %% [markdown]
# A code value whose purity is near 1 draws one digit; one well below it also draws another digit — often
# a look-alike (4 and 9, 3 and 5), or a digit that has no code value of its own because two code
# values split one digit between them (the matching is one-to-one, so one digit is then left
# without a code). The grid of section 9 shows which.
#
# Ordering the rows by the digit they were matched to turns the grid of section 9 into
# something that looks as if it had been trained with labels — but the labels only entered
# *after* training, to name what the code had already separated.

# %%
# NBVAL_IGNORE_OUTPUT
order = sorted(range(gan.n_cat), key=lambda k: mapping[k])
rows = per_code.reshape(gan.n_cat, 10, *per_code.shape[1:])[order].reshape(per_code.shape)
viz.show_grid(rows, ncols=10, size=7, row_labels=[f"c1={k} → {mapping[k]}" for k in order],
              title="rows ordered by the digit matched to each code value")
plt.show()

# %% [markdown]
# ### What more training gives
#
# The `class` run stops after 5,000 generator steps. A longer reference run of the same recipe
# ships with the project in `data/pretrained/03_infogan` (the generator `MODE = "pretrained"`
# loads; `data/README.md` says how it was made). The next cell trains nothing: it puts that
# generator into a fresh InfoGAN (`chapters.load_reference`), measures it as this run was
# measured — the same 2,000 codes and noise for purity, FD and the correlations of section 10 —
# and draws the grid of section 9 and the sweep of its strongest continuous code.

# %%
# NBVAL_IGNORE_OUTPUT
from ganlib import chapters

ref_gan, ref_about = chapters.load_reference("03_infogan")   # data/pretrained/03_infogan
print("reference run:", ref_about["made"])
ref_fakes, ref_codes, ref_cont = ref_gan.generate_codes(2000, seed=SEED)
ref_r = metrics.code_factor_correlations(ref_cont, ref_fakes, within=ref_codes)
ref_best = max(ref_r, key=lambda key: abs(ref_r[key]))
print(compare.side_by_side({
    f"this run ({gan.generator_steps})": {
        "code purity": purity, "FD": fd, "best |r|": abs(r[best]),
        "best code": f"c{best[0] + 2} {best[1]}"},
    f"reference ({ref_about['steps']})": {
        "code purity": metrics.code_purity(ref_codes, ref_fakes, "mnist")[0],
        "FD": metrics.frechet_distance(ref_fakes, x_test[:2000], "mnist"),
        "best |r|": abs(ref_r[ref_best]), "best code": f"c{ref_best[0] + 2} {ref_best[1]}"}}))
fig, axes = plt.subplots(1, 2, figsize=(13, 6.5))
viz.show_grid(ref_gan.generate(inputs=infogan.code_grid_inputs(10, seed=0)), ncols=10, ax=axes[0],
              row_labels=[f"c1 = {k}" for k in range(10)], title="one row per categorical code value")
viz.show_grid(ref_gan.generate(inputs=infogan.sweep_inputs(np.arange(10), ref_best[0], values,
                                                           n_rows=10, seed=1)),
              ncols=len(values), ax=axes[1], title=f"varying c{ref_best[0] + 2} (others 0)",
              row_labels=[f"c1={k}" for k in range(10)], col_labels=[f"{v:+.1f}" for v in values])
fig.suptitle(f"the reference run after {ref_about['steps']} generator steps")
plt.tight_layout()
plt.show()

# %% [markdown]
# **Reading the comparison.** The table prints purity, FD, the best $|r|$ and which code and
# factor it belongs to, for this run and for the reference run (twice the steps, from another
# seed). Compare them row by row: purity (higher is better) and FD (lower is better) say what
# the extra steps bought in the code and in image quality; the "best |r|" row says whether the
# continuous codes gained as well. Compare that row with the range of the three 5,000-step
# seeds printed in section 12 too: if the two runs differ by less than the seeds do, the seed
# matters more than the length. In the sweep (right), look at whether the code changes only
# the factor named in the table or also turns or reshapes digits; in the grid (left), look for
# code values that draw two digits — that is where the purity is lost.

# %% [markdown]
# ## 13. Plain InfoGAN against the class recipe
#
# Everything this chapter trained used the `class` recipe, which adds to InfoGAN several things
# the paper does not have (the appendix lists them). So far nothing shows what InfoGAN *itself*
# does on this budget. One more run isolates it: **plain InfoGAN** (`03_infogan_plain`) has the
# same networks, data, batches, learning rates and number of steps as the recipe, and the
# paper's losses and weights — no code scaling (`code_scale=1`, `cont_scale=1`), the paper's
# $\lambda_\text{cat}=1$ and the tutorial's $\lambda_\text{cont}=0.5$, no mode-seeking term
# (`lambda_ms=0`), no moved-copy term (`lambda_aug=0`).
#
# | run | what it adds to InfoGAN's losses | the prior it builds in |
# |---|---|---|
# | **plain InfoGAN** (`03_infogan_plain`) | nothing | none beyond the paper's |
# | **the class recipe** (`03_infogan`, this chapter) | a louder code, a larger weight on reading it, the mode-seeking term, the moved-copy term | that a digit's identity survives a small turn, shift or zoom and its slant does not; that two noise vectors should draw two different images |
#
# The second column of the recipe's row is not neutral. The moved-copy term tells the model what
# counts as the *same* digit, which is exactly the thing InfoGAN is meant to discover without
# being told: a student who reads "the code found the digits" off the recipe's run should know
# that part of the answer was put in by the recipe. The measurement below says how much of the
# result the plain losses reach on their own.
#
# Both were trained on three seeds with `benchmarks/quality.py` (`--chapters
# infogan,infogan-plain --seeds 1,2,3`; table in
# `benchmarks/results/quality_class_seeds_infogan_family.txt`). The seed-1 plain generator ships
# in `data/pretrained/03_infogan_plain` (a `python -m ganlib train 03_infogan_plain` run), so the
# next cell trains nothing: it draws the grid of section 9 — the same codes and noise — through
# this notebook's generator and the plain one.

# %%
# NBVAL_IGNORE_OUTPUT
plain_gan, plain_about = chapters.load_reference("03_infogan_plain")   # data/pretrained/03_infogan_plain
print("plain InfoGAN:", plain_about["made"])
fig, axes = plt.subplots(1, 2, figsize=(13, 6.5))
for ax, (title, model) in zip(axes, (("the class recipe (this run)", gan),
                                     ("plain InfoGAN (03_infogan_plain, seed 1)", plain_gan))):
    viz.show_grid(model.generate(inputs=infogan.code_grid_inputs(10, seed=0)), ncols=10, ax=ax,
                  row_labels=[f"c1 = {k}" for k in range(10)], title=title)
plt.tight_layout()
plt.show()

# %% [markdown]
# In each grid a row is one value of $c_1$. Look at whether a row keeps one digit across its
# ten noise vectors (the code found the digits), or changes digit along the row while something
# else — thickness, slant, width — stays the same (the code found a style instead, and $z$
# decides the digit).
#
# The measured comparison over the three seeds — code purity (§12), the best $|r|$ of a
# continuous code with slant or stroke mass (§10) and FD — then, measure by measure, which run is
# better, read from the numbers:

# %%
# NBVAL_IGNORE_OUTPUT
INFO_FAMILY = compare.load_seed_rows("infogan_family")   # benchmarks/results/quality_class_seeds_infogan_family.json
family = compare.seed_summary(INFO_FAMILY)
MEASURES = ("code purity", "best |r|", "FD")
print(compare.seed_lines(family, names=["infogan-plain", "infogan"], measures=MEASURES))
print("\nthe class recipe against plain InfoGAN:")
print(compare.duel_lines(compare.duel(INFO_FAMILY, "infogan", "infogan-plain", MEASURES),
                         "the recipe", "plain InfoGAN"))
plain_purity, recipe_purity = (family[n]["code purity"][0] for n in ("infogan-plain", "infogan"))
print(f"\nplain InfoGAN's median purity is {plain_purity:.0%} (chance 10%, the chapter's bar 85%): "
      + ("its code finds the digits on its own" if plain_purity >= 0.85 else
         "well above chance, so the code carries part of the digit, but below the bar"
         if plain_purity >= 0.2 else "near chance: its code does not find the digits")
      + f"; the recipe's additions move the median by {100 * (recipe_purity - plain_purity):+.0f} points.")

# %% [markdown]
# **Reading the comparison.** Three questions to answer from the printed lines. Does the plain
# run's code find the digits at all in this budget (purity against chance and against the
# bar)? What did the additions buy in purity and in the continuous codes' $|r|$, and on how many
# of the seeds? And what did they cost in FD — the mode-seeking and moved-copy terms pull $G$
# away from the plain adversarial objective, so a higher FD would be their price, a lower one a
# sign that the plain run's samples were poorer as well. The appendix explains each addition;
# exercise 1 asks you to predict this result before reading it.


# %% [markdown]
# ## Appendix: the class recipe's extra terms
#
# Everything above is InfoGAN; this appendix is about what the `class` recipe adds, and why we
# added it: each change was made to help the code find the digits within a short CPU run, in
# tuning runs that started from the tutorial's settings. Which of them the result still needs
# is a separate question, measured in §13: plain InfoGAN there keeps the narrow networks and
# the paper's learning rates, and drops everything else listed below. The figures are from our tuning runs and
# sweeps (`benchmarks/infogan_sweep.py`, results in `benchmarks/results/`; code purity of 1,000
# samples, FD against 1,000 test digits), not from this notebook's run; the settings are named
# by their keys in `infogan.CLASS_RECIPE` (printed in §5).
#
# **Why the tutorial's settings are not enough here.** Trained as the tutorial does, this
# model's noise $z$ decides the digit early on, and the code settles for small changes of style that $Q$ reads just as
# well: after 2,000 steps on a CPU only about a quarter of the samples had the digit their
# code stands for. And at the tutorial's widths a laptop CPU without bfloat16 units manages
# about one step per second. The `class` recipe (`infogan.CLASS_RECIPE`) therefore
#
# * uses **narrower networks** — half the feature maps in $G$ (256, 64, 32), a quarter in the
#   trunk (16, 32, 64) — same layers, about five times the speed (the README's chapter table
#   gives the whole notebook's time in float32 and with bfloat16 units);
# * multiplies the one-hot code by `code_scale` before $G$'s first layer (a fixed
#   `Rescaling` layer). The 62 noise numbers have length $\approx\sqrt{62}\approx 8$, the
#   one-hot code length 1, so unscaled the code barely moves $G$'s first activations; scaled,
#   it shapes the coarse image from the first steps — and the coarsest split of MNIST is the
#   ten digits;
# * lets $G$ and $Q$ learn at `g_lr` and $D$ at $2\times10^{-4}$, the learning rates of the
#   InfoGAN paper;
# * adds a **mode-seeking term** (Mao et al., 2019, "MSGAN") to $G$'s loss (`lambda_ms`).
#   With only the changes above the code wins too well: $G$ stops listening to $z$ and every code value draws one
#   prototype digit, again and again (*mode collapse within a code*; in our tuning runs the
#   Fréchet distance of such a run was several times that of one that kept its variety). Half of each $G$ batch repeats the other half's codes with fresh noise, and
#   $$\mathcal L_\text{ms} = \Big(\frac{\operatorname{mean}|G(z_1, c) - G(z_2, c)|}{\operatorname{mean}|z_1 - z_2|} + \epsilon\Big)^{-1}$$
#   is large when two noise vectors give the same image. Weighted by $\lambda_\text{ms} = 0.1$,
#   it brings back varied digits — at a cost: it rewards pairs that differ *more*, and two
#   different digits differ more than two styles of one, so it pulls each code a little
#   towards a mixture of digits. (`mode_seeking` takes a `cap` on the ratio for that reason;
#   capped at 0.2, about what two real digits of one class show, it gave our purest run but
#   much worse ones on other seeds, so the recipe leaves it off);
# * weighs the categorical code's cross-entropy with `lambda_cat` instead of the paper's 1 in
#   $G$'s loss, so that keeping the code readable counts more than the adversarial and
#   mode-seeking terms in this short run (in our tuning runs, twice or three times that weight
#   spoiled the digits, and the paper's weight gave a lower purity);
# * makes $Q$ read $c_1$ from a **moved copy** of each fake as well (`lambda_aug`): turned by
#   up to 18°, shifted by up to 3 pixels, zoomed by up to a tenth (`build_augmentation`), with
#   its own weight `lambda_aug`. Without it, short runs often spend two code values on two *slants* of the 1, or
#   two sizes of the 0 — $Q$ reads slant as easily as identity — while look-alike digits such
#   as 4 and 9 have to share one value. A small turn or shift changes slant, position and size
#   but not which digit it is, so the only code $Q$ can still read after the move is one
#   carried by the digit's identity; slant and width are left to $c_2$, $c_3$ and $z$. On the
#   six seeds of the sweep (`benchmarks/infogan_sweep.py`), 5,000 steps, the median purity was higher with the term than without it
#   (the sweep's results in `benchmarks/results/` give the per-seed values);
# * multiplies the two continuous codes by `cont_scale` at $G$'s input and weighs their
#   squared error with `lambda_cont` instead of the paper's smaller weight. The reason is the
#   one for `code_scale`: two numbers drawn from $\mathcal U(-1, 1)$ are a whisper next to 62
#   noise numbers and a scaled one-hot code, and at the paper's weight the reward for making
#   them readable was small next to the categorical code's `lambda_cat` and the moved-copy
#   term's `lambda_aug`. Without this change $c_2$ and $c_3$ moved the digits a little but
#   controlled nothing we could measure (the largest $|r|$ of either code with slant or stroke
#   mass, within a digit code, over seeds 1–3:
#   `experiments/quality_class_seeds_infogan_before_cont.txt`). A smaller scale
#   (`experiments/quality_class_seeds_infogan_cs4.txt`) gave a lower median $|r|$ than the
#   recipe's, with purity and FD as good or better at the recipe's scale; a larger weight, or
#   16 noise numbers instead of 62, did not help
#   (`experiments/quality_class_infogan_experiments.txt`). This recipe's own measurements are
#   in section 10 and `quality_class_seeds_infogan.txt`.
#
# `full` mode keeps the tutorial's model (`infogan.SEED_RECIPE`), with none of these.
#
# The two extra terms in code — the mode-seeking loss, the random moves, and the moved-copy loss
# that $Q$ and $G$ minimise together (both appear in `generator_loss`, section 6):

# %%
show(losses.mode_seeking)
show(infogan.build_augmentation)
show(InfoGAN.moved_code_loss)

# %% [markdown]
# **Letting the MI term train the trunk** (`mi_trunk=True`, section 3): with the tutorial's
# widths, after 1,000–1,500 steps, the code purity was lower with it than without it in our
# short runs.
#
# **How much purity moves.** The sweep's six seeds after 5,000 steps spread over several
# points of purity, and one run moved by 5–10 points between checkpoints 500 steps apart (the
# purity panel of section 8, measured every `purity_every` logging intervals, shows how this
# run moved). The unscaled tutorial recipe
# reached only about a quarter after 2,000 steps. Without the mode-seeking term, purity did
# reach high values at times, but only by collapsing each code to one prototype drawn again
# and again (with a Fréchet distance several times higher): purity alone would have called that a success. The moved-copy term
# buys purity at some cost in image quality (a higher FD after 5,000 steps with it than
# without it).

# %% [markdown]
# ## Exercises
#
# Worked answers: [solutions/03_infogan_solutions.ipynb](solutions/03_infogan_solutions.ipynb).
# Exercises 1–2 change settings and retrain: each is one `class`-mode run of
# `SCHEDULE["steps"]` generator steps, about as long as the training cell above took (its
# progress bar printed the time). Write your prediction down *before* you run it. Train into a run folder of its own (the notebook's folder refuses a run with other
# settings), then re-run the cells of sections 8–12, for instance:
#
# ```python
# gan = infogan.make_infogan(seed=SEED, **{**infogan.recipe(SCHEDULE), "lambda_ms": 0.0, "lambda_aug": 0.0})
# history = gan.fit(dataset, epochs=epochs, steps_per_epoch=SCHEDULE["log_every"], verbose=1,
#                   callbacks=training_callbacks(runs.run_dir("03_infogan_exercise1")))
# ```
#
# **1. InfoGAN without the recipe's extra terms (two switches, then three more).** Switch off
# the two extra terms of the appendix, `lambda_ms=0.0` and `lambda_aug=0.0`, keeping the rest of
# the recipe. Predict the code purity of section 12 and the Fréchet distance, and what the
# grid of section 9 will look like along each row. Then go back to the paper's settings for
# the codes, with this run's small widths: also `code_scale=1.0`, `cont_scale=1.0`,
# `lambda_cat=1.0` and `lambda_cont=0.5` — that is §13's plain InfoGAN (`03_infogan_plain`). What
# do you expect for purity now, and which part of the image will the code end up controlling?
# Write both predictions down before you read §13, which measured the second step over three
# seeds; the solutions train the first at a shorter budget.
#
# **2. λ for the codes (one number each).** The information loss is
# $\lambda_\text{cat}\,\mathrm{CE} + \lambda_\text{cont}\,\mathrm{MSE}$ with `lambda_cat` and
# `lambda_cont` as printed in §5 (and the continuous codes enter $G$ multiplied by
# `cont_scale`). Predict
# what the tutorial-style `lambda_cont=0.5` with `cont_scale=1.0` does to `q_cont_loss`, to the
# sweep and the correlations of section 10 and to the measured change per continuous code; and
# what `lambda_cat=1.0` (the paper's value) does to purity. Why might a very large `lambda_cat`
# (10) spoil the digits even though it makes the code easier to read?
#
# **3. Write the categorical information loss.** Complete `my_categorical_info_loss(code,
# q_probs)`: `code` holds the values of $c_1$ the fakes were made with (integers, shape `(N,)`),
# `q_probs` is $Q$'s softmax output `(N, 10)`. Return $-\frac1N \sum_i \log Q(c_1 = \text{code}_i
# \mid x_i)$, the cross-entropy of section 2, as one scalar (clip the probabilities away from 0
# before the log).

# %%
def my_categorical_info_loss(code, q_probs):
    raise NotImplementedError  # your code here


# %%
check.categorical_info_loss(my_categorical_info_loss);

# %% [markdown]
# **4. Write the continuous information loss.** With a Gaussian $Q(c \mid x)$ of fixed
# variance, $-\log Q$ is a squared error up to constants. Complete
# `my_continuous_info_loss(code, q_mean)`: `code` holds $c_2, c_3$ `(N, 2)`, `q_mean` is $Q$'s
# estimate of them `(N, 2)`; return the mean squared error over all entries. Which constants did
# dropping the Gaussian's normalisation and variance remove, and why does that not change the
# gradients' direction?

# %%
def my_continuous_info_loss(code, q_mean):
    raise NotImplementedError  # your code here


# %%
check.continuous_info_loss(my_continuous_info_loss);

# %% [markdown]
# **5. The two reference lines of section 8.** Use your two functions to compute the information
# losses of a $Q$ that knows nothing: uniform probabilities $1/10$ for $c_1$, and the estimate 0
# for codes drawn from $\mathcal U(-1, 1)$ (draw many). Compare with $\ln 10$ and $1/3$, the two
# reference lines of the loss plot, and with the last `q_cat_loss` and `q_cont_loss` of this run.
# What lower bound on $I(c_1; G(z, c))$ does the last `q_cat_loss` give (section 2)?

# %% [markdown]
# ## Summary
#
# * A GAN's noise is entangled; InfoGAN reserves a few inputs as **codes** and maximises a
#   variational lower bound on their mutual information with the image — in practice, a
#   classification loss for a network $Q$ that reads the codes back.
# * $Q$ is a small head on the discriminator's trunk; as in the tutorial, the MI term trains the
#   generator and the Q head, while the trunk learns to tell real from fake.
# * Without labels, the 10-valued code can discover the digit classes (in an arbitrary order).
#   The continuous codes *can* pick up continuous styles such as slant and width, one factor
#   each or both the same one, strongly or not at all: check with a sweep and a measurement
#   (the within-code correlations of section 10) before believing a code means something.

# * Measure an unsupervised code by matching code values to classes (purity), and always next
#   to a quality measure (FD): a code that collapses to one prototype per value is pure and poor.
# * The `class` recipe's additions are not InfoGAN (appendix): a code made strong enough to find
#   the digits in a short run also tempts $G$ to ignore its noise, which a mode-seeking term
#   counters; and since nothing in the MI term prefers the digit to the slant, asking $Q$ to read
#   the code from slightly turned and shifted copies rules out the slant and leaves the digit.
# * Judge such additions against the method without them, at the same budget and over several
#   seeds: §13 sets plain InfoGAN, trained on three seeds by `benchmarks/quality.py`, beside the
#   recipe and prints what the additions bought, and
#   at what cost, in purity, in the continuous codes and in FD.
#
# The run folder (`runs/class/03_infogan` in `class` mode; test runs get a fresh temporary
# folder) already holds the final generator (`generator.keras`, stock Keras layers:
# `keras.saving.load_model` reads it without `ganlib`) and the loss history (`history.json`, read by `runs.load_history`).
# Running the training cell again resumes an interrupted run or loads a finished one; to
# train from scratch, delete the folder. The README's *Run folders* section has the details.
