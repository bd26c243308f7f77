# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 2 — ACGAN: asking the generator for a class
#
# The DCGAN of chapter 1 draws *some* item of clothing — we cannot ask it for a sneaker. In this
# chapter we train an **auxiliary classifier GAN** (ACGAN, Odena, Olah & Shlens 2016): the
# generator receives a class label next to its noise, and the discriminator, besides telling
# real from fake, must *recognise the class*.
#
# **Learning goals.** After this chapter you can
#
# * tell ACGAN apart from the conditional GAN, InfoGAN and the semi-supervised GAN by what the
#   discriminator sees and predicts;
# * write ACGAN's two-part objective $L_S + L_C$ for both players, and say why the extra
#   classification task steadies training;
# * compare three ways of feeding a label to a generator (this tutorial's and two others');
# * say what the auxiliary classifier adds, from a controlled comparison: a conditional GAN
#   (the label as D's input), ACGAN, and ACGAN without its class term in G's loss, trained on
#   the same networks for the same steps;
# * read a conditional GAN's loss curves, where the source and class terms tell different stories;
# * measure a conditional generator with an *independent* classifier instead of trusting its
#   own discriminator.
#
# **Prerequisites.** Chapter 1 (DCGAN: the GAN game, the non-saturating generator loss, the
# explicit D and G updates of `ganlib.gan.GAN`); binary and categorical cross-entropy; what
# BatchNorm does in training and in inference mode.
#
# The chapter walks through the model family and the conditional GAN in code (§1), the
# objective (§2), data and networks (§3–5), training (§6–8), an interactive demo (§9), a measured
# evaluation (§10) and what the auxiliary classifier adds (§11), then exercises.
#
# Architecture and hyper-parameters follow the machinelearningmastery tutorial *How to Develop an
# Auxiliary Classifier GAN (AC-GAN) From Scratch with Keras* (Brownlee, 2019), ported to Keras 3.
#
# **Run modes** (`GANLIB_MODE`): `smoke` (a few steps, for the automated tests), `class` (the
# default, with a lighter recipe explained in §6; the README's chapter table gives its time on a
# 2-core CPU, in float32 and with bfloat16 units) or `full` (the tutorial's own 100 epochs — use
# a GPU). The training cell (§7) prints the mode and precision of this run in one line.
#
# To go straight to the demos and the evaluation, set `MODE = "pretrained"` in the next cell
# (or `GANLIB_MODE=pretrained`): every training cell then loads the generator of a longer
# reference run shipped in `data/pretrained/` instead of training (`data/README.md` lists
# them; a run with no generator shipped there stops with a message saying so).

# %%
# NBVAL_IGNORE_OUTPUT
import matplotlib.pyplot as plt
import numpy as np

import ganlib   # first: it imports TensorFlow with its start-up log lines muted
import keras
from ganlib import acgan, cgan, chapters, check, compare, config, data, metrics, runlog, runs, viz, widgets
from ganlib.gan import training_callbacks
from ganlib.show import show
from ganlib.widgets.acgan import ACGANDemo

MODE = None   # "pretrained": load a shipped reference run, no training; None: $GANLIB_MODE
config.use_mode(MODE)
SCHEDULE = config.select(acgan.SCHEDULES, verbose=False)   # steps, logging and model recipe
PRECISION = config.set_precision(verbose=False)   # bfloat16 where the hardware is fast at it
SEED = 42
config.set_seed(SEED)
DATASET = "fashion_mnist"                   # "mnist" trains on digits — nothing else changes
CLASS_NAMES = data.class_names(DATASET)

# %% [markdown]
# ## 1. A family of GANs that know about classes
#
# Once the training images come with labels, there are several ways to let a GAN use them. The
# four best known differ in **what the discriminator is shown** and **what it must predict**:
#
# | model | G's input | D's input | D predicts |
# |---|---|---|---|
# | conditional GAN (Mirza & Osindero 2014) | noise $z$ + class $c$ | image **and class $c$** | real or fake (for this class?) |
# | **ACGAN** (Odena et al. 2016) | noise $z$ + class $c$ | image only | real or fake **and the class** |
# | InfoGAN (Chen et al. 2016) | noise $z$ + latent code $c$ (no labels used) | image only | real or fake, and *reconstructs the code* $c$ (a separate head $Q$) |
# | semi-supervised GAN (Salimans et al. 2016; Odena 2016) | noise $z$ only | image only | one of $K$ classes **or** "fake" ($K + 1$ outputs) |
#
# * In the **cGAN**, D judges the pair (image, label): a real trouser labelled "sneaker" is
#   "fake". The label is an *input* on both sides.
# * In **ACGAN**, D never sees the label; it has to infer it. Its last features feed two heads,
#   a sigmoid (real/fake) and a softmax over the classes — a GAN discriminator and an image
#   classifier sharing one body.
# * **InfoGAN** has the same two-headed shape but needs no labels: the code $c$ is random and G
#   is rewarded when D's extra head can read it back (maximising mutual information). The code
#   often *discovers* the classes on its own (chapter 3).
# * The **semi-supervised GAN** is built to get a *classifier* out of few labels: the fakes are
#   an extra "class $K+1$", and the generator is only a helper.
#
# ### From chapter 1 to a conditional GAN
#
# The shortest step from chapter 1's DCGAN to a GAN you can ask for a class is the **conditional
# GAN** (Mirza & Osindero 2014): give the label to *both* players. G gets it next to its noise;
# D gets it next to the image and still answers one question — "is this a real image **of this
# class**?". The losses are chapter 1's, with $y$ added to every call:
#
# $$\mathcal L_D = \operatorname{BCE}\big(D(x, y) \to 1\big) + \operatorname{BCE}\big(D(G(z, y), y) \to 0\big),
# \qquad \mathcal L_G = \operatorname{BCE}\big(D(G(z, y), y) \to 1\big).$$
#
# How does a label enter a convolutional D? Concatenating it as extra image channels works; the
# usual modern way is a **projection** (Miyato & Koyama 2018). D's convolutional body turns the
# image into a feature vector $\phi(x)$, and the label picks a learned vector $e_y$ of the same
# length:
#
# $$D(x, y) = \sigma\big(w^\top \phi(x) + b + e_y^\top \phi(x)\big).$$
#
# The first part is an unconditional "real or fake"; the dot product $e_y^\top\phi(x)$ is how
# much the image looks like class $y$ in D's eyes. A real trouser shown with the label "sneaker"
# should score low — so a G that ignores its label is caught *only* through that dot product.
#
# `ganlib.cgan` builds exactly this on the chapter's networks: the generator is ACGAN's (next
# sections), D's body is ACGAN's discriminator without its heads, and the trainer is ACGAN's
# with two losses swapped. Everything but how the label reaches D is shared, so §11 can compare
# the two at equal budget.

# %%
show(cgan.build_discriminator)
show(cgan.CGAN.discriminator_verdicts)
show(cgan.CGAN.generator_verdict)

# %% [markdown]
# ACGAN, next, keeps the label *out* of D and asks D to **name** the class instead. §11 trains
# both (and a third run in between) and measures what that change buys.
#
# ## 2. The objective
#
# With $S$ the *source* (real or fake) and $C$ the class, the ACGAN paper writes two
# log-likelihoods:
#
# $$L_S = \mathbb{E}\left[\log P(S=\text{real} \mid X_\text{real})\right] + \mathbb{E}\left[\log P(S=\text{fake} \mid X_\text{fake})\right]$$
# $$L_C = \mathbb{E}\left[\log P(C=c \mid X_\text{real})\right] + \mathbb{E}\left[\log P(C=c \mid X_\text{fake})\right]$$
#
# **D maximises $L_S + L_C$**: tell real from fake, and classify *both* real images (true labels)
# and fakes (the label G was asked for). **G maximises $L_C - L_S$**: fool the source head, and
# make images whose class D recognises. The two players *agree* on $L_C$ — both want fakes that
# look like their class. In practice both sides minimise cross-entropies: D minimises
# BCE(real → 1, fake → 0) + CE(class), and G uses the non-saturating form of chapter 1,
# BCE(fake → "real") + CE(requested class).
#
# **Why the auxiliary task helps.** The class head gives G a second, *cooperative* signal:
# even when the source head has become confident, the class head still points G towards
# "more trouser-like" for a trouser request, so G rarely receives no useful gradient. And it
# splits one hard problem ("any plausible garment") into ten easier ones: G cannot collapse to a
# single good-looking item, because every batch asks for all ten classes and D checks each one.
# Odena et al. found that this extra structure let them train larger, higher-resolution models
# than before. The price: G is rewarded for images that are *easy to classify*, which can make
# samples within a class less varied than the real ones.

# %% [markdown]
# ## 3. Data
#
# As the tutorial, we train on the 60,000 Fashion-MNIST training images *with their labels*.
# `make_dataset(images, labels)` yields `(images, labels)` batches — the labels are what the
# discriminator's class head learns from.

# %%
# NBVAL_IGNORE_OUTPUT
images, labels = acgan.load_images(DATASET)
print(f"{len(images)} images of shape {images.shape[1:]}, labels {labels.min()}..{labels.max()}")
print("images per class:", np.bincount(labels, minlength=10))

# %%
per_class = np.concatenate([images[labels == k][:10] for k in range(10)])
viz.show_grid(per_class, ncols=10, row_labels=CLASS_NAMES, title="ten real images per class", size=7)
plt.show()

# %% [markdown]
# The discriminator takes half batches: 32 real images (with labels) and 32 fakes in each
# update; the generator then trains on a full batch of 64 fakes.

# %%
dataset = data.make_dataset(images, labels, batch_size=acgan.BATCH_SIZE // 2, scale="tanh", seed=SEED)
dataset.element_spec

# %% [markdown]
# ## 4. The two networks
#
# **Generator.** Two inputs. The noise $z$ (100 normal numbers) goes through a dense layer to a
# 7×7×`base_filters` volume (`noise_map` in the summary below: 128 channels in the `class`
# recipe this run uses, 384 in the tutorial's; §6 says why). The label goes through an
# `Embedding` (a learned 50-number vector per class), a dense layer to 49 numbers, and is
# reshaped to **one extra 7×7 channel** (`label_map`). The two are concatenated
# (7×7×(`base_filters` + 1)) and upsampled twice with 5×5 transposed convolutions: to
# 14×14×`up_filters` (64 here, 192 in the tutorial), then to 28×28×1.
# (The code below builds "concatenate, then one transposed convolution" as two transposed
# convolutions, `noise_up` on the noise map and `label_up` on the label map, whose outputs are
# added by `merge`: a transposed convolution is linear in its input, so this is the same function
# — it only runs faster on some CPUs; `build_generator`'s comment says why.)
#
# **Discriminator.** A DCGAN-style CNN — strided 3×3 convolutions instead of pooling, batch
# norm, LeakyReLU, heavy dropout (0.5); the tutorial's 32-64-128-256 filters scaled by `width`
# (the `class` recipe's `d_width`, §6) — whose flattened features feed *two* heads: `source`
# (1 sigmoid unit) and `class` (10 softmax units). All weights start from $\mathcal N(0, 0.02)$.
# The last layers run in float32 even under bfloat16, so losses stay precise.

# %%
show(acgan.build_generator)
show(acgan.build_discriminator)

# %%
gan = acgan.make_acgan(seed=SEED, **acgan.recipe(SCHEDULE))
gan.generator.summary()
gan.discriminator.summary()

# %% [markdown]
# ## 5. Three ways to give a generator its label
#
# This tutorial's generator is one of several designs; two other well-known ACGAN codes condition
# differently. All three learn the same thing — "draw class $c$" — but the label enters with a
# different weight:
#
# | | this tutorial (Fashion-MNIST) | Keras-GAN style (MNIST) | Atienza, *Advanced Deep Learning with Keras* (MNIST) |
# |---|---|---|---|
# | label encoding | `Embedding(10, 50)` → Dense 49 → one 7×7 channel | `Embedding(10, 100)` — one vector per class, same length as $z$ | one-hot vector of length 10 |
# | combined with the noise | **concatenated as a feature map** beside the noise channels (384 in the tutorial, 128 in this chapter's `class` recipe) | **multiplied** element-wise into $z$: `multiply([z, embed(c)])` | **concatenated** to $z$: a 110-number input |
# | G's body | Dense → 7×7×384, 2 transposed convs | Dense → 7×7×128, upsample + conv ×2 | Dense → 7×7×128, BN-ReLU-ConvT ×4, sigmoid output |
# | D's class loss | sparse categorical CE (integer labels) | sparse categorical CE | categorical CE on one-hot labels |
# | optimiser | Adam 2e-4, β₁ 0.5 for both | Adam 2e-4, β₁ 0.5 | **RMSprop** 2e-4 (D) and 1e-4 (G), tiny decay |
#
# * **Multiplying** the embedding into the noise scales every noise coordinate by a
#   class-specific factor: the label reaches *all* of G's first layer, and the same $z$ lands in
#   a different region of G's input space for each class. It is compact but entangles noise and
#   class (a noise coordinate near zero erases that part of the label).
# * **Concatenating a one-hot** is the most explicit: the first dense layer has ten columns of
#   weights that are exactly "the class's contribution". Atienza trains with RMSprop, whose
#   per-weight step sizes he found to converge more easily for ACGAN's D than Adam with momentum.
# * **A label channel** (this tutorial) keeps the label spatial: the 7×7 map can say *where*
#   the class's features go. But in the tutorial it is 1 channel among 385 — a weak voice at
#   the start of training, one reason the tutorial's recipe learns the classes slowly (see §6).
#
# The next cell builds the three conditioning inputs side by side on a batch of four labels:

# %%
z = keras.random.normal((4, acgan.LATENT_DIM), seed=0)
c = np.array([0, 1, 7, 9])
embed_channel = keras.layers.Reshape((7, 7, 1))(keras.layers.Dense(49)(keras.layers.Embedding(10, 50)(c)))
embed_times_z = keras.layers.Multiply()([z, keras.layers.Embedding(10, acgan.LATENT_DIM)(c)])
onehot_concat = keras.layers.Concatenate()([z, keras.ops.one_hot(c, 10)])
for name, t in [("tutorial: label channel beside the 7x7x384 noise map", embed_channel),
                ("Keras-GAN: embedding * z", embed_times_z),
                ("Atienza: [z, one-hot]", onehot_concat)]:
    print(f"{name:<55} {tuple(t.shape)}")

# %% [markdown]
# ## 6. The training step and the `class` recipe
#
# `ACGAN` is a small subclass of the shared trainer (chapter 1): it draws `[noise, labels]` as
# G's input and scores both heads. Each step, D is updated on 32 real images (true labels) and
# 32 fakes (random requested labels), in **two separate batches** so BatchNorm never mixes real
# and fake statistics; then G is updated on 64 fakes. Each update touches only its own player's
# variables.
#
# **D's BatchNorm during G's update.** G is scored by D in *training* mode
# (`discriminate_for_generator`): D's BatchNorm layers normalise G's batch of fakes by that
# batch's own statistics — exactly how D itself was trained, on fake batches of their own. In
# inference mode D would normalise by its moving averages, which mix real and fake batches: a
# different function from the D that is being trained, and G would learn to fool a discriminator
# nobody trains. Running a BatchNorm layer in training mode also updates its moving averages,
# so the method saves them before the call and puts them back after it: G's update still
# changes no variable of D. (The tutorial's Keras 2 composite model did the same.)

# %%
show(acgan.ACGAN.generator_inputs)
show(acgan.ACGAN.discriminator_loss)
show(acgan.ACGAN.discriminator_verdicts)
show(acgan.ACGAN.discriminate_for_generator)
show(acgan.ACGAN.generator_loss)
show(acgan.ACGAN.generator_verdict)

# %% [markdown]
# **Why `class` mode does not run the tutorial's recipe.** The tutorial trains 100 epochs
# (93,700 steps); on a 2-core CPU its generator is so slow that ten minutes buy only a small
# fraction of them. Measured with the independent classifier of §10 while we chose the
# recipe, the tutorial's recipe after a few thousand steps put far too few samples in the
# requested class for the bars of §10. Four
# changes, each with a reason (and a fifth, for speed):
#
# 1. **A slimmer generator**: 128 noise channels and 64 filters instead of 384 and 192. The big
#    transposed convolution dominates the cost (385 × 192 × 25 weights applied at 14×14), so this
#    is several times fewer generator multiply-adds (about 9× in that convolution) and more
#    steps per minute. It also makes the
#    label channel 1 of 129 inputs instead of 1 of 385.
# 2. **D's class head learns from real images only** (`fake_class_weight=0`). In the tutorial D
#    is also trained to classify the *fakes* by the label G was asked for. Early on that lets the
#    two players agree on a private code — "class 1 is this blob" — that D reads perfectly and no
#    one else does: in our first tuning runs G's class loss fell close to zero while the independent
#    classifier recognised few of the samples (the solutions measure it, exercise 1). A class
#    head that only ever saw real garments can only be satisfied by images that look like them.
# 3. **A heavier class term for G**: $L_G = L_S + 2\,L_C$, so G commits to the requested class
#    early, before the image details are fine.
# 4. **A mode-seeking term** (Mao et al. 2019, "MSGAN"). The class term rewards images that are
#    *easy to classify*, and the easiest trouser is the same trouser every time: with changes
#    1–3 alone, each class shrank to a few items in our tuning runs. So half of each G batch asks
#    for the same classes as the other half, with fresh noise, and G also minimises
#    $$\mathcal L_\text{ms} = \Big(\frac{\operatorname{mean}|G(z_1, c) - G(z_2, c)|}{\operatorname{mean}|z_1 - z_2|} + \epsilon\Big)^{-1},$$
#    which is large when two noise vectors give the same image, weighted by
#    $\lambda_\text{ms} = 2$ (`lambda_ms`; the `ms_loss` of the progress bar and the history).
# 5. **A discriminator at half the tutorial's width** (`d_width=0.5`: 16-32-64-128 filters).
#    Once the generator is slim, D's two updates a step cost most of the time; halving its
#    filters quarters most of its multiply-adds. This keeps the chapter short on a CPU without
#    bfloat16 units; the seed table of §10 says whether the bars still hold with it
#    (`benchmarks/speed_acgan_dwidth.py` times the widths side by side).
#
# How we chose: each change was tried in short runs scored by the class accuracy of §10
# (bfloat16 on a 2-core CPU). With D still classifying fakes, the accuracy swung widely from one
# evaluation to the next; the real-only class head with $L_S + 2\,L_C$ made it climb steadily.
# The mode-seeking weight `lambda_ms` and the number of steps were then chosen on seeds the
# notebook does not use, by the variety of the least varied class (§10; 1 = as varied as the
# real class) together with the class accuracy: a larger weight buys variety and costs
# accuracy. Those choices were made with the tutorial's full-width D; the half-width D came
# last. At the step count chosen with the full-width D, the half-width recipe missed the
# worst-class bar of §10 on the median of three seeds
# (`benchmarks/results/experiments/quality_class_seeds_acgan_family_6000.txt`), so the number of
# steps was raised once more, for all three runs of §11 alike. At that step count the least
# varied class fell under its bar instead, so the mode-seeking weight was raised to the value
# printed below, again for all three runs (the table before:
# `benchmarks/results/experiments/quality_class_seeds_acgan_family_ms15.txt`). The recipe's own
# three-seed figures are printed in §10, not typed here. So `class` runs `SCHEDULE["steps"]`
# generator steps (printed below); the training cell's progress bar shows the time left on your
# machine.
#
# The `full` run mode keeps the tutorial's recipe exactly (`acgan.SEED_RECIPE`).

# %%
# NBVAL_IGNORE_OUTPUT
print("this run:", SCHEDULE)
print("tutorial:", acgan.SEED_RECIPE, "for", acgan.SCHEDULES["full"]["steps"], "steps")

# %% [markdown]
# ## 7. Training
#
# `viz.SampleGrid` redraws G's output for a **fixed** set of noise vectors, one column per class:
# each row is one noise vector, so you can watch a row become ten garments that share a style.
# `training_callbacks` stops on a NaN loss and backs up the run after every interval. One
# progress bar covers the whole run, with the time spent and the time left; re-running the cell
# resumes an interrupted training, and a finished one is loaded (the cell says so) — delete its
# run folder to start over.

# %%
# NBVAL_IGNORE_OUTPUT
config.describe_run(SCHEDULE)
rows = 4
fixed_noise = np.random.default_rng(SEED).standard_normal((rows, acgan.LATENT_DIM)).astype("float32")
fixed_inputs = [np.repeat(fixed_noise, 10, axis=0), np.tile(np.arange(10, dtype="int32"), rows)[:, None]]
samples = viz.SampleGrid(fixed_inputs, every=SCHEDULE["sample_every"], ncols=10, size=6)
epochs = SCHEDULE["steps"] // SCHEDULE["log_every"]
run_folder = runs.run_dir("02_acgan")
history = gan.fit(dataset, epochs=epochs, steps_per_epoch=SCHEDULE["log_every"], verbose=1,
                  callbacks=training_callbacks(run_folder) + [samples])

# %% [markdown]
# **The training strip.** The run folder keeps a picture of G's output for the same fixed
# inputs after every logging interval; `strip.png` puts up to eight of them one under another,
# the untrained generator (step 0) first, each labelled by its step. In each frame, column $k$
# asks for class $k$ and each of the two rows keeps one noise vector: follow a column down
# the frames to see when
# that class becomes recognisable, and compare the columns of one frame to see when the label
# starts to matter.

# %%
# NBVAL_IGNORE_OUTPUT
runlog.show_strip(run_folder);

# %% [markdown]
# ## 8. Loss curves and samples
#
# Left: the totals each player minimises. Right: the two parts separately. The **class** terms
# should *fall*: D's class loss is a plain classification loss on real garments (this recipe
# trains the class head on real images only), and G's class loss dropping means D's class head
# recognises the class G was asked for.
#
# The **source** terms are where to look for the balance of the real/fake game. If D could not
# tell real from fake, both would sit near $\ln 2 \approx 0.69$ (D answering ½ everywhere).
# $d\_source$ well *below* that and $g\_source$ well *above* it — several times larger — would
# mean that **D wins the real/fake game**: it rejects G's fakes confidently, and G keeps losing
# that part of its objective. A falling $g\_class$ at the same time would mean that G wins the
# class term: its images are read as the class it was asked for, so what moves G towards
# recognisable garments is then mostly the class head — the cooperative signal of §2 — rather
# than a close real/fake contest. The cell after the plot prints the last interval's values,
# divides the two source terms by $\ln 2$, and reads them: an even game when both ratios lie
# within half of 1, D ahead when $g\_source$'s ratio is $> 3/2$ and $d\_source$'s $< 1$.

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 2, figsize=(12, 3.5))
viz.plot_history(history, ["d_loss", "g_loss"], ax=axes[0], steps_per_epoch=SCHEDULE["log_every"],
                 title="total losses")
viz.plot_history(history, ["d_source", "g_source", "d_class", "g_class"], ax=axes[1],
                 steps_per_epoch=SCHEDULE["log_every"], title="source (real/fake) and class terms")
for ax in axes:
    ax.set_ylabel("loss (mean per logging interval)")
axes[1].axhline(np.log(2), ls=":", c="gray", label="ln 2: D cannot tell real from fake")
axes[1].legend()
plt.show()

# %%
# NBVAL_IGNORE_OUTPUT
last = {k: float(history.history[k][-1]) for k in ("d_source", "g_source", "d_class", "g_class")}
print("last logging interval:", "  ".join(f"{k} {v:.3f}" for k, v in last.items()))
g_ratio, d_ratio = last["g_source"] / np.log(2), last["d_source"] / np.log(2)
print(f"g_source / ln 2 = {g_ratio:.1f}   d_source / ln 2 = {d_ratio:.1f}")
if abs(g_ratio - 1) <= 0.5 and abs(d_ratio - 1) <= 0.5:
    print("reading: both near 1, an even real/fake game in the last interval")
elif g_ratio > 1.5 and d_ratio < 1:
    print("reading: D wins the real/fake game in the last interval; what moves G towards "
          "its classes is then mostly the class term")
else:
    print("reading: neither an even game nor D clearly ahead in the last interval")

# %% [markdown]
# Ten fresh samples per class — row $k$ asks for class $k$:

# %%
# NBVAL_IGNORE_OUTPUT
grid_labels = np.repeat(np.arange(10), 10)
grid = gan.generate(labels=grid_labels, noise=np.random.default_rng(0).standard_normal((100, 100)))
viz.show_grid(grid, ncols=10, row_labels=CLASS_NAMES, size=7,
              title=f"ACGAN samples after {gan.generator_steps} generator steps")
plt.show()

# %% [markdown]
# **Reading the grid.** Check that every row is its class, and whether the items within a row
# differ — sleeve lengths, collars, light and dark garments, high and low shoes — which is the
# mode-seeking term's job (§6). Note which rows look cleanest and which hold smudged or
# ambiguous items (thin sandal straps, bags that look like a folded top), then compare your
# reading with the per-class accuracy of the independent classifier of §10.

#
# ## 9. Play with it
#
# The demo below is live in a running notebook: pick a class, change the number of samples or
# the seed, press **new noise**. The middle grid keeps the noise fixed along each row and changes
# only the class — ACGAN learns a noise representation that is (mostly) independent of the label,
# so a row often shares stroke weight, size or brightness across classes. The slider at the bottom
# walks in a straight line between two noise vectors, keeping the class.
#
# (A picked class outside 0–9 is refused: `demo.set_class(12)` leaves the grids alone and explains
# next to the class menu.)

# %%
# NBVAL_IGNORE_OUTPUT
demo = ACGANDemo(gan, CLASS_NAMES, count=16, seed=SEED)
demo.widget

# %% [markdown]
# Without a running kernel (on GitHub, say) the demo above shows nothing; here are its three
# views as ordinary figures, as they are drawn when the demo opens:

# %%
# NBVAL_IGNORE_OUTPUT
widgets.show_static(demo);

# %%
demo.set_class(12)
print(demo.class_message.value)

# %% [markdown]
# ## 10. Evaluate: does a classifier agree?
#
# Losses do not tell us whether a "trouser" request yields a trouser. We ask an **independent**
# classifier — a small CNN trained on the real Fashion-MNIST images (`ganlib.metrics`, shipped in
# `data/`; `data/README.md` gives its accuracy on the 10,000 real test images) — to label 200 samples per class, and count how
# often it names the requested class. It is an honest judge: it never saw a generator, and D's
# own class head is not used.

# %%
# NBVAL_IGNORE_OUTPUT
n_per_class = 200
eval_labels = np.repeat(np.arange(10), n_per_class)
fakes = gan.generate(labels=eval_labels, noise=np.random.default_rng(1).standard_normal((len(eval_labels), 100)))
acc = metrics.class_accuracy(fakes, eval_labels, DATASET)
print(f"class accuracy: {acc['overall']:.1%} of {len(fakes)} samples land in the requested class")
fig, ax = plt.subplots(figsize=(8, 3))
ax.bar(CLASS_NAMES, acc["per_class"] * 100)
ax.axhline(acc["overall"] * 100, color="k", ls="--", lw=1, label=f"overall {acc['overall']:.0%}")
ax.set_xlabel("requested class")
ax.set_ylabel("% classified as requested")
ax.set_ylim(0, 100)
ax.tick_params(axis="x", rotation=45)
ax.legend()
plt.show()

# %% [markdown]
# **Fréchet distance** (FD) compares the *distribution* of samples with real images, in the
# classifier's 128-feature space (the FID recipe with our small classifier instead of Inception).
# Lower is better; the distance between two sets of real images sets the floor. Numbers are only
# comparable with the same classifier and sample sizes.

# %%
# NBVAL_IGNORE_OUTPUT
(_, _), (x_test, y_test) = data.load_dataset(DATASET, verbose=False)[0]
real_a, real_b = x_test[:1000], x_test[1000:2000]
fd_fake = metrics.frechet_distance(fakes[::2], real_a, DATASET, scale_a="tanh")
fd_real = metrics.frechet_distance(real_b, real_a, DATASET)
print(f"FD(ACGAN samples, real test images) = {fd_fake:.2f}")
print(f"FD(real test images, other real test images) = {fd_real:.2f}  (the floor)")

# %% [markdown]
# **Variety within a class.** A generator can please the classifier by drawing one good trouser
# over and over. `metrics.diversity_ratio` measures how varied each class is: the mean distance
# between the classifier's features of two samples of the class, divided by the same for real
# images of that class — 1 means as varied as the real class, near 0 one item repeated.
#
# We hold the chapter's run to three bars: the overall class accuracy, the class accuracy of
# the worst class, and the within-class variety of the least varied class, each with a minimum.
# The cell prints each bar's minimum, this run's value and whether this run meets it.

# %%
# NBVAL_IGNORE_OUTPUT
div = metrics.diversity_ratio(fakes, eval_labels, x_test[:2000], y_test[:2000], DATASET)
print("variety within each class, generated / real:")
print("  " + ", ".join(f"{name} {r:.2f}" for name, r in zip(CLASS_NAMES, div["per_class"])))
bars = [("class accuracy >= 90 % overall", acc["overall"] >= 0.9,
         f"{acc['overall']:.1%}"),
        ("class accuracy >= 80 % in every class", np.nanmin(acc["per_class"]) >= 0.8,
         f"lowest {np.nanmin(acc['per_class']):.1%} ({CLASS_NAMES[int(np.nanargmin(acc['per_class']))]})"),
        ("variety >= 0.6x the real class's in every class", div["min"] >= 0.6,
         f"lowest {div['min']:.2f}")]
for what, ok, value in bars:
    print(f"{'met    ' if ok else 'NOT met'}  {what}: {value}")

# %% [markdown]
# One run is one draw, and the variety of the least varied class moves by several hundredths
# from seed to seed. The same recipe was trained on three seeds this notebook does not use and
# measured the same way, on 2,000 samples, together with the two runs of §11
# (`python benchmarks/quality.py --mode class --chapters cgan,acgan,acgan-noaux --seeds 1,2,3`;
# table in `benchmarks/results/quality_class_seeds_acgan_family.txt`). The chapter's bars are
# judged on the medians. The last line printed is for scale: how often the same classifier names
# real test garments of its hardest class correctly. A worst-class bar near that figure asks
# the generated garments of that class to be as recognisable as real ones, or more:

# %%
# NBVAL_IGNORE_OUTPUT
FAMILY = compare.load_seed_rows("acgan_family")   # benchmarks/results/quality_class_seeds_acgan_family.json
seeds = compare.seed_summary(FAMILY)
for measure, bar in (("class acc", 0.9), ("worst class acc", 0.8), ("variety min", 0.6)):
    med, lo, hi, n = seeds["acgan"][measure]
    print(f"{'met    ' if med >= bar else 'NOT met'}  {measure:<16} median {med:.3f} [{lo:.3f}-{hi:.3f}]"
          f" over {n} seeds, at least {bar} wanted")
# the same classifier on real test garments: how well it names each real class (a ceiling for
# what it can confirm of generated ones, though generated images may be more typical than real)
(_, _), (real_x, real_y) = data.load_dataset(DATASET, verbose=False)[0]
real_acc = metrics.class_accuracy(real_x[:2000], real_y[:2000], DATASET)["per_class"]   # uint8 images
low = int(np.nanargmin(real_acc))
print(f"for scale: the classifier names {real_acc[low]:.1%} of real test images of its hardest class "
      f"({CLASS_NAMES[low]}) correctly, {np.nanmean(real_acc):.1%} over all ten")

# %% [markdown]
# ### What more training gives
#
# The `class` run stops after `SCHEDULE["steps"]` generator steps. A longer reference run
# ships with the project in `data/pretrained/02_acgan` (the generator
# `MODE = "pretrained"` loads; `data/README.md` says how it was made): the same recipe but for
# two settings of its day, the tutorial's full-width discriminator instead of the fifth change
# of §6 and a lighter mode-seeking weight than this run's. The next cell trains
# nothing: it puts that generator into a fresh ACGAN (`chapters.load_reference`) and measures
# it exactly as this run was measured above — the same 2,000 labels and noise vectors, the same classifier, the same
# test images — then draws the grid of section 8 (same labels, same noise) from it.

# %%
# NBVAL_IGNORE_OUTPUT
ref_gan, ref_about = chapters.load_reference("02_acgan")   # data/pretrained/02_acgan
print("reference run:", ref_about["made"])
ref_fakes = ref_gan.generate(labels=eval_labels,
                             noise=np.random.default_rng(1).standard_normal((len(eval_labels), 100)))
ref_acc = metrics.class_accuracy(ref_fakes, eval_labels, DATASET)
ref_div = metrics.diversity_ratio(ref_fakes, eval_labels, x_test[:2000], y_test[:2000], DATASET)
print(compare.side_by_side({
    f"this run ({gan.generator_steps})": {
        "class accuracy": acc["overall"], "lowest class accuracy": np.nanmin(acc["per_class"]),
        "lowest variety": div["min"], "FD": fd_fake},
    f"reference ({ref_about['steps']})": {
        "class accuracy": ref_acc["overall"], "lowest class accuracy": np.nanmin(ref_acc["per_class"]),
        "lowest variety": ref_div["min"],
        "FD": metrics.frechet_distance(ref_fakes[::2], real_a, DATASET, scale_a="tanh")}}))
viz.show_grid(ref_gan.generate(labels=grid_labels, noise=np.random.default_rng(0).standard_normal((100, 100))),
              ncols=10, row_labels=CLASS_NAMES, size=7,
              title=f"the reference run after {ref_about['steps']} generator steps")
plt.show()

# %% [markdown]
# **Reading the comparison.** The table prints the same four measures for this run and the
# reference run, side by side. Compare them row by row: the two accuracy rows and FD say what
# the longer run with the full-width D (and the lighter mode-seeking term) bought in
# recognisable classes and in distribution (remember that FD is lower-is-better), and the "lowest variety" row says whether it bought variety as well or
# whether the least varied class stays near §10's bar on variety at either length. In
# the grid, look at the classes that were weakest in this run (the bars above name the lowest
# class) and compare them with the same rows of §8's grid.

# %% [markdown]
# ## 11. What the auxiliary classifier adds
#
# §6 changed several things at once, so this run alone cannot say what the chapter's own idea —
# D *naming* the class — contributes. Three runs isolate it. All three have the same generator,
# the same discriminator body, the same data, batches, optimisers, mode-seeking term and number
# of steps; only the way the label is used changes:
#
# | run | the label reaches D… | G is rewarded for… |
# |---|---|---|
# | **cGAN** (`02_cgan`, §1) | as an input, by projection | fooling D about "a real image of this class" |
# | **ACGAN** (`02_acgan`, this chapter) | never: D has a class head and must name the class | fooling the source head + the class head naming the requested class |
# | **ACGAN without the class term** (`02_acgan_noaux`, `class_weight=0`) | never: D's class head still learns from real garments | fooling the source head only |
#
# The third run is the control: its D is ACGAN's and learns the same class head, but G never
# hears from it, so G has nothing that ties its label to the image. Whatever the third run does
# better than chance shows what the label input alone gives G; the gap to ACGAN is what the
# auxiliary class term adds; the cGAN shows the other way of putting the label to work.
#
# Each was trained on three seeds with `benchmarks/quality.py` (the table of §10). The seed-1
# generators of the cGAN and the control ship in `data/pretrained/` (made by `quality.py --keep`,
# a `python -m ganlib train` run of the class recipe), so the next cell trains nothing: it draws
# the same labels and noise through this notebook's ACGAN and those two, one column per class.

# %%
# NBVAL_IGNORE_OUTPUT
compared = {"ACGAN (this run)": gan}
for name, title in (("02_cgan", "cGAN"), ("02_acgan_noaux", "ACGAN without the class term")):
    compared[f"{title} ({name}, seed 1)"], about = chapters.load_reference(name)
    print(f"{name}: {about['made']}")
cols_labels = np.tile(np.arange(10), 4)
cols_noise = np.random.default_rng(3).standard_normal((len(cols_labels), acgan.LATENT_DIM))
fig, axes = plt.subplots(3, 1, figsize=(8, 11))
for ax, (name, model) in zip(axes, compared.items()):
    viz.show_grid(model.generate(labels=cols_labels, noise=cols_noise), ncols=10, ax=ax,
                  title=name)
plt.show()

# %% [markdown]
# In each grid, column $k$ asks for class $k$ (T-shirt, trouser, pullover, dress, coat, sandal,
# shirt, sneaker, bag, ankle boot) with four noise vectors. Look for columns that hold the
# wrong garment, and for columns whose four items are the same item.
#
# The measured comparison, over the three seeds (median [min-max]; class accuracy and the worst
# class by the independent classifier of §10, variety of the least varied class, FD), then each
# pair the chapter's argument needs, read from the numbers:

# %%
# NBVAL_IGNORE_OUTPUT
MEASURES = ("class acc", "worst class acc", "variety min", "FD")
print(compare.seed_lines(seeds, names=["cgan", "acgan", "acgan-noaux"], measures=MEASURES))
for other, label in (("acgan-noaux", "ACGAN without the class term"), ("cgan", "cGAN")):
    print(f"\nACGAN against {label}:")
    print(compare.duel_lines(compare.duel(FAMILY, "acgan", other, MEASURES), "ACGAN", label))
chance = 1 / 10
noaux = seeds["acgan-noaux"]["class acc"][0]
print(f"\nwithout the class term, G's samples land in the requested class "
      f"{noaux:.0%} of the time (median; chance is {chance:.0%}): the label input alone "
      + ("ties the image to the class" if noaux > 2 * chance else "does not tie the image to the class")
      + "; the class term is what " + ("adds" if seeds["acgan"]["class acc"][0] > noaux else "does not add")
      + " the rest.")

# %% [markdown]
# **Reading the comparison.** The printed lines say, measure by measure, which run is better on
# the medians and on how many of the three seeds. Two questions to answer from them: is the
# control near chance (nothing but the auxiliary term makes G draw the requested class), and
# does the cGAN's label input reach ACGAN's class accuracy, its variety and its FD? A higher
# class accuracy bought with less variety is the price §2 named; a run that is worse on every
# measure has no such trade-off to weigh.


# %% [markdown]
# ## Exercises
#
# Worked answers: [solutions/02_acgan_solutions.ipynb](solutions/02_acgan_solutions.ipynb).
# Exercises 1–3 change one setting and retrain: each is one `class`-mode run of
# `SCHEDULE["steps"]` generator steps, so about as long as the training cell above took (its
# progress bar printed the time). Write your prediction down *before* you run it. To
# retrain with a changed setting, build the model and train it into a run folder of its own —
# the notebook's folder refuses a run with other settings — for instance:
#
# ```python
# gan = acgan.make_acgan(seed=SEED, **{**acgan.recipe(SCHEDULE), "fake_class_weight": 1.0})
# history = gan.fit(dataset, epochs=epochs, steps_per_epoch=SCHEDULE["log_every"], verbose=1,
#                   callbacks=training_callbacks(runs.run_dir("02_acgan_fake_class")))
# ```
#
# and then re-run the cells of §8 and §10.
#
# **1. The tutorial's class head (one switch).** Train with `fake_class_weight=1.0`, as the
# tutorial does: D's class head then also learns to classify the *fakes* by the label G was
# asked for. Predict before you run: will G's class loss (`g_class`) end lower or higher than
# in the run above? And the independent classifier's class accuracy of §10? What could the class
# head learn from fakes that it cannot learn from real garments?
#
# **2. How loud is the class term? (one number).** G minimises
# $L_S + \text{class\_weight}\cdot L_C$, with `class_weight=2` in the `class` recipe (1 in the
# tutorial's). Predict what
# `class_weight=0` (G ignores the class head entirely) does to the class accuracy — then check
# your prediction against §11, whose control run is exactly that setting — and what a large
# weight such as 10 might do to the variety of the samples within a class (look at the
# per-class grid of §8 and at the Fréchet distance of §10).
#
# **3. D in inference mode during G's update (one switch).** `make_acgan(...,
# d_training_in_g_step=False)` scores G's fakes with D in inference mode (BatchNorm using its
# moving averages). Using §6's argument, predict what G learns then, and what the losses of §8
# and the samples will look like.
#
# **4. Write G's loss.** Complete
# `my_generator_loss(source_out, class_probs, wanted, class_weight=1.0)`: `source_out` is D's real/fake verdict on the fakes (probabilities,
# shape `(N, 1)`), `class_probs` its class head's softmax output `(N, 10)`, and `wanted` the
# classes G was asked for `(N,)`. Return the non-saturating source term (binary cross-entropy
# towards "real") plus `class_weight` times the categorical cross-entropy of `class_probs`
# against `wanted`, each averaged over the batch — one scalar. (`keras.ops` or NumPy both work;
# clip probabilities away from 0 before taking a log.)

# %%
def my_generator_loss(source_out, class_probs, wanted, class_weight=1.0):
    raise NotImplementedError  # your code here


# %%
check.acgan_generator_loss(my_generator_loss)
check.acgan_generator_loss(lambda s, p, w: my_generator_loss(s, p, w, class_weight=2.0),
                           class_weight=2.0);

# %% [markdown]
# **5. Where the class loss starts.** Before training, D's class head knows nothing, and its
# softmax gives each of the 10 classes about the same probability. Use your function from
# exercise 4 to compute G's class term for a head that outputs exactly $1/10$ everywhere (pass
# `source_out` = 0.5 and `class_weight=1` and subtract the source term, or compute the class term
# alone), and compare it with $\ln 10$ and with the first value of `history.history["g_class"]`
# (the start of §8's curve). Why is that first value an *average* over the first logging
# interval rather than the value at step 0?

# %% [markdown]
# ## Summary
#
# * ACGAN conditions G on a class and asks D to *predict* that class, not to receive it;
#   D maximises $L_S + L_C$, G maximises $L_C - L_S$.
# * The shared class objective gives G a useful gradient even when the real/fake game is
#   lopsided, and forces every class to be drawn.
# * How the label enters G (a feature-map channel, a multiplication into $z$, a concatenated
#   one-hot) changes how strongly it speaks at the start of training.
# * Measure conditional generators with an independent classifier: per-class accuracy shows
#   exactly which classes the generator has not yet learnt.
# * A controlled comparison isolates one idea: the same networks and steps as a conditional GAN
#   (label into D), as ACGAN, and as ACGAN without its class term; §11 prints what the
#   auxiliary classifier adds on this recipe.
#
# The run folder (`runs/class/02_acgan` in `class` mode; test runs get a fresh temporary
# folder) already holds the final generator (`generator.keras`; `keras.saving.load_model` reads it
# without `ganlib`) and the loss history (`history.json`, read by `runs.load_history`).
# Running the training cell again resumes an interrupted run or loads a finished one; to
# train from scratch, delete the folder. The README's *Run folders* section has the details.
