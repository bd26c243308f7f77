"""GAN Lab in the notebook: chapter 0's toy GAN trained live, step by step (anywidget + ipywidgets).

After Kahng et al.'s GAN Lab (IEEE VIS 2018), but driven by ganlib's own trainer:
`toy2d.LiveGAN` holds the chapter's networks and `GAN` class, and every update is that class's
(`apply_update` on D's or G's variable list, or `alternating_step`) in a `tf.function`.

* **Views** (each switchable): real points, fake points, D's output over the plane (a
  diverging colour map centred at D = ½, for the WGAN critic at the midpoint of its mean
  scores on reals and fakes), G's gradient arrows on the fakes (−∇ₓ of G's loss, on one fixed
  saturating length scale, so a vanished gradient draws no arrow), G's manifold (the image of a
  grid of noise); below, the two losses and the fit (JS divergence on a grid, and the share of
  modes covered for data with modes) over steps.
* **Controls:** play / pause, step D, step G, step (both), slow motion (one D update, then one
  G update, the surface changing between them), reset, steps per frame.
* **Settings** that change mid-run (`toy2d.LiveGAN.set`): loss, learning rates, D steps per G
  step, optimizer, noise distribution; the noise dimension and network sizes rebuild the
  networks (said next to them).
* **Data:** presets (`toy2d.DATASETS`) or *draw your own*: click or drag on the plane.
* **Lessons:** one click each (`toy2d.LiveGAN.LESSONS`).

The canvas (`GANLabCanvas`, an `anywidget.AnyWidget` with `ganlab.js`) receives arrays only;
playing is an asyncio task on the kernel's event loop that trains, sends a frame and sleeps, so
every button and setting is handled between two frames and other cells can run.  Everything is
plain Python too: set a control's ``.value`` or call `advance` and read `last_frame`, so the
tests need no browser.  A bad setting is answered by a notice next to its control and nothing
changes; a run whose losses turn non-finite is put back to its last good frame and paused.
"""
import asyncio
import html
import pathlib
import time
import weakref

import anywidget
import ipywidgets as W
import numpy as np
import traitlets

from .. import toy2d
from . import notice, say

HERE = pathlib.Path(__file__).parent
VIEWS = {"real": "real points", "fake": "fake points", "surface": "D(x) over the plane",
         "arrows": "G's gradients", "manifold": "G's manifold"}
LOSS_LABELS = {"GAN loss (non-saturating G)": "bce", "saturating G loss": "saturating",
               "LSGAN (least squares)": "lsgan", "WGAN-GP": "wgan-gp"}
DATA_LABELS = {"ring of Gaussians": "ring", "grid of Gaussians": "grid", "line": "line",
               "two moons": "moons", "spiral": "spiral", "draw your own": "drawn"}
CHART_STEPS = 400   # history points sent to the charts
_PLAYING = weakref.WeakSet()   # labs playing now: one at a time (a re-run cell leaves its old one)


def _f32(a):
    """An array as the bytes of a float32 C array (a binary buffer of the widget state)."""
    return np.ascontiguousarray(a, np.float32).tobytes()


class GANLabCanvas(anywidget.AnyWidget):
    """The plane and the charts, drawn by `ganlab.js` from the arrays in its traits."""

    _esm = HERE / "ganlab.js"
    _css = HERE / "ganlab.css"
    frame = traitlets.Dict().tag(sync=True)
    real = traitlets.Bytes(b"").tag(sync=True)
    charts = traitlets.Dict().tag(sync=True)
    views = traitlets.List(traitlets.Unicode(), default_value=list(VIEWS)).tag(sync=True)
    phase = traitlets.Unicode("").tag(sync=True)
    drawing = traitlets.Bool(False).tag(sync=True)
    brush = traitlets.Float(0.06).tag(sync=True)
    limit = traitlets.Float(toy2d.LIMIT).tag(sync=True)


class GANLab:
    """The live demo: ``GANLab()`` then display ``lab.widget`` (or the object itself).

    Args:
      data: a `toy2d.DATASETS` name to start with.
      steps_per_frame: GAN steps between two frames while playing (the "steps/frame" slider).
      fps: frames per second aimed at while playing (fewer when a frame takes longer).
      settings: `toy2d.LiveGAN.SETTINGS` to start with (loss, d_lr, ...).
    """

    def __init__(self, data="ring", steps_per_frame=5, fps=20, **settings):
        self.model = toy2d.LiveGAN(data=data, **settings)
        self.fps = float(fps)
        self.canvas = GANLabCanvas()
        self.canvas.on_msg(self._on_msg)
        self.task = None            # the asyncio task while playing
        self.frames = 0             # frames drawn
        self.frame_times = []       # wall times of the last frames (for the frames/s reading)
        self.fit = {"step": [], "js": [], "modes": []}
        self.drawn = np.zeros((0, 2), np.float32)
        self.last_frame = None
        self._half = "D"            # slow motion: which update comes next
        self._syncing = False

        # ---- controls
        self.play_button = W.ToggleButton(value=False, description="play", icon="play",
                                          tooltip="play / pause")
        self.step_d_button = W.Button(description="step D", tooltip="one discriminator update")
        self.step_g_button = W.Button(description="step G", tooltip="one generator update")
        self.step_button = W.Button(description="step", tooltip="D steps, then one G update")
        self.slow = W.ToggleButton(value=False, description="slow motion", icon="hourglass",
                                   tooltip="one D update, then one G update, per frame")
        self.reset_button = W.Button(description="reset", icon="refresh",
                                     tooltip="new networks, same settings")
        self.speed = W.IntSlider(value=int(steps_per_frame), min=1, max=50,
                                 description="steps/frame")
        self.play_message = notice()
        self.view_boxes = {k: W.Checkbox(value=True, description=label, indent=False,
                                         layout=W.Layout(width="auto"))
                           for k, label in VIEWS.items()}

        st = self.model.settings
        self.loss = W.Dropdown(options=list(LOSS_LABELS.items()), value=st["loss"],
                               description="loss")
        self.d_lr = W.FloatText(value=st["d_lr"], description="D learning rate", step=1e-4)
        self.g_lr = W.FloatText(value=st["g_lr"], description="G learning rate", step=1e-4)
        self.d_steps = W.IntText(value=st["d_steps"], description="D steps per G step")
        self.optimizer = W.Dropdown(options=[("Adam", "adam"), ("SGD", "sgd")],
                                    value=st["optimizer"], description="optimizer")
        self.noise = W.Dropdown(options=[("normal", "normal"), ("uniform(-1, 1)", "uniform")],
                                value=st["noise"], description="noise")
        self.latent_dim = W.IntText(value=st["latent_dim"], description="noise dimension")
        self.hidden = W.IntText(value=st["hidden"], description="units per layer")
        self.depth = W.IntText(value=st["depth"], description="hidden layers")
        for control in (self.loss, self.d_lr, self.g_lr, self.d_steps, self.optimizer,
                        self.noise, self.latent_dim, self.hidden, self.depth, self.speed):
            control.style.description_width = "initial"
        self.settings_controls = {k: getattr(self, k) for k in (
            "loss", "d_lr", "g_lr", "d_steps", "optimizer", "noise", "latent_dim", "hidden",
            "depth")}
        self.messages = {k: notice() for k in self.settings_controls}
        self.data = W.Dropdown(options=list(DATA_LABELS.items()), value=data, description="data")
        self.clear_button = W.Button(description="clear drawing", icon="eraser")
        self.data_message = notice()
        self.lesson_buttons = {name: W.Button(description=name, layout=W.Layout(width="auto"))
                               for name in toy2d.LiveGAN.LESSONS}
        self.lesson_message = notice()
        self.readout = W.HTML()

        self.play_button.observe(lambda c: self.play() if c["new"] else self.pause(),
                                 names="value")
        self.step_d_button.on_click(lambda _: self.step_d())
        self.step_g_button.on_click(lambda _: self.step_g())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.slow.observe(lambda _: self._slow_changed(), names="value")
        for box in self.view_boxes.values():
            box.observe(lambda _: self._views_changed(), names="value")
        for key, control in self.settings_controls.items():
            control.observe(lambda c, key=key: self._setting_changed(key, c["new"]), names="value")
        self.data.observe(lambda c: self.set_data(c["new"]), names="value")
        self.clear_button.on_click(lambda _: self.clear_drawing())
        for name, button in self.lesson_buttons.items():
            button.on_click(lambda _, name=name: self.lesson(name))

        def row(*children):
            return W.HBox(list(children), layout=W.Layout(flex_flow="row wrap",
                                                          align_items="center"))

        c, m = self.settings_controls, self.messages
        rebuild_note = W.HTML("<i>changing these rebuilds the networks: training starts "
                              "over</i>")
        self.widget = W.VBox([
            row(self.play_button, self.step_d_button, self.step_g_button, self.step_button,
                self.slow, self.reset_button, self.speed, self.play_message),
            row(W.HTML("<b>show:</b>"), *self.view_boxes.values()),
            self.canvas,
            self.readout,
            row(W.HTML("<b>lessons:</b>"), *self.lesson_buttons.values(), self.lesson_message),
            row(self.data, self.clear_button,
                W.HTML("<i>draw your own: pick it, then click or drag on the plane</i>"),
                self.data_message),
            row(c["loss"], m["loss"], c["optimizer"], m["optimizer"]),
            row(c["d_lr"], m["d_lr"], c["g_lr"], m["g_lr"]),
            row(c["d_steps"], m["d_steps"], c["noise"], m["noise"]),
            row(c["latent_dim"], m["latent_dim"], c["hidden"], m["hidden"], c["depth"],
                m["depth"], rebuild_note),
        ], layout=W.Layout(width="100%"))
        self._views_changed()
        self._send_real()
        self.redraw()

    # ------------------------------------------------------------------ playing
    @property
    def playing(self):
        return self.task is not None and not self.task.done()

    def play(self):
        """Start the training loop (an asyncio task on the running event loop).  Any other
        GANLab playing in this kernel (e.g. the one of a cell run again) is paused: they
        would share the CPU."""
        if self.playing:
            return
        if not self._data_ready("play"):
            self._set_play_button(False)
            return
        for other in list(_PLAYING):
            if other is not self:
                other.pause()
        say(self.play_message, "")
        self._set_play_button(True)
        self.task = asyncio.get_event_loop().create_task(self._run())
        _PLAYING.add(self)

    def pause(self):
        """Stop the training loop after the frame it is drawing."""
        if self.task is not None:
            self.task.cancel()
            self.task = None
        _PLAYING.discard(self)
        self._set_play_button(False)
        self.canvas.phase = ""

    async def _run(self):
        try:
            while True:
                start = time.perf_counter()
                if not self.advance():
                    break
                interval = 0.6 if self.slow.value else 1.0 / self.fps
                # Always yield to the event loop: controls and other cells run here.
                await asyncio.sleep(max(0.001, interval - (time.perf_counter() - start)))
        except asyncio.CancelledError:
            pass
        finally:
            self.task = None

    def advance(self):
        """One frame of play: `speed` GAN steps (in slow motion one D update or one G update),
        then a redraw.  Returns False (and pauses, saying why) when training had to stop."""
        if not self._data_ready("play"):
            self.pause()
            return False
        try:
            self.model.keep()
            if self.slow.value:
                if self._half == "D":
                    for _ in range(self.model.settings["d_steps"]):
                        self.model.step_d()
                    self.canvas.phase = "D update"
                    self._half = "G"
                else:
                    self.model.step_g()
                    self.canvas.phase = "G update"
                    self._half = "D"
            else:
                self.canvas.phase = ""
                self.model.step(int(self.speed.value))
            if not self.model.finite():
                step = self.model.restore()
                self.pause()
                say(self.play_message, f"the losses or weights became non-finite: put back to "
                                       f"generator step {step}; lower a learning rate, then play")
                self.redraw()
                return False
        except Exception as e:     # never leave a dead loop behind a "pause" button
            self.pause()
            say(self.play_message, f"training stopped: {type(e).__name__}: {e}")
            return False
        self.redraw()
        return True

    def _set_play_button(self, on):
        self._syncing, was = True, self._syncing
        try:
            self.play_button.value = on
            self.play_button.description = "pause" if on else "play"
            self.play_button.icon = "pause" if on else "play"
        finally:
            self._syncing = was

    def _slow_changed(self):
        self._half = "D"
        if not self.slow.value:
            self.canvas.phase = ""

    # ------------------------------------------------------------------ single steps
    def _single(self, update, phase):
        if not self._data_ready("step"):
            return
        self.model.keep()
        update()
        if not self.model.finite():
            step = self.model.restore()
            say(self.play_message, f"that update made the losses non-finite: put back to "
                                   f"generator step {step}; lower a learning rate")
        else:
            say(self.play_message, "")
        self.canvas.phase = phase
        self.redraw()

    def step_d(self):
        """One D update (G's weights untouched), then a redraw."""
        self._single(self.model.step_d, "D update")

    def step_g(self):
        """One G update (D's weights untouched), then a redraw."""
        self._single(self.model.step_g, "G update")

    def step(self):
        """One GAN step (`d_steps` D updates, then one G update), then a redraw."""
        self._single(self.model.step, "")

    def reset(self):
        """New networks (the settings' seed), history cleared; the data stays."""
        self.model.build()
        self._new_run()

    def _new_run(self):
        self.fit = {"step": [], "js": [], "modes": []}
        self._half = "D"
        self.canvas.phase = ""
        self.redraw()

    # ------------------------------------------------------------------ settings
    def _setting_changed(self, key, value):
        if self._syncing:
            return
        self.set_setting(key, value)

    def set_setting(self, key, value):
        """Apply one setting (as its control does); True if taken.  A bad value is answered
        next to its control, and training goes on with the setting in force."""
        try:
            rebuilt = self.model.set(**{key: value})
        except ValueError as e:
            say(self.messages[key], f"{e} (still {self.model.settings[key]})")
            return False
        say(self.messages[key], "networks rebuilt: training starts over" if rebuilt else "")
        if rebuilt:
            self._new_run()
        return True

    def lesson(self, name):
        """One of `toy2d.LiveGAN.LESSONS`: its settings and data, new networks."""
        try:
            self.model.lesson(name)
        except ValueError as e:
            say(self.lesson_message, str(e))
            return False
        say(self.lesson_message, f"lesson: {name}")
        # about 5 D updates per frame, so a 5-critic-step lesson plays as smoothly as the rest
        self.speed.value = max(1, 5 // self.model.settings["d_steps"])
        self._sync_controls()
        self._send_real()
        self._new_run()
        return True

    def _sync_controls(self):
        """Controls show the model's settings (without applying them again)."""
        self._syncing = True
        try:
            for key, control in self.settings_controls.items():
                control.value = self.model.settings[key]
                say(self.messages[key], "")
            if self.model.data_name != "drawn":
                self.data.value = self.model.data_name
            self.canvas.drawing = self.data.value == "drawn"
            say(self.data_message, "")
        finally:
            self._syncing = False

    # ------------------------------------------------------------------ data
    def set_data(self, name):
        """A preset data set (`toy2d.DATASETS`), or ``"drawn"``: draw on the plane."""
        if self._syncing:
            return
        if name == "drawn":
            self.canvas.drawing = True
            say(self.data_message, "" if len(self.drawn) else
                "click or drag on the plane to place real points")
            if len(self.drawn):
                self.model.set_data(self.drawn)
            self._send_real()
            return
        self.canvas.drawing = False
        self.model.set_data(name)
        say(self.data_message, "")
        self._send_real()
        self.redraw()

    def add_points(self, points):
        """Add drawn points (an (N, 2) array in plane coordinates) to the data being drawn;
        picks "draw your own".  Points outside the plotted square are dropped."""
        pts = np.asarray(points, np.float32).reshape(-1, 2)
        pts = pts[np.isfinite(pts).all(1) & (np.abs(pts) <= toy2d.LIMIT).all(1)]
        self.drawn = np.concatenate([self.drawn, pts])
        if self.data.value != "drawn":
            self._syncing = True
            try:
                self.data.value = "drawn"
            finally:
                self._syncing = False
        self.canvas.drawing = True
        if len(self.drawn):
            self.model.set_data(self.drawn)
            say(self.data_message, f"{len(self.drawn)} points drawn: press play or step")
        self._send_real()
        self.redraw()

    def clear_drawing(self):
        self.drawn = np.zeros((0, 2), np.float32)
        if self.data.value == "drawn":
            say(self.data_message, "drawing cleared: click or drag on the plane")
            self._send_real()

    def _data_ready(self, what):
        if self.data.value == "drawn" and not len(self.drawn):
            say(self.data_message, f"nothing to {what} on: the drawing is empty; click or drag "
                                   "on the plane to place real points first")
            return False
        return True

    def _on_msg(self, widget, content, buffers):
        if isinstance(content, dict) and content.get("type") == "draw":
            self.add_points(content.get("points") or [])

    def _send_real(self):
        real = self.drawn if self.data.value == "drawn" else self.model._real_view
        self.canvas.real = _f32(real)

    # ------------------------------------------------------------------ drawing
    def _views_changed(self):
        self.canvas.views = [k for k, box in self.view_boxes.items() if box.value]

    def redraw(self):
        """Send the current frame and charts to the canvas, and update the readout."""
        f = self.model.frame()
        self.last_frame = f
        self.frames += 1
        now = time.perf_counter()
        self.frame_times = (self.frame_times + [now])[-20:]
        fit = self.fit
        if not fit["step"] or fit["step"][-1] != f["step"]:
            fit["step"].append(f["step"])
            fit["js"].append(f["js"])
            fit["modes"].append(f["modes"] / f["n_modes"] if f["modes"] is not None else np.nan)
            for v in fit.values():
                del v[:-CHART_STEPS]
        st = self.model.settings
        loss_name = {v: k for k, v in LOSS_LABELS.items()}[st["loss"]]
        scale = ("critic score, white at the midpoint of its mean on reals and fakes"
                 if st["loss"] == "wgan-gp" else "D(x): blue real side, red fake side, white ½")
        self.canvas.frame = dict(
            surface=_f32(f["surface"]), surface_n=int(f["surface"].shape[0]),
            centre=float(f["centre"]), span=float(f["span"]), fake=_f32(f["fake"]),
            arrows=_f32(f["arrows"]), manifold=_f32(f["manifold"]),
            manifold_n=int(f["manifold"].shape[0]), step=int(f["step"]),
            d_updates=int(f["d_updates"]), legend=f"{loss_name}; {scale}")
        h = self.model.history
        self.canvas.charts = dict(
            step=_f32(h["step"][-CHART_STEPS:]), d_loss=_f32(h["d_loss"][-CHART_STEPS:]),
            g_loss=_f32(h["g_loss"][-CHART_STEPS:]), fit_step=_f32(fit["step"]),
            js=_f32(fit["js"]), **({"modes": _f32(fit["modes"])} if f["modes"] is not None else {}))
        self.readout.value = html.escape(self.reading(), quote=False)

    def reading(self):
        """The numbers under the plane, as one line of text."""
        f, h = self.last_frame, self.model.history
        parts = [f"generator step {f['step']} ({f['d_updates']} D updates)"]
        if h["step"]:
            parts.append(f"D loss {h['d_loss'][-1]:.3f}, G loss {h['g_loss'][-1]:.3f}")
        if f["modes"] is not None:
            parts.append(f"modes covered {f['modes']} of {f['n_modes']}")
        parts += [f"JS divergence {f['js']:.2f} bits",
                  f"mean distance fake → nearest real {f['nearest']:.3f}",
                  f"mean ‖gradient‖ {f['arrow_norm']:.3g}"]
        if self.playing and len(self.frame_times) > 2:
            fps = (len(self.frame_times) - 1) / (self.frame_times[-1] - self.frame_times[0])
            parts.append(f"{fps:.1f} frames/s")
        return " · ".join(parts)

    # ------------------------------------------------------------------ without a kernel
    def show_static(self):
        """The current view as an ordinary matplotlib figure (plane and charts), for readers
        without a kernel: `widgets.show_static(lab)` calls it."""
        import matplotlib.pyplot as plt
        from matplotlib.colors import TwoSlopeNorm
        f, h = self.last_frame or self.model.frame(), self.model.history
        fig = plt.figure(figsize=(10, 4.6))
        ax = fig.add_axes([0.04, 0.1, 0.42, 0.82])
        lim = toy2d.LIMIT
        on = set(self.canvas.views)
        if "surface" in on:
            span = f["span"]
            im = ax.imshow(f["surface"], origin="lower", extent=(-lim, lim, -lim, lim),
                           cmap="coolwarm_r", interpolation="bilinear",
                           norm=TwoSlopeNorm(f["centre"], f["centre"] - span, f["centre"] + span))
            fig.colorbar(im, ax=ax, fraction=0.046, pad=0.02,
                         label="critic score" if self.model.settings["loss"] == "wgan-gp" else "D(x)")
        if "manifold" in on:
            m = f["manifold"]
            for k in range(m.shape[0]):
                ax.plot(m[k, :, 0], m[k, :, 1], c="#147a3c", lw=0.6, alpha=0.75)
                ax.plot(m[:, k, 0], m[:, k, 1], c="#147a3c", lw=0.6, alpha=0.75)
        if "real" in on:
            real = self.drawn if self.data.value == "drawn" else self.model._real_view
            ax.scatter(real[:, 0], real[:, 1], s=3, c="0.15", alpha=0.55, linewidths=0,
                       label="real")
        if "fake" in on:
            ax.scatter(f["fake"][:, 0], f["fake"][:, 1], s=9, c="#ffc800", edgecolors="#3c2800",
                       linewidths=0.4, label="fake")
        if "arrows" in on:
            g = f["arrows"]
            norm = np.linalg.norm(g, axis=1, keepdims=True)
            length = 0.6 * norm / (norm + 0.3)
            d = np.where(norm > 0, g / np.maximum(norm, 1e-12) * length, 0.0)
            p = f["fake"][:len(g)]
            ax.quiver(p[:, 0], p[:, 1], d[:, 0], d[:, 1], angles="xy", scale_units="xy",
                      scale=1.0, width=0.003, color="k")
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="$x_1$",
               ylabel="$x_2$", title=f"GAN Lab, generator step {f['step']}")
        ax.legend(loc="upper left", fontsize=7, markerscale=2)
        ax1 = fig.add_axes([0.6, 0.57, 0.37, 0.35])
        ax1.plot(h["step"], h["d_loss"], c="#1f5fbf", label="D loss")
        ax1.plot(h["step"], h["g_loss"], c="#d62728", label="G loss")
        ax1.set(xlabel="generator step", title="losses")
        ax1.legend(fontsize=7)
        ax2 = fig.add_axes([0.6, 0.1, 0.37, 0.32])
        ax2.plot(self.fit["step"], self.fit["js"], c="#7b3294", marker=".",
                 label="JS divergence (bits)")
        if f["modes"] is not None:
            ax2.plot(self.fit["step"], self.fit["modes"], c="#1a9850", marker=".",
                     label="share of modes covered")
        ax2.set(ylim=(-0.02, 1.02), xlabel="generator step", title="fit")
        ax2.legend(fontsize=7)
        plt.show()

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)
