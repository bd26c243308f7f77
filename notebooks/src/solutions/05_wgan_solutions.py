# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 5 — Wasserstein GAN: worked solutions
#
# Answers to the exercises of [`05_wgan.ipynb`](../05_wgan.ipynb). The retraining exercises
# (1–3) get reasoning and a few seconds of arithmetic; exercises 1 and 2 are then measured —
# short runs trained below on one seed, each beside the chapter's recipe at the same budget. The
# code exercises (4–5) run the same `ganlib.check` checks as the chapter.

# %%
import time

import ganlib  # first: it imports TensorFlow with the start-up log lines muted
import keras
import numpy as np
import tensorflow as tf

from ganlib import atienza, check, compare, config, data, metrics, wgan

SCHEDULE = config.select(wgan.SCHEDULES, verbose=False)         # the chapter's clipped WGAN
GP_SCHEDULE = config.select(wgan.GP_SCHEDULES, verbose=False)   # and its WGAN-GP

# %% [markdown]
# ## Exercise 1 — $n_\text{critic}$
#
# (a) A generator step costs one critic update instead of five, so a step is much cheaper (the
# forward and backward passes of the critic dominate). (b) The Wasserstein argument needs the
# critic close to its optimum before each generator step: only then is
# $\mathbb{E}[D(x)] - \mathbb{E}[D(G(z))]$ an estimate of $K \cdot W$ and its gradient the
# gradient of the distance. With one update the critic lags behind the generator, so `w_dist`
# tracks a poorly fitted critic: expect it to be smaller and noisier, and a worse guide to
# progress. (c) The generator follows a worse gradient, so at an equal number of *generator*
# steps expect samples no better and usually worse; at equal *wall time* the comparison is
# fairer and is what you should also look at. Which assumption is weakened: that the critic is
# (near) optimal, i.e. that the supremum in the dual is (nearly) attained.

# %% [markdown]
# ## Exercise 2 — λ, and a factor of ½
#
# With λ = 0 nothing bounds the critic: a linear output can grow its scores without limit, so
# `w_dist` grows and the generator's gradients with it; training typically becomes unstable.
# With λ = 100 the penalty dominates: `gp` is held near 0 (gradient norms pinned at 1), and the
# critic has less freedom to fit the Wasserstein term; `w_dist` stays smaller.
#
# The puzzle: Adam divides each gradient by a running estimate of its own scale, so multiplying
# the *whole* loss by a constant leaves its steps unchanged (up to its ε). Hence
# ½·W + 10·gp trains exactly like 2·(½·W + 10·gp) = W + **20**·gp: the effective λ was 20. For the
# clipped WGAN the loss is ½·W alone, a constant factor on the whole loss, and RMSprop — which
# also divides by a running root-mean-square of the gradient — takes the same steps. A few
# steps of each optimiser on a toy loss show it:

# %%
def steps(optimizer, scale, n=5):
    w = keras.Variable(np.array([1.0, -2.0, 0.5], "float32"))
    for _ in range(n):
        with tf.GradientTape() as tape:
            loss = scale * tf.reduce_sum(tf.sin(w) * w)
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])
    return w.numpy()


for name, make in [("Adam", lambda: keras.optimizers.Adam(1e-3)),
                   ("RMSprop", lambda: keras.optimizers.RMSprop(1e-3))]:
    diff = float(np.abs(steps(make(), 1.0) - steps(make(), 0.5)).max())
    assert diff < 1e-5, diff
    print(f"✓ {name}: 5 steps on loss and on ½·loss end within {diff:.1e} of each other")

# %% [markdown]
# ## Measured: exercises 1 and 2
#
# The next cell trains, on one seed and with no run folder, the runs the two exercises ask about,
# each beside the chapter's recipe at the same budget and widths:
#
# * exercise 1: the clipped WGAN with five critic updates per generator step (the recipe) and
#   with one, for the chapter's `SCHEDULE["steps"]` generator steps;
# * exercise 2: WGAN-GP with λ = 10 (the recipe), 0 and 100, for half of that.
#
# Each run is measured by the generator steps it made (a run whose losses explode is stopped by
# the trainer's loss guard and put back to its last finite state), the seconds it took per
# generator step (tracing included), `w_dist`
# and `gp` over the last logging interval, and FD of 2,000 samples against 2,000 test digits (the
# chapter's §8 measure). The cell after it sets each change against its recipe.

# %%
# NBVAL_IGNORE_OUTPUT
((X_TRAIN, _), (X_TEST, _)), _ = data.load_mnist()
X_TEST = X_TEST[:2000]
NOISE = np.random.default_rng(1).uniform(-1, 1, (2000, atienza.LATENT_DIM)).astype("float32")


def measure(gan, schedule, seed=1):
    """Train `gan` for the schedule's steps (no run folder) and measure it: one row."""
    start = time.perf_counter()
    history = atienza.fit(gan, schedule, images=X_TRAIN, seed=seed).history
    steps = int(gan.generator_steps)   # fewer than asked if the loss guard stopped the run
    row = {"G steps": steps, "s per G step": (time.perf_counter() - start) / max(1, steps),
           "w_dist (last interval)": float(history["w_dist"][-1])}
    if "gp" in history:
        row["gp (last interval)"] = float(history["gp"][-1])
    row["FD"] = metrics.frechet_distance(gan.generate(inputs=NOISE), X_TEST, "mnist", scale_a="sigmoid")
    return row


def clipped_wgan(d_steps, seed=1):
    """Exercise 1's model: the chapter's clipped WGAN with `d_steps` critic updates a G step."""
    config.set_seed(seed)
    return wgan.make_wgan(seed=seed, n_critic=d_steps, **atienza.widths(SCHEDULE))


def wgan_gp(gp_weight, seed=1):
    """Exercise 2's model: the chapter's WGAN-GP with penalty weight `gp_weight`."""
    config.set_seed(seed)
    return wgan.make_wgan_gp(seed=seed, gp_weight=gp_weight, **wgan.recipe(GP_SCHEDULE),
                             **atienza.widths(GP_SCHEDULE))


tf.get_logger().setLevel("ERROR")   # each model's first predict() would note a retracing
every = GP_SCHEDULE["log_every"]   # half the steps, in whole logging intervals
SHORT_GP = dict(GP_SCHEDULE, steps=max(every, GP_SCHEDULE["steps"] // 2 // every * every))
print(f"exercise 1: {SCHEDULE['steps']:,} generator steps each; exercise 2: {SHORT_GP['steps']:,} "
      f"each (the chapter's WGAN-GP: {GP_SCHEDULE['steps']:,}); seed 1")
ex1 = {"n_critic 5 (recipe)": measure(clipped_wgan(wgan.N_CRITIC), SCHEDULE),
       "n_critic 1": measure(clipped_wgan(1), SCHEDULE)}
print(compare.side_by_side(ex1))
ex2 = {f"λ {w:g}" + (" (recipe)" if w == wgan.GP_WEIGHT else ""): measure(wgan_gp(w), SHORT_GP)
       for w in (wgan.GP_WEIGHT, 0.0, 100.0)}
print(compare.side_by_side(ex2))

# %%
# NBVAL_IGNORE_OUTPUT
print("exercise 1, n_critic 1 against 5 (same generator steps and seed):")
for key in ("s per G step", "w_dist (last interval)", "FD"):
    print("   " + compare.against(key, ex1["n_critic 1"][key], ex1["n_critic 5 (recipe)"][key]))
recipe_gp = ex2[f"λ {wgan.GP_WEIGHT:g} (recipe)"]
for name in ("λ 0", "λ 100"):
    print(f"exercise 2, {name} against λ {wgan.GP_WEIGHT:g} (same steps and seed):")
    for key in ("G steps", "w_dist (last interval)", "gp (last interval)", "FD"):
        print("   " + compare.against(key, ex2[name][key], recipe_gp[key]))

# %% [markdown]
# Read each line against the predictions above: which of them the measurement bears out, and
# which it does not. Two cautions: one seed at a short budget is one draw, and `w_dist` is on
# the scale of *its own* critic — a critic with no penalty, or with a different number of
# updates, sets its own scale, so compare `w_dist` within a run (its curve) more than across
# runs; FD is on one scale for all.

# %% [markdown]
# ## Exercise 3 — batch normalisation in the critic
#
# **Clipping no longer bounds the Lipschitz constant.** BatchNorm computes
# γ·(h − μ_B)/σ_B + β, a map of gain γ/σ_B. Clipping bounds γ and β (and the convolution
# weights), but not 1/σ_B: σ_B is set by the *batch*, not by c. Shrinking the convolution weights
# shrinks h and σ_B together, so their effect cancels, and a batch whose features barely vary —
# say, a generator that has collapsed onto near-identical fakes — has a tiny σ_B and an
# arbitrarily large gain. The bound that clipping gives without BatchNorm (a product of
# per-layer weight bounds, depending only on c and the architecture) no longer follows.
#
# **The critic is no longer a function of one image.** In training mode an image's score depends
# on the other images of its batch (through μ_B and σ_B), while the dual asks for one function
# f(x). For WGAN-GP this is worse: the penalty constrains the gradient *per image*, but with
# BatchNorm ∇ₓ̂ D(x̂) also carries the coupling to the batch, so the constraint is not the one the
# theory needs; Gulrajani et al. leave normalisation out of the critic (or use layer
# normalisation, which works per image). `ganlib` already keeps real and fake images in separate
# critic batches, so at least the critic cannot tell them apart by the batch's make-up.
#
# What to expect, then: with clipping, the book reports that training stays stable — the
# gradient's *direction* is what the generator follows, and a larger, batch-dependent K rescales
# it; with the penalty, expect trouble: the constraint it enforces is not the one the theory
# needs. The batch coupling is easy to see on an untrained, clipped critic, in a second:

# %%
def bn_critic():
    critic = keras.Sequential([keras.Input((28, 28, 1))])
    for filters, strides in zip(atienza.D_FILTERS, atienza.D_STRIDES):
        critic.add(keras.layers.LeakyReLU(0.2))
        critic.add(keras.layers.Conv2D(filters, atienza.KERNEL_SIZE, strides=strides,
                                       padding="same"))
        critic.add(keras.layers.BatchNormalization())
    critic.add(keras.layers.Flatten())
    critic.add(keras.layers.Dense(1, dtype="float32"))
    return critic


def clipped(model, c=0.01):
    for v in model.trainable_variables:
        v.assign(tf.clip_by_value(v, -c, c))
    return model


keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.uniform(0, 1, (1, 28, 28, 1)).astype("float32")
mates_a = rng.uniform(0, 1, (7, 28, 28, 1)).astype("float32")
mates_b = rng.uniform(0, 0.3, (7, 28, 28, 1)).astype("float32")
with_bn = clipped(bn_critic())
score_a = float(with_bn(np.concatenate([x, mates_a]), training=True)[0, 0])
score_b = float(with_bn(np.concatenate([x, mates_b]), training=True)[0, 0])
assert abs(score_a - score_b) > 1e-3 * max(abs(score_a), abs(score_b), 1e-6)
print(f"✓ with BatchNorm, the same image scores {score_a:.3e} or {score_b:.3e} "
      "depending on the other images of its batch")

# %% [markdown]
# ## Exercise 4 — the critic loss

# %%
def my_critic_loss(real_out, fake_out):
    """The critic's loss from its scores (N, 1) on real images and on fakes."""
    real_out = tf.cast(real_out, tf.float32)
    fake_out = tf.cast(fake_out, tf.float32)
    return tf.reduce_mean(fake_out) - tf.reduce_mean(real_out)


assert check.critic_loss(my_critic_loss)

# %% [markdown]
# ## Exercise 5 — the gradient penalty

# %%
def my_gradient_penalty(critic, real, fake, eps):
    """WGAN-GP's penalty E[(‖∇D(x̂)‖₂ − 1)²] at x̂ = eps·real + (1 − eps)·fake."""
    x_hat = tf.convert_to_tensor(eps * real + (1.0 - eps) * fake, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x_hat)          # x̂ is a tensor, not a variable: watch it
        out = critic(x_hat)
    grads = tape.gradient(out, x_hat)
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]))   # one norm per image
    return tf.reduce_mean(tf.square(norms - 1.0))


assert check.gradient_penalty(my_gradient_penalty)
