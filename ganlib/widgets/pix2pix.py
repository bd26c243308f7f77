"""pix2pix demo: pick a held-out pair and a direction, see source | generated | target."""
import ipywidgets as W
import numpy as np

from . import GridView, notice, say

LABELS = {"sat2map": "satellite → map", "map2sat": "map → satellite"}


def check_pair(direction, pair, model=None):
    """Held-out pairs must be uint8 (N, H, W, C) arrays of one shape, and the size the
    model translates (when it says: a `Pix2Pix` or anything with a `.generator`)."""
    from ..pix2pix import check_pairs
    try:
        sources, targets = pair
    except (TypeError, ValueError):
        raise ValueError(f"pairs[{direction!r}]: expected (sources, targets)") from None
    sources, targets = np.asarray(sources), np.asarray(targets)
    for x, what in ((sources, "sources"), (targets, "targets")):
        if x.dtype != np.uint8:
            raise ValueError(f"pairs[{direction!r}]: {what} must be uint8 images (0..255), got "
                             f"{x.dtype}; convert [-1, 1] floats with ganlib.data.to_uint8")
    check_pairs(sources, targets, f"pairs[{direction!r}] sources", "targets")
    if not len(sources):
        raise ValueError(f"pairs[{direction!r}]: no held-out pairs")
    generator = getattr(model, "generator", None)
    shape = getattr(generator, "input_shape", None)
    if shape is not None and tuple(sources.shape[1:]) != tuple(shape[1:]):
        raise ValueError(f"pairs[{direction!r}]: images of shape {sources.shape[1:]}, but the "
                         f"{direction} model translates {tuple(shape[1:])}; load the pairs at "
                         f"the model's size")


class TranslationDemo:
    """Translate one held-out image with the generator of the chosen direction.

    Args:
      translators: ``{direction: model}``, each with a ``translate(uint8 sources)``
        method (a `Pix2Pix`) or a plain callable returning images in [-1, 1].
      pairs: ``{direction: (sources, targets)}``, uint8 arrays (N, H, W, C).

    Controls: ``index`` (an `IntText`: out-of-range values are refused with a message
    next to it, ``message.value``, not clamped; the picture stays), ``direction`` (a
    `Dropdown`).  ``view.images`` holds the three panels last drawn: source, generated,
    target.
    """

    def __init__(self, translators, pairs, size=6):
        if not isinstance(translators, dict) or not translators:
            raise ValueError("TranslationDemo needs {direction: trained Pix2Pix}, e.g. "
                             "{'sat2map': gan}; got " + (type(translators).__name__
                                                         if translators else "nothing"))
        if not isinstance(pairs, dict):
            raise ValueError(f"pairs: expected {{direction: (sources, targets)}}, got "
                             f"{type(pairs).__name__}")
        for d, model in translators.items():
            if hasattr(model, "translate"):
                continue
            import keras
            if isinstance(model, keras.Model) or not callable(model):
                raise ValueError(
                    f"translators[{d!r}]: pass the trained Pix2Pix itself (it has translate(), "
                    f"which scales uint8 images to the generator's [-1, 1]), not its generator "
                    f"or another {type(model).__name__}; a plain function of uint8 images "
                    "returning [-1, 1] images also works")
        missing = [d for d in translators if d not in pairs]
        if missing:
            raise ValueError(f"no held-out pairs for direction(s) {missing}")
        for d, pair in pairs.items():
            check_pair(d, pair, translators.get(d))
        self.translators, self.pairs = dict(translators), dict(pairs)
        first = next(iter(self.translators))
        self.view = GridView(size=size)
        self.direction = W.Dropdown(options=[(LABELS.get(d, d), d) for d in self.translators],
                                    value=first, description="direction")
        self.index = W.IntText(value=0, description="pair #")
        self.hint = W.HTML(layout=W.Layout(flex="none", margin="0 1em 0 0"))  # one line, always
        self.message = notice()  # why a pair number was refused (the picture stays)
        self.direction.observe(lambda _: self.update(), names="value")
        self.index.observe(lambda _: self.update(), names="value")
        self.widget = W.VBox([W.HBox([self.direction, self.index, self.hint, self.message]),
                              self.view.output])
        self.update()

    def count(self, direction=None):
        return len(self.pairs[direction or self.direction.value][0])

    def _translate(self, direction, source):
        model = self.translators[direction]
        out = model.translate(source) if hasattr(model, "translate") else model(source)
        return np.asarray(out, np.float32)

    def update(self):
        """Redraw for the current control values; returns False if the index was refused."""
        d, i, n = self.direction.value, self.index.value, self.count()
        self.hint.value = f"held-out pairs 0 … {n - 1}"
        if not isinstance(i, (int, np.integer)) or not 0 <= i < n:
            say(self.message, f"pair #{i} is out of range: choose an index from 0 to {n - 1} "
                              f"({n} held-out pairs; the picture below is the last valid pair)")
            return False
        say(self.message, "")
        sources, targets = self.pairs[d]
        src, tgt = sources[i:i + 1], targets[i:i + 1]
        gen = self._translate(d, src)
        from ..data import to_uint8
        images = np.concatenate([src, to_uint8(gen), tgt])
        self.view.draw(images, ncols=3, col_labels=["source", "generated", "target"],
                       title=f"{LABELS.get(d, d)}, held-out pair #{i}")
        return True

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)
