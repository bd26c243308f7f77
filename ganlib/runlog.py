"""What a run folder shows a person: TensorBoard logs, the samples of training, a strip and a GIF.

`training_callbacks(run_dir)` adds these next to the backup (`runs.RunBackup`):

    run_dir/
        tensorboard/           losses per logging interval (Keras' `TensorBoard` callback) and
                               the sample grid at each interval (images tab):
                                   tensorboard --logdir runs/
        samples/step_0000400.png   the generator's images for one fixed set of inputs after
                               each logging interval (the same inputs all run long, resume included)
        strip.png              up to eight of those grids, labelled by step (wide ones one
                               under another, twice-as-wide ones two to a row, square ones
                               side by side): learning at a glance
        training.gif           every grid in turn, an animation of training

Nothing here is needed to resume a run; all of it is rewritten from ``samples/`` at the end.
"""
import glob
import os
import re
import time

import keras
import numpy as np

from . import viz

TENSORBOARD = "tensorboard"
SAMPLES = "samples"
STRIP = "strip.png"
GIF = "training.gif"
STRIP_FRAMES = 8


def output_scale(generator):
    """``"sigmoid"`` for a generator ending in a sigmoid ([0, 1] images), else ``"tanh"``."""
    last = generator.layers[-1]
    act = getattr(last, "activation", None)
    return "sigmoid" if getattr(act, "__name__", "") == "sigmoid" else "tanh"


class RunTensorBoard(keras.callbacks.TensorBoard):
    """Keras' own TensorBoard callback, writing the losses of each logging interval; it opens
    no log file for a run that has nothing left to train (a finished run loaded back), so
    such a run leaves its folder as it was."""

    def _nothing_to_train(self):
        return int(getattr(self.model, "_initial_epoch", 0) or 0) >= int(
            (self.params or {}).get("epochs") or 0)

    def on_train_begin(self, logs=None):
        self._idle = self._nothing_to_train()
        if not self._idle:
            super().on_train_begin(logs)

    def on_train_end(self, logs=None):
        if not self._idle:
            super().on_train_end(logs)


def tensorboard(run_dir):
    """`RunTensorBoard` writing into ``run_dir/tensorboard``."""
    return RunTensorBoard(os.path.join(run_dir, TENSORBOARD), write_graph=False, profile_batch=0,
                          update_freq="epoch")


def _frame_steps(run_dir):
    paths = glob.glob(os.path.join(run_dir, SAMPLES, "step_*.png"))
    steps = sorted(int(m.group(1)) for p in paths
                   if (m := re.search(r"step_(\d+)\.png$", p)))
    return steps


def frame_path(run_dir, step):
    return os.path.join(run_dir, SAMPLES, f"step_{step:07d}.png")


def write_strip(run_dir, n=STRIP_FRAMES):
    """`strip.png`: up to `n` sample grids, evenly spread over the run (the last included)."""
    import matplotlib.pyplot as plt
    from PIL import Image
    steps = _frame_steps(run_dir)
    if not steps:
        return None
    picks = sorted({steps[round(i)] for i in np.linspace(0, len(steps) - 1, min(n, len(steps)))})
    frames = [np.asarray(Image.open(frame_path(run_dir, s))) for s in picks]
    h, w = frames[0].shape[:2]
    if w > 2 * h:   # wide grids (a row per class or code): one under the other, step at the left
        width = min(7.0, w / 40)
        fig, axes = plt.subplots(len(frames), 1, squeeze=False,
                                 figsize=(width, len(frames) * (width * h / w + 0.25) + 0.4))
        axes = axes[:, 0]
    elif w >= 1.5 * h:   # grids twice as wide as high (pix2pix's 2 × 4): two per row, so that
        cols = 2         # each image keeps about an inch; read left to right, top to bottom
        rows = -(-len(frames) // cols)
        fig, axes = plt.subplots(rows, cols, squeeze=False,
                                 figsize=(9.0, rows * (4.4 * h / w + 0.3) + 0.4))
        axes = axes.ravel()
        for ax in axes[len(frames):]:
            ax.axis("off")
    else:
        fig, axes = plt.subplots(1, len(frames), figsize=(2.2 * len(frames), 2.2 * h / w + 0.4),
                                 squeeze=False)
        axes = axes[0]
    for ax, img, step in zip(axes, frames, picks):
        ax.imshow(img, cmap="gray", vmin=0, vmax=255)
        ax.set_title(f"step {step}", fontsize=9, loc="left" if w > 2 * h else "center")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("the same inputs over training", fontsize=10)
    fig.tight_layout()
    tmp = os.path.join(run_dir, "saving-strip.png")
    fig.savefig(tmp, dpi=100)
    plt.close(fig)
    os.replace(tmp, os.path.join(run_dir, STRIP))
    return os.path.join(run_dir, STRIP)


def show_strip(run_dir):
    """Show a run folder's `strip.png` (the same inputs at several steps) in a notebook.

    Returns nothing, so that the cell shows only the picture (nbval runs cells without the
    history a trailing `;` needs to hide a value)."""
    path = os.path.join(run_dir, STRIP)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} does not exist: a fit() with this run folder writes it "
                                "at the end of training; train first")
    from IPython.display import Image, display
    display(Image(filename=path))


def write_gif(run_dir, ms_per_frame=300, upscale=2):
    """`training.gif`: every sample grid in turn (the last one held longer), looping."""
    from PIL import Image
    steps = _frame_steps(run_dir)
    if not steps:
        return None
    frames = []
    for s in steps:
        img = Image.open(frame_path(run_dir, s))
        img = img.convert("L" if img.mode in ("L", "LA") else "RGB")
        frames.append(img.resize((img.width * upscale, img.height * upscale), Image.NEAREST))
    durations = [ms_per_frame] * (len(frames) - 1) + [ms_per_frame * 5]
    tmp = os.path.join(run_dir, "saving-training.gif")
    frames[0].save(tmp, save_all=True, append_images=frames[1:], duration=durations, loop=0)
    os.replace(tmp, os.path.join(run_dir, GIF))
    return os.path.join(run_dir, GIF)


class TrainingPictures(keras.callbacks.Callback):
    """After every `every` logging intervals: the generator's images for fixed `inputs` as
    ``samples/step_NNNNNNN.png`` and as a TensorBoard image; at the end `strip.png` and
    `training.gif` from all of them (see the module docstring).

    `inputs`: what the generator is fed (default: the model's `preview_inputs()`; pix2pix
    passes held-out source images).  `ncols`: grid columns (default: the model's
    `preview_columns`).
    """

    def __init__(self, run_dir, inputs=None, every=1, ncols=None):
        super().__init__()
        self.run_dir = os.path.abspath(str(run_dir))
        self.inputs, self.every, self.ncols = inputs, max(1, int(every)), ncols
        self._writer = None

    def _inputs(self):
        if self.inputs is None:
            self.inputs = self.model.preview_inputs()
        return self.inputs

    def _steps(self):
        from .runs import generator_steps
        return generator_steps(self.model)

    def grid(self):
        """The current sample grid as a uint8 mosaic (H, W, C)."""
        gen = self.model.generator
        x = self._inputs()
        images = np.asarray(gen(x), np.float32)   # called, so pix2pix's dropout acts
        ncols = self.ncols or getattr(self.model, "preview_columns", None)
        return viz.tile(images, ncols, output_scale(gen))

    def draw(self, step):
        from PIL import Image
        import tensorflow as tf
        if self._inputs() is None:   # (pix2pix without source images to show)
            return
        mosaic = self.grid()
        os.makedirs(os.path.join(self.run_dir, SAMPLES), exist_ok=True)
        path = frame_path(self.run_dir, step)
        Image.fromarray(mosaic.squeeze(-1) if mosaic.shape[-1] == 1 else mosaic).save(path + ".tmp",
                                                                                     format="PNG")
        os.replace(path + ".tmp", path)
        if self._writer is None:
            self._writer = tf.summary.create_file_writer(
                os.path.join(self.run_dir, TENSORBOARD, "samples"))
        with self._writer.as_default():
            tf.summary.image("samples", mosaic[None], step=step)
        self._writer.flush()

    def on_train_begin(self, logs=None):
        self._start = self._steps()
        if self._start == 0 and not _frame_steps(self.run_dir):
            self.draw(0)   # the untrained generator: where learning starts

    def on_epoch_end(self, epoch, logs=None):
        if getattr(self.model, "_ganlib_nonfinite", False):
            return
        if (epoch + 1) % self.every == 0:
            self.draw(self._steps())

    def on_train_end(self, logs=None):
        trained = self._steps() != self._start
        if self._steps() not in _frame_steps(self.run_dir):   # (a stopped run was put back)
            self.draw(self._steps())
        if trained or not os.path.exists(os.path.join(self.run_dir, STRIP)):
            write_strip(self.run_dir)
        if trained or not os.path.exists(os.path.join(self.run_dir, GIF)):
            write_gif(self.run_dir)
        if self._writer is not None:
            self._writer.close()
            self._writer = None


# ----------------------------------------------------------------------------- progress
def _clock(seconds):
    seconds = int(round(max(0.0, seconds)))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def progress_line(done, total, elapsed, start=0, logs=None, width=24):
    """One line saying how far a run is: generator steps, a bar, time spent, time left.

    The time left is measured on this machine: the seconds per step of the steps trained in
    this session (from `start`), times the steps still to go.
    """
    frac = done / total if total else 1.0
    filled = int(round(width * frac))
    bar = "█" * filled + "·" * (width - filled)
    line = f"generator step {done:,}/{total:,} {bar} {100 * frac:3.0f}%  {_clock(elapsed)} spent"
    if done >= total:
        line += ", done"
    elif done > start and elapsed > 0:
        line += f", about {_clock(elapsed / (done - start) * (total - done))} left"
    else:
        line += ", time left: after the first steps"
    if logs:
        line += "  " + "  ".join(f"{k} {float(v):.3f}" for k, v in logs.items())
    return line


class RunProgress(keras.callbacks.Callback):
    """One progress line over the whole run, updated in place, instead of a line per interval.

    It counts generator steps over all of `fit()`'s logging intervals (a resumed run starts
    from the steps its backup holds, and says so), shows the time spent and the time left,
    and the latest losses.  In a notebook the line is one output updated in place (what the
    notebook keeps is its last state); in a terminal it is redrawn with a carriage return; in
    a log file (output not a terminal) a line is written at each tenth of the run.
    A run with nothing left to train (finished, or a shipped run in ``pretrained`` mode)
    prints nothing: the backup's own one-line message says what was loaded.
    """

    def __init__(self, every_seconds=1.0, out=None):
        super().__init__()
        self.every_seconds = float(every_seconds)
        self.out = out          # a callable taking the line (tests); default: display or print
        self._handle = None

    def _show(self, line, final=False):
        if self.out is not None:
            self.out(line)
            return
        try:
            from IPython import get_ipython
            shell = get_ipython()
        except ImportError:
            shell = None
        if shell is not None and getattr(shell, "kernel", None) is not None:
            from IPython.display import display
            if self._handle is None:
                self._handle = display({"text/plain": line}, raw=True, display_id=True)
            else:
                self._handle.update({"text/plain": line}, raw=True)
        else:
            import sys
            if sys.stdout.isatty():         # a terminal: redraw the line in place
                sys.stdout.write("\r" + line + ("\n" if final else ""))
            else:                           # a log file: a line per tenth of the run
                tenth = int(10 * self.done / self.total) if self.total else 10
                if not final and tenth == getattr(self, "_tenth", None):
                    return
                self._tenth = tenth
                sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def on_train_begin(self, logs=None):
        params = self.params or {}
        self.per_epoch = int(params.get("steps") or 0)
        self.total = int(params.get("epochs") or 0) * self.per_epoch
        self.start = int(getattr(self.model, "_initial_epoch", 0) or 0) * self.per_epoch
        self.active = self.start < self.total
        self.done, self.epoch, self._handle, self.logs = self.start, 0, None, {}
        self.t0 = self._last = time.monotonic()
        if self.active:
            if self.start:
                print(f"Resuming at generator step {self.start:,} of {self.total:,} "
                      "(the run folder's backup).")
            self._show(progress_line(self.start, self.total, 0.0, self.start))

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if not self.active:
            return
        self.done = self.epoch * self.per_epoch + batch + 1
        self.logs = {k: v for k, v in (logs or {}).items() if np.ndim(v) == 0}
        now = time.monotonic()
        if now - self._last >= self.every_seconds:
            self._last = now
            self._show(progress_line(self.done, self.total, now - self.t0, self.start, self.logs))

    def on_train_end(self, logs=None):
        if self.active:
            line = progress_line(self.done, self.total, time.monotonic() - self.t0, self.start,
                                 self.logs)
            if self.done < self.total:
                line += "  (stopped before the end)"
            self._show(line, final=True)
