"""Class-conditional sampling demo for an ACGAN generator (ipywidgets).

Three views, all driven by the same controls:

* **one class** — a grid of `count` samples of the class picked in the dropdown, from
  the noise vectors of `seed` ("new noise" moves to the next seed);
* **same noise, every class** — rows are noise vectors, columns are classes: what the
  class input changes while the noise stays put;
* **interpolation** — the picked class, drawn from noise ``(1 − t)·z₀ + t·z₁`` for the
  slider's ``t`` between two noise vectors of the seed (ends shown beside it).

Everything is plain Python: set a control's ``.value`` (or call `set_class`) and the
views redraw; `view.images`, `grid_view.images` and `interp_view.images` hold what was
drawn, `class_message.value` any refusal of a class (shown next to the class menu) and
`seed_message.value` any refusal of a seed (next to the seed box), so tests need no browser.
A refused request never replaces a picture: the views keep what they last drew.
"""
import ipywidgets as W
import numpy as np

from .. import config
from . import GridView, notice, say


def model_classes(model):
    """How many classes a (class-conditional) generator draws, or None if it cannot tell."""
    if getattr(model, "num_classes", None) is not None:
        return int(model.num_classes)
    try:
        return int(getattr(model, "generator", model).get_layer("label_embedding").input_dim)
    except (AttributeError, ValueError):
        return None


class ACGANDemo:
    """Interactive sampler for a class-conditional generator.

    Args:
      model: an `ganlib.acgan.ACGAN` (its `.generator` is used), or any generator with
        ``predict([noise (N, latent_dim), labels (N, 1)])`` returning (N, H, W, C) images.
      class_names: one name per class (e.g. ``ganlib.data.class_names("fashion_mnist")``).
      latent_dim: length of the noise vector (read from an ACGAN when omitted).
      count, seed: initial sample count and noise seed.
      max_count: upper end of the sample-count slider.
      scale: the generator's output range ("tanh" = [-1, 1]).
    """

    def __init__(self, model, class_names, latent_dim=None, count=16, seed=0, max_count=64,
                 rows=4, scale="tanh", size=5):
        self.generator = getattr(model, "generator", model)
        inputs = getattr(self.generator, "inputs", None)   # a Keras model's (a stub has none)
        if not hasattr(self.generator, "predict") or (inputs is not None and len(inputs) != 2):
            raise ValueError(
                f"ACGANDemo draws a class-conditional generator, fed [noise, class label]: pass "
                f"the trained ACGAN (ACGANDemo(gan, class_names)); got a "
                f"{type(model).__name__} whose generator "
                + (f"takes {len(inputs)} input(s)" if inputs is not None else "cannot predict"))
        fed = inputs[0].shape[-1] if inputs else None
        if latent_dim is None:
            latent_dim = getattr(model, "latent_dim", None) or fed
        if latent_dim is None:
            raise ValueError("ACGANDemo: pass latent_dim (the noise length) for a generator "
                             "that does not say it")
        self.latent_dim = config.check_count(latent_dim, "ACGANDemo: latent_dim")
        if fed is not None and fed != self.latent_dim:
            raise ValueError(f"ACGANDemo: latent_dim={self.latent_dim}, but the generator takes "
                             f"noise of {fed} values; leave latent_dim out")
        if isinstance(class_names, str):
            raise ValueError("class_names: pass one name per class (a list), not one string")
        self.class_names = list(class_names)
        self.num_classes = len(self.class_names)
        if self.num_classes < 1:
            raise ValueError("class_names is empty")
        expected = model_classes(model)
        if expected is not None and self.num_classes != expected:
            raise ValueError(f"class_names: got {self.num_classes} names for a generator of "
                             f"{expected} classes; pass one name per class (e.g. "
                             f"ganlib.data.class_names('fashion_mnist'))")
        if scale not in ("tanh", "sigmoid"):
            raise ValueError(f"scale must be 'tanh' or 'sigmoid', got {scale!r}")
        max_count = config.check_count(max_count, "ACGANDemo: max_count")
        if config.check_count(count, "ACGANDemo: count") > max_count:
            raise ValueError(f"ACGANDemo: count={count} is more than max_count={max_count}")
        if config.check_count(rows, "ACGANDemo: rows") > 10:
            raise ValueError(f"ACGANDemo: rows={rows}: the noise-rows slider goes from 1 to 10")
        config.check_seed(seed, "ACGANDemo: seed")
        self.scale = scale
        self.class_picker = W.Dropdown(options=[(f"{k}: {n}", k) for k, n in enumerate(self.class_names)],
                                       value=0, description="class")
        self.class_message = notice()  # why a class was refused (the pictures stay)
        self.count = W.IntSlider(value=int(count), min=1, max=int(max_count), description="samples")
        self.seed = W.IntText(value=int(seed), description="seed")
        self.seed_message = notice()  # why a seed was refused (the pictures stay as they were)
        self.new_noise = W.Button(description="new noise", icon="refresh")
        self.rows = W.IntSlider(value=int(rows), min=1, max=10, description="noise rows")
        self.t = W.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="t",
                               continuous_update=False)
        self.t_message = notice()  # why a value of t was refused (the picture stays)
        self.view = GridView(size=size)
        self.grid_view = GridView(size=size + 2)
        self.interp_view = GridView(size=size)

        self.new_noise.on_click(lambda _: self.next_seed())
        self.class_picker.observe(lambda _: say(self.class_message, ""), names="value")
        for control in (self.class_picker, self.count, self.seed):
            control.observe(lambda _: self.redraw(), names="value")
        self.rows.observe(lambda _: self.draw_every_class(), names="value")
        self.t.observe(lambda _: self.draw_interpolation(), names="value")
        self.widget = W.VBox([
            W.HBox([self.class_picker, self.count, self.class_message]),
            W.HBox([self.seed, self.new_noise, self.seed_message]),
            self.view.output,
            W.HTML("<b>Same noise, every class</b> (rows: noise vectors, columns: classes)"),
            self.rows, self.grid_view.output,
            W.HTML("<b>Interpolation</b> between two noise vectors of this seed, picked class"),
            W.HBox([self.t, self.t_message]), self.interp_view.output,
        ])
        self.redraw()

    # ------------------------------------------------------------------ sampling
    def noise(self, n, seed=None):
        """``n`` standard-normal noise vectors from `seed` (the seed control by default)."""
        rng = np.random.default_rng(int(self.seed.value if seed is None else seed))
        return rng.standard_normal((int(n), self.latent_dim)).astype("float32")

    def sample(self, noise, labels):
        """Run the generator on ``noise`` (N, latent_dim) and integer ``labels`` (N,)."""
        noise = config.check_finite(noise, "noise")
        labels = np.asarray(labels)
        if noise.ndim != 2 or noise.shape[1] != self.latent_dim or len(labels) != len(noise):
            raise ValueError(f"sample: expected noise (N, {self.latent_dim}) and N labels, got "
                             f"noise {noise.shape} and {len(labels)} labels")
        labels = np.asarray([self.check_class(k) for k in labels.ravel().tolist()],
                            "int32").reshape(-1, 1)
        return np.asarray(self.generator.predict([noise, labels], verbose=0))

    # ------------------------------------------------------------------ controls
    def check_class(self, k):
        """Return ``k`` as an int if it names a class, else raise ValueError with the choices."""
        choices = f"choose 0..{self.num_classes - 1} ({', '.join(self.class_names)})"
        if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
            raise ValueError(f"class must be an integer index, got {k!r}; {choices}")
        if not 0 <= int(k) < self.num_classes:
            raise ValueError(f"class {k} is out of range: {choices}")
        return int(k)

    def set_class(self, k):
        """Pick class ``k`` (redraws) and return True; an invalid class is refused with a
        message next to the class menu (`class_message`), the pictures stay, and it returns
        False."""
        try:
            k = self.check_class(k)
        except ValueError as e:
            say(self.class_message, str(e))
            return False
        say(self.class_message, "")
        if k == self.class_picker.value:
            self.redraw()
        else:
            self.class_picker.value = k  # the observer redraws
        return True

    def next_seed(self):
        self.seed.value = max(0, int(self.seed.value) + 1)  # the observer redraws

    def seed_ok(self):
        """True if the seed box holds a usable seed; else say why next to it and return False."""
        value = self.seed.value
        if isinstance(value, (int, np.integer)) and value >= 0:
            say(self.seed_message, "")
            return True
        say(self.seed_message, f"seed {value!r} refused: a seed is a whole number >= 0 "
                               f"(the pictures below are from the last valid seed)")
        return False

    # ------------------------------------------------------------------ views
    def redraw(self):
        if not self.seed_ok():
            return
        self.draw_class()
        self.draw_every_class()
        self.draw_interpolation()

    def draw_class(self):
        k, n = int(self.class_picker.value), int(self.count.value)
        self.view.draw(self.sample(self.noise(n), np.full(n, k)), ncols=min(n, 8), scale=self.scale,
                       title=f"{self.class_names[k]} (class {k}), seed {self.seed.value}")

    def draw_every_class(self):
        if not self.seed_ok():
            return
        rows, c = int(self.rows.value), self.num_classes
        z = np.repeat(self.noise(rows, seed=int(self.seed.value) + 10_000), c, axis=0)
        labels = np.tile(np.arange(c), rows)
        self.grid_view.draw(self.sample(z, labels), ncols=c, scale=self.scale,
                            col_labels=self.class_names, title="same noise, every class")

    def draw_interpolation(self):
        if not self.seed_ok():
            return
        k, t = int(self.class_picker.value), self.t.value
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0.0 <= t <= 1.0:
            say(self.t_message, f"t = {t!r} refused: t is a number from 0 to 1 (the picture "
                                "below is the last valid t)")
            return
        say(self.t_message, "")
        t = float(t)
        z0, z1 = self.noise(2, seed=int(self.seed.value) + 20_000)
        z = np.stack([z0, (1.0 - t) * z0 + t * z1, z1])
        self.interp_view.draw(self.sample(z, np.full(3, k)), ncols=3, scale=self.scale,
                              col_labels=["t = 0", f"t = {t:.2f}", "t = 1"],
                              title=f"{self.class_names[k]}: noise z₀ → z₁")

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)
