"""ACGAN (Odena et al. 2016) as taught by the machinelearningmastery Fashion-MNIST tutorial.

The generator is told *which class* to draw; the discriminator is **not** shown the label
but must *predict* it, next to its usual real/fake verdict:

G: label → Embedding(10, 50) → Dense 49 → 7×7×1 ┐
   z(100) → Dense 384·7·7 → ReLU → 7×7×384      ┴ concatenate → 7×7×385
   → ConvT 192 5×5 s2 → BN → ReLU → ConvT C 5×5 s2 → tanh                (28×28×C)
(the concatenate + ConvT is built as two ConvTs, one per map, added: the same function)
D: Conv 32 3×3 s2 → LReLU 0.2 → Dropout 0.5 → Conv 64 → BN → LReLU → Dropout
   → Conv 128 s2 → BN → LReLU → Dropout → Conv 256 → BN → LReLU → Dropout → Flatten
   → two heads: Dense 1 → sigmoid (real/fake, L_S) and Dense 10 → softmax (class, L_C)
Weights N(0, 0.02); Adam(2e-4, β1 0.5); batch 64: D sees 32 real + 32 fake, G 64 fakes.

Objective (the paper's notation, log-likelihoods):
  L_S = E[log P(S=real | x_real)] + E[log P(S=fake | x_fake)]
  L_C = E[log P(C=c | x_real)]    + E[log P(C=c | x_fake)]
D maximises L_S + L_C, G maximises L_C − L_S.  As cross-entropies to *minimise*:
D: BCE(real→1, fake→0) + CE(class on real and fake);  G: BCE(fake→1) + CE(class on fake).

`full` is the tutorial's recipe (100 epochs of 937 steps).  `class` (8,000 steps; the README's
chapter table gives its time) uses a slimmer generator, a D class head trained on real images
only, a heavier class term on G, a mode-seeking term and a half-width D; see `LIGHT_RECIPE`.
"""
import keras
import numpy as np
from keras import layers, ops

from . import config, data, losses
from .gan import GAN, fit_schedule
from .models import check_image_shape, gan_init, scaled_filters

LATENT_DIM = 100
NUM_CLASSES = 10
BATCH_SIZE = 64                      # per G update; D sees BATCH_SIZE // 2 real + as many fakes
STEPS_PER_EPOCH = 60000 // BATCH_SIZE  # the tutorial trains on the 60,000 training images: 937

# The tutorial's model sizes and loss weights.
SEED_RECIPE = dict(base_filters=384, up_filters=192, class_weight=1.0, fake_class_weight=1.0,
                   lambda_ms=0.0, d_width=1.0)
# The lighter recipe of the `class` (and `smoke`) run mode:
#  * ~5× fewer generator multiply-adds per image, so ~2× more steps fit in the budget;
#  * D's class head learns from real images only (fake_class_weight=0): it stays a
#    classifier of *real* garments, so G cannot satisfy it with an arbitrary private
#    code for each class — it has to draw what real trousers look like;
#  * the class term weighs double in G's loss, so G commits to the class early;
#  * a mode-seeking term (MSGAN, `losses.mode_seeking`, weight 2): half of each G batch asks
#    for the same classes as the other half with fresh noise, and G is penalised when the two
#    images come out alike.  Without it each class collapses towards a few items (the committed
#    4,000-step run of notebook 02: within-class variety 0.46-0.68 of the real classes', lowest
#    class 76.5 % accurate).  Measured (benchmarks/results/quality_class_*acgan*): weight 1 at
#    4,000 steps, seeds 1-3: variety of the least varied class 0.593 [0.535-0.629], accuracy
#    92.7 %; weight 2: variety 0.596/0.654 but accuracy 86-89 %, worst class 69-76 % (seeds
#    1, 2); weight 1 at 6,000 steps: 0.582, 94.0 % (seed 1); weight 1.5 at 6,000 steps, the
#    recipe then (experiments/quality_class_seeds_acgan_dwidth1.txt, seeds 1-3, bfloat16):
#    variety 0.614 [0.599-0.652], accuracy
#    94.2 % [93.8-95.5], worst class 87.5 % [83.5-87.5], FD 33.2 [32.9-34.9];
#  * a discriminator at half the tutorial's width (d_width=0.5: 16-32-64-128 filters).  At full
#    width D costs most of a step: 0.270 s a step against 0.128 at half width (float32, 2-core
#    AMD EPYC, AVX2; benchmarks/speed_acgan_dwidth.py), so 6,000 steps take about 13 minutes
#    instead of 27 on a CPU without bfloat16 units.  At 6,000 steps, half width cost the weakest
#    class its bar (experiments/quality_class_seeds_acgan_family_6000.txt, float32, seeds 1-3:
#    accuracy 94.3 % [92.2-94.6], variety 0.602 [0.575-0.615], worst class 76 % [73-82], under
#    the chapter's 80 %), so the class run trains 8,000 steps (SCHEDULES below; about 17
#    minutes at that AMD EPYC's 0.128 s a step, 13.6 in notebook 02's float32 run on a 2-core
#    Intel Xeon).  The seed table at 8,000, with the cGAN and the no-auxiliary-term runs at the
#    same budget (benchmarks/results/quality_class_seeds_acgan_family.txt, float32, seeds 1-3):
#    accuracy 94.9 % [94.7-96.0], worst class 87.0 % [84.5-92.0], FD 38.7 [35.0-40.6], but the
#    least varied class 0.583 [0.579-0.633], under the 0.6 bar.  A lighter class term, the
#    one lever that changes the ACGAN run alone, did not help: class_weight 1.5 gave variety
#    0.587 [0.581-0.629], accuracy 94.3 %, worst class 84.0 %, FD 40.0 (same seeds and budget;
#    experiments/quality_class_acgan_cw15_8000.txt), so the recipe keeps 2.  A heavier
#    mode-seeking term (lambda_ms 2, probed on the ACGAN alone, same seeds and budget;
#    experiments/quality_class_acgan_ms2_8000.txt) lifts it by a hair: variety 0.602
#    [0.575-0.628], accuracy 94.2 %, worst class 85.0 %, FD 41.6.  lambda_ms is shared with
#    the cGAN and no-class-term runs, so all nine were trained again at 2 and the recipe is 2
#    since (benchmarks/results/quality_class_seeds_acgan_family.txt; the 1.5 table before it:
#    experiments/quality_class_seeds_acgan_family_ms15.txt).  On seeds 4-6, which that choice
#    never saw, each run meets all three bars; over seeds 1-6 the least varied class is 0.624
#    [0.575-0.636], accuracy 94.1 %, worst class 84.8 %, FD 39.5
#    (experiments/quality_class_acgan_recipe_seeds4-6.txt).
LIGHT_RECIPE = dict(base_filters=128, up_filters=64, class_weight=2.0, fake_class_weight=0.0,
                    lambda_ms=2.0, d_width=0.5)

# Per run mode: generator steps, steps per logging interval, sample refresh (in
# intervals), and the model recipe.
# `smoke` also names a small batch (`config.batch_size`): tests spend seconds on it.
SCHEDULES = {
    "smoke": dict(steps=20, log_every=10, sample_every=1, batch_size=32, **LIGHT_RECIPE),
    "class": dict(steps=8000, log_every=200, sample_every=5, **LIGHT_RECIPE),
    "full": dict(steps=100 * STEPS_PER_EPOCH, log_every=STEPS_PER_EPOCH, sample_every=10,
                 **SEED_RECIPE),
}
# `pretrained` mode loads the generator of data/pretrained/02_acgan, whose run trained the class
# recipe of its day (mode-seeking weight 1.5) with the tutorial's full-width discriminator; only
# the networks of this schedule are built, and the mode-seeking weight does not change them.
SCHEDULES["pretrained"] = dict(SCHEDULES["class"], d_width=1.0)


# --------------------------------------------------------------------------- builders
def build_generator(image_shape=(28, 28, 1), latent_dim=LATENT_DIM, num_classes=NUM_CLASSES,
                    base_filters=384, up_filters=192, embed_dim=50):
    """The tutorial's class-conditional generator: inputs ``[z (N, latent_dim), label (N, 1)]``."""
    h, w, c = check_image_shape(image_shape, divisible_by=4)
    h4, w4 = h // 4, w // 4
    label = keras.Input((1,), dtype="int32", name="label")
    li = layers.Embedding(num_classes, embed_dim, name="label_embedding")(label)   # (N, 1, 50)
    li = layers.Dense(h4 * w4, kernel_initializer=gan_init(), name="label_dense")(li)
    li = layers.Reshape((h4, w4, 1), name="label_map")(li)                         # one extra channel
    z = keras.Input((latent_dim,), name="noise")
    x = layers.Dense(h4 * w4 * base_filters, kernel_initializer=gan_init(), name="noise_dense")(z)
    x = layers.ReLU()(x)
    x = layers.Reshape((h4, w4, base_filters), name="noise_map")(x)
    # The tutorial concatenates the two maps and runs one ConvT over base_filters + 1
    # channels.  A ConvT is linear in its input, so that equals a ConvT over each part,
    # added (one bias): the same function, but oneDNN's bfloat16 (AMX) kernels run a
    # 384-channel convolution much faster than a 385-channel one (benchmarks/speed_acgan.py).
    up = dict(strides=2, padding="same", kernel_initializer=gan_init())
    x = layers.Conv2DTranspose(up_filters, 5, name="noise_up", **up)(x)
    li = layers.Conv2DTranspose(up_filters, 5, use_bias=False, name="label_up", **up)(li)
    x = layers.Add(name="merge")([x, li])
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Conv2DTranspose(c, 5, **up)(x)
    image = layers.Activation("tanh", dtype="float32", name="image")(x)
    return keras.Model([z, label], image, name="generator")


def build_discriminator(image_shape=(28, 28, 1), num_classes=NUM_CLASSES, alpha=0.2, dropout=0.5,
                        width=1.0):
    """The tutorial's discriminator with two heads: ``[P(real) (N, 1), P(class) (N, classes)]``.

    ``width`` scales its four convolutions' filters (1: the tutorial's 32-64-128-256)."""
    h, w, c = check_image_shape(image_shape, divisible_by=4)
    filters = scaled_filters((32, 64, 128, 256), width, "acgan.build_discriminator: width")
    image = keras.Input((h, w, c), name="image")
    x = image
    for i, (f, stride) in enumerate(zip(filters, (2, 1, 2, 1))):
        x = layers.Conv2D(f, 3, strides=stride, padding="same", kernel_initializer=gan_init())(x)
        if i:  # no BatchNorm on the first layer (DCGAN guideline)
            x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(alpha)(x)
        x = layers.Dropout(dropout)(x)
    x = layers.Flatten()(x)
    source = layers.Dense(1, kernel_initializer=gan_init(), dtype="float32", name="source_logit")(x)
    source = layers.Activation("sigmoid", dtype="float32", name="source")(source)
    cls = layers.Dense(num_classes, kernel_initializer=gan_init(), dtype="float32",
                       name="class_logits")(x)
    cls = layers.Activation("softmax", dtype="float32", name="class")(cls)
    return keras.Model(image, [source, cls], name="discriminator")


# --------------------------------------------------------------------------- the trainer
class ACGAN(GAN):
    """GAN whose generator takes ``[noise, labels]`` and whose discriminator has a class head.

    One training step (batch of ``B`` real images and labels from the pipeline):
      * D update: ``B`` real images with their true labels and ``B`` fakes of random
        requested labels, scored in two separate batches (BatchNorm statistics of real
        and fake kept apart, as the tutorial's two ``train_on_batch`` calls);
        loss = BCE(source) + ½ [CE(class on real) + fake_class_weight · CE(class on fake)].
      * G update on ``g_batch_factor · B`` fresh fakes (2·32 = 64, the tutorial's full
        batch); loss = BCE(fakes → "real") + class_weight · CE(class on the fakes), with D
        in training mode but frozen (see `discriminate_for_generator`).

    The tutorial makes two D optimizer steps (real half batch, then fake half batch);
    here both halves enter one gradient step, as the shared `GAN` trainer does.
    """

    extra_loss_names = ("d_source", "d_class", "g_source", "g_class")

    def __init__(self, generator, discriminator, latent_dim=LATENT_DIM, num_classes=NUM_CLASSES,
                 class_weight=1.0, fake_class_weight=1.0, real_target=1.0, g_batch_factor=2,
                 d_training_in_g_step=True, lambda_ms=0.0, **kwargs):
        kwargs.setdefault("noise", "normal")
        super().__init__(generator, discriminator, latent_dim, g_batch_factor=g_batch_factor,
                         joint_d_batch=False, **kwargs)
        self.num_classes = int(num_classes)
        self.class_weight = float(class_weight)
        self.fake_class_weight = float(fake_class_weight)
        self.real_target = float(real_target)
        self.d_training_in_g_step = bool(d_training_in_g_step)
        self.lambda_ms = float(lambda_ms)
        if self.lambda_ms:
            self.trackers["ms_loss"] = keras.metrics.Mean(name="ms_loss")

    # ------------------------------------------------------------------ sampling
    @property
    def preview_columns(self):
        return self.num_classes

    def preview_inputs(self, n=None):
        """Fixed inputs for pictures of training: column k of the grid is class k."""
        n = n or 2 * self.num_classes
        return [self.preview_noise(n), (np.arange(n) % self.num_classes)[:, None].astype(np.int32)]

    def sample_labels(self, n):
        return self.replica_rows(lambda m: keras.random.randint(
            (m,), 0, self.num_classes, seed=self.seed_generator, dtype="int32"), n)

    def check_labels(self, labels, n=None):
        """Validate requested class labels (numpy/list input); return an int32 array (N,).

        (N,) or (N, 1), whole numbers in ``0 .. num_classes - 1``; with `n`, exactly `n` of them.
        """
        y = np.asarray(labels)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1 or not (np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.floating)):
            raise ValueError(f"labels must be a 1-D sequence of integer classes, got shape {y.shape}"
                             f" and dtype {y.dtype}")
        if y.size and not np.all(np.equal(np.mod(y, 1), 0)):
            raise ValueError(f"labels must be whole-number classes 0..{self.num_classes - 1}, got "
                             f"{float(y[~np.equal(np.mod(y, 1), 0)][0]):g}")
        if y.size == 0:
            raise ValueError(f"labels is empty: pass one class (0..{self.num_classes - 1}) "
                             f"per image, or labels=None for random classes")
        if n is not None and len(y) != int(n):
            raise ValueError(f"{len(y)} labels for n={n} images: pass exactly one label per "
                             f"image (or labels=None for random classes)")
        if y.min() < 0 or y.max() >= self.num_classes:
            raise ValueError(f"class labels must lie in 0..{self.num_classes - 1}, "
                             f"got {y.min():g}..{y.max():g}")
        return y.astype(np.int32)

    def generator_inputs(self, n, labels=None):
        """``[noise (n, latent_dim), labels (n, 1)]``; random labels when none are given.

        Labels given as a list or numpy array are checked (`check_labels`); tensors (inside
        a training step) are used as they are.
        """
        if labels is None:
            labels = self.sample_labels(n)
        elif not ops.is_tensor(labels):
            labels = self.check_labels(labels, n)
        return [self.sample_noise(n), ops.reshape(ops.cast(labels, "int32"), (-1, 1))]

    def generate(self, n=None, inputs=None, labels=None, noise=None, batch_size=256):
        """Images in [-1, 1]: pass ``labels`` (and optionally fixed ``noise``) or raw ``inputs``."""
        if inputs is None and labels is not None:
            y = self.check_labels(labels, n)
            if noise is None:
                noise = np.asarray(self.sample_noise(len(y)))
            noise = config.check_finite(noise, "noise")
            if noise.shape != (len(y), self.latent_dim):
                raise ValueError(f"noise must have shape ({len(y)}, {self.latent_dim}), got {noise.shape}")
            inputs = [noise, y[:, None]]
        return super().generate(n, inputs, batch_size)

    # ------------------------------------------------------------------ the two objectives
    def discriminator_loss(self, real, labels):
        n = ops.shape(real)[0]
        if labels is None:
            raise ValueError(f"{type(self).__name__} trains on (images, labels) batches; got "
                             "images only")
        fake_labels = self.sample_labels(n)
        # G in inference mode (the tutorial's `predict()`): no G variable moves here.
        fake = ops.stop_gradient(self.generator(self.generator_inputs(n, fake_labels),
                                                training=False))
        return self.discriminator_verdicts(real, labels, ops.cast(fake, real.dtype), fake_labels)

    def discriminator_verdicts(self, real, labels, fake, fake_labels):
        """D's loss on a real batch (with its labels) and a fake batch (with the labels G was
        asked for), each scored in a batch of its own: the source term and the class term."""
        real_src, real_cls = self.discriminator(real, training=True)
        fake_src, fake_cls = self.discriminator(fake, training=True)
        d_source = 0.5 * (losses.bce(self.real_target, real_src) + losses.bce(0.0, fake_src))
        d_class = 0.5 * (losses.sparse_class_ce(labels, real_cls)
                         + self.fake_class_weight * losses.sparse_class_ce(fake_labels, fake_cls))
        loss = d_source + d_class
        return loss, {"d_loss": loss, "d_source": d_source, "d_class": d_class}

    def discriminate_for_generator(self, fake):
        """D's verdict on a batch of fakes for G's update: D in *training* mode, frozen.

        D is trained on separate real and fake batches, so its BatchNorm layers normalise a
        fake batch by the fake batch's own statistics; their moving averages mix real and
        fake.  In inference mode D would be a different function from the one that was
        trained — G would chase a discriminator nobody trains, and learn to fool it and
        nothing else.  So G is scored by D in training mode, as the tutorial's composite
        model did, and D's BatchNorm statistics are put back afterwards: the G update
        still moves no D variable.
        """
        if not self.d_training_in_g_step:
            return self.discriminator(fake, training=False)
        # BatchNorm moving statistics only (the dropout seed states must keep advancing);
        # `+ 0` takes a copy, not a view that the BatchNorm update would overwrite.
        stats = [v for v in self.discriminator.non_trainable_variables if "moving_" in v.path]
        saved = [ops.convert_to_tensor(v) + 0 for v in stats]
        out = self.discriminator(fake, training=True)
        for v, value in zip(stats, saved):
            v.assign(value)
        return out

    def generator_loss(self, real, labels):
        n = ops.shape(real)[0] * self.g_batch_factor     # even: g_batch_factor is 2
        if self.lambda_ms:   # sample i and i + n/2 ask for the same class, with other noise
            half = self.sample_labels(n // 2)
            wanted = ops.concatenate([half, half], 0)
        else:
            wanted = self.sample_labels(n)
        inputs = self.generator_inputs(n, wanted)
        fake = self.generator(inputs, training=True)
        loss, logs = self.generator_verdict(fake, wanted)
        if self.lambda_ms:   # two noises, one class: the images should differ (MSGAN)
            h, z = n // 2, inputs[0]
            logs["ms_loss"] = losses.mode_seeking(fake[:h], fake[h:], z[:h], z[h:])
            loss = loss + self.lambda_ms * logs["ms_loss"]
        return loss, {"g_loss": loss, **logs}

    def generator_verdict(self, fake, wanted):
        """G's loss on its fakes of the classes `wanted`: "real" to D's source head, and the
        wanted class to D's class head (weighted by `class_weight`)."""
        src, cls = self.discriminate_for_generator(fake)
        g_source = losses.bce(1.0, src)
        g_class = losses.sparse_class_ce(wanted, cls)
        return g_source + self.class_weight * g_class, {"g_source": g_source, "g_class": g_class}


def make_acgan(image_shape=(28, 28, 1), latent_dim=LATENT_DIM, num_classes=NUM_CLASSES,
               base_filters=384, up_filters=192, class_weight=1.0, fake_class_weight=1.0, lr=2e-4,
               lambda_ms=0.0, d_width=1.0, seed=None, **kwargs):
    """The tutorial's ACGAN (or a lighter variant), compiled and ready for `fit()`.

    ``d_width`` scales the discriminator's filters (`build_discriminator`).

    `fit()` expects ``(images, labels)`` batches of ``BATCH_SIZE // 2`` (the D half batch).
    """
    config.check_count(latent_dim, "make_acgan: latent_dim")
    config.check_count(num_classes, "make_acgan: num_classes (an ACGAN draws at least 2 classes)",
                       minimum=2)
    config.check_number(lr, "make_acgan: lr", above=0)
    for name, value in (("base_filters", base_filters), ("up_filters", up_filters)):
        config.check_count(value, f"make_acgan: {name}")
    for name, value in (("class_weight", class_weight), ("fake_class_weight", fake_class_weight),
                        ("lambda_ms", lambda_ms)):
        config.check_number(value, f"make_acgan: {name}", minimum=0)
    gan = ACGAN(build_generator(image_shape, latent_dim, num_classes, base_filters, up_filters),
                build_discriminator(image_shape, num_classes, width=d_width),
                latent_dim=latent_dim, num_classes=num_classes, class_weight=class_weight,
                fake_class_weight=fake_class_weight, lambda_ms=lambda_ms, seed=seed, name="acgan",
                **kwargs)
    gan.compile(d_optimizer=keras.optimizers.Adam(lr, beta_1=0.5),
                g_optimizer=keras.optimizers.Adam(lr, beta_1=0.5))
    return gan


def recipe(schedule):
    """The model keyword arguments of a schedule (filters, class weight)."""
    return config.model_kwargs(schedule, SEED_RECIPE)


def load_images(dataset="fashion_mnist"):
    """The tutorial's training set: the 60,000 training images and their labels (uint8)."""
    if dataset not in data.CLASS_NAMES:
        raise ValueError(f"unknown dataset {dataset!r}; choose one of {sorted(data.CLASS_NAMES)}")
    ((x_train, y_train), _), _ = data.load_dataset(dataset)
    return x_train, y_train


def train(schedule=None, dataset="fashion_mnist", images=None, labels=None, seed=0, callbacks=(),
          verbose=0, run_dir=None, make=None, schedules=None):
    """Build and train an ACGAN with a run-mode schedule; returns (gan, history).

    ``dataset="mnist"`` trains on digits with nothing else changed.  `schedule` may name only
    the entries it changes (`config.training_schedule`); `seed` seeds everything.  `make`
    builds another class-conditional model from the schedule's recipe instead
    (`cgan.make_cgan`), whose run-mode `schedules` then complete a partial schedule.
    """
    data.class_names(dataset)        # an unknown dataset is refused before anything is built
    schedule = config.training_schedule(schedules or SCHEDULES, schedule, run_dir, seed,
                                        who=f"{(make or make_acgan).__module__}.train()")
    if images is None:
        images, labels = load_images(dataset)
    gan = (make or make_acgan)(seed=seed, **recipe(schedule))
    half = config.batch_size(schedule, BATCH_SIZE) // 2
    ds = data.make_dataset(images, labels, batch_size=half, scale="tanh", seed=seed)
    # the models alone do not tell Fashion-MNIST from MNIST: a backup must match the data too
    history = fit_schedule(gan, ds, schedule, run_dir, callbacks, verbose, spec={"dataset": dataset})
    return gan, history
