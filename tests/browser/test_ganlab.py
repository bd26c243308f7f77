"""Chapter 0's GAN Lab (`ganlib.widgets.GANLab`) in a real JupyterLab, in a real browser.

Notebook 00 is opened in a fresh workspace and run with Run All (smoke mode) as in
test_widget_demos.py; then the demo is operated as a student would: play and pause, step D
and step G, a loss switch while playing, a bad learning rate, and drawing points on the plane
and training on them.  Each view is a canvas of its own (`canvas.ganlab-surface`,
`-fake`, `-manifold`, ...), so "only the surface changed" is read from the pixels of each
layer; the step counts come from the canvas element's `data-*` attributes and the readout line.
The browser-measured frames/s while playing goes into the session's timings line.
"""
import re
import time

import pytest

from test_widget_demos import REDRAW_TIMEOUT, open_and_run, select, wait_until

NAME = "00_gan_2d.ipynb"


def picture(root, layer):
    """The pixels of one view's canvas, as a data URL."""
    return root.locator(f"canvas.ganlab-{layer}").evaluate("c => c.toDataURL()")


def blank(root):
    return root.locator("canvas.ganlab-surface").evaluate(
        "c => { const b = document.createElement('canvas'); b.width = c.width; "
        "b.height = c.height; return b.toDataURL(); }")


def attr(root, name):
    return int(root.locator(".ganlab-view").get_attribute(f"data-{name}"))


def readout(root):
    return root.locator(".widget-html").filter(has_text="generator step").first.inner_text()


def reading(root, label):
    """A number of the readout line, e.g. 'mean distance fake → nearest real'."""
    m = re.search(re.escape(label) + r" (-?[\d.]+(?:e-?\d+)?)", readout(root))
    assert m, f"{label!r} not in the readout: {readout(root)!r}"
    return float(m.group(1))


def button(root, label):
    return root.locator("button", has_text=re.compile(f"^\\s*{re.escape(label)}\\s*$"))


def play(root):
    button(root, "play").click()
    wait_until(lambda: button(root, "pause").count(), REDRAW_TIMEOUT, "the pause button")


def pause(root):
    button(root, "pause").click()
    wait_until(lambda: button(root, "play").count(), REDRAW_TIMEOUT, "the play button")


def wait_for_steps(root, more, what):
    start = attr(root, "step")
    wait_until(lambda: attr(root, "step") >= start + more, REDRAW_TIMEOUT, what)


class TestGANLab:
    @pytest.fixture(scope="class")
    def nb(self, lab, browser, timings):
        yield from open_and_run(lab, browser, NAME, timings)

    @pytest.fixture
    def demo(self, nb):
        root = nb.widget("lab = GANLab(")
        root.locator("canvas.ganlab-surface").wait_for()
        return root

    def test_renders_after_run_all(self, nb, demo):
        assert attr(demo, "frames") >= 1 and attr(demo, "step") == 0
        for layer in ("surface", "fake", "real", "manifold", "arrows"):
            assert picture(demo, layer) != blank(demo), f"the {layer} view is empty"
        assert "generator step 0" in readout(demo)
        for label in ("play", "step D", "step G", "step", "slow motion", "reset"):
            assert button(demo, label).count() == 1, label
        nb.assert_clean()

    def test_each_view_switches_on_and_off(self, nb, demo):
        for label, layer in (("G's manifold", "manifold"), ("D(x) over the plane", "surface"),
                             ("real points", "real")):
            box = demo.locator(".widget-checkbox", has_text=label).locator("input")
            canvas = demo.locator(f"canvas.ganlab-{layer}")
            box.uncheck()
            wait_until(lambda: not canvas.is_visible(), REDRAW_TIMEOUT, f"{layer} hidden")
            box.check()
            wait_until(canvas.is_visible, REDRAW_TIMEOUT, f"{layer} shown again")
        nb.assert_clean()

    def test_step_d_changes_the_surface_only(self, nb, demo):
        before = {k: picture(demo, k) for k in ("surface", "fake", "manifold")}
        d = attr(demo, "d-updates")
        button(demo, "step D").click()
        wait_until(lambda: attr(demo, "d-updates") == d + 1, REDRAW_TIMEOUT, "one D update")
        wait_until(lambda: picture(demo, "surface") != before["surface"], REDRAW_TIMEOUT,
                   "the surface to change")
        assert picture(demo, "fake") == before["fake"], "a D update moved the fakes"
        assert picture(demo, "manifold") == before["manifold"], "a D update moved G's manifold"
        assert demo.locator(".ganlab-phase").inner_text() == "D update"
        nb.assert_clean()

    def test_step_g_changes_the_fakes_only(self, nb, demo):
        before = {k: picture(demo, k) for k in ("surface", "fake", "manifold")}
        step, d = attr(demo, "step"), attr(demo, "d-updates")
        button(demo, "step G").click()
        wait_until(lambda: attr(demo, "step") == step + 1, REDRAW_TIMEOUT, "one G update")
        wait_until(lambda: picture(demo, "fake") != before["fake"], REDRAW_TIMEOUT,
                   "the fakes to move")
        assert picture(demo, "manifold") != before["manifold"]
        assert picture(demo, "surface") == before["surface"], "a G update changed D's surface"
        assert attr(demo, "d-updates") == d
        nb.assert_clean()

    def test_play_changes_the_picture_over_time_and_pause_stops_it(self, nb, demo, rates):
        fake0 = picture(demo, "fake")
        play(demo)
        wait_for_steps(demo, 10, "training to start")
        frames, steps, t = attr(demo, "frames"), attr(demo, "step"), time.monotonic()
        time.sleep(4)
        dt = time.monotonic() - t
        fps = (attr(demo, "frames") - frames) / dt
        rates["GAN Lab, frames drawn by the browser while playing"] = (fps, "frames/s")
        rates["GAN Lab, generator steps shown per second"] = ((attr(demo, "step") - steps) / dt,
                                                              "steps/s")
        assert picture(demo, "fake") != fake0
        pause(demo)
        time.sleep(1.0)      # a frame already on its way may still arrive
        step, fake, surface = attr(demo, "step"), picture(demo, "fake"), picture(demo, "surface")
        time.sleep(1.5)
        assert attr(demo, "step") == step, "training went on after pause"
        assert picture(demo, "fake") == fake and picture(demo, "surface") == surface
        assert fps >= 5, f"{fps:.1f} frames/s"
        nb.assert_clean()

    def test_switching_the_loss_mid_run_keeps_it_running(self, nb, demo):
        play(demo)
        wait_for_steps(demo, 5, "training to start")
        select(demo, "loss", "WGAN-GP")
        wait_until(lambda: "WGAN-GP" in demo.locator(".ganlab-legend").inner_text(),
                   REDRAW_TIMEOUT, "the legend to name the critic")
        wait_for_steps(demo, 20, "training to go on with WGAN-GP")
        select(demo, "loss", "LSGAN (least squares)")
        wait_for_steps(demo, 20, "training to go on with LSGAN")
        assert "non-finite" not in demo.inner_text() and "stopped" not in demo.inner_text()
        pause(demo)
        nb.assert_clean()

    def test_a_negative_learning_rate_is_answered_next_to_its_box(self, nb, demo):
        label = demo.page.locator("label", has_text=re.compile("^D learning rate$"))
        box = demo.locator(".widget-text", has=label).locator("input")
        row = demo.locator(".widget-hbox").filter(has=label)
        box.fill("-0.5")
        box.press("Enter")
        wait_until(lambda: "refused" in row.inner_text(), REDRAW_TIMEOUT, "the refusal")
        step = attr(demo, "step")
        button(demo, "step").click()
        wait_until(lambda: attr(demo, "step") == step + 1, REDRAW_TIMEOUT, "training to go on")
        box.fill("0.001")
        box.press("Enter")
        wait_until(lambda: "refused" not in row.inner_text(), REDRAW_TIMEOUT,
                   "the refusal to clear")
        nb.assert_clean()

    def test_drawing_points_and_training_moves_the_fakes_towards_them(self, nb, demo):
        demo.locator("button", has_text="healthy run").click()
        wait_until(lambda: attr(demo, "step") == 0, REDRAW_TIMEOUT, "the lesson to start over")
        select(demo, "data", "draw your own")
        wait_until(lambda: "click or drag" in demo.inner_text(), REDRAW_TIMEOUT,
                   "the drawing hint")
        box = demo.locator("canvas.ganlab-input").bounding_box()
        real0 = picture(demo, "real")
        # a stroke in the upper right quarter of the plane (x, y in [1, 2])
        to_px = lambda x, y: (box["x"] + (x + 3) / 6 * box["width"],   # noqa: E731
                              box["y"] + (3 - y) / 6 * box["height"])
        demo.page.mouse.move(*to_px(1.0, 1.0))
        demo.page.mouse.down()
        for k in range(1, 21):
            demo.page.mouse.move(*to_px(1.0 + k / 20, 1.0 + k / 20))
            time.sleep(0.02)
        demo.page.mouse.up()
        wait_until(lambda: "points drawn" in demo.inner_text(), REDRAW_TIMEOUT,
                   "the drawn points to reach the kernel")
        assert picture(demo, "real") != real0
        start = reading(demo, "mean distance fake → nearest real")
        play(demo)
        wait_until(lambda: reading(demo, "mean distance fake → nearest real") < 0.5 * start,
                   120, f"the fakes to move towards the drawing (from {start})")
        pause(demo)
        nb.assert_clean()
