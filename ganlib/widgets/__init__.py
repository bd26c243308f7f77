"""Interactive demos (ipywidgets) for the notebooks.

Each family's demo lives in its own module (`ganlib.widgets.acgan`, ...) and is built on
`GridView`.  The logic is plain Python — set a control's `.value` and the view redraws —
so the tests drive it without a browser and inspect `GridView.images`.
"""
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
        self.message = ""

    def draw(self, images, **grid_kwargs):
        self.images = images
        self.message = ""
        with self.output:
            clear_output(wait=True)
            show_grid(images, size=self.size, **grid_kwargs)
            plt.show()

    def error(self, message):
        """Show a clear message instead of a picture (bad input from a control)."""
        self.message = message
        with self.output:
            clear_output(wait=True)
            print(message)
