"""A GAN on a 2-D toy: eight Gaussians on a ring, tiny MLPs, trained in seconds (chapter 0).

The same trainer as every other chapter (`ganlib.gan.GAN` and its `fit()`, the losses of
`ganlib.losses`, WGAN-GP's penalty from `ganlib.wgan`); only the data and the networks are
small enough to draw the whole game in the plane:

* `sample` — seeded points from `n_modes` Gaussians on a circle;
* `make_toy_gan(loss="bce" | "lsgan" | "wgan-gp")` — G: z → 2-D point, D: point → score;
* `train` — a run-mode schedule through `gan.fit_schedule`'s callbacks, with a run folder
  whose pictures (`samples/`, `strip.png`) are scatter plots instead of image grids;
* `modes_covered` — how many modes get a fair share of the samples; `ModeCounts` records
  where G's points go through training and `plot_mode_counts` draws it (modes × steps);
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
    # The same game with G's original minimax loss log(1 − D(G(z))) (the live demo's lesson).
    "saturating": ("sigmoid", losses.discriminator_bce, losses.generator_saturating,
                   dict(d_steps=1, lr=1e-3, beta_1=0.5, beta_2=0.999)),
    "lsgan": (None, losses.discriminator_least_squares, losses.generator_least_squares,
              dict(d_steps=1, lr=1e-3, beta_1=0.5, beta_2=0.999)),
    "wgan-gp": (None, losses.critic_wasserstein, losses.generator_wasserstein,
                dict(d_steps=5, lr=1e-3, beta_1=0.5, beta_2=0.9)),
}
OPTIMIZERS = ("adam", "sgd")


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


def make_optimizer(name, rate, loss="bce"):
    """``"adam"`` (with the loss's β₁, β₂ from `LOSSES`) or plain ``"sgd"`` at `rate`."""
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")
    if name == "sgd":
        return keras.optimizers.SGD(rate)
    defaults = LOSSES[loss][3]
    return keras.optimizers.Adam(rate, beta_1=defaults["beta_1"], beta_2=defaults["beta_2"])


def make_toy_gan(loss="bce", latent_dim=LATENT_DIM, hidden=HIDDEN, d_steps=None, lr=None,
                 g_lr=None, d_lr=None, seed=None, steps_per_execution=1, gp_weight=0.1,
                 depth=3, noise="normal", optimizer="adam", networks=None):
    """A compiled toy GAN: ``loss="bce"`` (chapter 1's game), ``"saturating"`` (the same with
    G's original minimax loss), ``"lsgan"`` or ``"wgan-gp"``.

    `lr` sets both players' learning rate (Adam unless ``optimizer="sgd"``); `g_lr` / `d_lr`
    override one of them. ``d_steps`` D updates per G update (default 1, WGAN-GP 5). WGAN-GP
    is `wgan.WGANGP` on these networks (its penalty works on (N, 2) points as on images);
    `gp_weight` defaults to λ = 0.1, the value of Gulrajani et al.'s own toy script, not the
    λ = 10 of images. `networks`: an existing ``(generator, discriminator)`` pair to play
    with this loss (D's output activation is set to the loss's), as the live demo does.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    activation, d_loss_fn, g_loss_fn, defaults = LOSSES[loss]
    if seed is not None:
        config.set_seed(seed)   # the weights' initial values
    d_steps = defaults["d_steps"] if d_steps is None else int(d_steps)
    g_lr = g_lr or lr or defaults["lr"]
    d_lr = d_lr or lr or defaults["lr"]
    if networks is None:
        G = build_generator(latent_dim, hidden, depth)
        D = build_discriminator(hidden, depth, activation=activation)
    else:
        G, D = networks
        D.get_layer("d_score").activation = keras.activations.get(activation)
    kwargs = dict(latent_dim=latent_dim, noise=noise, d_steps=d_steps, seed=seed,
                  name=f"toy_{loss.replace('-', '_')}")
    gan = WGANGP(G, D, gp_weight=gp_weight, **kwargs) if loss == "wgan-gp" else GAN(G, D, **kwargs)
    gan.compile(d_optimizer=make_optimizer(optimizer, d_lr, loss),
                g_optimizer=make_optimizer(optimizer, g_lr, loss), d_loss_fn=d_loss_fn,
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


class ModeCounts(keras.callbacks.Callback):
    """Where G puts its points through training: for `n` fixed inputs, the share of points
    whose nearest mode is each mode (the ring cut into `n_modes` sectors, however far from
    the mode's centre), and the share lying *on* a mode (within ``within`` standard deviations
    of a centre, as `modes_covered` counts), recorded at the start and after every call of
    the train function (every ``steps_per_execution`` generator steps).  After training:
    `steps` (T,), `shares` (T, n_modes) and `on_mode` (T,)."""

    def __init__(self, n=1000, n_modes=N_MODES, seed=1, within=3.0):
        super().__init__()
        self.n = int(config.check_count(n, "ModeCounts: n"))
        self.n_modes, self.seed, self.within = n_modes, seed, within
        self._steps, self._shares, self._on = [], [], []

    def _take(self):
        step = generator_steps(self.model)
        if self._steps and self._steps[-1] == step:
            return
        nearest, distance = nearest_mode(self.model.generator(self.inputs),
                                         centers(self.n_modes))
        self._steps.append(step)
        self._shares.append(np.bincount(nearest, minlength=self.n_modes) / len(nearest))
        self._on.append(float((distance <= self.within * STD).mean()))

    def on_train_begin(self, logs=None):
        self.inputs = self.model.preview_noise(self.n, seed=self.seed)
        self._take()

    def on_train_batch_end(self, batch, logs=None):
        self._take()

    @property
    def steps(self):
        return np.asarray(self._steps, np.int64)

    @property
    def shares(self):
        return np.asarray(self._shares, np.float64).reshape(-1, self.n_modes)

    @property
    def on_mode(self):
        return np.asarray(self._on, np.float64)

    def summary(self, last=0.5, crowded=0.5):
        """The picture as numbers, over the `last` fraction of training: how many times the
        mode holding the most points changed (`hops`), how many different modes led, the
        mean number of modes holding a fair share (at least half of 1/n_modes) and the mean
        largest share; and, over all of it, the share of records where one mode held at
        least `crowded` of the points."""
        s = self.shares
        tail = s[int(len(s) * (1 - last)):]
        lead = tail.argmax(1)
        return dict(records=len(s), hops=int((lead[1:] != lead[:-1]).sum()),
                    modes_that_led=len(set(lead.tolist())),
                    fair_modes=float((tail >= 0.5 / self.n_modes).sum(1).mean()),
                    largest_share=float(tail.max(1).mean()),
                    crowded_records=float((s.max(1) >= crowded).mean()),
                    on_mode_end=float(self.on_mode[-1]))


def plot_mode_counts(counter, ax=None, title=None, vmax=None):
    """Modes × generator steps: each mode's share of G's points (a `ModeCounts`).  A healthy
    run fills every row evenly (1/n_modes each); a collapsing one lights one or two rows at a
    time, and the lit rows move as G hops from mode to mode."""
    import matplotlib.pyplot as plt
    ax = ax or plt.gca()
    s, steps = counter.shares, counter.steps
    vmax = vmax or max(2.0 / counter.n_modes, float(s.max()))
    last = steps[-1] + (steps[-1] - steps[-2] if len(steps) > 1 else 1)
    im = ax.pcolormesh(np.append(steps, last), np.arange(counter.n_modes + 1) - 0.5, s.T,
                       cmap="magma", vmin=0, vmax=vmax, shading="flat")
    ax.set_yticks(range(counter.n_modes))
    ax.set_yticklabels([f"mode {i}" for i in range(counter.n_modes)], fontsize=7)
    ax.set_xlabel("generator step")
    if title:
        ax.set_title(title, fontsize=10)
    plt.colorbar(im, ax=ax, label="share of G's points", fraction=0.04)
    return ax


def train(loss="bce", schedule=None, seed=0, run_dir=None, n_modes=N_MODES, n_points=20000,
          n_preview=512, verbose=0, callbacks=(), **model_kwargs):
    """Build and train a toy GAN with a run-mode schedule; returns ``(gan, history, snapshots)``.

    `snapshots`: {generator step: G's points for the same `n_preview` inputs}, at the start
    and after every logging interval. With a `run_dir`, the run folder gets the backup
    (resume), TensorBoard logs and scatter pictures as every chapter's run does.  `callbacks`
    are added to fit's (e.g. a `ModeCounts`).
    """
    extra = list(callbacks)
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
    callbacks.extend(extra)
    epochs, every = config.intervals(schedule)
    history = gan.fit(ds, epochs=epochs, steps_per_epoch=every, verbose=verbose,
                      callbacks=callbacks)
    return gan, history, dict(sorted(pictures.snapshots.items()))


# ------------------------------------------------------------------ measuring
def modes_covered(points, n_modes=N_MODES, radius=RADIUS, std=STD, within=3.0, min_share=0.25,
                  modes=None):
    """How many modes get a fair share of `points`.

    A point belongs to its nearest mode if it lies within ``within * std`` of its centre; a
    mode is covered when it holds at least ``min_share`` of the share a perfect sampler gives
    it (``len(points) / n_modes``).  Returns ``(covered, counts)``; points near no mode are
    in no count (``len(points) - counts.sum()`` of them).  `modes`: the centres of another
    mixture (an (n_modes, 2) array) instead of the ring's.
    """
    c = centers(n_modes, radius) if modes is None else np.asarray(modes, np.float64)
    n_modes = len(c)
    nearest, distance = nearest_mode(points, c)
    close = distance <= within * std
    counts = np.bincount(nearest[close], minlength=n_modes)
    fair = min_share * len(points) / n_modes
    return int((counts >= max(fair, 1)).sum()) if len(points) else 0, counts


def nearest_mode(points, modes):
    """For each 2-D point, the index of its nearest mode centre (`modes`: (n, 2)) and the
    distance to it."""
    points = np.asarray(points, np.float64).reshape(-1, 2)
    dist = np.linalg.norm(points[:, None, :] - np.asarray(modes, np.float64)[None], axis=-1)
    nearest = dist.argmin(1)
    return nearest, dist[np.arange(len(points)), nearest]


def distance_to_ring(points, radius=RADIUS):
    """Mean distance of points from the circle the modes lie on."""
    points = np.asarray(points, np.float64).reshape(-1, 2)
    return float(np.mean(np.abs(np.linalg.norm(points, axis=1) - radius)))


def grid_divergence(real, fake, bins=16, limit=LIMIT):
    """Jensen-Shannon divergence, in bits (0: same histogram, 1: no overlap), between the
    histograms of `real` and `fake` points on a ``bins`` × ``bins`` grid over the plotted
    square: a measure of fit for data that has no modes to count.  Points outside the square
    are left out; with none inside, 1."""
    edges = [np.linspace(-limit, limit, bins + 1)] * 2
    hists = []
    for pts in (real, fake):
        pts = np.asarray(pts, np.float64).reshape(-1, 2)
        h = np.histogram2d(pts[:, 0], pts[:, 1], bins=edges)[0].ravel()
        if h.sum() == 0:
            return 1.0
        hists.append(h / h.sum())
    p, q = hists
    m = 0.5 * (p + q)

    def kl(a):
        keep = a > 0
        return float(np.sum(a[keep] * np.log2(a[keep] / m[keep])))
    return float(min(1.0, max(0.0, 0.5 * kl(p) + 0.5 * kl(q))))


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

    `boundary`: a level to draw as a black line (0.5 for a probability, D's decision boundary);
    the colour map is centred there (white), so "real" and "fake" sides read at a glance.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.3))
    xx, yy, flat = _grid()
    out = np.asarray(gan.discriminator(flat, training=False), np.float32).reshape(xx.shape)
    norm = None
    if boundary is not None:
        reach = max(abs(float(out.max()) - boundary), abs(float(out.min()) - boundary), 1e-6)
        norm = TwoSlopeNorm(vcenter=boundary, vmin=boundary - reach, vmax=boundary + reach)
    cs = ax.contourf(xx, yy, out, levels=20, cmap="coolwarm_r", norm=norm)
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
    return np.asarray(push(gan, tf.convert_to_tensor(np.asarray(fake, np.float32))))


def push(gan, x):
    """`generator_gradients` on a tensor `x` of points, as a tensor (usable in a tf.function)."""
    import tensorflow as tf
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = gan.g_loss_fn(gan.discriminator(x, training=False)) * tf.cast(tf.shape(x)[0],
                                                                            tf.float32)
    return -tape.gradient(loss, x)


def plot_gradient_field(gan, real, fake, ax=None, title=None, n_arrows=200, **surface):
    """Arrows at the first `n_arrows` fake points along −∇ₓ(generator loss), over D's surface
    (`surface`: `plot_surface`'s `boundary` and `label`)."""
    ax = plot_surface(gan, real, fake, ax=ax, title=title or "where G's loss pushes each fake",
                      **surface)
    pts = np.asarray(fake, np.float32)[:n_arrows]
    g = generator_gradients(gan, pts)
    ax.quiver(pts[:, 0], pts[:, 1], g[:, 0], g[:, 1], color="k", angles="xy", width=0.004)
    return ax


# ------------------------------------------------------------------ the live demo's model side
DATASETS = ("ring", "grid", "line", "moons", "spiral")


def data_points(name, n=4096, seed=0):
    """`n` points of a named toy data set, and its modes' centres (None where it has no modes):
    ``"ring"`` (`sample`), ``"grid"`` (25 Gaussians on a 5 × 5 grid), ``"line"`` (a segment),
    ``"moons"`` (two interleaved half circles), ``"spiral"``; all inside the plotted square."""
    rng = np.random.default_rng(seed)
    n = int(n)
    if name == "ring":
        return sample(n, seed=seed), centers()
    if name == "grid":
        ticks = np.linspace(-2.0, 2.0, 5)
        modes = np.stack(np.meshgrid(ticks, ticks), -1).reshape(-1, 2).astype(np.float32)
        pts = modes[rng.integers(0, len(modes), n)] + rng.normal(0.0, STD, (n, 2))
        return pts.astype(np.float32), modes
    if name == "line":
        t = rng.uniform(-1.0, 1.0, n)
        pts = np.stack([2.2 * t, 1.1 * t], 1) + rng.normal(0.0, 0.03, (n, 2))
    elif name == "moons":
        a, upper = rng.uniform(0.0, np.pi, n), rng.integers(0, 2, n).astype(bool)
        x = np.where(upper, np.cos(a), 1.0 - np.cos(a)) - 0.5
        y = np.where(upper, np.sin(a), 0.5 - np.sin(a)) - 0.25
        pts = 1.6 * np.stack([x, y], 1) + rng.normal(0.0, 0.06, (n, 2))
    elif name == "spiral":
        t = np.sqrt(rng.uniform(0.0, 1.0, n))
        angle, r = 3.0 * np.pi * t, 0.3 + 2.2 * t
        pts = np.stack([r * np.cos(angle), r * np.sin(angle)], 1) + rng.normal(0.0, 0.05, (n, 2))
    else:
        raise ValueError(f"data must be one of {DATASETS}, got {name!r}")
    return pts.astype(np.float32), None


class LiveGAN:
    """Chapter 0's toy GAN trained a step at a time, for the live demo (`widgets.GANLab`).

    The networks are `build_generator` / `build_discriminator`, the game is `make_toy_gan`'s
    `GAN` (or `WGANGP`) with the losses of `ganlib.losses`, and every update is that class's
    own, in a `tf.function` with explicit variable lists: `step_d` is
    ``gan.apply_update(gan.discriminator_loss, gan.d_variables, gan.d_optimizer, ...)``,
    `step_g` the same for G, and `step` is ``gan.alternating_step`` (`d_steps` D updates, then
    one G update), the step `fit()` makes in the chapter.

    Settings (`SETTINGS`; change them with `set`, mid-run): the learning rates move the
    optimizers' rate in place; the loss, the optimizer and the noise distribution keep the
    networks' weights and start fresh optimizers; the noise dimension and the network sizes
    rebuild the networks (training starts over).  Bad values raise ValueError naming the
    setting and the fix, and leave everything as it was.  `frame` returns what the demo draws.
    """

    SETTINGS = dict(loss="bce", d_lr=1e-3, g_lr=1e-3, d_steps=1, optimizer="adam",
                    latent_dim=LATENT_DIM, noise="normal", hidden=HIDDEN, depth=3,
                    batch_size=BATCH_SIZE, seed=0)
    REBUILD = ("latent_dim", "hidden", "depth", "seed")   # these start training over
    # One-click lessons of chapter 0 (and 5, 6): settings and data; each starts from scratch.
    LESSONS = {
        "healthy run": dict(loss="bce", d_lr=1e-3, g_lr=1e-3, d_steps=1, optimizer="adam",
                            data="ring"),
        "mode collapse": dict(loss="bce", d_steps=1, optimizer="adam", data="ring", **COLLAPSE),
        # D far ahead of G: with log(1 − D(G(z))) G's gradient vanishes and the fakes stay
        # put; the same settings with the GAN loss ("bce") move them (measured in the tests).
        "vanishing gradients": dict(loss="saturating", d_lr=3e-3, g_lr=1e-4, d_steps=5,
                                    optimizer="adam", data="ring"),
        "WGAN critic": dict(loss="wgan-gp", d_lr=1e-3, g_lr=1e-3, d_steps=5, optimizer="adam",
                            data="ring"),
        "LSGAN boundary": dict(loss="lsgan", d_lr=1e-3, g_lr=1e-3, d_steps=1, optimizer="adam",
                               data="ring"),
    }
    N_FAKES = 512        # fixed noise for the fake points drawn
    N_ARROWS = 128       # fakes that get a gradient arrow
    SURFACE = 36         # D is evaluated on a SURFACE × SURFACE grid
    MANIFOLD = 16        # G's manifold: the image of a MANIFOLD × MANIFOLD grid of noise
    HISTORY = 4000       # steps of loss history kept

    def __init__(self, data="ring", **settings):
        self.settings = dict(self.SETTINGS)
        self.settings.update(self.check(**settings))
        self.data_name, self.modes = None, None
        self.set_data(data)
        self.build()

    # ------------------------------------------------------------------ settings
    @classmethod
    def check(cls, **changes):
        """The changes as clean values; ValueError naming the first bad one and the fix."""
        out = {}
        for key, value in changes.items():
            if key not in cls.SETTINGS:
                raise ValueError(f"unknown setting {key!r}: choose from {sorted(cls.SETTINGS)}")
            if key == "loss":
                if value not in LOSSES:
                    raise ValueError(f"loss {value!r} refused: choose one of {sorted(LOSSES)}")
            elif key == "optimizer":
                if value not in OPTIMIZERS:
                    raise ValueError(f"optimizer {value!r} refused: choose one of {OPTIMIZERS}")
            elif key == "noise":
                if value not in ("normal", "uniform"):
                    raise ValueError(f"noise {value!r} refused: choose 'normal' or 'uniform'")
            elif key in ("d_lr", "g_lr"):
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    value = float("nan")
                if not np.isfinite(value) or not 0 < value <= 1:
                    raise ValueError(f"{key.replace('_', ' ')} {changes[key]!r} refused: a "
                                     "learning rate is a number in (0, 1], e.g. 0.001")
            else:
                limits = dict(d_steps=(1, 20), latent_dim=(1, 16), hidden=(2, 512),
                              depth=(1, 6), batch_size=(8, 4096), seed=(0, 2**31 - 1))[key]
                ok = (isinstance(value, (int, np.integer, float, np.floating))
                      and not isinstance(value, bool) and np.isfinite(value)
                      and float(value).is_integer() and limits[0] <= value <= limits[1])
                if not ok:
                    raise ValueError(f"{key.replace('_', ' ')} {value!r} refused: a whole "
                                     f"number from {limits[0]} to {limits[1]}")
                value = int(value)
            out[key] = value
        return out

    def set(self, **changes):
        """Change settings mid-run (see the class doc); returns True when the networks were
        rebuilt.  A bad value raises ValueError and changes nothing."""
        changes = {k: v for k, v in self.check(**changes).items() if self.settings[k] != v}
        if not changes:
            return False
        self.settings.update(changes)
        if any(k in self.REBUILD for k in changes):
            self.build()
            return True
        if {"loss", "optimizer", "noise", "d_steps"} & set(changes):
            self.compile()
        for key in {"d_lr", "g_lr"} & set(changes):
            opt = self.gan.d_optimizer if key == "d_lr" else self.gan.g_optimizer
            opt.learning_rate.assign(changes[key])
        return False

    def lesson(self, name):
        """Apply one of `LESSONS` (settings and data) and start training over."""
        if name not in self.LESSONS:
            raise ValueError(f"lesson {name!r} unknown: choose one of {list(self.LESSONS)}")
        preset = dict(self.LESSONS[name])
        data = preset.pop("data")
        self.settings.update(self.check(**preset))
        self.set_data(data)
        self.build()

    # ------------------------------------------------------------------ data
    def set_data(self, data):
        """A preset's name (`DATASETS`), or an (N, 2) array of points (e.g. drawn ones) to
        train on exactly; refused (ValueError) when empty, not (N, 2) or not finite."""
        if isinstance(data, str):
            points, modes = data_points(data, seed=self.settings["seed"])
            name = data
        else:
            points = np.asarray(data, np.float32)
            if points.ndim != 2 or points.shape[1] != 2:
                raise ValueError(f"points must be an (N, 2) array, got shape {points.shape}")
            if len(points) == 0:
                raise ValueError("no points to train on: draw some on the plane first "
                                 "(click or drag), then train")
            if not np.isfinite(points).all():
                raise ValueError("points must be finite numbers")
            name, modes = "drawn", None
        self.data, self.data_name, self.modes = points, name, modes
        self._real_view = points[np.random.default_rng(0).permutation(len(points))[:1024]]
        from scipy.spatial import cKDTree
        self._tree = cKDTree(points.astype(np.float64))

    # ------------------------------------------------------------------ networks and updates
    def build(self):
        """New networks from the settings' seed, sizes and noise dimension; fresh history."""
        st = self.settings
        config.set_seed(st["seed"])
        self.G = build_generator(st["latent_dim"], st["hidden"], st["depth"])
        self.D = build_discriminator(st["hidden"], st["depth"], activation=LOSSES[st["loss"]][0])
        self.rng = np.random.default_rng(st["seed"])
        self.history = {"step": [], "d_loss": [], "g_loss": []}
        self.d_updates = self.g_updates = 0
        self.compile()

    def compile(self):
        """The GAN (of the current loss) around the networks, fresh optimizers, and traced
        updates; the weights are kept."""
        st = self.settings
        self.gan = make_toy_gan(st["loss"], latent_dim=st["latent_dim"], d_steps=st["d_steps"],
                                g_lr=st["g_lr"], d_lr=st["d_lr"], seed=st["seed"],
                                noise=st["noise"], optimizer=st["optimizer"],
                                networks=(self.G, self.D))
        self.preview = self.gan.preview_noise(self.N_FAKES)
        m = self.MANIFOLD
        ticks = np.linspace(-1.0, 1.0, m) * (1.0 if st["noise"] == "uniform" else 2.0)
        grid = np.zeros((m, m, st["latent_dim"]), np.float32)
        grid[..., 0] = ticks[None, :]
        if st["latent_dim"] > 1:
            grid[..., 1] = ticks[:, None]
        self.manifold_noise = grid.reshape(-1, st["latent_dim"])
        xx, yy, self.surface_grid = _grid(self.SURFACE)
        self._good = None
        self._trace()

    def _trace(self):
        import tensorflow as tf
        gan = self.gan

        @tf.function
        def d_update(real):
            logs = gan.apply_update(gan.discriminator_loss, gan.d_variables, gan.d_optimizer,
                                    real, None)
            if gan.clip_value is not None:
                gan.clip_discriminator()
            return logs["d_loss"]

        @tf.function
        def g_update(real):
            return gan.apply_update(gan.generator_loss, gan.g_variables, gan.g_optimizer,
                                    real, None)["g_loss"]

        @tf.function(input_signature=[tf.TensorSpec(
            [None, self.settings["d_steps"] * self.settings["batch_size"], 2], tf.float32)])
        def both(reals):
            # One graph call for several steps (as fit's steps_per_execution does).
            d_loss = g_loss = tf.constant(0.0)
            for i in tf.range(tf.shape(reals)[0]):
                logs = gan.alternating_step(reals[i], None)
                d_loss, g_loss = logs["d_loss"], logs["g_loss"]
            return d_loss, g_loss

        @tf.function
        def view(surface_grid, preview, manifold_noise, real):
            fake = gan.generator(preview, training=False)
            return (gan.discriminator(surface_grid, training=False), fake,
                    push(gan, fake[:self.N_ARROWS]), gan.generator(manifold_noise, training=False),
                    gan.discriminator(real, training=False))

        from .runs import state_variables
        state = state_variables(gan)
        shadow = [tf.Variable(v, trainable=False) for v in state]
        weights = self.G.weights + self.D.weights

        @tf.function
        def save():
            for s, v in zip(shadow, state):
                s.assign(v)

        @tf.function
        def load():
            for s, v in zip(shadow, state):
                v.assign(s)

        @tf.function
        def weights_finite():
            return tf.reduce_all([tf.reduce_all(tf.math.is_finite(w)) for w in weights])

        self._d_update, self._g_update, self._both, self._view = d_update, g_update, both, view
        self._save, self._load, self._weights_finite = save, load, weights_finite

    def batch(self, n):
        """`n` real points drawn (with replacement) from the data."""
        return self.data[self.rng.integers(0, len(self.data), int(n))]

    def _record(self, d_loss=None, g_loss=None):
        """One line of history: the losses of this update, the other player's last one."""
        h = self.history
        last = {k: (h[k][-1] if h[k] else 0.0) for k in ("d_loss", "g_loss")}
        h["step"].append(self.g_updates)
        h["d_loss"].append(last["d_loss"] if d_loss is None else float(d_loss))
        h["g_loss"].append(last["g_loss"] if g_loss is None else float(g_loss))
        if len(h["step"]) > self.HISTORY:
            for v in h.values():
                del v[0]

    def step_d(self):
        """One D update (G untouched); returns D's loss."""
        loss = float(self._d_update(self.batch(self.settings["batch_size"])))
        self.d_updates += 1
        self._record(d_loss=loss)
        return loss

    def step_g(self):
        """One G update (D untouched); returns G's loss."""
        loss = float(self._g_update(self.batch(self.settings["batch_size"])))
        self.g_updates += 1
        self._record(g_loss=loss)
        return loss

    def step(self, n=1):
        """`n` steps of the GAN's own alternation: `d_steps` D updates, then one G update."""
        k, b, n = self.settings["d_steps"], self.settings["batch_size"], int(n)
        if n < 1:
            return
        d_loss, g_loss = self._both(self.batch(n * k * b).reshape(n, k * b, 2))
        self.d_updates += n * k
        self.g_updates += n
        self._record(float(d_loss), float(g_loss))

    def finite(self):
        """True while every weight, and the last losses recorded, are finite."""
        last = [h[-1] for h in (self.history["d_loss"], self.history["g_loss"]) if h]
        return all(np.isfinite(x) for x in last) and bool(self._weights_finite())

    def keep(self):
        """Remember the current weights and optimizer state as the last good one (in
        TensorFlow variables: one graph call, cheap enough for every frame)."""
        self._save()
        self._good = (self.d_updates, self.g_updates)

    def restore(self):
        """Put back what `keep` saved (after a step made the losses non-finite); returns the
        generator step it goes back to, or None when nothing was kept."""
        if self._good is None:
            return None
        self._load()
        self.d_updates, self.g_updates = self._good
        h = self.history
        while h["step"] and (h["step"][-1] > self.g_updates
                             or not (np.isfinite(h["d_loss"][-1]) and np.isfinite(h["g_loss"][-1]))):
            for v in h.values():
                v.pop()
        return self.g_updates

    # ------------------------------------------------------------------ what the demo draws
    def frame(self):
        """What the views show now, as float32 arrays and numbers: ``surface`` (D on the grid,
        SURFACE²), ``centre`` / ``span`` of its colour scale, ``fake`` and ``arrows`` (−∇ₓ of
        G's loss at the first N_ARROWS fakes), ``manifold`` (MANIFOLD × MANIFOLD × 2),
        ``real`` (up to 1,024 data points), and the readings: ``modes`` (covered, None for data
        without modes), ``js`` (`grid_divergence`), ``nearest`` (mean distance from a fake to
        the nearest real point), ``arrow_norm`` (mean ‖arrow‖)."""
        surface, fake, arrows, manifold, d_real = (
            np.asarray(t, np.float32) for t in self._view(
                self.surface_grid, self.preview, self.manifold_noise, self._real_view[:256]))
        surface = surface.reshape(self.SURFACE, self.SURFACE)
        if self.settings["loss"] == "wgan-gp":
            d_fake = np.asarray(self.D(fake[:256], training=False))
            centre = 0.5 * (float(d_real.mean()) + float(d_fake.mean()))
        else:
            centre = 0.5
        finite = surface[np.isfinite(surface)]
        span = float(np.max(np.abs(finite - centre))) if finite.size else 0.5
        span = max(span, 0.5) if self.settings["loss"] != "wgan-gp" else max(span, 1e-6)
        modes = None
        if self.modes is not None:
            modes = modes_covered(fake, modes=self.modes)[0]
        nearest = float(np.mean(self._tree.query(np.nan_to_num(fake, nan=1e6).astype(np.float64))[0]))
        return dict(surface=surface, centre=centre, span=span, fake=fake, arrows=arrows,
                    manifold=manifold.reshape(self.MANIFOLD, self.MANIFOLD, 2),
                    real=self._real_view, modes=modes, n_modes=None if self.modes is None else len(self.modes),
                    js=grid_divergence(self._real_view, fake), nearest=nearest,
                    arrow_norm=float(np.mean(np.linalg.norm(arrows, axis=1))),
                    step=self.g_updates, d_updates=self.d_updates)
