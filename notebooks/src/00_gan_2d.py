# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 0 — The GAN game in a picture: eight Gaussians on a ring
#
# Before chapter 1 trains a GAN on 28×28 images (784 numbers per sample), this chapter plays the
# same game in the **plane**: every real sample is a point $(x_1, x_2)$ drawn from eight small
# Gaussians on a circle, the generator turns 2 random numbers into a point, and the
# discriminator scores points. Two numbers per sample means we can *draw everything*: where the
# fakes are, what the discriminator believes about every point of the plane, and which way the
# generator's loss pushes each fake. The networks are tiny and a run takes seconds, yet the
# training goes through exactly the code of the later chapters (`ganlib.gan.GAN` and its
# `fit()`, the losses of `ganlib.losses`, chapter 5's WGAN-GP class).
#
# **Learning goals.** After this chapter you can
#
# * state the GAN value function and say what each player wants;
# * read a discriminator's surface and a generator's gradient field, and relate them to the
#   optimal discriminator $D^*$;
# * recognise mode collapse in a picture and measure it (how many modes get a fair share);
# * say how a WGAN critic and an LSGAN discriminator differ from the cross-entropy one (chapters 5
#   and 6 build on these pictures);
# * write the two cross-entropy losses yourself.
#
# **Prerequisites.**
#
# * Python and NumPy; a first look at Keras (`Sequential`, `Dense`, `fit`);
# * gradients and gradient descent; what a probability density and a Gaussian are;
# * binary cross-entropy (logistic regression) helps.

# %%
# NBVAL_IGNORE_OUTPUT
import time

import matplotlib.pyplot as plt
import numpy as np

import ganlib  # first: it imports TensorFlow with the start-up log lines muted
from ganlib import check, config, runlog, runs, toy2d, widgets
from ganlib.gan import GAN
from ganlib.show import show
from ganlib.widgets import GANLab

SCHEDULE = config.select(toy2d.SCHEDULES, verbose=False)   # generator steps, log interval, ...
SEED = 0

# %% [markdown]
# ## 1. The game
#
# A GAN has two players:
#
# * the **generator** $G$ maps a noise vector $z \sim p_z$ (here two numbers from a standard
#   normal) to a sample $G(z)$ — here a point of the plane;
# * the **discriminator** $D$ maps a sample $x$ to a number $D(x) \in (0, 1)$, its belief that
#   $x$ is real.
#
# Goodfellow et al. (2014) set them against each other with the value function
#
# $$\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_\text{data}}[\log D(x)] + \mathbb{E}_{z \sim p_z}[\log(1 - D(G(z)))].$$
#
# $D$ raises $V$ by scoring real points near 1 and fakes near 0; $G$ lowers it by making fakes
# that $D$ scores high. For a fixed $G$, whose fakes have density $p_g$, the best discriminator is
#
# $$D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}:$$
#
# near 1 where only real points lie, near 0 where only fakes lie, and $\tfrac12$ where the two
# densities are equal. If $G$ matched the data exactly, $D^*$ would be $\tfrac12$ everywhere.
# In 2-D we can draw $D$ over the plane and compare it with this formula.
#
# In practice $G$ minimises $-\log D(G(z))$ (the *non-saturating* loss: "label the fakes real")
# rather than $\log(1 - D(G(z)))$, whose gradient vanishes while $D$ rejects the fakes easily.
# Both sides take turns: one gradient step of $D$, one of $G$.

# %% [markdown]
# ## 2. The data: eight Gaussians on a ring
#
# `toy2d.sample` draws points from eight Gaussians of standard deviation $\sigma$ = `toy2d.STD`
# whose centres lie on a circle of radius `toy2d.RADIUS`, each mode equally likely. A seed makes
# the draw repeatable.

# %%
show(toy2d.sample)
real = toy2d.sample(20000, seed=SEED)
print(f"{len(real)} points, shape {real.shape}; modes of std {toy2d.STD} on a circle of "
      f"radius {toy2d.RADIUS}")

# %%
fig, ax = plt.subplots(figsize=(4, 4))
ax.scatter(real[:2000, 0], real[:2000, 1], s=2, c="0.4")
ax.scatter(*toy2d.centers().T, marker="x", c="tab:red", label="mode centres")
ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal", title="2,000 real points")
ax.legend(loc="upper left", fontsize=8)
plt.show()

# %% [markdown]
# ## 3. Two tiny networks
#
# $G$: 2 noise numbers → three ReLU layers of 128 units → 2 numbers (no output activation: a
# point can lie anywhere). $D$: a point → three LeakyReLU layers → one sigmoid unit. Both players
# use Adam. `make_toy_gan` puts them into chapter 1's `GAN` class (or chapter 5's `WGANGP`) with
# the loss functions of `ganlib.losses`.

# %%
show(toy2d.build_generator)
show(toy2d.build_discriminator)
show(toy2d.make_toy_gan)

# %% [markdown]
# The training step is the shared one of every chapter: `d_steps` discriminator updates on real
# points and fresh fakes, then one generator update, each applied to its own player's variables
# only.

# %%
show(GAN.alternating_step)

# %% [markdown]
# ## 4. Training
#
# `toy2d.train` builds the GAN, makes a shuffled `tf.data` pipeline of real points and calls
# `fit()`, with the callbacks of every chapter's run folder: backup and resume, TensorBoard logs,
# a loss guard, and pictures of training — here scatter plots instead of image grids. It also
# returns *snapshots*: the generator's points for the same 512 noise vectors at the start and
# after every logging interval. In `class` mode the run folder is `runs/class/00_gan_2d`; run the
# cell again and it loads the finished run instead of training (delete the folder to start over).
#
# **How long it trains.** The environment variable `GANLIB_MODE` picks the schedule: `smoke` (a
# few dozen steps, for the tests), `class` (the default: a few thousand steps, seconds on a
# laptop CPU) or `full` (ten times longer). The training cell prints the mode and the
# precision the networks compute in (`float32` here; the image chapters use `bfloat16` where the
# CPU has units for it), then one progress bar over the whole run.

# %%
show(toy2d.train)

# %%
# NBVAL_IGNORE_OUTPUT
config.describe_run(SCHEDULE)
RUN_DIR = runs.run_dir("00_gan_2d")
t0 = time.time()
gan, history, snaps = toy2d.train("bce", SCHEDULE, seed=SEED, run_dir=RUN_DIR, verbose=1)
print(f"{max(snaps)} generator steps in {time.time() - t0:.1f} s; final losses: "
      f"D {history.history['d_loss'][-1]:.3f}, G {history.history['g_loss'][-1]:.3f}")

# %% [markdown]
# **The training strip** — the run folder's `strip.png`: the generator's points for the same
# noise (red) over real points (grey) at up to eight steps, the untrained generator first. Read
# the frames in the order of their step labels: where the red cloud starts, and how it spreads
# out over the ring.

# %%
# NBVAL_IGNORE_OUTPUT
runlog.show_strip(RUN_DIR);

# %% [markdown]
# ### Watch it live: GAN Lab
#
# The demo below trains the same toy **live**, a few steps per frame, while you watch — after
# Kahng et al.'s *GAN Lab* (2018), but driven by the code of this chapter: `toy2d.LiveGAN` keeps
# §3's networks inside the same `GAN` class, and each update is that class's own (`apply_update`
# on $D$'s or $G$'s variable list, or the whole `alternating_step` above) in a `tf.function`.
#
# * **play / pause**, **step D** (one discriminator update: only the surface moves), **step G**
#   (one generator update: only the fakes move), **step** (both, as `fit()` does), **slow
#   motion** (one $D$ update, then one $G$ update, per frame), **reset**, **steps/frame**;
# * **show**: real points (dark), fake points (yellow), $D(x)$ over the plane (blue: "real"
#   side, red: "fake" side, white at $D = \tfrac12$), $G$'s gradients (the arrows of §6, on one
#   fixed scale: a vanished gradient draws no arrow) and $G$'s manifold (the image of a grid of
#   noise: how $G$ folds the noise plane onto the data plane);
# * the **charts** on the right: both losses, and the fit over steps — the Jensen-Shannon
#   divergence between the histograms of real and fake points on a grid, and the share of modes
#   covered (§4's count) where the data has modes;
# * **settings** that change mid-run: loss, learning rates, $D$ steps per $G$ step, optimizer,
#   noise; the noise dimension and the network sizes rebuild the networks (training starts over);
# * **data**: five presets, or *draw your own* — pick it, then click or drag on the plane to
#   place real points, and press play;
# * **lessons**: one click sets up a run for a later section of this chapter (§7's mode
#   collapse, the vanishing gradients of §1's saturating loss, §8's WGAN critic and LSGAN
#   boundary; chapters 5 and 6 point back to them).
#
# A bad setting (a negative learning rate, zero $D$ steps, an empty drawing) is refused next to
# its control and the run goes on; a run whose losses become non-finite is put back to its last
# good frame and paused. Playing runs between frames on the kernel's event loop, so the other
# cells still run (the demo waits while one does).

# %%
# NBVAL_IGNORE_OUTPUT
lab = GANLab(data="ring", seed=SEED)
lab

# %% [markdown]
# Without a running kernel (on GitHub, say) the demo above shows nothing; here is its default
# view as an ordinary figure — the untrained generator's fakes in a blob, the untrained $D$'s
# surface and $G$'s manifold:

# %%
# NBVAL_IGNORE_OUTPUT
widgets.show_static(lab)
print(lab.reading())

# %% [markdown]
# The same snapshots as a row of ordinary plots, with the number of modes covered at every
# logging interval. A mode counts as covered when at least a quarter of its fair share
# ($\tfrac18$ of the points) lies within $3\sigma$ of its centre:

# %%
show(toy2d.modes_covered)

# %%
# NBVAL_IGNORE_OUTPUT
toy2d.plot_snapshots(snaps, real[:512])
plt.show()
for step, points in snaps.items():
    covered, counts = toy2d.modes_covered(points)
    print(f"step {step:5d}: {covered} of {toy2d.N_MODES} modes covered; "
          f"{counts.sum() / len(points):4.0%} of the points within 3σ of a mode; "
          f"mean distance from the ring {toy2d.distance_to_ring(points):.3f}")

# %% [markdown]
# Compare the printed counts with the panels: the first line is the untrained generator, the
# last the finished run — how many modes it covers and how much of its mass sits on them.

# %% [markdown]
# ## 5. What the discriminator believes: its surface
#
# Below, $D(x)$ for every point of the square, as a filled contour (colour bar on the right),
# with real points (dark) and the final fakes (yellow) on top. The black line is the level
# $D(x) = \tfrac12$: $D$'s decision boundary between "real" and "fake".
#
# Hold it against $D^*(x) = p_\text{data}/(p_\text{data} + p_g)$: where the fakes sit right on
# the real points the two densities are similar and $D$ should hover around $\tfrac12$; far
# from every point both densities are near zero, so $D^*$ is undefined there and the network's
# value is whatever its last layers extrapolate — it carries no information.

# %%
# NBVAL_IGNORE_OUTPUT
fake = snaps[max(snaps)]
toy2d.plot_surface(gan, real[:1000], fake, boundary=0.5,
                   title="D(x) after training (black: D = 0.5)")
plt.show()
d_real = float(np.mean(gan.discriminator(real[:2000], training=False)))
d_fake = float(np.mean(gan.discriminator(fake, training=False)))
print(f"mean D(x) on real points {d_real:.3f}, on fakes {d_fake:.3f}")

# %% [markdown]
# **Live:** in the demo of §4, press **step D** a few times and watch only the surface change;
# then **step G** and watch only the fakes (and the manifold) move, towards the blue side.
# **Slow motion** alternates the two while playing.
#
# The printed means are the summary of the picture: a perfect game would give 0.5 and 0.5, and
# the gap between the two numbers is how much $D$ still tells reals from these fakes.

# %% [markdown]
# ## 6. Where the generator's loss pushes each fake: the gradient field
#
# $G$'s update lowers $-\log D(G(z))$. For each fake point $x$, the arrow below is
# $-\nabla_x\big(-\log D(x)\big) = \nabla_x \log D(x)$: the direction in which moving that single
# point lowers the generator loss fastest — uphill on $D$'s surface. $G$ cannot move points
# one by one; its weights change so that its points move along these arrows as far as its
# weights allow (the chain rule through $G$), which is the push the training strip shows adding
# up over thousands of steps. The arrows are drawn at the first 200 fakes of the untrained
# generator and of the trained one, each on the surface of the $D$ it faces — for the untrained
# one, the trained $D$, to see the field when the fakes are still far from every mode.

# %%
show(toy2d.generator_gradients)

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
toy2d.plot_gradient_field(gan, real[:1000], snaps[0], ax=axes[0], boundary=0.5,
                          title="untrained G's points, trained D (black: D = 0.5)")
toy2d.plot_gradient_field(gan, real[:1000], fake, ax=axes[1], boundary=0.5,
                          title="trained G's points")
plt.tight_layout()
plt.show()


def towards_nearest_mode(points, arrows):
    """Share of arrows with a positive component towards the point's nearest mode centre."""
    c = toy2d.centers()
    nearest = c[np.linalg.norm(points[:, None] - c[None], axis=-1).argmin(1)]
    return float(np.mean(np.sum((nearest - points) * arrows, axis=1) > 0))


for name, points in [("untrained G", snaps[0][:200]), ("trained G", fake[:200])]:
    arrows = toy2d.generator_gradients(gan, points)
    print(f"{name}: mean arrow length {np.linalg.norm(arrows, axis=1).mean():.3g}; "
          f"{towards_nearest_mode(points, arrows):.0%} of the arrows point towards the nearest mode")

# %% [markdown]
# **Live:** the demo's *G's gradients* view draws these arrows at every frame, on one fixed
# scale for all losses; switch the loss to the *saturating G loss* mid-run and watch their
# length (and the readout's mean ‖gradient‖), or press the **vanishing gradients** lesson: a
# $D$ far ahead of $G$, with $\log(1 - D(G(z)))$ as $G$'s loss — the fakes get almost no push
# and stay put until you switch back to the GAN loss.
#
# The printed share says how often "uphill on $D$" is also "towards the nearest mode"; the mean
# length says how strong the push is. Lengths matter: with the cross-entropy loss the push
# depends on how $D$'s surface is *shaped* around a point, not on how far the point is from the
# data — chapter 6 comes back to this.

# %% [markdown]
# ## 7. Mode collapse, and how it looks
#
# A generator can lower its loss by putting all its points where $D$ currently scores highest —
# one or two modes — instead of spreading them over all eight. $D$ then learns to reject that
# spot, $G$ moves on to another, and the pair can chase each other around the ring. That is
# **mode collapse**. One way to provoke it on this toy: let $G$ learn 50 times faster than $D$
# (`toy2d.COLLAPSE`), so that $G$ jumps to $D$'s current favourite region before $D$ has
# adjusted. We train that setting with the same schedule and seed as §4 (no run folder: it is a
# comparison, not a run to keep) and count modes for both.
#
# A picture at the end of training shows *where* the points are, not the chase. So both runs
# also carry a `toy2d.ModeCounts` callback: after every call of the train function it cuts the
# ring into eight sectors, one per mode, and records the share of $G$'s points (the same 1,000
# inputs each time) in each sector. Drawn as modes × steps, a generator that covers the data
# fills every row evenly (an eighth each); one that collapses lights one row at a time, and
# the lit row moves when it hops.

# %%
show(toy2d.ModeCounts._take)

# %%
# NBVAL_IGNORE_OUTPUT
print("collapse setting:", toy2d.COLLAPSE)
chase = {"default (lr 1e-3 for both)": toy2d.ModeCounts(),
         "G learns 50× faster than D": toy2d.ModeCounts()}
t0 = time.time()
_, _, snaps_default = toy2d.train("bce", SCHEDULE, seed=SEED,
                                  callbacks=[chase["default (lr 1e-3 for both)"]])
gan_fast_g, _, snaps_fast_g = toy2d.train("bce", SCHEDULE, seed=SEED,
                                          callbacks=[chase["G learns 50× faster than D"]],
                                          **toy2d.COLLAPSE)
print(f"trained both in {time.time() - t0:.1f} s")
results = {"default (lr 1e-3 for both)": snaps_default[max(snaps_default)],
           "G learns 50× faster than D": snaps_fast_g[max(snaps_fast_g)]}
fig, axes = plt.subplots(1, 2, figsize=(8, 4.2))
for ax, (name, points) in zip(axes, results.items()):
    covered, counts = toy2d.modes_covered(points)
    toy2d.plot_points(ax, points, real[:512], f"{name}\n{covered} of 8 modes covered")
    print(f"{name}: {covered} of {toy2d.N_MODES} modes covered; points per mode {counts.tolist()}, "
          f"{len(points) - counts.sum()} of {len(points)} near no mode")
plt.tight_layout()
plt.show()

# %% [markdown]
# The same two runs over time: each column is one moment of training, each row one mode's
# sector, the colour the share of $G$'s points there.

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(2, 1, figsize=(9, 5.2), sharex=True)
for ax, (name, counter) in zip(axes, chase.items()):
    toy2d.plot_mode_counts(counter, ax, title=name)
plt.tight_layout()
plt.show()
summary = {name: counter.summary() for name, counter in chase.items()}
for name, s in summary.items():
    print(f"{name}, second half of training: the sector with the most points changed "
          f"{s['hops']} times ({s['modes_that_led']} different modes led); on average "
          f"{s['fair_modes']:.1f} of 8 sectors held a fair share (at least half of an eighth) and "
          f"the fullest held {s['largest_share']:.0%}")
healthy, fast = summary.values()
hopped = fast["hops"] >= 3 and fast["modes_that_led"] >= 3 and \
    fast["largest_share"] >= 2 * healthy["largest_share"]
print("Reading:", "the fast generator piles its points into one sector at a time and moves on "
      f"— {fast['hops']} hops — while the default keeps its points spread over the ring: the "
      "chase, drawn." if hopped else "in this run the fast generator did not hop from mode to "
      "mode (see the numbers above): the chase is not guaranteed, it depends on the seed and "
      "the learning rates.")

# %% [markdown]
# **Live:** the **mode collapse** lesson sets the same learning rates in the demo; press play
# and watch the fakes pile up, and the share of modes covered in the lower chart.
#
# Read the counts per mode: a covering generator has all eight counts of similar size; a
# collapsed one has most of its counts at zero and its points piled up in a few places (or in
# between modes, where $D$ happened to score high). The modes × steps picture adds the time
# axis: it shows whether a collapsed generator's points stay on one mode or move from mode to
# mode as $D$ catches up with each (the reading printed with it says which this run did). A
# loss value does not count modes; the pictures and the
# counts do, which is why GAN papers on this toy report modes covered.

# %% [markdown]
# ## 8. The same toy with a WGAN critic and an LSGAN discriminator
#
# Chapters 5 and 6 change the loss. Here is what the change looks like in the plane, on the
# same networks and schedule:
#
# * **WGAN-GP** (chapter 5): $D$ becomes a *critic* with a linear output that maximises
#   $\mathbb{E}[D(\text{real})] - \mathbb{E}[D(\text{fake})]$, kept roughly 1-Lipschitz by a
#   gradient penalty; 5 critic steps per generator step. Its surface is a score, not a
#   probability: no $\tfrac12$ line, and the generator climbs it.
# * **LSGAN** (chapter 6): a linear $D$ trained by least squares towards 1 on real points and 0
#   on fakes; the generator wants its fakes scored 1. The level $D = \tfrac12$ is again the
#   decision boundary.
#
# The arrows are each model's own generator loss gradient, as in §6.

# %%
# NBVAL_IGNORE_OUTPUT
others = {}
for loss in ("wgan-gp", "lsgan"):
    t0 = time.time()
    model, hist, s = toy2d.train(loss, SCHEDULE, seed=SEED)
    others[loss] = (model, s[max(s)])
    covered, _ = toy2d.modes_covered(s[max(s)])
    print(f"{loss}: {max(s)} generator steps (d_steps={model.d_steps}) in {time.time() - t0:.1f} s; "
          f"{covered} of {toy2d.N_MODES} modes covered")

# %%
# NBVAL_IGNORE_OUTPUT
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
model, points = others["wgan-gp"]
toy2d.plot_gradient_field(model, real[:1000], points, ax=axes[0], label="critic score D(x)",
                          title="WGAN-GP: the critic's surface")
model, points = others["lsgan"]
toy2d.plot_gradient_field(model, real[:1000], points, ax=axes[1], boundary=0.5,
                          title="LSGAN: D(x), black line D = 0.5")
plt.tight_layout()
plt.show()

# %% [markdown]
# On the left the critic's values have no fixed range (read the colour bar): what matters is
# their *differences*, which estimate how far fakes are from reals (the Wasserstein distance of
# chapter 5). On the right the LSGAN's $D$ is pulled towards 1 on reals and 0 on fakes, and its
# black line separates the two; a fake on the "real" side still feels a push until $D$ scores
# it exactly 1, which is chapter 6's argument.
#
# **Live:** the **WGAN critic** and **LSGAN boundary** lessons train these two in the demo of §4
# (its colour map is centred at the midpoint of the critic's mean scores on reals and fakes for
# WGAN-GP, at $\tfrac12$ otherwise); switch the loss mid-run to see one surface turn into the
# other.

# %% [markdown]
# ## 9. Exercises
#
# Worked answers: [`solutions/00_gan_2d_solutions.ipynb`](solutions/00_gan_2d_solutions.ipynb).
# Retraining exercises run in a copy of the notebook or a new cell; one `class`-mode training of
# the toy takes seconds (the timings printed in §4 and §7), WGAN-GP's longer (§8).
#
# **Exercise 1 — fewer modes (predict first).** `toy2d.train("bce", SCHEDULE, seed=SEED,
# n_modes=3)` trains on three Gaussians instead of eight (count with
# `toy2d.modes_covered(points, n_modes=3)`). Before running it, write down: will the generator
# cover all three? Will it get there in fewer steps than with eight? Then run it and compare
# with your prediction and with the snapshots of §4.
#
# **Exercise 2 — a faster generator.** §7 made $G$ 50× faster than $D$. Predict what happens
# with a milder gap, `g_lr=5e-3` and $D$ at its default `1e-3`, and with the reverse,
# `d_lr=5e-3`. Train both (one seed each, then a second seed) and count modes. Which side of
# the imbalance is worse for this toy, and why does the loss of the faster player not tell you?

# %% [markdown]
# **Exercise 3 — write the discriminator loss.** $D$ minimises
# $-\tfrac12\big(\mathbb{E}[\log D(x)] + \mathbb{E}[\log(1 - D(G(z)))]\big)$: binary
# cross-entropy with label 1 on real points and 0 on fakes, averaged over the two halves. Fill in
# `my_discriminator_loss(real_out, fake_out)` (both are arrays of $D$'s outputs, shape (N, 1)),
# using `keras.ops` (`ops.log`, `ops.mean`, `ops.clip` to keep the logs finite), then run the
# check.

# %%
from keras import ops


def my_discriminator_loss(real_out, fake_out):
    raise NotImplementedError  # your code here


# %%
check.discriminator_loss(my_discriminator_loss);

# %% [markdown]
# **Exercise 4 — write the generator loss.** The non-saturating generator loss is
# $-\mathbb{E}[\log D(G(z))]$. Fill in `my_generator_loss(fake_out)`. Then, in a copy of the
# notebook, train with both of your losses (after `import keras`): `gan = toy2d.make_toy_gan("bce", seed=SEED)`, then
# `gan.compile(d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
# g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5), d_loss_fn=my_discriminator_loss,
# g_loss_fn=my_generator_loss)` and `gan.fit(toy2d.make_dataset(real), epochs=8,
# steps_per_epoch=250)` — the class schedule, seconds.

# %%
def my_generator_loss(fake_out):
    raise NotImplementedError  # your code here


# %%
check.generator_loss(my_generator_loss);

# %% [markdown]
# **Exercise 5 — more discriminator steps.** `d_steps=k` gives $D$ $k$ updates per generator
# update (each on its own batch). Retrain the collapsing setting of §7 with
# `toy2d.train("bce", SCHEDULE, seed=SEED, d_steps=5, **toy2d.COLLAPSE)` (about five times the
# $D$ work of a §7 run). Predict first: does letting $D$ catch up after each jump of $G$ undo the
# collapse? Count the modes.
#
# **Exercise 6 — the gradient field near a mode.** Look again at the right panel of §6. For a
# fake that sits right on a mode which already has its share of fakes, $D$ is close to
# $D^* \approx \tfrac12$ nearby and flat: what are the arrows' length and direction there, and
# why? What about a fake half-way between two modes? Use `toy2d.generator_gradients` on a few
# points you choose (e.g. a mode centre from `toy2d.centers()` and the midpoint of two) to check
# your answer against the printed arrows.

# %% [markdown]
# ## 10. Summary
#
# * A GAN is a two-player game with value function $V(D, G)$: $D$ scores real points high and
#   fakes low, $G$ moves its fakes to where $D$ scores high. The best $D$ for a fixed $G$ is
#   $p_\text{data}/(p_\text{data} + p_g)$, $\tfrac12$ where the two densities agree.
# * In 2-D the whole game is visible: the fakes over training (training strip and snapshots),
#   $D$'s surface with its $\tfrac12$ boundary, and the gradient field $-\nabla_x$ of the
#   generator loss that pulls each fake uphill on $D$.
# * Mode collapse is $G$ putting its points on a few modes; a picture shows it and a count of
#   modes with a fair share of the points measures it, where the losses do not.
# * A WGAN critic gives an unbounded score surface, an LSGAN discriminator a least-squares
#   surface with a decision boundary at $\tfrac12$: chapters 5 and 6 explain why.
# * All of it runs through the same `GAN` class, `fit()` and run folders as the image chapters
#   that follow; chapter 1 plays this game with 784-dimensional points.
