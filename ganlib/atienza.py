"""The generator and discriminator of Atienza's *Advanced Deep Learning with Keras* (gan.py).

One place for the builders the improved-GAN chapter reuses (WGAN, LSGAN, and the DCGAN
baseline on the same networks), and for the training loop their `train()` functions share.

G: z(100) → Dense (s/4)²·128 → reshape (s/4, s/4, 128)
   → 4 × [BN → ReLU → ConvT 5×5] with filters 128, 64, 32, 1 and strides 2, 2, 1, 1
   → sigmoid                                                         (s × s × 1, in [0, 1])
D: 4 × [LeakyReLU 0.2 → Conv 5×5] with filters 32, 64, 128, 256 and strides 2, 2, 2, 1
   → Flatten → Dense 1 → output activation ("sigmoid" for DCGAN, "linear" for the WGAN
   critic, none for LSGAN).  No batch normalisation in D: the book notes it does not
   converge with it.

Noise is U(-1, 1)^100 and images are scaled to [0, 1] (``scale="sigmoid"``), as in the book.
"""
import keras
from keras import layers

from . import config, data
from .gan import fit_schedule
from .models import check_image_shape, scaled_filters

LATENT_DIM = 100
IMAGE_SIZE = 28
BATCH_SIZE = 64
KERNEL_SIZE = 5
G_FILTERS = (128, 64, 32, 1)
G_STRIDES = (2, 2, 1, 1)
D_FILTERS = (32, 64, 128, 256)
D_STRIDES = (2, 2, 2, 1)
# Schedule entries that scale the two networks' filters (1: the book's).  At half width each
# network costs about a quarter of the multiply-adds; benchmarks/speed_atienza.py times them.
WIDTHS = dict(g_width=1.0, d_width=1.0)
# The class recipe's (chapters 5 and 6, and their smoke runs): half the book's filters in both
# networks, so that a chapter fits a class on a CPU without bfloat16 units.  Float32 on a 2-core
# AMD EPYC (AVX2), benchmarks/speed_atienza.py (run beside other work): a WGAN step costs about
# 0.29x the book's, an LSGAN step 0.33x; the README's chapter table has the notebooks' times.
# The chapters' bars over seeds 1-3 at these widths: benchmarks/results/
# quality_class_seeds_wgan.txt and quality_class_seeds_lsgan.txt.
CLASS_WIDTHS = dict(g_width=0.5, d_width=0.5)


def widths(schedule):
    """The network widths a run-mode schedule names (``g_width``, ``d_width``), as keyword
    arguments of the families' ``make_*`` functions."""
    return config.model_kwargs(schedule, WIDTHS)


def generator(latent_dim=LATENT_DIM, image_size=IMAGE_SIZE, activation="sigmoid", width=1.0):
    """Atienza's generator: Dense → reshape → four BN-ReLU-ConvTranspose blocks; `width` scales
    every filter count but the image's one channel."""
    h, w, _ = check_image_shape((image_size, image_size, 1), divisible_by=4)
    g_filters = scaled_filters(G_FILTERS[:-1], width, "atienza.generator: width") + G_FILTERS[-1:]
    model = keras.Sequential(name="generator")
    model.add(keras.Input((int(latent_dim),), name="z_input"))
    model.add(layers.Dense(h // 4 * w // 4 * g_filters[0]))
    model.add(layers.Reshape((h // 4, w // 4, g_filters[0])))
    for i, (filters, strides) in enumerate(zip(g_filters, G_STRIDES)):
        last = i == len(g_filters) - 1
        model.add(layers.BatchNormalization())
        model.add(layers.ReLU())
        # the last layer computes in float32, so a mixed-precision G still outputs float32
        model.add(layers.Conv2DTranspose(filters, KERNEL_SIZE, strides=strides, padding="same",
                                         dtype="float32" if last else None))
    if activation is not None:
        model.add(layers.Activation(activation, dtype="float32"))
    return model


def discriminator(image_size=IMAGE_SIZE, activation="sigmoid", width=1.0):
    """Atienza's discriminator: four LeakyReLU-Conv blocks → Flatten → Dense 1 → `activation`.

    `activation`: "sigmoid" (probability that the image is real), "linear" (a WGAN critic's
    unbounded score) or None (no output activation layer at all, as the book's LSGAN).
    `width` scales the four convolutions' filters.
    """
    d_filters = scaled_filters(D_FILTERS, width, "atienza.discriminator: width")
    h, w, c = check_image_shape((image_size, image_size, 1), divisible_by=4)
    model = keras.Sequential(name="discriminator")
    model.add(keras.Input((h, w, c), name="discriminator_input"))
    for filters, strides in zip(d_filters, D_STRIDES):
        model.add(layers.LeakyReLU(0.2))
        model.add(layers.Conv2D(filters, KERNEL_SIZE, strides=strides, padding="same"))
    model.add(layers.Flatten())
    model.add(layers.Dense(1, dtype="float32"))
    if activation is not None:
        model.add(layers.Activation(activation, dtype="float32"))
    return model


def rmsprop(lr, decay=0.0):
    """RMSprop with the book's legacy Keras `decay` (lr / (1 + decay · step)), per step."""
    if decay:
        lr = keras.optimizers.schedules.InverseTimeDecay(lr, 1, decay)
    return keras.optimizers.RMSprop(lr)


def load_images():
    """The book's training images: the MNIST training split (uint8, N × 28 × 28)."""
    ((x_train, _), _), _ = data.load_mnist()
    return x_train


def fit(gan, schedule, images=None, seed=0, callbacks=(), verbose=0, run_dir=None,
        batch_size=None):
    """Train `gan` for ``schedule["steps"]`` generator steps on MNIST scaled to [0, 1].

    Each generator step consumes ``gan.d_steps`` batches of `batch_size` real images (one
    per critic update), so the pipeline serves batches of ``d_steps * batch_size``.  Every
    family of this chapter trains through here; returns the `fit()` History.
    """
    images = load_images() if images is None else images
    batch_size = batch_size or config.batch_size(schedule, BATCH_SIZE)
    ds = data.make_dataset(images, batch_size=gan.d_steps * batch_size, scale="sigmoid", seed=seed)
    return fit_schedule(gan, ds, schedule, run_dir, callbacks, verbose)
