"""Wasserstein GAN (Arjovsky et al. 2017) and WGAN-GP (Gulrajani et al. 2017) on MNIST.

Networks: Atienza's generator and a critic with a *linear* output (`ganlib.atienza`).

WGAN, as the book's wgan-mnist-5.1.2.py: Wasserstein loss -mean(y · D(x)) with y = +1 for
real and -1 for fake, i.e. the critic loss E[D(G(z))] − E[D(x)] (`losses.critic_wasserstein`)
and the generator loss −E[D(G(z))]; n_critic = 5 critic updates per generator update, each
followed by clipping every critic weight to ±0.01; RMSprop(5e-5) for both players; batch 64;
40,000 generator steps.

WGAN-GP: the same networks and losses, no clipping; instead the critic loss is the paper's
E[D(G(z))] − E[D(x)] + λ · E[(‖∇D(x̂)‖₂ − 1)²] on random interpolates x̂ between real and
fake images (λ = 10), with Adam(1e-4, β1 = 0.5, β2 = 0.9) and n_critic = 5.
"""
import keras
import tensorflow as tf
from keras import ops

from . import atienza, config, losses
from .gan import GAN

LATENT_DIM = atienza.LATENT_DIM
BATCH_SIZE = atienza.BATCH_SIZE
N_CRITIC = 5
CLIP_VALUE = 0.01
LR = 5e-5
GP_WEIGHT = 10.0
GP_LR = 1e-4
GP_BETA_1 = 0.5
# WGAN-GP's settings (`make_wgan_gp`'s keywords) that a schedule may carry; these defaults are
# the `full` recipe.
GP_RECIPE = dict(lr=GP_LR, beta_1=GP_BETA_1, n_critic=N_CRITIC)
# Per run mode: generator steps, steps per logging interval, sample refresh (in intervals).
# `smoke` also names a small batch (`config.batch_size`): tests spend seconds on it.
SCHEDULES = {
    "smoke": dict(steps=6, log_every=3, sample_every=1, batch_size=16, **atienza.CLASS_WIDTHS),
    "class": dict(steps=500, log_every=25, sample_every=4, **atienza.CLASS_WIDTHS),
    "full": dict(steps=40000, log_every=500, sample_every=1, **atienza.WIDTHS),
}
# WGAN-GP in the notebook: a second run after the WGAN one (shorter in class mode, where
# the notebook's two runs must share ~10 CPU minutes and a GP step costs more).
GP_SCHEDULES = {
    "smoke": SCHEDULES["smoke"],
    # Class budget: the same 500 generator steps as clipping, at twice the paper's learning
    # rate. Measured on seed 1 at the book's widths (benchmarks/quality.py, float32, 2,000
    # images): FD 71.0 at lr 2e-4 vs 74.4 with beta_1 = 0, against LSGAN's 1000-step class run
    # at about 100.  At the class recipe's half widths, seeds 1-3 (quality_class_seeds_wgan.txt):
    # FD 108.0 [99.5-109.7], LSGAN 162.0 [161.5-164.9], clipping 516 [376-540].
    "class": dict(steps=500, log_every=25, sample_every=4, **dict(GP_RECIPE, lr=2e-4),
                  **atienza.CLASS_WIDTHS),
    "full": SCHEDULES["full"],
}
# `pretrained` mode loads data/pretrained/05_wgan and 05_wgan_gp, trained at the book's widths.
SCHEDULES["pretrained"] = dict(SCHEDULES["class"], **atienza.WIDTHS)
GP_SCHEDULES["pretrained"] = dict(GP_SCHEDULES["class"], **atienza.WIDTHS)


class WGAN(GAN):
    """A GAN whose discriminator is a critic; also logs the critic's Wasserstein estimate.

    ``w_dist`` = mean D(real) − mean D(fake): the quantity the critic maximises, an estimate
    (up to the unknown Lipschitz constant K of the clipped critic) of the Earth-Mover distance.
    Without a penalty it is exactly −``d_loss``.
    """

    extra_loss_names = ("w_dist",)

    def discriminator_loss(self, real, labels):
        n = ops.shape(real)[0]
        # G in training mode, as in the base class: the critic must score the same kind of
        # fakes (BatchNorm on batch statistics) that G's own update will produce.
        fake = ops.stop_gradient(self.generator(self.generator_inputs(n, labels), training=True))
        real_out, fake_out = self.discriminate(real, fake)
        penalty, logs = self.penalty(real, fake)
        loss = self.d_loss_fn(real_out, fake_out) + penalty
        w_dist = ops.mean(ops.cast(real_out, "float32")) - ops.mean(ops.cast(fake_out, "float32"))
        return loss, {"d_loss": loss, "w_dist": w_dist, **logs}

    def penalty(self, real, fake):
        """A term added to the critic loss, and its logs: none for clipped WGAN."""
        return 0.0, {}


class WGANGP(WGAN):
    """WGAN with a gradient penalty instead of weight clipping.

    The critic loss is Gulrajani et al.'s mean D(fake) − mean D(real) + ``gp_weight * gp``,
    where ``gp = mean((‖∇ₓ D(x̂)‖₂ − 1)²)`` over x̂ = ε·real + (1 − ε)·fake, ε ~ U(0, 1) per
    image. ``d_loss`` reports the total (= −``w_dist`` + ``gp_weight * gp``); ``gp`` the
    penalty on its own.
    """

    extra_loss_names = ("w_dist", "gp")

    def __init__(self, generator, discriminator, latent_dim, gp_weight=GP_WEIGHT, **kwargs):
        if kwargs.get("clip_value") is not None:
            raise ValueError("WGAN-GP replaces weight clipping by the gradient penalty: "
                             "leave clip_value unset")
        super().__init__(generator, discriminator, latent_dim, **kwargs)
        self.gp_weight = float(gp_weight)

    def gradient_penalty(self, real, fake):
        """mean over the batch of (‖∇ₓ D(x̂)‖₂ − 1)², x̂ on random segments real → fake."""
        n = ops.shape(real)[0]
        fake = ops.cast(fake, real.dtype)
        eps = self.replica_rows(lambda m: keras.random.uniform(
            (m,) + (1,) * (len(real.shape) - 1), seed=self.seed_generator), n)
        x_hat = eps * real + (1.0 - eps) * fake
        # An inner tape for ∇ₓD; the outer tape (in `apply_update`) then differentiates the
        # penalty with respect to D's weights: a gradient of a gradient.
        with tf.GradientTape() as tape:
            tape.watch(x_hat)
            out = ops.cast(self.discriminator(x_hat, training=True), "float32")
        grads = ops.cast(tape.gradient(out, x_hat), "float32")
        norms = ops.sqrt(ops.sum(ops.square(ops.reshape(grads, (n, -1))), axis=1) + 1e-12)
        return ops.mean(ops.square(norms - 1.0))

    def penalty(self, real, fake):
        """λ · gp, logged as ``gp`` (before λ)."""
        gp = self.gradient_penalty(real, fake)
        return self.gp_weight * gp, {"gp": gp}


def make_wgan(latent_dim=LATENT_DIM, image_size=atienza.IMAGE_SIZE, seed=None, g_width=1.0,
              d_width=1.0, n_critic=N_CRITIC):
    """The book's WGAN: linear critic, `n_critic` (5) critic steps per G step, clipping at ±0.01,
    RMSprop.  `g_width` and `d_width` scale the two networks' filters (`atienza.WIDTHS`)."""
    config.check_count(latent_dim, "make_wgan: latent_dim")
    config.check_count(n_critic, "make_wgan: n_critic")
    gan = WGAN(atienza.generator(latent_dim, image_size, width=g_width),
               atienza.discriminator(image_size, activation="linear", width=d_width),
               latent_dim=latent_dim, noise="uniform", d_steps=n_critic, clip_value=CLIP_VALUE,
               joint_d_batch=False, seed=seed, name="wgan")
    gan.compile(d_optimizer=keras.optimizers.RMSprop(LR), g_optimizer=keras.optimizers.RMSprop(LR),
                d_loss_fn=losses.critic_wasserstein, g_loss_fn=losses.generator_wasserstein)
    return gan


def make_wgan_gp(latent_dim=LATENT_DIM, image_size=atienza.IMAGE_SIZE, seed=None,
                 gp_weight=GP_WEIGHT, lr=GP_LR, beta_1=GP_BETA_1, n_critic=N_CRITIC, g_width=1.0,
                 d_width=1.0):
    """WGAN-GP on the same networks: gradient penalty, no clipping, Adam(lr, beta_1, 0.9)."""
    config.check_count(latent_dim, "make_wgan_gp: latent_dim")
    config.check_count(n_critic, "make_wgan_gp: n_critic")
    config.check_number(lr, "make_wgan_gp: lr", above=0)
    config.check_number(gp_weight, "make_wgan_gp: gp_weight", minimum=0)
    if not 0 <= config.check_number(beta_1, "make_wgan_gp: beta_1") < 1:
        raise ValueError(f"make_wgan_gp: beta_1={beta_1!r}: Adam's beta_1 lies in [0, 1)")
    gan = WGANGP(atienza.generator(latent_dim, image_size, width=g_width),
                 atienza.discriminator(image_size, activation="linear", width=d_width),
                 latent_dim=latent_dim, gp_weight=gp_weight, noise="uniform", d_steps=n_critic,
                 joint_d_batch=False, seed=seed, name="wgan_gp")
    gan.compile(d_optimizer=keras.optimizers.Adam(lr, beta_1=beta_1, beta_2=0.9),
                g_optimizer=keras.optimizers.Adam(lr, beta_1=beta_1, beta_2=0.9),
                d_loss_fn=losses.critic_wasserstein, g_loss_fn=losses.generator_wasserstein)
    return gan


VARIANTS = {"wgan": make_wgan, "wgan-gp": make_wgan_gp}


def recipe(schedule):
    """The WGAN-GP settings a run-mode schedule carries (its values for `GP_RECIPE`'s keys)."""
    return config.model_kwargs(schedule, GP_RECIPE)


def make(variant, schedule, seed=None):
    """The untrained `variant` ("wgan" or "wgan-gp") with the recipe `schedule` carries."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {sorted(VARIANTS)}, got {variant!r}")
    if variant == "wgan-gp":
        return make_wgan_gp(seed=seed, **recipe(schedule), **atienza.widths(schedule))
    return make_wgan(seed=seed, **atienza.widths(schedule))


def train(schedule=None, variant="wgan", images=None, seed=0, callbacks=(), verbose=0,
          run_dir=None):
    """Build and train a WGAN (``variant="wgan"``) or WGAN-GP (``"wgan-gp"``) on MNIST.

    Returns (gan, history); the notebook runs the same steps cell by cell.  `schedule` may name
    only the entries it changes (`config.training_schedule`); `seed` seeds everything.
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {sorted(VARIANTS)}, got {variant!r}")
    schedule = config.training_schedule(GP_SCHEDULES if variant == "wgan-gp" else SCHEDULES,
                                        schedule, run_dir, seed,
                                        keys=GP_RECIPE if variant == "wgan-gp" else (),
                                        who=f"wgan.train(variant={variant!r})")
    gan = make(variant, schedule, seed=seed)
    history = atienza.fit(gan, schedule, images=images, seed=seed, callbacks=callbacks,
                          verbose=verbose, run_dir=run_dir)
    return gan, history
