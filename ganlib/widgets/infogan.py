"""InfoGAN demo: pick the categorical code, slide the continuous codes, watch one row redraw.

    explorer = CodeExplorer(gan)      # gan: a trained ganlib.infogan.InfoGAN
    explorer.widget                   # display it in a notebook

The noise row is fixed, so only the codes change between redraws.  Set the controls'
``.value`` (or call ``show(code=..., c2=...)``) and ``view.images`` holds the new images;
values outside the allowed range are refused with a message under the controls
(``message.value``) and the picture stays as it was.
"""
import ipywidgets as W
import numpy as np

from .. import config
from ..infogan import CONT_RANGE, latent_inputs
from . import GridView, notice, say


class CodeExplorer:
    """A code picker and one slider per continuous code, redrawing `n` fixed-noise samples."""

    def __init__(self, gan, n=8, seed=0, size=8, limit=CONT_RANGE):
        missing = [a for a in ("latent_dim", "n_cat", "n_cont", "generate") if not hasattr(gan, a)]
        if missing:
            raise ValueError(f"CodeExplorer needs the trained InfoGAN itself (e.g. "
                             f"CodeExplorer(gan)), not its generator or another model: a "
                             f"{type(gan).__name__} has no {', '.join(missing)}")
        n = config.check_count(n, "CodeExplorer: n (samples per row)")
        seed = config.check_seed(seed, "CodeExplorer: seed")
        self.gan = gan
        self.limit = config.check_number(limit, "CodeExplorer: limit (the sliders' range)",
                                         above=0)
        self.noise = np.random.default_rng(seed).normal(size=(n, gan.latent_dim)).astype(np.float32)
        self.code = W.ToggleButtons(options=list(range(gan.n_cat)), value=0,
                                    description="code c1", style={"button_width": "32px"})
        self.sliders = [W.FloatSlider(value=0.0, min=-self.limit, max=self.limit, step=0.1,
                                      description=f"c{i + 2}", continuous_update=False)
                        for i in range(gan.n_cont)]
        self.message = notice()  # why a show(...) request was refused (the picture stays)
        self.view = GridView(size=size)
        self._holding = False
        for control in [self.code] + self.sliders:
            control.observe(self._changed, names="value")
        self.draw()

    @property
    def c2(self):
        return self.sliders[0]

    @property
    def c3(self):
        return self.sliders[1]

    @property
    def widget(self):
        return W.VBox([self.code, *self.sliders, self.message, self.view.output])

    def inputs(self):
        """G's inputs for the current control values: the fixed noise with the chosen codes."""
        cont = [s.value for s in self.sliders] if self.sliders else None
        return latent_inputs(self.noise, self.code.value, cont, self.gan.n_cat, self.gan.n_cont)

    def draw(self):
        """Redraw for the controls' values; a value refused (`check`: e.g. a NaN set on a
        slider) is answered under the controls and the picture stays.  Returns True if drawn."""
        problem = self.check(self.code.value, **{s.description: s.value for s in self.sliders})
        if problem:
            say(self.message, problem)
            return False
        say(self.message, "")  # a good request answers any earlier refusal
        images = self.gan.generate(inputs=self.inputs())
        conts = ", ".join(f"{s.description} = {s.value:+.1f}" for s in self.sliders)
        self.view.draw(images, ncols=len(images),
                       title=f"code c1 = {self.code.value}" + (f", {conts}" if conts else ""))
        return True

    def _changed(self, change):
        if not self._holding:
            self.draw()

    def check(self, code=None, **cont):
        """The reason `code` / continuous values are refused, or None when they are fine."""
        if code is not None and (isinstance(code, bool) or not isinstance(code, (int, np.integer))
                                 or not 0 <= code < self.gan.n_cat):
            return (f"code {code!r} is out of range: the categorical code takes the values "
                    f"0..{self.gan.n_cat - 1}")
        names = [s.description for s in self.sliders]
        for name, value in cont.items():
            if name not in names:
                return f"this model has no continuous code {name!r} (it has {names or 'none'})"
            if value is None:
                continue
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)) \
                    or not np.isfinite(value):
                return (f"{name} = {value!r} is not a number: set it to a value in "
                        f"[-{self.limit:g}, {self.limit:g}]")
            if abs(value) > self.limit:
                return (f"{name} = {value!r} is out of range: the sliders span "
                        f"[-{self.limit:g}, {self.limit:g}] (training drew codes from [-1, 1])")
        return None

    def show(self, code=None, **cont):
        """Set the controls and redraw once; if refused, return False and say why under the
        controls (`message`), leaving the controls and the picture as they were."""
        problem = self.check(code, **cont)
        if problem:
            say(self.message, problem)
            return False
        self._holding = True
        try:
            if code is not None:
                self.code.value = int(code)
            for s in self.sliders:
                if cont.get(s.description) is not None:
                    s.value = float(cont[s.description])
        finally:
            self._holding = False
        return self.draw()
