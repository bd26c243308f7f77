"""The widget demos of notebooks 02-04 in a real JupyterLab, in a real browser.

Each notebook is opened in a fresh workspace (``?reset``), run with Run > Run All Cells in a
new kernel (smoke mode), and checked once every cell has run: the demo rendered (no "Error
displaying widget", no ``VBox(children=...)`` text in its place), the browser logged no
error, and every control redraws the picture it drives (the ``<img>`` data changes) with its
label following.  Bad requests are answered next to the control that made them, never in
place of the picture, and the demo recovers on the next good value.

The tests of one notebook share its page and kernel and run in order (the fixture opens and
runs the notebook once); the kernel is shut down when they are done.
"""
import re
import time

import pytest

RUN_ALL_TIMEOUT = 600  # s: a whole notebook in smoke mode, on a busy 2-core machine
REDRAW_TIMEOUT = 60    # s: one redraw (a generator call and a matplotlib figure)


# ----------------------------------------------------------------------------- helpers
def wait_until(condition, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def img_src(panel):
    """The data URL of the picture an Output widget shows (None while it shows none)."""
    imgs = panel.locator("img")
    return imgs.first.get_attribute("src") if imgs.count() else None


def wait_for_new_picture(panel, old, what):
    """Wait until `panel` shows a picture whose data differs from `old`; return its data."""
    return wait_until(lambda: (lambda s: s if s and s != old else None)(img_src(panel)),
                      REDRAW_TIMEOUT, f"{what} to redraw")


class Notebook:
    """One notebook open in JupyterLab in its own browser page."""

    def __init__(self, lab, browser, name):
        self.lab, self.name = lab, name
        self.console_errors = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            f"console.error: {m.text} ({m.location.get('url', '')})"))
        self.page.on("pageerror", lambda e: self.console_errors.append(f"page error: {e}"))
        t = time.monotonic()
        self.page.goto(lab.url(f"lab/tree/{name}", reset=True))
        self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-CodeCell").first.wait_for()
        wait_until(lambda: [k for k in lab.kernels() if k["execution_state"] == "idle"],
                   120, f"the kernel of {name} to start")
        self.opened_s = time.monotonic() - t

    def prompts(self):
        return self.page.eval_on_selector_all(
            ".jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt",
            "els => els.map(e => e.textContent.trim())")

    def run_all(self):
        """Run > Run All Cells, then wait until every code cell has run, in order, in this
        kernel (prompts [1] .. [N]) and the kernel is idle.  Returns the seconds it took."""
        t = time.monotonic()
        self.page.get_by_role("menuitem", name="Run", exact=True).click()
        self.page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
        wait_until(lambda: any(p == "[*]:" for p in self.prompts()), 60, "Run All to start")
        settled = [None]

        def done():
            prompts = self.prompts()
            if prompts == [f"[{i}]:" for i in range(1, len(prompts) + 1)]:
                return True
            if "[*]:" in prompts:
                settled[0] = None
                return False
            # Nothing queued, yet not every cell ran: a cell failed (the rest were aborted).
            settled[0] = settled[0] or time.monotonic()
            if time.monotonic() - settled[0] > 5:
                raise AssertionError(f"{self.name}: Run All stopped early; prompts {prompts}\n"
                                     f"{self.error_outputs()}")
            return False

        wait_until(done, RUN_ALL_TIMEOUT, f"every cell of {self.name} to run", interval=0.5)
        wait_until(lambda: all(k["execution_state"] == "idle" for k in self.lab.kernels()),
                   60, "the kernel to be idle")
        self.run_s = time.monotonic() - t
        return self.run_s

    def error_outputs(self):
        texts = self.page.locator(".jp-OutputArea-output[data-mime-type="
                                  "'application/vnd.jupyter.stderr']").all_inner_texts()
        return "\n".join(t for t in texts if "Traceback" in t or "Error" in t)

    def cell(self, text):
        """The code cell whose source contains `text`."""
        cells = self.page.locator(".jp-CodeCell").filter(
            has=self.page.locator(".jp-InputArea-editor", has_text=text))
        assert cells.count() == 1, f"{cells.count()} code cells contain {text!r}"
        return cells.first

    def widget(self, text):
        """The top-level widget a cell displays (checked to have rendered as a widget)."""
        out = self.cell(text).locator(".jp-Cell-outputArea")
        assert "Error displaying widget" not in out.inner_text()
        assert not re.search(r"\b[VH]Box\(children=", out.inner_text()), \
            "the widget shows as plain text: the widget manager did not render it"
        root = out.locator(".jupyter-widgets.widget-vbox").first
        root.wait_for()
        return root

    def add_cell(self, source):
        """Type `source` into a new code cell at the end of the notebook and run it (as a
        student would); wait until it has run."""
        self.page.locator(".jp-NotebookPanel .jp-Cell").last.locator(".jp-InputPrompt").click()
        n = len(self.prompts())
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("b")  # command mode: insert a cell below
        wait_until(lambda: len(self.prompts()) == n + 1, 10, "the new cell")
        editor = self.page.locator(".jp-NotebookPanel .jp-CodeCell").last.locator(".cm-content")
        editor.click()
        self.page.keyboard.insert_text(source)
        self.page.keyboard.press("Shift+Enter")
        wait_until(lambda: re.fullmatch(r"\[\d+\]:", self.prompts()[n]), REDRAW_TIMEOUT,
                   "the new cell to run")

    def assert_clean(self):
        assert not self.page.get_by_text("Error displaying widget").count()
        assert not self.console_errors, "\n".join(self.console_errors)

    def close(self):
        self.context.close()
        self.lab.shutdown_kernels()


def open_and_run(lab, browser, name, timings):
    t = time.monotonic()
    nb = Notebook(lab, browser, name)
    nb.run_all()
    timings[f"{name} open"] = nb.opened_s
    timings[f"{name} Run All"] = nb.run_s
    yield nb
    nb.close()
    timings[f"{name} total"] = time.monotonic() - t


def labelled(root, label):
    """A locator for a widget's description label that reads exactly `label`."""
    return root.page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))


def text(locator):
    """A locator's visible text with the no-break spaces ipywidgets puts in labels made plain."""
    return locator.inner_text().replace("\xa0", " ").strip()


def dropdown(root, label):
    return root.locator(".widget-dropdown", has=labelled(root, label)).locator("select")


def select(root, label, option_label):
    """Pick the option that reads `option_label` in the dropdown labelled `label`."""
    box = dropdown(root, label)
    options = [o.replace("\xa0", " ").strip() for o in box.locator("option").all_inner_texts()]
    box.select_option(index=options.index(option_label))


def slider(root, label):
    return root.locator(".widget-slider", has=labelled(root, label))


def nudge(slider_widget, key="ArrowRight"):
    """Move a slider one step with the keyboard (what a student's arrow key does)."""
    slider_widget.locator(".noUi-handle").focus()
    slider_widget.page.keyboard.press(key)


def type_into(root, label, value):
    box = root.locator(".widget-text", has=labelled(root, label)) \
        .locator("input")
    box.fill(str(value))
    box.press("Enter")
    return box


# ----------------------------------------------------------------------------- 02 ACGAN
class TestACGAN:
    @pytest.fixture(scope="class")
    def nb(self, lab, browser, timings):
        yield from open_and_run(lab, browser, "02_acgan.ipynb", timings)

    @pytest.fixture
    def demo(self, nb):
        root = nb.widget("demo = ACGANDemo(")
        panels = root.locator(".widget-output")
        return root, panels.nth(0), panels.nth(1), panels.nth(2)

    def test_after_run_all_the_samples_show_and_set_class_answers_by_the_class_control(
            self, nb, demo):
        """The notebook's next cell runs `demo.set_class(12)`: its refusal belongs next to
        the class dropdown, and the top panel keeps showing the samples."""
        root, view, grid, interp = demo
        assert "out of range" not in view.inner_text(), \
            "the refusal of set_class(12) replaced the samples in the top panel"
        for panel in (view, grid, interp):
            assert img_src(panel), "a picture panel is empty"
        class_row = root.locator(".widget-hbox").filter(has=root.page.locator("select"))
        assert "class 12 is out of range: choose 0..9" in class_row.inner_text()
        nb.assert_clean()

    def test_class_dropdown_redraws_and_clears_the_refusal(self, nb, demo):
        root, view, grid, interp = demo
        old_view, old_interp = img_src(view), img_src(interp)
        select(root, "class", "3: Dress")
        wait_for_new_picture(view, old_view, "the one-class samples")
        wait_for_new_picture(interp, old_interp, "the interpolation")
        class_row = root.locator(".widget-hbox").filter(has=root.page.locator("select"))
        wait_until(lambda: "out of range" not in class_row.inner_text(), REDRAW_TIMEOUT,
                   "the class refusal to clear")
        assert text(dropdown(root, "class").locator("option:checked")) == "3: Dress"
        nb.assert_clean()

    def test_new_noise_moves_the_seed_and_redraws_every_view(self, nb, demo):
        root, view, grid, interp = demo
        seed_box = root.locator(".widget-text", has=labelled(root, "seed")) \
            .locator("input")
        seed = int(seed_box.input_value())
        old = [img_src(p) for p in (view, grid, interp)]
        root.locator("button", has_text="new noise").click()
        for panel, before, what in zip((view, grid, interp), old,
                                       ("samples", "every-class grid", "interpolation")):
            wait_for_new_picture(panel, before, what)
        assert int(seed_box.input_value()) == seed + 1
        nb.assert_clean()

    def test_interpolation_slider_redraws_the_interpolation_only(self, nb, demo):
        root, view, grid, interp = demo
        t = slider(root, "t")
        assert t.locator(".widget-readout").inner_text() == "0.50"
        old_view, old_interp = img_src(view), img_src(interp)
        nudge(t)
        wait_for_new_picture(interp, old_interp, "the interpolation")
        wait_until(lambda: t.locator(".widget-readout").inner_text() == "0.55", 10,
                   "the t readout to follow")
        assert img_src(view) == old_view
        nb.assert_clean()

    def test_a_negative_seed_is_refused_by_the_seed_box_and_the_demo_recovers(self, nb, demo):
        root, view, grid, interp = demo
        seed_row = root.locator(".widget-hbox").filter(has_text="new noise")
        old_view = img_src(view)
        type_into(root, "seed", -5)
        wait_until(lambda: "seed -5 refused" in seed_row.inner_text(), REDRAW_TIMEOUT,
                   "the seed refusal")
        assert img_src(view) == old_view, "the picture must stay"
        assert "refused" not in view.inner_text()
        type_into(root, "seed", 7)
        wait_for_new_picture(view, old_view, "the samples of seed 7")
        wait_until(lambda: "refused" not in seed_row.inner_text(), REDRAW_TIMEOUT,
                   "the seed refusal to clear")
        nb.assert_clean()


# ----------------------------------------------------------------------------- 03 InfoGAN
class TestInfoGAN:
    @pytest.fixture(scope="class")
    def nb(self, lab, browser, timings):
        yield from open_and_run(lab, browser, "03_infogan.ipynb", timings)

    @pytest.fixture
    def demo(self, nb):
        root = nb.widget("explorer = CodeExplorer(")
        return root, root.locator(".widget-output").first

    def test_renders_after_run_all(self, nb, demo):
        root, view = demo
        assert img_src(view)
        assert root.locator(".widget-toggle-button.mod-active").inner_text().strip() == "0"
        nb.assert_clean()

    def test_code_buttons_redraw(self, nb, demo):
        root, view = demo
        old = img_src(view)
        for code in ("3", "7"):
            root.locator(".widget-toggle-button", has_text=re.compile(f"^{code}$")).click()
            old = wait_for_new_picture(view, old, f"code c1 = {code}")
            assert root.locator(".widget-toggle-button.mod-active").inner_text().strip() == code
        nb.assert_clean()

    @pytest.mark.parametrize("label", ["c2", "c3"])
    def test_continuous_code_sliders_redraw(self, nb, demo, label):
        root, view = demo
        s = slider(root, label)
        old, readout = img_src(view), s.locator(".widget-readout").inner_text()
        nudge(s)
        wait_for_new_picture(view, old, f"{label} moved")
        wait_until(lambda: s.locator(".widget-readout").inner_text() != readout, 10,
                   f"the {label} readout to follow")
        nb.assert_clean()

    def test_a_refused_code_is_answered_by_the_controls_and_the_picture_stays(self, nb, demo):
        root, view = demo
        old = img_src(view)
        nb.add_cell("explorer.show(code=12)")
        wait_until(lambda: "code 12 is out of range" in root.inner_text(), REDRAW_TIMEOUT,
                   "the refusal in the demo")
        assert "out of range" not in view.inner_text(), "the refusal replaced the picture"
        assert img_src(view) == old
        root.locator(".widget-toggle-button", has_text=re.compile("^2$")).click()
        wait_for_new_picture(view, old, "code c1 = 2")
        wait_until(lambda: "out of range" not in root.inner_text(), REDRAW_TIMEOUT,
                   "the refusal to clear")
        nb.assert_clean()


# ----------------------------------------------------------------------------- 04 pix2pix
class TestPix2Pix:
    @pytest.fixture(scope="class")
    def nb(self, lab, browser, timings):
        yield from open_and_run(lab, browser, "04_pix2pix.ipynb", timings)

    @pytest.fixture
    def demo(self, nb):
        root = nb.widget("demo = TranslationDemo(")
        return root, root.locator(".widget-output").first

    def test_renders_after_run_all(self, nb, demo):
        root, view = demo
        assert img_src(view)
        assert "held-out pairs 0 … " in root.inner_text()
        nb.assert_clean()

    def test_pair_number_and_direction_redraw(self, nb, demo):
        root, view = demo
        old = img_src(view)
        type_into(root, "pair #", 3)
        old = wait_for_new_picture(view, old, "pair #3")
        direction = dropdown(root, "direction")
        assert text(direction.locator("option:checked")) == "satellite → map"
        select(root, "direction", "map → satellite")
        wait_for_new_picture(view, old, "the other direction")
        assert text(direction.locator("option:checked")) == "map → satellite"
        nb.assert_clean()

    def test_an_out_of_range_pair_is_refused_by_the_box_and_the_demo_recovers(self, nb, demo):
        root, view = demo
        controls = root.locator(".widget-hbox").first
        old = img_src(view)
        type_into(root, "pair #", 100000)
        wait_until(lambda: "pair #100000 is out of range" in controls.inner_text(),
                   REDRAW_TIMEOUT, "the refusal next to the pair box")
        assert "out of range" not in view.inner_text(), "the refusal replaced the picture"
        assert img_src(view) == old
        type_into(root, "pair #", 1)
        wait_for_new_picture(view, old, "pair #1")
        wait_until(lambda: "out of range" not in root.inner_text(), REDRAW_TIMEOUT,
                   "the refusal to clear")
        nb.assert_clean()
