"""GAN losses as small pure functions of the discriminator's outputs.

Every function takes D's outputs on real and/or generated images and returns a scalar.
Outputs are cast to float32 first, so the loss maths stays in float32 under a
mixed-precision policy.
"""
import keras
from keras import ops


def _f32(x):
    return ops.cast(x, "float32")


def bce(target, prob):
    """Mean binary cross-entropy of probabilities `prob` against a constant `target` (0 or 1)."""
    prob = _f32(prob)
    return ops.mean(keras.losses.binary_crossentropy(ops.full_like(prob, target), prob, axis=None))


# ----------------------------------------------------------------- minimax (Goodfellow et al.)
def discriminator_bce(real_out, fake_out):
    """D's cross-entropy on an equal mix of real (label 1) and fake (label 0) images.

    This is the mean over the concatenated batch, as the tutorials' `train_on_batch`
    on `concat(real, fake)` computes it.
    """
    return 0.5 * (bce(1.0, real_out) + bce(0.0, fake_out))


def generator_bce(fake_out):
    """The non-saturating generator loss: -log D(G(z)) (fakes labelled 'real')."""
    return bce(1.0, fake_out)


def generator_saturating(fake_out):
    """The original minimax generator loss E[log(1 − D(G(z)))], which G *minimises*: its
    gradient vanishes where D rejects the fakes confidently (chapter 0's live demo shows it)."""
    prob = ops.clip(_f32(fake_out), 0.0, 1.0 - keras.config.epsilon())
    return ops.mean(ops.log1p(-prob))


# ----------------------------------------------------------------- Wasserstein (Arjovsky et al.)
def wasserstein(y, critic_out):
    """-mean(y * D(x)) with y = +1 for real and -1 for fake, as in the seed's gan.py."""
    return -ops.mean(y * _f32(critic_out))


def critic_wasserstein(real_out, fake_out):
    """The critic's loss E[D(G(z))] − E[D(x)]: minimising it maximises the Wasserstein
    estimate E[D(x)] − E[D(G(z))].

    The sum of the two halves, not their mean, so that WGAN-GP's total loss is exactly the
    paper's E[D(x̃)] − E[D(x)] + λ·GP with λ = 10 (a ½ here would double the effective λ).
    For the clipped WGAN the factor would not matter: RMSprop's step is unchanged (up to its
    ε) when the loss is scaled by a constant.
    """
    return wasserstein(1.0, real_out) + wasserstein(-1.0, fake_out)


def generator_wasserstein(fake_out):
    """The generator's loss −E[D(G(z))]: it wants the critic to score its fakes high."""
    return wasserstein(1.0, fake_out)


# ----------------------------------------------------------------- least squares (Mao et al.)
def discriminator_least_squares(real_out, fake_out):
    return 0.5 * (ops.mean(ops.square(_f32(real_out) - 1.0)) + ops.mean(ops.square(_f32(fake_out))))


def generator_least_squares(fake_out):
    return ops.mean(ops.square(_f32(fake_out) - 1.0))


# ----------------------------------------------------------------- auxiliary heads
def sparse_class_ce(labels, class_probs):
    """Cross-entropy of a softmax class head (ACGAN's L_C, InfoGAN's discrete code)."""
    return ops.mean(keras.losses.sparse_categorical_crossentropy(labels, _f32(class_probs)))


# ----------------------------------------------------------------- diversity (Mao et al. 2019)
def mode_seeking(fake_a, fake_b, z_a, z_b, eps=1e-5, cap=None):
    """MSGAN's mode-seeking term for pairs of samples made with the same condition (code).

    ratio = mean|G(c, z_a) − G(c, z_b)| / mean|z_a − z_b|: how far apart two noise vectors
    land in image space.  A generator that ignores its noise (one image per condition) has
    ratio 0; the loss 1 / (ratio + eps) is large then, and minimising it spreads the images.
    With `cap`, the ratio counts only up to `cap`: pairs already that far apart feel no push
    (the loss is flat there), so the term stops collapse without rewarding ever more distant
    pairs - which, for a class code, means pairs of *different* digits.
    """
    ratio = ops.mean(ops.abs(_f32(fake_a) - _f32(fake_b))) / ops.mean(ops.abs(_f32(z_a) - _f32(z_b)))
    if cap is not None:
        ratio = ops.minimum(ratio, float(cap))
    return 1.0 / (ratio + eps)
