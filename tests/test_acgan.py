import matplotlib.pyplot as plt
import keras
import numpy as np
import pytest
import traitlets

from ganlib import acgan, data
from ganlib.widgets.acgan import ACGANDemo

TINY = dict(base_filters=16, up_filters=8)  # same layers, fewer filters: quick tests


def weights(model):
    return [v.numpy().copy() for v in model.weights]


def moved(before, model):
    return [not np.array_equal(a, v.numpy()) for a, v in zip(before, model.weights)]


@pytest.fixture(autouse=True)
def float32_and_no_figures():
    keras.mixed_precision.set_global_policy("float32")
    yield
    plt.close("all")


@pytest.fixture
def tiny_gan():
    return acgan.make_acgan(seed=1, **TINY)


@pytest.fixture
def batch():
    rng = np.random.default_rng(0)
    x = keras.ops.convert_to_tensor(rng.uniform(-1, 1, (16, 28, 28, 1)).astype("float32"))
    y = keras.ops.convert_to_tensor(np.arange(16) % 10, dtype="int32")
    return x, y


# --------------------------------------------------------------------------- builders
def test_builders_match_the_tutorial_summary():
    g, d = acgan.build_generator(), acgan.build_discriminator()
    assert g.output_shape == (None, 28, 28, 1)
    assert [tuple(s) for s in d.output_shape] == [(None, 1), (None, 10)]
    # parameter counts of the tutorial's model.summary()
    assert g.count_params() == (10 * 50) + (50 * 49 + 49) + (100 * 384 * 49 + 384 * 49) \
        + (385 * 192 * 25 + 192) + 4 * 192 + (192 * 25 + 1)
    assert d.count_params() == 320 + 18496 + 256 + 73856 + 512 + 295168 + 1024 + 12545 + 125450
    assert g.layers[-1].dtype_policy.name == "float32"   # the tanh: images come out float32


def test_generator_is_the_tutorials_concatenate_and_one_convt():
    """The two ConvTs added (one per map) are the tutorial's single ConvT over the
    concatenated 385 channels: same parameters, same images."""
    g = acgan.build_generator(**TINY)
    h = g.get_layer("noise_map").output
    li = g.get_layer("label_map").output
    up = g.get_layer("noise_up")
    one = keras.layers.Conv2DTranspose(up.filters, 5, strides=2, padding="same")
    x = one(keras.layers.Concatenate()([h, li]))
    for layer in g.layers[g.layers.index(g.get_layer("merge")) + 1:]:
        x = layer(x)
    tutorial = keras.Model(g.inputs, x)
    kernel, bias = up.get_weights()
    one.set_weights([np.concatenate([kernel, g.get_layer("label_up").get_weights()[0]], -1), bias])
    inputs = [np.random.default_rng(0).normal(size=(6, 100)).astype("float32"),
              np.arange(6)[:, None]]
    assert tutorial.count_params() == g.count_params()
    np.testing.assert_allclose(tutorial.predict(inputs, verbose=0), g.predict(inputs, verbose=0),
                               atol=1e-5)


def test_light_generator_and_other_sizes():
    g = acgan.build_generator((32, 32, 3), **TINY)
    assert g.output_shape == (None, 32, 32, 3)
    assert [tuple(s) for s in acgan.build_discriminator((32, 32, 3)).output_shape] == [(None, 1), (None, 10)]
    out = g.predict([np.zeros((2, 100), "float32"), np.array([[0], [9]])], verbose=0)
    assert out.shape == (2, 32, 32, 3) and np.abs(out).max() <= 1.0


@pytest.mark.parametrize("shape", [(30, 28, 1), (28, 28, 2), (28, 28), "28x28"])
def test_builders_reject_wrong_image_shapes(shape):
    with pytest.raises(ValueError, match="image_shape"):
        acgan.build_generator(shape)
    with pytest.raises(ValueError, match="image_shape"):
        acgan.build_discriminator(shape)


def test_schedules_keep_the_seed_recipe_for_full():
    full = acgan.SCHEDULES["full"]
    assert full["steps"] == 100 * 937 and acgan.recipe(full) == acgan.SEED_RECIPE
    # pretrained: the shipped reference's networks (the full-width D), see test_cgan
    assert set(acgan.SCHEDULES) == {"smoke", "class", "full", "pretrained"}


# --------------------------------------------------------------------------- updates
def test_d_update_moves_d_weights_and_no_g_weight(tiny_gan, batch):
    g0, d0 = weights(tiny_gan.generator), weights(tiny_gan.discriminator)
    logs = tiny_gan.apply_update(tiny_gan.discriminator_loss, tiny_gan.d_variables,
                                 tiny_gan.d_optimizer, *batch)
    assert set(logs) == {"d_loss", "d_source", "d_class"}
    assert all(moved(d0, tiny_gan.discriminator)), "every D weight should move"
    assert not any(moved(g0, tiny_gan.generator)), "a D update moved a G weight"


def test_g_update_moves_g_weights_and_no_d_weight(tiny_gan, batch):
    g0, d0 = weights(tiny_gan.generator), weights(tiny_gan.discriminator)
    logs = tiny_gan.apply_update(tiny_gan.generator_loss, tiny_gan.g_variables,
                                 tiny_gan.g_optimizer, *batch)
    assert set(logs) == {"g_loss", "g_source", "g_class"}
    g_moved = moved(g0, tiny_gan.generator)
    trainable = [any(v is t for t in tiny_gan.generator.trainable_variables)
                 for v in tiny_gan.generator.weights]
    assert all(m for m, t in zip(g_moved, trainable) if t), "every trainable G weight should move"
    assert not any(moved(d0, tiny_gan.discriminator)), "a G update moved a D weight"


def test_g_update_in_a_traced_function_moves_no_d_weight(tiny_gan, batch):
    import tensorflow as tf
    d0 = weights(tiny_gan.discriminator)
    step = tf.function(lambda x, y: tiny_gan.apply_update(tiny_gan.generator_loss, tiny_gan.g_variables,
                                                          tiny_gan.g_optimizer, x, y))
    step(*batch)
    step(*batch)
    assert not any(moved(d0, tiny_gan.discriminator)), "a traced G update moved a D weight"


def test_class_weight_scales_the_generator_class_term(batch):
    gan = acgan.make_acgan(seed=3, class_weight=3.0, **TINY)
    _, logs = gan.generator_loss(*batch)
    expected = float(logs["g_source"]) + 3.0 * float(logs["g_class"])
    assert float(logs["g_loss"]) == pytest.approx(expected, rel=1e-5)


def test_mode_seeking_pairs_share_a_class_and_weigh_in(batch):
    """λ_ms > 0: G's batch is pairs (i, i + n/2) asking for the same class with other noise,
    and the MSGAN term enters G's loss with its weight; a G update still moves no D weight."""
    gan = acgan.make_acgan(seed=3, lambda_ms=0.5, **TINY)
    seen = []
    original = gan.generator_inputs
    gan.generator_inputs = lambda n, labels=None: seen.append(np.asarray(labels)) or original(n, labels)
    _, logs = gan.generator_loss(*batch)
    gan.generator_inputs = original
    wanted = seen[-1]
    np.testing.assert_array_equal(wanted[:16], wanted[16:])
    expected = float(logs["g_source"]) + float(logs["g_class"]) + 0.5 * float(logs["ms_loss"])
    assert float(logs["g_loss"]) == pytest.approx(expected, rel=1e-5)
    assert float(logs["ms_loss"]) > 0
    d0 = weights(gan.discriminator)
    gan.apply_update(gan.generator_loss, gan.g_variables, gan.g_optimizer, *batch)
    assert not any(moved(d0, gan.discriminator))
    x = np.random.default_rng(0).integers(0, 256, (64, 28, 28), dtype=np.uint8)
    hist = gan.fit(data.make_dataset(x, np.arange(64) % 10, batch_size=8), epochs=1,
                   steps_per_epoch=2, verbose=0)
    assert "ms_loss" in hist.history and np.isfinite(hist.history["ms_loss"][-1])


def test_fit_on_labelled_batches_logs_every_loss(tiny_gan):
    x = np.random.default_rng(0).integers(0, 256, (128, 28, 28), dtype=np.uint8)
    y = np.random.default_rng(1).integers(0, 10, 128)
    hist = tiny_gan.fit(data.make_dataset(x, y, batch_size=8), epochs=1, steps_per_epoch=2, verbose=0)
    assert set(hist.history) == {"d_loss", "g_loss", "d_source", "d_class", "g_source", "g_class"}
    assert all(np.isfinite(v[-1]) for v in hist.history.values())
    assert int(tiny_gan.g_optimizer.iterations.numpy()) == 2


def test_train_needs_labels(tiny_gan):
    x = np.random.default_rng(0).integers(0, 256, (64, 28, 28), dtype=np.uint8)
    with pytest.raises(ValueError, match="labels"):
        tiny_gan.fit(data.make_dataset(x, batch_size=8), epochs=1, steps_per_epoch=1, verbose=0)


def test_train_helper_with_given_images():
    x = np.random.default_rng(0).integers(0, 256, (64, 28, 28), dtype=np.uint8)
    y = np.arange(64) % 10
    schedule = dict(steps=2, log_every=1, sample_every=1, **TINY, class_weight=2.0)
    gan, hist = acgan.train(schedule, images=x, labels=y, seed=0)
    assert len(hist.history["d_loss"]) == 2 and gan.class_weight == 2.0
    with pytest.raises(ValueError, match="dataset"):
        acgan.load_images("cifar10")


def test_generate_for_requested_classes(tiny_gan):
    z = np.zeros((3, 100), "float32")
    a = tiny_gan.generate(labels=[0, 5, 9], noise=z)
    b = tiny_gan.generate(labels=[0, 5, 9], noise=z)
    assert a.shape == (3, 28, 28, 1) and np.array_equal(a, b)
    assert not np.array_equal(a[0], a[1]), "the label input should change the image"
    assert tiny_gan.generate(labels=[1, 2]).shape == (2, 28, 28, 1)
    with pytest.raises(ValueError, match="0..9"):
        tiny_gan.generate(labels=[10])
    with pytest.raises(ValueError, match="noise"):
        tiny_gan.generate(labels=[1, 2], noise=z)


# --------------------------------------------------------------------------- widget
class StubGenerator:
    """Draws the requested class into the image: every pixel is ``label / 9`` (in [0, 1])."""

    def __init__(self):
        self.calls = []

    def predict(self, inputs, verbose=0):
        noise, labels = inputs
        self.calls.append((np.array(noise), np.array(labels)))
        labels = np.asarray(labels).reshape(-1)
        return np.broadcast_to(labels[:, None, None, None] / 9.0, (len(labels), 28, 28, 1)).astype("float32")


def drawn_classes(images):
    return np.round(np.asarray(images)[:, 0, 0, 0] * 9).astype(int)


@pytest.fixture
def demo():
    return ACGANDemo(StubGenerator(), data.class_names("fashion_mnist"), latent_dim=100, count=6,
                     scale="sigmoid")


def test_widget_draws_the_picked_class(demo):
    assert list(drawn_classes(demo.view.images)) == [0] * 6
    demo.class_picker.value = 7                      # what a click in the dropdown does
    assert list(drawn_classes(demo.view.images)) == [7] * 6
    assert list(drawn_classes(demo.interp_view.images)) == [7] * 3
    assert demo.set_class(3) and demo.class_picker.value == 3
    assert list(drawn_classes(demo.view.images)) == [3] * 6
    assert demo.class_picker.options[3][0].endswith("Dress")


def test_static_figures_show_what_every_view_of_the_demo_shows(monkeypatch):
    from ganlib import widgets
    fresh = ACGANDemo(StubGenerator(), data.class_names("fashion_mnist"), latent_dim=100, count=6,
                      scale="sigmoid")
    drawn = []
    monkeypatch.setattr(widgets, "show_grid", lambda images, **kw: drawn.append((images, kw)))
    assert widgets.show_static(fresh) is None
    assert len(drawn) == 3
    views = [fresh.view, fresh.grid_view, fresh.interp_view]
    assert all(np.array_equal(img, v.images) for (img, _), v in zip(drawn, views))
    assert drawn[0][1]["title"] == fresh.view.grid_kwargs["title"]

    class Blank:
        view = None
    with pytest.raises(ValueError, match="drawn nothing"):
        widgets.show_static(Blank())


def test_widget_sample_count_seed_and_new_noise(demo):
    demo.count.value = 10
    assert len(demo.view.images) == 10
    noise_of = lambda: demo.generator.calls[-3][0]  # the one-class view is drawn first  # noqa: E731
    z0 = noise_of()
    demo.seed.value = 5
    z5 = noise_of()
    assert z0.shape == z5.shape == (10, 100) and not np.array_equal(z0, z5)
    demo.new_noise.click()
    assert demo.seed.value == 6 and not np.array_equal(noise_of(), z5)
    demo.seed.value = 5
    assert np.array_equal(noise_of(), z5), "the same seed must give the same noise"


def test_widget_every_class_grid_and_interpolation(demo):
    demo.rows.value = 3
    grid = drawn_classes(demo.grid_view.images)
    assert list(grid) == list(range(10)) * 3, "rows: noise vectors, columns: classes"
    noise, _ = demo.generator.calls[-1]
    assert np.array_equal(noise[0], noise[9]) and not np.array_equal(noise[0], noise[10])
    demo.t.value = 0.0
    z = demo.generator.calls[-1][0]
    assert np.allclose(z[1], z[0])
    demo.t.value = 1.0
    z = demo.generator.calls[-1][0]
    assert np.allclose(z[1], z[2])


@pytest.mark.parametrize("bad", [10, -1, 2.5, "Coat"])
def test_widget_refuses_an_out_of_range_class_by_the_class_menu(demo, bad):
    demo.set_class(4)
    before = [demo.view.images, demo.grid_view.images, demo.interp_view.images]
    calls = len(demo.generator.calls)
    assert demo.set_class(bad) is False
    assert "choose 0..9" in demo.class_message.value
    assert demo.class_message in demo.widget.children[0].children, "shown next to the class menu"
    # the pictures stay as they were: nothing is redrawn, nothing replaces them
    assert [demo.view.images, demo.grid_view.images, demo.interp_view.images] == before
    assert len(demo.generator.calls) == calls and demo.class_picker.value == 4
    with pytest.raises(traitlets.TraitError):
        demo.class_picker.value = 10


@pytest.mark.parametrize("recover", ["set_class", "menu"])
def test_widget_a_good_class_clears_the_refusal(demo, recover):
    assert demo.set_class(12) is False and demo.class_message.value
    if recover == "set_class":
        assert demo.set_class(5)
    else:
        demo.class_picker.value = 5                 # what a click in the dropdown does
    assert demo.class_message.value == ""
    assert list(drawn_classes(demo.view.images)) == [5] * 6


def test_widget_runs_a_real_acgan(tiny_gan):
    d = ACGANDemo(tiny_gan, data.class_names("mnist"), count=4)
    assert d.view.images.shape == (4, 28, 28, 1)
    assert d.grid_view.images.shape == (4 * 10, 28, 28, 1)
    d.class_picker.value = 9
    assert d.view.images.shape == (4, 28, 28, 1)


# --------------------------------------------------------------------------- bad inputs
@pytest.mark.parametrize("labels,message", [
    ([-1] * 4, r"0\.\.9, got -1"),
    ([10] * 4, r"0\.\.9, got 10"),
    ([], "labels is empty"),
    ([1, 2], "2 labels for n=4"),
    ([0.5] * 4, "whole-number classes.*0.5"),
], ids=["minus1", "ten", "empty", "too-few", "fraction"])
def test_generator_inputs_refuses_bad_labels(tiny_gan, labels, message):
    with pytest.raises(ValueError, match=message):
        tiny_gan.generator_inputs(4, labels)


def test_generator_inputs_accepts_n_by_1_labels_and_generate_checks_the_count(tiny_gan):
    for labels in ([3, 1, 4], np.array([[3], [1], [4]]), np.array([3, 1, 4], np.int64)):
        _, y = tiny_gan.generator_inputs(3, labels)
        np.testing.assert_array_equal(np.asarray(y).ravel(), [3, 1, 4])
    with pytest.raises(ValueError, match="2 labels for n=3"):
        tiny_gan.generate(3, labels=[1, 2])


def test_widget_refuses_class_names_of_the_wrong_length(tiny_gan):
    names = data.class_names("fashion_mnist")
    for wrong in (names[:9], names + ["Hat"]):
        with pytest.raises(ValueError, match=f"class_names: got {len(wrong)} names for a "
                                             f"generator of 10 classes"):
            ACGANDemo(tiny_gan, wrong, count=2)


def test_widget_negative_seed_shows_a_message_by_the_seed_box_and_keeps_working(demo):
    before = demo.view.images
    demo.seed.value = -5                                # the observer must not raise
    assert "seed -5 refused" in demo.seed_message.value
    assert demo.view.images is before                   # the picture is kept
    assert demo.seed_message in demo.widget.children[1].children  # shown by the seed box
    demo.class_picker.value = 2                         # other controls do not raise either
    demo.rows.value = 2
    demo.t.value = 0.25
    demo.seed.value = 3                                 # a valid seed clears it and redraws
    assert demo.seed_message.value == ""
    assert list(drawn_classes(demo.view.images)) == [2] * 6
    demo.seed.value = -1
    demo.new_noise.click()                              # "new noise" moves to a valid seed
    assert demo.seed.value == 0 and demo.seed_message.value == ""
