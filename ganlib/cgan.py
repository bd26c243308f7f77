"""Conditional GAN (Mirza & Osindero 2014): the label is an *input* of both players.

Chapter 2's bridge from chapter 1.  The generator is ACGAN's (noise and label in, image out);
the discriminator is shown the label too and answers one question, "is this a real image *of
this class*?".  Nothing asks it to name the class: the label enters its verdict through a
projection (Miyato & Koyama 2018), the usual way to feed a label to a convolutional D:

    D(x, y) = sigmoid( w · phi(x) + b  +  embed(y) · phi(x) )

phi is ACGAN's convolutional trunk, so the two chapters' discriminators differ only in how the
class enters: an input scored by a dot product here, a second output head (a classifier) there.
A real image shown with a wrong label should get a low score, so a G that ignores its label is
caught only through that dot product.

The trainer is ACGAN's (same batches, same optimizers, same mode-seeking term, same schedule);
only the two losses change:

    D: BCE(D(x_real, y_real) -> 1) + BCE(D(G(z, y), y) -> 0)      (halved, as ACGAN's source term)
    G: BCE(D(G(z, y), y) -> 1)                                   (+ lambda_ms x mode seeking)
"""
import keras
from keras import layers, ops

from . import acgan, config, losses
from .models import check_image_shape, gan_init

LATENT_DIM = acgan.LATENT_DIM
NUM_CLASSES = acgan.NUM_CLASSES
BATCH_SIZE = acgan.BATCH_SIZE


def _without_class_head(settings):
    return {k: v for k, v in settings.items() if k not in ("class_weight", "fake_class_weight")}


# ACGAN's recipes and schedules without its class head's weights: the same networks, steps and
# mode-seeking term, so the comparison isolates how the label reaches D.
LIGHT_RECIPE = _without_class_head(acgan.LIGHT_RECIPE)
SEED_RECIPE = _without_class_head(acgan.SEED_RECIPE)
SCHEDULES = {mode: _without_class_head(s) for mode, s in acgan.SCHEDULES.items()}


def build_discriminator(image_shape=(28, 28, 1), num_classes=NUM_CLASSES, alpha=0.2,
                        dropout=0.5, width=1.0):
    """ACGAN's trunk with a projection of the label: inputs ``[image, label (N, 1)]``,
    output P(real image of this class) (N, 1)."""
    trunk = acgan.build_discriminator(image_shape, num_classes, alpha, dropout, width)
    features = trunk.get_layer("class_logits").input          # phi(x), the flattened trunk
    phi = keras.Model(trunk.input, features, name="trunk")
    h, w, c = check_image_shape(image_shape, divisible_by=4)
    image = keras.Input((h, w, c), name="image")
    label = keras.Input((1,), dtype="int32", name="label")
    f = phi(image)
    unconditional = layers.Dense(1, kernel_initializer=gan_init(), dtype="float32",
                                 name="source_logit")(f)
    embed = layers.Embedding(num_classes, f.shape[-1], embeddings_initializer=gan_init(),
                             name="label_projection")(label)               # (N, 1, features)
    projection = layers.Dot(axes=-1, dtype="float32", name="projection")(
        [layers.Reshape((f.shape[-1],))(embed), f])
    logit = layers.Add(dtype="float32", name="logit")([unconditional, projection])
    out = layers.Activation("sigmoid", dtype="float32", name="source")(logit)
    return keras.Model([image, label], out, name="discriminator")


class CGAN(acgan.ACGAN):
    """ACGAN's trainer with a discriminator that takes the label as an input and has no class
    head: `discriminator_loss` and `generator_loss` are the conditional GAN's."""

    extra_loss_names = ()

    def __init__(self, generator, discriminator, latent_dim=LATENT_DIM, num_classes=NUM_CLASSES,
                 **kwargs):
        super().__init__(generator, discriminator, latent_dim, num_classes, class_weight=0.0,
                         fake_class_weight=0.0, **kwargs)

    def discriminator_verdicts(self, real, labels, fake, fake_labels):
        """D's loss: "real image of this class" for the real batch with its labels, "fake" for
        the fakes with the labels G was asked for (no class term: D has no class head)."""
        real_p = self.discriminator([real, _column(labels)], training=True)
        fake_p = self.discriminator([fake, _column(fake_labels)], training=True)
        loss = 0.5 * (losses.bce(self.real_target, real_p) + losses.bce(0.0, fake_p))
        return loss, {"d_loss": loss}

    def generator_verdict(self, fake, wanted):
        """G's loss: D should call its fakes real images *of the classes asked for*."""
        return losses.bce(1.0, self.discriminate_for_generator([fake, _column(wanted)])), {}


def _column(labels):
    return ops.reshape(ops.cast(labels, "int32"), (-1, 1))


def make_cgan(image_shape=(28, 28, 1), latent_dim=LATENT_DIM, num_classes=NUM_CLASSES,
              base_filters=384, up_filters=192, lr=2e-4, lambda_ms=0.0, d_width=1.0, seed=None,
              **kwargs):
    """A conditional GAN with ACGAN's generator and a projection discriminator, compiled."""
    if int(num_classes) < 2:
        raise ValueError(f"num_classes={num_classes}: a conditional GAN needs at least 2 classes")
    gan = CGAN(acgan.build_generator(image_shape, latent_dim, num_classes, base_filters,
                                     up_filters),
               build_discriminator(image_shape, num_classes, width=d_width), latent_dim=latent_dim,
               num_classes=num_classes, lambda_ms=lambda_ms, seed=seed, name="cgan", **kwargs)
    gan.compile(d_optimizer=keras.optimizers.Adam(lr, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(lr, beta_1=0.5))
    return gan


def recipe(schedule):
    """The model keyword arguments of a schedule (filters, mode-seeking weight)."""
    return config.model_kwargs(schedule, SEED_RECIPE)


def train(schedule=None, dataset="fashion_mnist", images=None, labels=None, seed=0, callbacks=(),
          verbose=0, run_dir=None):
    """Build and train a conditional GAN with a run-mode schedule, through ACGAN's `train`
    (same data, batches and run folder); returns (gan, history)."""
    return acgan.train(schedule, dataset, images, labels, seed, callbacks, verbose, run_dir,
                       make=make_cgan, schedules=SCHEDULES)
