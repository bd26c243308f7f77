"""Chapter 0's live demo (`ganlib.widgets.GANLab`) on its model side: no browser.

Each update must move exactly the weights it should, each lesson set what it says, drawn points
become the data, bad settings be answered next to their control (and the demo go on), and a
loss switch mid-run keep training finite.
"""
import asyncio

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ganlib import toy2d  # noqa: E402
from ganlib.wgan import WGANGP  # noqa: E402
from ganlib.widgets import show_static  # noqa: E402
from ganlib.widgets.ganlab import GANLab  # noqa: E402

SMALL = dict(hidden=16, seed=0)


@pytest.fixture
def lab():
    return GANLab(**SMALL)


def values(variables):
    return [np.array(v.numpy()) for v in variables]


def changed(before, variables):
    return [not np.array_equal(b, v.numpy()) for b, v in zip(before, variables)]


def test_step_d_moves_every_d_weight_and_no_g_weight(lab):
    m = lab.model
    d0, g0 = values(m.gan.d_variables), values(m.gan.g_variables)
    surface0, fake0 = lab.last_frame["surface"], lab.last_frame["fake"]
    lab.step_d()
    assert all(changed(d0, m.gan.d_variables)) and not any(changed(g0, m.gan.g_variables))
    assert (m.d_updates, m.g_updates) == (1, 0)
    # what the canvas is sent: the surface moved, the fakes did not
    assert not np.array_equal(lab.last_frame["surface"], surface0)
    np.testing.assert_array_equal(lab.last_frame["fake"], fake0)


def test_step_g_moves_every_g_weight_and_no_d_weight(lab):
    m = lab.model
    d0, g0 = values(m.gan.d_variables), values(m.gan.g_variables)
    surface0, fake0 = lab.last_frame["surface"], lab.last_frame["fake"]
    lab.step_g()
    assert all(changed(g0, m.gan.g_variables)) and not any(changed(d0, m.gan.d_variables))
    assert (m.d_updates, m.g_updates) == (0, 1)
    np.testing.assert_array_equal(lab.last_frame["surface"], surface0)
    assert not np.array_equal(lab.last_frame["fake"], fake0)


def test_a_full_step_is_the_gans_own_alternation(lab):
    lab.set_setting("d_steps", 3)
    m = lab.model
    d0, g0 = values(m.gan.d_variables), values(m.gan.g_variables)
    d_iter = int(m.gan.d_optimizer.iterations.numpy())
    lab.step()
    assert all(changed(d0, m.gan.d_variables)) and all(changed(g0, m.gan.g_variables))
    assert (m.d_updates, m.g_updates) == (3, 1)
    assert int(m.gan.d_optimizer.iterations.numpy()) - d_iter == 3
    assert int(m.gan.g_optimizer.iterations.numpy()) == 1


def test_steps_are_seeded():
    a, b = toy2d.LiveGAN(**SMALL), toy2d.LiveGAN(**SMALL)
    for m in (a, b):
        m.step(5)
    np.testing.assert_array_equal(a.frame()["fake"], b.frame()["fake"])


@pytest.mark.parametrize("name", list(toy2d.LiveGAN.LESSONS))
def test_each_lesson_sets_what_it_says(lab, name):
    lab.step(), lab.step()
    assert lab.lesson(name)
    preset, m = toy2d.LiveGAN.LESSONS[name], lab.model
    for key, value in preset.items():
        if key == "data":
            assert m.data_name == value and lab.data.value == value
        else:
            assert m.settings[key] == value, key
            assert lab.settings_controls[key].value == value, f"the {key} control"
    assert m.g_updates == 0 and m.history["step"] == []          # starts over
    assert isinstance(m.gan, WGANGP) == (preset["loss"] == "wgan-gp")
    assert m.gan.d_loss_fn is toy2d.LOSSES[preset["loss"]][1]
    assert m.gan.g_loss_fn is toy2d.LOSSES[preset["loss"]][2]
    assert m.gan.d_steps == preset["d_steps"]
    assert float(m.gan.d_optimizer.learning_rate.numpy()) == pytest.approx(preset["d_lr"])
    assert float(m.gan.g_optimizer.learning_rate.numpy()) == pytest.approx(preset["g_lr"])
    out = m.D.get_layer("d_score").activation.__name__
    assert out == ("sigmoid" if preset["loss"] in ("bce", "saturating") else "linear")
    assert "lesson: " + name in lab.lesson_message.value
    assert lab.speed.value == max(1, 5 // preset["d_steps"])


def test_the_vanishing_gradient_lesson_shows_what_it_says():
    """With its settings G's saturating loss gives the fakes (almost) no push and they stay
    put; the same settings with the GAN loss move them towards the data."""
    m = toy2d.LiveGAN(**SMALL)
    m.lesson("vanishing gradients")
    before = m.frame()["nearest"]
    m.step(100)
    f = m.frame()
    m.lesson("vanishing gradients")
    m.set(loss="bce")
    m.step(100)
    g = m.frame()
    print(f"saturating: |push| {f['arrow_norm']:.3g}, nearest {before:.3f} -> {f['nearest']:.3f}; "
          f"GAN loss: |push| {g['arrow_norm']:.3g}, nearest -> {g['nearest']:.3f}")
    assert f["arrow_norm"] < 1e-2 and abs(f["nearest"] - before) < 0.05
    assert g["arrow_norm"] > 100 * f["arrow_norm"] and g["nearest"] < before - 0.1


def test_drawn_points_become_the_data_and_the_fakes_move_to_them(lab):
    rng = np.random.default_rng(0)
    drawn = np.array([1.5, 1.5], np.float32) + rng.normal(0, 0.1, (300, 2)).astype(np.float32)
    lab.add_points(drawn[:100])
    lab.add_points(drawn[100:])
    assert lab.data.value == "drawn" and lab.canvas.drawing
    np.testing.assert_array_equal(lab.model.data, drawn)
    assert np.frombuffer(lab.canvas.real, np.float32).size == drawn.size
    assert {tuple(p) for p in lab.model.batch(64)} <= {tuple(p) for p in drawn}
    assert lab.model.modes is None and lab.last_frame["modes"] is None
    before = lab.last_frame["nearest"]
    lab.speed.value = 20
    for _ in range(10):
        assert lab.advance()
    assert lab.last_frame["nearest"] < 0.5 * before, (before, lab.last_frame["nearest"])
    # points the canvas sends arrive the same way
    lab._on_msg(lab.canvas, {"type": "draw", "points": [[-2.0, -2.0], [9.0, 9.0]]}, [])
    assert len(lab.model.data) == 301        # the point outside the square is dropped


@pytest.mark.parametrize("key, bad, good", [
    ("d_lr", -0.01, 0.002), ("g_lr", float("nan"), 0.0005), ("d_steps", 0, 2),
    ("latent_dim", 0, 3), ("hidden", -4, 8), ("depth", 7, 2)])
def test_a_bad_setting_is_answered_next_to_its_control_and_the_demo_goes_on(lab, key, bad, good):
    before = dict(lab.model.settings)
    step = lab.model.g_updates
    getattr(lab, key).value = bad
    message = lab.messages[key].value
    assert "refused" in message and f"still {before[key]}" in message
    assert lab.model.settings == before
    assert all(not m.value for k, m in lab.messages.items() if k != key)
    assert lab.advance() and lab.model.g_updates > step       # training goes on
    getattr(lab, key).value = good
    assert lab.model.settings[key] == good
    assert "refused" not in lab.messages[key].value
    assert lab.advance() and np.isfinite(lab.model.history["g_loss"][-1])


def test_an_empty_drawing_is_answered_next_to_the_data_menu_and_the_demo_recovers(lab):
    lab.data.value = "drawn"
    assert lab.canvas.drawing and "click or drag" in lab.data_message.value
    step = lab.model.g_updates
    assert not lab.advance()
    lab.step()
    assert lab.model.g_updates == step
    assert "drawing is empty" in lab.data_message.value
    with pytest.raises(ValueError, match="draw some"):
        lab.model.set_data(np.zeros((0, 2)))
    lab.add_points([[0.5, 0.5], [0.6, 0.4]])
    assert "2 points drawn" in lab.data_message.value
    assert lab.advance() and lab.model.g_updates > step
    lab.data.value = "moons"
    assert not lab.canvas.drawing and lab.model.data_name == "moons"


def test_switching_the_loss_mid_run_keeps_training_finite(lab):
    lab.speed.value = 10
    g_weights = values(lab.model.G.weights)
    for label, loss in [("LSGAN (least squares)", "lsgan"), ("WGAN-GP", "wgan-gp"),
                        ("saturating G loss", "saturating"), ("GAN loss (non-saturating G)", "bce")]:
        lab.loss.value = loss
        assert lab.model.settings["loss"] == loss and not lab.messages["loss"].value
        assert isinstance(lab.model.gan, WGANGP) == (loss == "wgan-gp")
        for _ in range(3):
            assert lab.advance()
        assert lab.model.finite() and np.isfinite(lab.last_frame["surface"]).all()
    assert lab.model.g_updates == 4 * 3 * 10          # never restarted
    assert any(changed(g_weights, lab.model.G.weights))


def test_mid_run_settings_change_the_optimizers_in_place(lab):
    lab.step()
    lab.d_lr.value, lab.g_lr.value = 0.004, 0.0002
    assert float(lab.model.gan.d_optimizer.learning_rate.numpy()) == pytest.approx(0.004)
    assert float(lab.model.gan.g_optimizer.learning_rate.numpy()) == pytest.approx(0.0002)
    assert lab.model.g_updates == 1                        # no restart
    lab.optimizer.value = "sgd"
    assert type(lab.model.gan.g_optimizer).__name__ == "SGD"
    assert float(lab.model.gan.g_optimizer.learning_rate.numpy()) == pytest.approx(0.0002)
    lab.noise.value = "uniform"
    assert lab.model.gan.noise == "uniform" and np.abs(lab.model.preview).max() <= 1
    assert lab.advance() and lab.model.g_updates > 1
    lab.hidden.value = 8                                   # a size: networks rebuilt
    assert "rebuilt" in lab.messages["hidden"].value
    assert lab.model.g_updates == 0 and lab.model.D.get_layer("d_dense_0").units == 8
    lab.latent_dim.value = 5
    assert lab.model.G.input_shape == (None, 5) and lab.model.manifold_noise.shape == (256, 5)
    assert lab.advance()


def test_non_finite_training_is_put_back_and_paused(lab, monkeypatch):
    lab.step()
    good = values(lab.model.G.weights)
    real_step = lab.model.step

    def poisoned(n=1):
        real_step(n)
        lab.model.G.weights[0].assign(np.full(lab.model.G.weights[0].shape, np.nan))
    monkeypatch.setattr(lab.model, "step", poisoned)
    assert not lab.advance()
    assert "non-finite" in lab.play_message.value and "step 1" in lab.play_message.value
    for g, v in zip(good, lab.model.G.weights):
        np.testing.assert_array_equal(g, v.numpy())
    assert lab.model.g_updates == 1 and not lab.play_button.value
    monkeypatch.setattr(lab.model, "step", real_step)
    assert lab.advance() and lab.model.finite()


def test_slow_motion_alternates_one_d_update_and_one_g_update(lab):
    lab.slow.value = True
    m = lab.model
    d0, g0 = values(m.gan.d_variables), values(m.gan.g_variables)
    assert lab.advance() and lab.canvas.phase == "D update"
    assert all(changed(d0, m.gan.d_variables)) and not any(changed(g0, m.gan.g_variables))
    d1 = values(m.gan.d_variables)
    assert lab.advance() and lab.canvas.phase == "G update"
    assert all(changed(g0, m.gan.g_variables)) and not any(changed(d1, m.gan.d_variables))
    assert (m.d_updates, m.g_updates) == (1, 1)


def test_play_runs_in_the_event_loop_and_pause_stops_it(lab):
    lab.step()                                        # traced before playing

    async def session():
        lab.play_button.value = True                 # what the play button does
        assert lab.playing
        for _ in range(600):                         # at most a minute on a busy machine
            await asyncio.sleep(0.1)
            if lab.model.g_updates > 3 * lab.speed.value:
                break
        playing_steps = lab.model.g_updates
        lab.play_button.value = False
        await asyncio.sleep(0.3)
        paused_at = lab.model.g_updates
        await asyncio.sleep(0.5)
        return playing_steps, paused_at, lab.model.g_updates

    frames = lab.frames
    playing_steps, paused_at, later = asyncio.run(session())
    assert playing_steps > 3 * lab.speed.value and lab.frames > frames + 2
    assert later == paused_at and not lab.playing
    assert lab.play_button.description == "play"


def test_a_second_lab_that_plays_pauses_the_first(lab):
    other = GANLab(**SMALL)

    async def session():
        lab.play()
        other.play()
        await asyncio.sleep(0.1)
        state = lab.playing, other.playing, lab.play_button.value
        other.pause()
        return state

    assert asyncio.run(session()) == (False, True, False)


def test_views_payload_and_static_twin(lab):
    lab.view_boxes["manifold"].value = False
    assert "manifold" not in lab.canvas.views and "surface" in lab.canvas.views
    f = lab.canvas.frame
    n = f["surface_n"]
    assert len(f["surface"]) == 4 * n * n and len(f["fake"]) == 4 * 2 * toy2d.LiveGAN.N_FAKES
    assert len(f["arrows"]) == 4 * 2 * toy2d.LiveGAN.N_ARROWS
    assert "generator step 0" in lab.readout.value
    show_static(lab)
    import matplotlib.pyplot as plt
    fig = plt.gcf()
    assert "generator step 0" in fig.axes[0].get_title()
    plt.close("all")


@pytest.mark.parametrize("name", toy2d.DATASETS)
def test_data_presets_fit_the_plane(name):
    points, modes = toy2d.data_points(name, n=2000, seed=0)
    assert points.shape == (2000, 2) and np.abs(points).max() < toy2d.LIMIT
    if modes is not None:
        assert toy2d.modes_covered(points, modes=modes)[0] == len(modes)
    assert toy2d.grid_divergence(points, points) == 0.0
    assert toy2d.grid_divergence(points, points + 10) == 1.0


def test_the_voila_page_builds_the_demo():
    """tools/ganlab.ipynb (served by `voila tools/ganlab.ipynb`) shows a GANLab."""
    import os

    import nbformat
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    nb = nbformat.read(os.path.join(root, "tools", "ganlab.ipynb"), as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 1
    *body, last = code[0].strip().splitlines()
    scope = {}
    exec("\n".join(body), scope)
    shown = eval(last, scope)
    assert isinstance(shown, GANLab) and shown.model.data_name == "ring"


def test_reset_starts_over_from_the_seeds_networks(lab):
    fresh = values(lab.model.G.weights)
    lab.speed.value = 3
    lab.advance()
    lab.d_lr.value = 0.002
    lab.reset()
    assert lab.model.g_updates == 0 and lab.model.history["step"] == [] and lab.fit["step"] == [0]
    for a, b in zip(fresh, lab.model.G.weights):
        np.testing.assert_array_equal(a, b.numpy())
    assert lab.model.settings["d_lr"] == 0.002           # the settings stay
