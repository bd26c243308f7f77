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
# exercises (1–2) get reasoning, then the measured outcome: seed tables of `class`-mode runs
# made with `benchmarks/quality.py` (the cells name each file), read here rather than trained
# again. The others run in a second or two, and the code exercise runs the same `ganlib.check`
# check as the chapter.

# %%
import ganlib  # first: it imports TensorFlow with the start-up log lines muted
import keras
import numpy as np
import tensorflow as tf

from ganlib import check, compare, pix2pix


def seed_row(table, row, measures=("ssim", "edge sharpness", "l1")):
    """One run of a seed table: each measure's median [min-max] over its seeds."""
    r = compare.load_seeds(table)[row]
    return ", ".join(f"{m} {r[m][0]:.4g} [{r[m][1]:.4g}-{r[m][2]:.4g}]" for m in measures) + \
        f" ({r['ssim'][3]} seeds)"

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
# L1-only model's (section 8); the pictures get blurrier and greyer where the right output is
# uncertain — the median of the plausible answers.
#
# Measured (`benchmarks/results/quality_class_seeds_pix2pix_lambda.txt`: the chapter's
# satellite → map recipe with `--set l1_weight=0` and `--set l1_weight=1000`, against the
# chapter's λ = 100):

# %%
# NBVAL_IGNORE_OUTPUT
lam = compare.load_seeds("pix2pix_lambda")
for row in sorted(lam):
    print(f"{row:<28} {seed_row('pix2pix_lambda', row)}")
l1w0 = next(r for r in lam if "l1_weight=0" in r)
l1w1000 = next(r for r in lam if "l1_weight=1000" in r)
chapter_ssim = compare.load_seeds("pix2pix")["pix2pix"]["ssim"][0]
print(f"Reading: λ = 0 scores SSIM {lam[l1w0]['ssim'][0]:.3f} on the medians, "
      f"{'below' if lam[l1w0]['ssim'][0] < chapter_ssim else 'not below'} the chapter's λ = 100 "
      f"({chapter_ssim:.3f}); λ = 1000's edge sharpness is {lam[l1w1000]['edge sharpness'][0]:.2f} "
      f"({'below' if lam[l1w1000]['edge sharpness'][0] < 1 else 'not below'} 1: "
      f"{'blurred, as L1 regression' if lam[l1w1000]['edge sharpness'][0] < 1 else 'not blurred'}).")

# %% [markdown]
# ## Exercise 2 — the tutorial's adversarial weight
#
# The adversarial term is what adds edges, so a weight four times the chapter's should add more
# of them: expect edge sharpness **above 1** — more edge contrast than the real maps have, as
# roads get dark rims and flat areas pick up texture. SSIM compares local structure with the
# *true* map, so invented texture costs it: expect SSIM **below L1 alone's**, even though the
# picture looks crisper. Section 8's warning in action: a pixel measure rewards the right
# structure in the right place, and penalises plausible detail in the wrong one; whether the
# output is *sharp* needs the pictures or an edge measure. Measured over seeds at the `class`
# budget (`benchmarks/results/quality_class_seeds_pix2pix_adv1_avx2.txt` for `adv_weight=1`,
# the chapter's table for its recipe and L1 alone):

# %%
# NBVAL_IGNORE_OUTPUT
print(f"{'adv_weight=1 (tutorial)':<26} {seed_row('pix2pix_adv1_avx2', 'pix2pix')}")
print(f"{'the chapter recipe':<26} {seed_row('pix2pix', 'pix2pix')}")
print(f"{'L1 alone':<26} {seed_row('pix2pix', 'pix2pix: L1 alone')}")
adv1 = compare.load_seeds("pix2pix_adv1_avx2")["pix2pix"]
ours = compare.load_seeds("pix2pix")
print(f"Reading: with adv_weight=1 edge sharpness is {adv1['edge sharpness'][0]:.2f} on the "
      f"medians ({'above' if adv1['edge sharpness'][0] > 1 else 'not above'} 1), and SSIM is "
      f"{'below' if adv1['ssim'][0] < ours['pix2pix: L1 alone']['ssim'][0] else 'not below'} "
      f"L1 alone's. (The adv_weight=1 table was measured in float32 on an AVX2 CPU; check the "
      f"chapter table's header for its own precision.)")

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
