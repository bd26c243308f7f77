"""Least Squares GAN (Mao et al. 2017) on MNIST, as in Atienza's lsgan-mnist-5.2.1.py.

Networks: Atienza's generator and a discriminator with *no* output activation
(`ganlib.atienza`).  Losses: mean squared error against the labels 1 (real) and 0 (fake)
for D, and against 1 for G's fakes.  RMSprop(2e-4, decay 6e-8) for D and
RMSprop(1e-4, decay 3e-8) for G; batch 64; 40,000 generator steps.

`make_gan(loss="dcgan")` builds the book's DCGAN on the same networks (sigmoid output,
binary cross-entropy, same optimisers) — the baseline LSGAN is compared with.  Only the
output activation and the loss functions differ between the two.
"""
from . import atienza, config, losses
from .gan import GAN

LATENT_DIM = atienza.LATENT_DIM
BATCH_SIZE = atienza.BATCH_SIZE
LR = 2e-4
DECAY = 6e-8
# Per run mode: generator steps, steps per logging interval, sample refresh (in intervals).
# `smoke` also names a small batch (`config.batch_size`): tests spend seconds on it.
SCHEDULES = {
    "smoke": dict(steps=6, log_every=3, sample_every=1, batch_size=16, **atienza.CLASS_WIDTHS),
    "class": dict(steps=1000, log_every=50, sample_every=4, **atienza.CLASS_WIDTHS),
    "full": dict(steps=40000, log_every=500, sample_every=1, **atienza.WIDTHS),
}
# `pretrained` mode loads data/pretrained/06_lsgan and 06_dcgan, trained at the book's widths.
SCHEDULES["pretrained"] = dict(SCHEDULES["class"], **atienza.WIDTHS)
# loss name → (D's output activation, D loss, G loss)
LOSSES = {
    "lsgan": (None, losses.discriminator_least_squares, losses.generator_least_squares),
    "dcgan": ("sigmoid", losses.discriminator_bce, losses.generator_bce),
}


def make_gan(loss="lsgan", latent_dim=LATENT_DIM, image_size=atienza.IMAGE_SIZE, seed=None,
             g_width=1.0, d_width=1.0):
    """Atienza's LSGAN (``loss="lsgan"``) or DCGAN (``loss="dcgan"``) on the same networks
    (`g_width`, `d_width` scale their filters: `atienza.WIDTHS`).

    As the book's `gan.train`, D sees real and fake images in one concatenated batch; G
    learns at half D's rate.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    config.check_count(latent_dim, "make_gan: latent_dim")
    activation, d_loss_fn, g_loss_fn = LOSSES[loss]
    gan = GAN(atienza.generator(latent_dim, image_size, width=g_width),
              atienza.discriminator(image_size, activation=activation, width=d_width),
              latent_dim=latent_dim, noise="uniform", joint_d_batch=True, seed=seed, name=loss)
    gan.compile(d_optimizer=atienza.rmsprop(LR, DECAY),
                g_optimizer=atienza.rmsprop(LR * 0.5, DECAY * 0.5),
                d_loss_fn=d_loss_fn, g_loss_fn=g_loss_fn)
    return gan


def train(schedule=None, loss="lsgan", images=None, seed=0, callbacks=(), verbose=0, run_dir=None):
    """Build and train the LSGAN (or, with ``loss="dcgan"``, the DCGAN baseline) on MNIST.

    Returns (gan, history); the notebook runs the same steps cell by cell.  `schedule` may name
    only the entries it changes (`config.training_schedule`); `seed` seeds everything.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    schedule = config.training_schedule(SCHEDULES, schedule, run_dir, seed, who="lsgan.train()")
    gan = make_gan(loss, seed=seed, **atienza.widths(schedule))
    history = atienza.fit(gan, schedule, images=images, seed=seed, callbacks=callbacks,
                          verbose=verbose, run_dir=run_dir)
    return gan, history
