"""Pictures: image grids, a live-sample callback for `fit()`, loss curves."""
import os

import keras
import matplotlib.pyplot as plt
import numpy as np


def tile(images, ncols=None, scale="tanh", pad=1):
    """Arrange (N, H, W, C) images into one (rows·H, cols·W, C) uint8 mosaic."""
    from .data import to_uint8
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(f"expected (N, H, W) or (N, H, W, C) images, got shape {images.shape}")
    if not len(images):
        raise ValueError("no images to show (an empty array)")
    if ncols is not None and (isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer))
                              or ncols < 1):
        raise ValueError(f"ncols={ncols!r}: expected a whole number of columns, at least 1")
    if images.dtype != np.uint8:
        images = to_uint8(images, scale)
    n, h, w, c = images.shape
    ncols = ncols or int(np.ceil(np.sqrt(n)))
    nrows = int(np.ceil(n / ncols))
    canvas = np.full((nrows * (h + pad) + pad, ncols * (w + pad) + pad, c), 255, np.uint8)
    for i, img in enumerate(images):
        r, q = divmod(i, ncols)
        canvas[pad + r * (h + pad):pad + r * (h + pad) + h, pad + q * (w + pad):pad + q * (w + pad) + w] = img
    return canvas


def show_grid(images, ncols=None, scale="tanh", title=None, ax=None, size=6, row_labels=None,
              col_labels=None):
    """Plot images as a grid; returns the matplotlib Axes.

    `row_labels` / `col_labels` (e.g. class names): one per row / column of the grid.
    """
    mosaic = tile(images, ncols, scale)          # checks the images first
    n = len(images)
    ncols = ncols or int(np.ceil(np.sqrt(n)))
    nrows = int(np.ceil(n / ncols))
    for labels, count, arg, what in ((row_labels, nrows, "row_labels", "row"),
                                     (col_labels, ncols, "col_labels", "column")):
        if labels is not None and len(labels) != count:
            raise ValueError(f"{arg}: got {len(labels)} labels for {count} {what}s "
                             f"({n} images, {ncols} per row); pass one label per {what}")
    if ax is None:
        _, ax = plt.subplots(figsize=(size, size * mosaic.shape[0] / mosaic.shape[1]))
    ax.imshow(mosaic.squeeze(-1) if mosaic.shape[-1] == 1 else mosaic, cmap="gray", vmin=0, vmax=255)
    ax.set_xticks([])
    ax.set_yticks([])
    h, w = np.asarray(images).shape[1:3]
    if row_labels is not None:
        ax.set_yticks([1 + r * (h + 1) + h / 2 for r in range(len(row_labels))], row_labels)
    if col_labels is not None:
        ax.set_xticks([1 + q * (w + 1) + w / 2 for q in range(len(col_labels))], col_labels,
                      rotation=45, ha="right")
    if title:
        ax.set_title(title)
    return ax


class SampleGrid(keras.callbacks.Callback):
    """Draw G's samples for a *fixed* noise batch every `every` epochs (or at the end).

    In a notebook the figure is refreshed in place (one output, not a scroll of
    pictures); `save_dir` also writes one PNG per refresh, named by the step count.
    """

    def __init__(self, inputs, every=1, ncols=None, scale="tanh", save_dir=None, display=True,
                 size=4):
        super().__init__()
        from . import config
        every = config.check_count(every, "SampleGrid: every (logging intervals)")
        if scale not in ("tanh", "sigmoid"):
            raise ValueError(f"SampleGrid: scale must be 'tanh' or 'sigmoid', got {scale!r}")
        if isinstance(inputs, np.ndarray) and inputs.dtype.kind == "f":
            config.check_finite(inputs, "SampleGrid: inputs")
        self.inputs, self.every, self.ncols, self.scale = inputs, every, ncols, scale
        self.save_dir, self.display, self.size = save_dir, display, size
        self.handle = None
        self.saved = []

    prefix = "samples"

    def figure(self, step):
        """The picture for generator step `step` (subclasses draw other layouts)."""
        images = self.model.generator.predict(self.inputs, verbose=0)
        fig, ax = plt.subplots(figsize=(self.size, self.size))
        show_grid(images, self.ncols, self.scale, title=f"after {step} generator steps", ax=ax)
        return fig

    def draw(self, step):
        fig = self.figure(step)
        if self.save_dir:
            os.makedirs(self.save_dir, exist_ok=True)
            path = os.path.join(self.save_dir, f"{self.prefix}_step{step:07d}.png")
            fig.savefig(path, bbox_inches="tight")
            self.saved.append(path)
        if self.display:
            from IPython.display import display
            if self.handle is None:
                self.handle = display(fig, display_id=True)
            else:
                self.handle.update(fig)
        plt.close(fig)

    def _steps(self):
        return int(self.model.g_optimizer.iterations.numpy())

    def on_train_begin(self, logs=None):
        self._drawn = False

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self.draw(self._steps())
            self._drawn = True

    def on_train_end(self, logs=None):
        if not self._drawn:  # e.g. a finished run loaded back from its run folder
            self.draw(self._steps())


def plot_estimate_and_fd(history, record, steps_per_epoch, key="w_dist", ax=None, title=None):
    """A logged training quantity (WGAN's critic estimate) and a measured FD on twin axes.

    `history`: the `fit()` History with one `key` value per logging interval; `record`: a
    `metrics.MetricHistory` of FD.  Returns `metrics.correlation_over_training`'s dict
    (Pearson r, Spearman rho over the measured steps), or None with too few measurements.
    """
    from .metrics import correlation_over_training
    hist = getattr(history, "history", history)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    x = np.arange(1, len(hist[key]) + 1) * steps_per_epoch
    ax.plot(x, hist[key], color="C0", label=f"{key} (critic's estimate)")
    ax.set_xlabel("generator steps")
    ax.set_ylabel(key, color="C0")
    fd = ax.twinx()
    steps, values = record.series()
    fd.plot(steps, values, "o-", color="C3", label="FD (lower is better)")
    fd.set_ylabel("FD", color="C3")
    try:
        track = correlation_over_training(hist, key, record, steps_per_epoch)
    except ValueError:
        track = None
    label = title or ""
    if track is not None:
        label += f"{', ' if label else ''}r({key}, FD) = {track['r']:+.2f}"
    ax.set_title(label)
    ax.legend(handles=ax.get_lines() + fd.get_lines(), loc="upper right", fontsize=8)
    ax.grid(alpha=0.3)
    return track


def plot_history(history, keys=None, ax=None, title="losses (mean per logging interval)",
                 steps_per_epoch=None):
    """Loss curves from a `fit()` History (or its `.history` dict)."""
    hist = getattr(history, "history", history)
    if not isinstance(hist, dict):
        raise ValueError(f"plot_history: expected a fit() History or its .history dict, got "
                         f"{type(history).__name__}")
    keys = keys or [k for k in hist if k.endswith("loss") or k.startswith(("d_", "g_"))]
    missing = [k for k in keys if k not in hist]
    if missing:
        raise ValueError(f"plot_history: no {', '.join(map(repr, missing))} in this history; it "
                         f"has {', '.join(map(repr, hist)) or 'nothing'}")
    if steps_per_epoch is not None:
        from . import config
        steps_per_epoch = config.check_count(steps_per_epoch, "plot_history: steps_per_epoch")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    for k in keys:
        x = np.arange(1, len(hist[k]) + 1) * (steps_per_epoch or 1)
        ax.plot(x, hist[k], label=k)
    ax.set_xlabel("generator steps" if steps_per_epoch else "epoch")
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax
