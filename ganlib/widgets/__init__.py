"""Interactive demos (ipywidgets) for the notebooks.

Each family's demo lives in its own module (`ganlib.widgets.acgan`, ...) and is built on
`GridView`; chapter 0's live GAN Lab (`ganlib.widgets.GANLab`, module `ganlab`) draws on a
canvas of its own (anywidget) and trains while it plays.  The logic is plain Python — set a control's `.value` and the view redraws —
so the tests drive it without a browser and inspect `GridView.images`.

One rule for every demo: a bad request (a class, seed, code or pair number out of range) is
answered by a `notice` next to the control that made it, and the picture stays as it was
(a `GridView` only ever shows a drawing).  The next good request clears the notice.
"""
import html

import ipywidgets as W
import matplotlib.pyplot as plt
from IPython.display import clear_output

from ..viz import show_grid


class GridView:
    """An `ipywidgets.Output` showing one image grid, redrawn in place on every `draw`."""

    def __init__(self, size=5):
        self.output = W.Output()
        self.size = size
        self.images = None  # the last images drawn (what the tests look at)
        self.grid_kwargs = {}

    def draw(self, images, **grid_kwargs):
        self.images, self.grid_kwargs = images, grid_kwargs
        with self.output:
            clear_output(wait=True)
            show_grid(images, size=self.size, **grid_kwargs)
            plt.show()


def show_static(demo):
    """Draw what `demo`'s views show now as ordinary figures, one per view.

    A notebook puts this below a demo, so a reader on GitHub, or with a dead kernel, sees the
    demo's default view as a picture (widgets show nothing without a running kernel).
    Returns nothing (a value would be shown after the figures).
    """
    if hasattr(demo, "show_static"):      # a demo that draws its own picture (GANLab)
        demo.show_static()
        return
    views = [v for v in vars(demo).values() if isinstance(v, GridView) and v.images is not None]
    if not views:
        raise ValueError(f"{type(demo).__name__} has drawn nothing yet: display it first")
    for view in views:
        show_grid(view.images, size=view.size, **view.grid_kwargs)
        plt.show()


def notice():
    """An empty message line for refusals, to be placed next to the control it answers for."""
    return W.HTML(value="", style={"text_color": "#b00020"})


def say(box, message):
    """Show `message` (plain text; "" clears it) in a `notice`."""
    box.value = html.escape(message, quote=False)


def __getattr__(name):
    # GANLab (anywidget + TensorFlow) is imported when first asked for.
    if name == "GANLab":
        from .ganlab import GANLab
        return GANLab
    raise AttributeError(name)
