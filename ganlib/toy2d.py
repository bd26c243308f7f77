"""A GAN on a 2-D toy: eight Gaussians on a ring, tiny MLPs, trained in seconds (chapter 0).

The same trainer as every other chapter (`ganlib.gan.GAN` and its `fit()`, the losses of
`ganlib.losses`, WGAN-GP's penalty from `ganlib.wgan`); only the data and the networks are
small enough to draw the whole game in the plane:

* `sample` — seeded points from `n_modes` Gaussians on a circle;
* `make_toy_gan(loss="bce" | "lsgan" | "wgan-gp")` — G: z → 2-D point, D: point → score;
* `train` — a run-mode schedule through `gan.fit_schedule`'s callbacks, with a run folder
  whose pictures (`samples/`, `strip.png`) are scatter plots instead of image grids;
* `modes_covered` — how many modes get a fair share of the samples;
* `plot_*` — points over training, D's surface, G's gradient field.
"""
import io

import keras
import numpy as np
from keras import layers

from . import config, losses
from .gan import GAN, training_callbacks
from .runlog import TrainingPictures
from .runs import generator_steps
from .wgan import WGANGP

N_MODES = 8
RADIUS = 2.0
STD = 0.05
LATENT_DIM = 2
HIDDEN = 128
BATCH_SIZE = 256
LIMIT = 3.0          # the plots show the square [-LIMIT, LIMIT]²
SCHEDULES = {
    "smoke": dict(steps=40, log_every=20, steps_per_execution=20),
    "class": dict(steps=2000, log_every=250, steps_per_execution=50),
    "full": dict(steps=20000, log_every=1000, steps_per_execution=100),
}
# A setting that collapses (G learns 50× faster than D), next to the default that covers
# all modes; both checked over several seeds in class mode.
COLLAPSE = dict(g_lr=5e-3, d_lr=1e-4)
# loss name → (D's output activation, D loss, G loss, defaults)
LOSSES = {
    "bce": ("sigmoid", losses.discriminator_bce, losses.generator_bce,
            dict(d_steps=1, lr=1e-3, beta_1=0.5, beta_2=0.999)),
    "lsgan": (None, losses.discriminator_least_squares, losses.generator_least_squares,
              dict(d_steps=1, lr=1e-3, beta_1=0.5, beta_2=0.999)),
    "wgan-gp": (None, losses.critic_wasserstein, losses.generator_wasserstein,
                dict(d_steps=5, lr=1e-3, beta_1=0.5, beta_2=0.9)),
}


def centers(n_modes=N_MODES, radius=RADIUS):
    """The modes' centres, evenly spaced on a circle: an (n_modes, 2) float32 array."""
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    return (radius * np.stack([np.cos(angles), np.sin(angles)], 1)).astype(np.float32)


def sample(n, n_modes=N_MODES, radius=RADIUS, std=STD, seed=None):
    """`n` points of the mixture (equal weights), as an (n, 2) float32 array; `seed` repeats it."""
    rng = np.random.default_rng(seed)
    which = rng.integers(0, n_modes, int(n))
    points = centers(n_modes, radius)[which] + rng.normal(0.0, std, (int(n), 2))
    return points.astype(np.float32)


def make_dataset(points, batch_size=BATCH_SIZE, seed=0):
    """Batches of real points (shuffled with `seed`, repeated) for `fit()`."""
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices(np.asarray(points, np.float32))
    ds = ds.shuffle(len(points), seed=seed, reshuffle_each_iteration=True).repeat()
    return ds.batch(int(batch_size), drop_remainder=True).prefetch(2)


# ------------------------------------------------------------------ networks and the GAN
def build_generator(latent_dim=LATENT_DIM, hidden=HIDDEN, depth=3):
    """z → `depth` ReLU layers of `hidden` units → a point (x₁, x₂); float32 whatever the policy."""
    # Layers named here take no number from Keras' global "dense_N" counter, so a toy built
    # first leaves the names in a later image model's summary as they would be without it.
    return keras.Sequential(
        [keras.Input((latent_dim,))]
        + [layers.Dense(hidden, activation="relu", dtype="float32", name=f"g_dense_{i}")
           for i in range(depth)]
        + [layers.Dense(2, dtype="float32", name="g_point")], name="generator")


def build_discriminator(hidden=HIDDEN, depth=3, activation="sigmoid"):
    """A point → `depth` LeakyReLU layers → one score (a probability with a sigmoid)."""
    stack = [keras.Input((2,))]
    for i in range(depth):
        stack += [layers.Dense(hidden, dtype="float32", name=f"d_dense_{i}"),
                  layers.LeakyReLU(0.2, dtype="float32", name=f"d_leaky_{i}")]
    stack.append(layers.Dense(1, activation=activation, dtype="float32", name="d_score"))
    return keras.Sequential(stack, name="discriminator")


def make_toy_gan(loss="bce", latent_dim=LATENT_DIM, hidden=HIDDEN, d_steps=None, lr=None,
                 g_lr=None, d_lr=None, seed=None, steps_per_execution=1, gp_weight=0.1):
    """A compiled toy GAN: ``loss="bce"`` (chapter 1's game), ``"lsgan"`` or ``"wgan-gp"``.

    `lr` sets both players' Adam learning rate; `g_lr` / `d_lr` override one of them.
    ``d_steps`` D updates per G update (default 1, WGAN-GP 5). WGAN-GP is `wgan.WGANGP` on
    these networks (its penalty works on (N, 2) points as on images); `gp_weight` defaults
    to λ = 0.1, the value of Gulrajani et al.'s own toy script, not the λ = 10 of images.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    activation, d_loss_fn, g_loss_fn, defaults = LOSSES[loss]
    if seed is not None:
        config.set_seed(seed)   # the weights' initial values
    d_steps = defaults["d_steps"] if d_steps is None else int(d_steps)
    g_lr = g_lr or lr or defaults["lr"]
    d_lr = d_lr or lr or defaults["lr"]
    G = build_generator(latent_dim, hidden)
    D = build_discriminator(hidden, activation=activation)
    kwargs = dict(latent_dim=latent_dim, noise="normal", d_steps=d_steps, seed=seed,
                  name=f"toy_{loss.replace('-', '_')}")
    gan = WGANGP(G, D, gp_weight=gp_weight, **kwargs) if loss == "wgan-gp" else GAN(G, D, **kwargs)
    adam = lambda rate: keras.optimizers.Adam(rate, beta_1=defaults["beta_1"],  # noqa: E731
                                              beta_2=defaults["beta_2"])
    gan.compile(d_optimizer=adam(d_lr), g_optimizer=adam(g_lr), d_loss_fn=d_loss_fn,
                g_loss_fn=g_loss_fn, steps_per_execution=steps_per_execution)
    return gan


# ------------------------------------------------------------------ pictures of training
def _scatter_png(fake, real, title=None, size=2.6, dpi=80):
    """A scatter of `fake` over `real` as a uint8 RGB array (no pyplot: safe in callbacks)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(size, size), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    plot_points(ax, fake, real, title)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.canvas.print_png(buf)
    from PIL import Image
    return np.asarray(Image.open(buf).convert("RGB"))


def plot_points(ax, fake, real=None, title=None, s=4):
    """Generated points (red) over real points (grey) on `ax`, axes labelled."""
    if real is not None:
        ax.scatter(real[:, 0], real[:, 1], s=s, c="0.7", label="real", linewidths=0)
    ax.scatter(fake[:, 0], fake[:, 1], s=s, c="tab:red", label="generated", linewidths=0)
    ax.set(xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), aspect="equal", xlabel="$x_1$",
           ylabel="$x_2$")
    if title:
        ax.set_title(title, fontsize=9)


class PointPictures(TrainingPictures):
    """`runlog.TrainingPictures` for 2-D points: each ``samples/step_*.png`` (and so
    `strip.png` and `training.gif`) is a scatter of G's points for the fixed inputs over real
    points.  It also keeps those points per step (`snapshots`), saved with the run's backup."""

    def __init__(self, run_dir, inputs, real, **kwargs):
        super().__init__(run_dir, inputs=inputs, **kwargs)
        self.real = np.asarray(real, np.float32)
        self.snapshots = {}

    def grid(self):
        step = generator_steps(self.model)
        fake = np.asarray(self.model.generator(self._inputs()), np.float32)
        self.snapshots[step] = fake
        return _scatter_png(fake, self.real, title=f"step {step}")

    def get_state(self):
        return {"snapshots": {str(k): np.round(v, 4).tolist() for k, v in self.snapshots.items()}}

    def set_state(self, state):
        self.snapshots = {int(k): np.asarray(v, np.float32)
                          for k, v in state.get("snapshots", {}).items()}


class Snapshots(keras.callbacks.Callback):
    """G's points for fixed inputs at the start and after every logging interval (no run folder)."""

    def __init__(self, inputs):
        super().__init__()
        self.inputs, self.snapshots = inputs, {}

    def _take(self):
        self.snapshots[generator_steps(self.model)] = np.asarray(
            self.model.generator(self.inputs), np.float32)

    def on_train_begin(self, logs=None):
        self._take()

    def on_epoch_end(self, epoch, logs=None):
        self._take()


def train(loss="bce", schedule=None, seed=0, run_dir=None, n_modes=N_MODES, n_points=20000,
          n_preview=512, verbose=0, **model_kwargs):
    """Build and train a toy GAN with a run-mode schedule; returns ``(gan, history, snapshots)``.

    `snapshots`: {generator step: G's points for the same `n_preview` inputs}, at the start
    and after every logging interval. With a `run_dir`, the run folder gets the backup
    (resume), TensorBoard logs and scatter pictures as every chapter's run does.
    """
    schedule = schedule or config.select(SCHEDULES, verbose=False)
    gan = make_toy_gan(loss, seed=seed, steps_per_execution=schedule.get("steps_per_execution", 1),
                       **model_kwargs)
    real = sample(n_points, n_modes=n_modes, seed=seed)
    ds = make_dataset(real, BATCH_SIZE * gan.d_steps, seed=seed)
    preview = gan.preview_noise(n_preview)
    pictures = PointPictures(run_dir, preview, real[:n_preview]) if run_dir else Snapshots(preview)
    callbacks = training_callbacks(run_dir, spec={"n_modes": n_modes, "n_points": n_points},
                                   pictures=pictures)
    if not run_dir:   # no run folder: only the loss guard, and the snapshots
        callbacks.append(pictures)
    epochs, every = config.intervals(schedule)
    history = gan.fit(ds, epochs=epochs, steps_per_epoch=every, verbose=verbose,
                      callbacks=callbacks)
    return gan, history, dict(sorted(pictures.snapshots.items()))


# ------------------------------------------------------------------ measuring
def modes_covered(points, n_modes=N_MODES, radius=RADIUS, std=STD, within=3.0, min_share=0.25):
    """How many modes get a fair share of `points`.

    A point belongs to its nearest mode if it lies within ``within * std`` of its centre; a
    mode is covered when it holds at least ``min_share`` of the share a perfect sampler gives
    it (``len(points) / n_modes``).  Returns ``(covered, counts)``; points near no mode are
    in no count (``len(points) - counts.sum()`` of them).
    """
    points = np.asarray(points, np.float64).reshape(-1, 2)
    c = centers(n_modes, radius)
    dist = np.linalg.norm(points[:, None, :] - c[None], axis=-1)
    nearest = dist.argmin(1)
    close = dist[np.arange(len(points)), nearest] <= within * std
    counts = np.bincount(nearest[close], minlength=n_modes)
    fair = min_share * len(points) / n_modes
    return int((counts >= max(fair, 1)).sum()) if len(points) else 0, counts


def distance_to_ring(points, radius=RADIUS):
    """Mean distance of points from the circle the modes lie on."""
    points = np.asarray(points, np.float64).reshape(-1, 2)
    return float(np.mean(np.abs(np.linalg.norm(points, axis=1) - radius)))


def blob(n, std=0.3, seed=None):
    """`n` points of a small Gaussian blob at the origin: an early generator's fakes, well
    inside the ring, as an (n, 2) float32 array."""
    return np.random.default_rng(seed).normal(0.0, std, (int(n), 2)).astype(np.float32)


def train_discriminator(gan, real, fake, steps=500, batch_size=BATCH_SIZE, seed=0):
    """Train only D for `steps` updates on batches of `real` against the fixed `fake` points
    (G held still): the discriminator of Mao et al.'s Figure 1, which has learnt a boundary
    between the data and the fakes it has seen.  Uses the GAN's own D loss and optimizer."""
    import tensorflow as tf
    rng = np.random.default_rng(seed)
    real, fake = np.asarray(real, np.float32), np.asarray(fake, np.float32)

    @tf.function
    def step(r, f):
        return gan.apply_update(gan.discriminator_loss, gan.d_variables, gan.d_optimizer,
                                r, None, f)["d_loss"]

    for _ in range(int(steps)):
        loss = step(real[rng.integers(0, len(real), batch_size)],
                    fake[rng.integers(0, len(fake), batch_size)])
    return float(loss)


def far_side_points(gan, real, boundary=0.5, min_distance=0.5, n=120):
    """Points of the plotted square that D puts on the *real* side of its decision boundary
    (D(x) > `boundary`) although they lie at least `min_distance` from every real point: where a
    fake would be taken for real while looking nothing like the data (Mao et al.'s Figure 1)."""
    from scipy.spatial import cKDTree
    _, _, flat = _grid(n)
    out = np.asarray(gan.discriminator(flat, training=False), np.float32).ravel()
    dist, _ = cKDTree(np.asarray(real, np.float64)).query(flat.astype(np.float64))
    return flat[(out > boundary) & (dist >= min_distance)]


def gradient_norms(gan, points):
    """‖∇ₓ generator loss‖ at each point: how hard G's loss pushes a fake lying there."""
    if len(points) == 0:
        return np.zeros(0, np.float32)
    return np.linalg.norm(generator_gradients(gan, points), axis=1)


def far_side_experiment(loss, seed=0, steps=500, n=5000):
    """Mao et al.'s argument for least squares, measured: D (of loss `loss`) learns to tell the
    ring from a blob of early fakes at the centre; then G's loss is differentiated at the points
    D calls real although they lie far from the data (`far_side_points`), and at the fakes.

    Returns a dict: ``gan``, ``real``, ``fake``, ``far`` (the points), ``far_norms`` and
    ``fake_norms`` (‖∇ₓ G loss‖ at each), and their medians ``far_median``, ``fake_median``,
    ``vanishing`` (share of far points with a gradient below 1e-3) and ``d_loss``.
    """
    gan = make_toy_gan(loss, seed=seed)
    real, fake = sample(n, seed=seed + 1000), blob(n, seed=seed)
    d_loss = train_discriminator(gan, real, fake, steps=steps, seed=seed)
    far = far_side_points(gan, real)
    far_norms, fake_norms = gradient_norms(gan, far), gradient_norms(gan, fake[:1000])
    return dict(gan=gan, real=real, fake=fake, far=far, far_norms=far_norms,
                fake_norms=fake_norms, d_loss=d_loss,
                far_median=float(np.median(far_norms)) if len(far) else float("nan"),
                fake_median=float(np.median(fake_norms)),
                vanishing=float(np.mean(far_norms < 1e-3)) if len(far) else float("nan"))


def plot_far_side(result, ax=None, title=None, n_arrows=120, seed=0, arrow=0.3):
    """D's surface and boundary for a `far_side_experiment`, the far real-side points shaded,
    and arrows along −∇ₓ(G's loss) at some of them, on one scale for every plot: a gradient of
    norm 1 is an arrow `arrow` long, so a vanished gradient draws no arrow."""
    gan = result["gan"]
    boundary = 0.5
    ax = plot_surface(gan, result["real"][:2000], result["fake"][:500], ax=ax, boundary=boundary,
                      title=title, label="D(x)")
    far = result["far"]
    ax.scatter(far[:, 0], far[:, 1], s=2, c="w", alpha=0.25, linewidths=0,
               label="real side, far from data")
    if len(far):
        pick = np.random.default_rng(seed).choice(len(far), min(n_arrows, len(far)), replace=False)
        g = generator_gradients(gan, far[pick])
        ax.quiver(far[pick, 0], far[pick, 1], g[:, 0], g[:, 1], color="k", angles="xy",
                  scale_units="xy", scale=1.0 / arrow, width=0.004)
    ax.legend(loc="upper left", fontsize=7, markerscale=3)
    return ax


# ------------------------------------------------------------------ plots
def _grid(n=120):
    xs = np.linspace(-LIMIT, LIMIT, n, dtype=np.float32)
    xx, yy = np.meshgrid(xs, xs)
    return xx, yy, np.stack([xx.ravel(), yy.ravel()], 1)


def plot_snapshots(snapshots, real, steps=None, n=5, size=2.6):
    """A row of panels: G's points (red) over real points (grey) at `n` steps of training."""
    import matplotlib.pyplot as plt
    all_steps = sorted(snapshots)
    if steps is None:
        steps = sorted({all_steps[round(i)] for i in np.linspace(0, len(all_steps) - 1,
                                                                 min(n, len(all_steps)))})
    fig, axes = plt.subplots(1, len(steps), figsize=(size * len(steps), size + 0.3), squeeze=False)
    for ax, step in zip(axes[0], steps):
        plot_points(ax, snapshots[step], real, f"step {step}")
    axes[0, 0].legend(loc="upper left", fontsize=7, markerscale=2)
    fig.tight_layout()
    return fig


def plot_surface(gan, real, fake, ax=None, title=None, boundary=None, label=None):
    """D's output over the plane as a filled contour, real (grey) and fake (red) points on top.

    `boundary`: a level to draw as a black line (0.5 for a probability, D's decision boundary).
    """
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.3))
    xx, yy, flat = _grid()
    out = np.asarray(gan.discriminator(flat, training=False), np.float32).reshape(xx.shape)
    cs = ax.contourf(xx, yy, out, levels=20, cmap="coolwarm_r")
    ax.figure.colorbar(cs, ax=ax, label=label or "D(x)")
    if boundary is not None and out.min() < boundary < out.max():
        ax.contour(xx, yy, out, levels=[boundary], colors="k", linewidths=1.2)
    ax.scatter(real[:, 0], real[:, 1], s=3, c="k", alpha=0.35, linewidths=0, label="real")
    ax.scatter(fake[:, 0], fake[:, 1], s=3, c="yellow", linewidths=0, label="generated")
    ax.set(xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), aspect="equal", xlabel="$x_1$",
           ylabel="$x_2$", title=title or "the discriminator's surface")
    ax.legend(loc="upper left", fontsize=7, markerscale=3)
    return ax


def generator_gradients(gan, fake):
    """−∇ₓ of the generator loss at each fake point x: where the loss asks each fake to move.

    The loss is G's own (`gan.g_loss_fn`), a mean over the points; times their number it is
    the sum of each point's own loss, so each arrow is that point's gradient alone.
    """
    import tensorflow as tf
    x = tf.convert_to_tensor(np.asarray(fake, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = gan.g_loss_fn(gan.discriminator(x, training=False)) * float(len(fake))
    return -tape.gradient(loss, x).numpy()


def plot_gradient_field(gan, real, fake, ax=None, title=None, n_arrows=200, **surface):
    """Arrows at the first `n_arrows` fake points along −∇ₓ(generator loss), over D's surface
    (`surface`: `plot_surface`'s `boundary` and `label`)."""
    ax = plot_surface(gan, real, fake, ax=ax, title=title or "where G's loss pushes each fake",
                      **surface)
    pts = np.asarray(fake, np.float32)[:n_arrows]
    g = generator_gradients(gan, pts)
    ax.quiver(pts[:, 0], pts[:, 1], g[:, 0], g[:, 1], color="k", angles="xy", width=0.004)
    return ax
