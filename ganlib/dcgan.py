"""DCGAN (Radford et al. 2015) as taught by the pyimagesearch Fashion-MNIST tutorial.

G: z(100) → Dense 512 → ReLU → BN → Dense 7·7·64 → ReLU → BN → 7×7×64
   → ConvT 32 5×5 s2 → ReLU → BN → ConvT C 5×5 s2 → tanh            (28×28×C)
D: Conv 32 5×5 s2 → LReLU 0.2 → Conv 64 5×5 s2 → LReLU → Dense 512 → LReLU → Dense 1 → sigmoid
Adam(2e-4, β1 0.5) with the tutorial's per-step time decay; batch 128.
"""
import keras
import numpy as np
from keras import layers

from . import config, data
from .gan import GAN, fit_schedule
from .models import check_image_shape

LATENT_DIM = 100
BATCH_SIZE = 128
STEPS_PER_EPOCH = 70000 // BATCH_SIZE  # the tutorial pools train + test: 70,000 images
# Per run mode: generator steps, steps per logging interval, sample refresh (in intervals),
# and steps per `fit()` execution (several traced steps per call from Python: less overhead;
# it must divide the logging interval, or `fit()` overshoots it).  `smoke` also names a small
# batch (`config.batch_size`): tests spend seconds on it.
SCHEDULES = {
    "smoke": dict(steps=20, log_every=10, sample_every=1, steps_per_execution=10, batch_size=32),
    # 6,000 steps: FD / untrained FD 0.090 [0.075-0.092] over seeds 1-3 (4,000: 0.1225
    # [0.099-0.128], the FD still falling); benchmarks/results/quality_class_seeds_dcgan.txt
    "class": dict(steps=6000, log_every=100, sample_every=5, steps_per_execution=20),
    "full": dict(steps=50 * STEPS_PER_EPOCH, log_every=STEPS_PER_EPOCH, sample_every=1,
                 steps_per_execution=21),
}


def build_generator(image_shape=(28, 28, 1), latent_dim=LATENT_DIM, hidden=512, depth=64):
    h, w, c = check_image_shape(image_shape, divisible_by=4)
    return keras.Sequential([
        keras.Input((latent_dim,)),
        layers.Dense(hidden), layers.ReLU(), layers.BatchNormalization(),
        layers.Dense(h // 4 * w // 4 * depth), layers.ReLU(), layers.BatchNormalization(),
        layers.Reshape((h // 4, w // 4, depth)),
        layers.Conv2DTranspose(32, 5, strides=2, padding="same"), layers.ReLU(),
        layers.BatchNormalization(),
        layers.Conv2DTranspose(c, 5, strides=2, padding="same"),
        layers.Activation("tanh", dtype="float32"),
    ], name="generator")


def build_discriminator(image_shape=(28, 28, 1), alpha=0.2):
    h, w, c = check_image_shape(image_shape, divisible_by=4)
    return keras.Sequential([
        keras.Input((h, w, c)),
        layers.Conv2D(32, 5, strides=2, padding="same"), layers.LeakyReLU(alpha),
        layers.Conv2D(64, 5, strides=2, padding="same"), layers.LeakyReLU(alpha),
        layers.Flatten(),
        layers.Dense(512), layers.LeakyReLU(alpha),
        layers.Dense(1), layers.Activation("sigmoid", dtype="float32"),
    ], name="discriminator")


def tutorial_optimizer(lr=2e-4, epochs=50):
    """Adam(lr, β1=0.5) with the tutorial's legacy `decay=lr/epochs`, applied per step."""
    lr = config.check_number(lr, "tutorial_optimizer: lr", above=0)
    epochs = config.check_count(epochs, "tutorial_optimizer: epochs")
    schedule = keras.optimizers.schedules.InverseTimeDecay(lr, 1, lr / epochs)
    return keras.optimizers.Adam(schedule, beta_1=0.5)


def make_dcgan(image_shape=(28, 28, 1), latent_dim=LATENT_DIM, epochs=50, reuse_fakes=True,
               steps_per_execution=1, seed=None):
    """The tutorial's DCGAN, compiled and ready for `fit()` on batches of real images.

    ``reuse_fakes=True``: each step runs G forward once and uses those fakes for both updates
    (`GAN.reused_fakes_step`, as PyTorch's DCGAN example does): 5-15 % faster on a CPU;
    ``False``: the G update draws fresh noise (`GAN.alternating_step`).
    """
    config.check_count(latent_dim, "make_dcgan: latent_dim")
    config.check_count(epochs, "make_dcgan: epochs")
    config.check_count(steps_per_execution, "make_dcgan: steps_per_execution")
    gan = GAN(build_generator(image_shape, latent_dim), build_discriminator(image_shape),
              latent_dim=latent_dim, noise="uniform", joint_d_batch=True, reuse_fakes=reuse_fakes,
              seed=seed, name="dcgan")
    gan.compile(d_optimizer=tutorial_optimizer(epochs=epochs),
                g_optimizer=tutorial_optimizer(epochs=epochs),
                steps_per_execution=steps_per_execution)
    return gan


def load_images():
    """The tutorial's training images: Fashion-MNIST train + test, pooled (uint8)."""
    ((x_train, _), (x_test, _)), _ = data.load_fashion_mnist()
    return np.concatenate([x_train, x_test])


def train(schedule=None, images=None, seed=0, callbacks=(), verbose=0, run_dir=None, make=None):
    """Build and train the tutorial's DCGAN with a run-mode schedule; returns (gan, history).

    The notebook runs the same steps cell by cell; `benchmarks/quality.py` calls this.
    `schedule` may name only the entries it changes (`config.training_schedule`: merged into
    the run mode's; unknown entries refused); `seed` seeds everything (`config.set_seed`).
    `make` (default `make_dcgan`) builds the compiled model from ``steps_per_execution`` and
    ``seed``, e.g. one compiled with other optimisers (an exercise's change).
    """
    schedule = config.training_schedule(SCHEDULES, schedule, run_dir, seed, who="dcgan.train()")
    images = load_images() if images is None else images
    gan = (make or make_dcgan)(steps_per_execution=schedule["steps_per_execution"], seed=seed)
    ds = data.make_dataset(images, batch_size=config.batch_size(schedule, BATCH_SIZE),
                           scale="tanh", seed=seed)
    history = fit_schedule(gan, ds, schedule, run_dir, callbacks, verbose)
    return gan, history
