# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 4 — pix2pix: worked solutions
#
# Answers to the exercises of [`04_pix2pix.ipynb`](../04_pix2pix.ipynb). The retraining
# exercises (1–2) get reasoning, not a training run; the others run in a second or two, and the
# code exercise runs the same `ganlib.check` check as the chapter.

# %%
import ganlib  # first: it imports TensorFlow with the start-up log lines muted
import keras
import numpy as np
import tensorflow as tf

from ganlib import check, pix2pix

# %% [markdown]
# ## Exercise 1 — the L1 weight λ
#
# **λ = 0** (adversarial loss only): nothing ties $G(x)$ to *this* target, only to "a plausible
# map for this photo" as far as the PatchGAN can tell. `g_l1` is still logged but no longer
# optimised, so expect it to stay high or drift, and held-out L1 and PSNR to get worse (SSIM
# likely with them). The translations can look crisp and map-like, with colours and roads that
# need not be where the target has them. Isola et al. found the same with λ = 0 ("cGAN alone"):
# much sharper results, but with visual artefacts.
#
# **λ = 1000**: the adversarial term is now a tenth of a percent of the loss, so G does almost
# pure L1 regression. `g_l1` falls fastest of all runs; pixel measures will be close to an
# L1-only model's (Exercise 2); the pictures get blurrier and greyer where the right output is
# uncertain — the median of the plausible answers.

# %% [markdown]
# ## Exercise 2 — L1 only versus L1 + GAN
#
# L1 only minimises exactly the held-out L1 error's training counterpart, so expect it to match
# or beat the full pix2pix on **L1 and PSNR** (both reward the per-pixel average answer), and to
# lose, if at all, on **SSIM** (local contrast and structure, which a blurred answer lacks) —
# and clearly on the pictures: L1 alone paints flat, washed-out averages where the texture is
# uncertain (roof colours, trees in map → satellite), the adversarial term paints plausible
# detail. That is section 8's warning in action: pixel measures check that the translation is
# *right* and favour blur; whether it is *sharp* needs the pictures (or a learned measure).

# %% [markdown]
# ## Exercise 3 — the tutorial's receptive field
#
# Four stride-2 layers (C64, C128, C256, C512) before the stride-1 C512 and the output
# convolution: $1 + 3\,(1 + 2 + 4 + 8 + 16 + 16) = 142$. With the tutorial's `padding="same"`
# everywhere, 256×256 shrinks by 2⁴ = 16 to a 16×16 grid: 256 patch verdicts per image (the
# paper's 70×70 PatchGAN gives 30×30 = 900 in `ganlib`).

# %%
paper = pix2pix.receptive_field()
tutorial = pix2pix.receptive_field(kernels=(4,) * 6, strides=(2, 2, 2, 2, 1, 1))
assert (paper, tutorial) == (70, 142)
print(f"✓ receptive field: {paper} pixels (paper's PatchGAN), {tutorial} (tutorial's listing); "
      f"tutorial grid at 256×256: {256 // 16}×{256 // 16}")

# %% [markdown]
# ## Exercise 4 — the ½ on D's loss
#
# Multiply every gradient by $c > 0$: $m_t$ becomes $c\,m_t$, $v_t$ becomes $c^2 v_t$, so
# $\hat m_t / \sqrt{\hat v_t}$ is unchanged and $\Delta w$ changes only through ε (1e-7 in
# Keras, negligible next to $\sqrt{\hat v_t}$ unless the gradients are tiny). RMSprop and Adagrad
# normalise the same way. Under plain SGD (or SGD with momentum), $\Delta w = -\alpha g_t$ scales
# with $c$: there the ½ would halve D's learning rate. Ten Adam steps on a toy loss, with and
# without the ½:

# %%
def adam_steps(scale, n=10):
    w = keras.Variable(np.array([0.3, -1.2, 2.0], "float32"))
    opt = keras.optimizers.Adam(2e-4, beta_1=0.5)   # pix2pix's D optimiser
    for _ in range(n):
        with tf.GradientTape() as tape:
            loss = scale * tf.reduce_sum(tf.square(w - 1.0) + tf.cos(3.0 * w))
        opt.apply_gradients([(tape.gradient(loss, w), w)])
    return w.numpy()


diff = float(np.abs(adam_steps(1.0) - adam_steps(0.5)).max())
assert diff < 1e-6, diff
print(f"✓ Adam: 10 steps on loss and on ½·loss end within {diff:.1e} of each other")

# %% [markdown]
# ## Exercise 5 — the generator loss

# %%
def my_generator_loss(fake_out, fake, target):
    """pix2pix's generator loss: BCE(D's patches on fakes → 1) + 100 · mean |target − fake|."""
    p = tf.clip_by_value(tf.cast(fake_out, tf.float32), 1e-7, 1.0 - 1e-7)
    adversarial = -tf.reduce_mean(tf.math.log(p))     # every patch labelled "real"
    l1 = tf.reduce_mean(tf.abs(tf.cast(target, tf.float32) - tf.cast(fake, tf.float32)))
    return adversarial + 100.0 * l1


assert check.pix2pix_generator_loss(my_generator_loss)
