import keras
import numpy as np
import pytest
import tensorflow as tf

from ganlib import config, infogan, losses


def snapshot(variables):
    return [v.numpy().copy() for v in variables]


def moved(before, variables):
    return [not np.array_equal(a, v.numpy()) for a, v in zip(before, variables)]


@pytest.fixture(scope="module")
def model():
    keras.mixed_precision.set_global_policy("float32")
    return infogan.make_infogan(seed=1)


@pytest.fixture
def fresh():
    keras.mixed_precision.set_global_policy("float32")
    return infogan.make_infogan(seed=2)


@pytest.fixture
def real_batch():
    rng = np.random.default_rng(0)
    return keras.ops.convert_to_tensor(rng.uniform(-1, 1, (16, 28, 28, 1)).astype("float32"))


# ------------------------------------------------------------------ builders
def test_builder_shapes(model):
    assert model.generator.input_shape == (None, 62 + 10 + 2)
    assert model.generator.output_shape == (None, 28, 28, 1)
    assert model.trunk.output_shape == (None, 7 * 7 * 256)
    assert model.discriminator.output_shape == (None, 1)
    assert model.q_network.output_shape == (None, 10 + 2)
    out = model.q_network(np.zeros((3, 28, 28, 1), "float32"))
    probs = np.asarray(out)[:, :10]
    np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-5)
    # The shared trunk really is shared: D and Q hold the very same trunk variables.
    trunk_ids = {id(v) for v in model.trunk.weights}
    assert trunk_ids <= {id(v) for v in model.discriminator.weights}
    assert trunk_ids <= {id(v) for v in model.q_network.weights}


def test_seed_configuration_without_continuous_codes():
    keras.mixed_precision.set_global_policy("float32")
    g = infogan.make_infogan(n_cont=0, seed=0)
    assert g.generator.input_shape == (None, 72)  # the tutorial's 62 + 10
    assert g.q_network.output_shape == (None, 10)
    assert g.generator_inputs(4).shape == (4, 72)


def test_final_layers_are_float32_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        g = infogan.make_infogan(seed=0)
        assert g.generator.layers[-1].dtype_policy.compute_dtype == "float32"
        assert g.d_head.layers[-1].dtype_policy.compute_dtype == "float32"
        assert g.q_head.output.dtype == "float32"
    finally:
        keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize("shape", [(28, 28), (30, 28, 1), (28, 28, 2), (0, 0, 1)])
def test_bad_image_shape_raises(shape):
    with pytest.raises(ValueError, match="image_shape"):
        infogan.build_generator(shape)
    with pytest.raises(ValueError, match="image_shape"):
        infogan.build_trunk(shape)


def test_mismatched_generator_input_raises():
    keras.mixed_precision.set_global_policy("float32")
    trunk, d_head, q_head = infogan.build_discriminator_and_q()
    with pytest.raises(ValueError, match="latent_dim"):
        infogan.InfoGAN(infogan.build_generator(latent_dim=10), trunk, d_head, q_head)


# ------------------------------------------------------------------ inputs
def test_generator_inputs_layout(model):
    x = np.asarray(model.generator_inputs(500))
    assert x.shape == (500, 74)
    onehot, cont = x[:, 62:72], x[:, 72:]
    assert set(np.unique(onehot)) <= {0.0, 1.0}
    np.testing.assert_array_equal(onehot.sum(1), 1.0)
    assert len(np.unique(onehot.argmax(1))) == 10  # every code value occurs
    assert cont.min() >= -1.0 and cont.max() <= 1.0 and cont.std() > 0.4  # U(-1, 1)
    z = x[:, :62]
    assert abs(z.mean()) < 0.05 and 0.9 < z.std() < 1.1  # N(0, 1)


def test_generator_inputs_with_chosen_codes(model):
    cat = keras.ops.convert_to_tensor(np.array([3, 0, 9], "int32"))
    cont = keras.ops.convert_to_tensor(np.array([[0.5, -0.5]] * 3, "float32"))
    x = np.asarray(model.generator_inputs(3, codes=(cat, cont)))
    np.testing.assert_array_equal(x[:, 62:72].argmax(1), [3, 0, 9])
    np.testing.assert_allclose(x[:, 72:], [[0.5, -0.5]] * 3)


def test_numpy_input_helpers():
    noise = np.zeros((4, 62), "float32")
    x = infogan.latent_inputs(noise, 7, [0.25, -1.0])
    assert x.shape == (4, 74)
    np.testing.assert_array_equal(x[:, 62:72].argmax(1), 7)
    np.testing.assert_allclose(x[:, 72:], [[0.25, -1.0]] * 4)
    with pytest.raises(ValueError, match="out of range"):
        infogan.latent_inputs(noise, 10)
    grid = infogan.code_grid_inputs(5, seed=0)
    assert grid.shape == (50, 74)
    np.testing.assert_array_equal(grid[:, 62:72].argmax(1), np.repeat(np.arange(10), 5))
    np.testing.assert_array_equal(grid[:5, :62], grid[45:, :62])  # same noise in every row
    sweep = infogan.sweep_inputs([1, 2], dim=1, values=np.linspace(-2, 2, 7), n_rows=2)
    assert sweep.shape == (14, 74)
    np.testing.assert_allclose(sweep[:7, 73], np.linspace(-2, 2, 7))
    np.testing.assert_array_equal(sweep[:, 72], 0.0)
    with pytest.raises(ValueError, match="continuous code"):
        infogan.sweep_inputs(0, dim=2, values=[0.0])


# ------------------------------------------------------------------ the two updates
def test_d_update_moves_only_d_side_weights(fresh, real_batch):
    g = fresh
    trunk, dh, qh = (snapshot(m.weights) for m in (g.trunk, g.d_head, g.q_head))
    gen = snapshot(g.generator.trainable_variables)
    g.apply_update(g.discriminator_loss, g.d_variables, g.d_optimizer, real_batch, None)
    trainable = {id(v) for v in g.trunk.trainable_variables}
    assert all(m for m, v in zip(moved(trunk, g.trunk.weights), g.trunk.weights)
               if id(v) in trainable), "every trainable trunk weight should move"
    assert all(moved(dh, g.d_head.weights)), "every D-head weight should move"
    assert not any(moved(qh, g.q_head.weights)), "a D update moved a Q-head weight"
    assert not any(moved(gen, g.generator.trainable_variables)), "a D update moved a G weight"


def test_mi_term_is_in_the_d_step_only_when_asked(real_batch):
    keras.mixed_precision.set_global_policy("float32")
    extra = {}
    for flag in (True, False):
        g = infogan.make_infogan(seed=3, mi_trunk=flag)
        total, logs = g.discriminator_loss(real_batch, None)
        extra[flag] = float(total - logs["d_loss"])
    assert extra[True] > 1.0  # λ·L_I of an untrained Q (about log 10 + λ_cont/3)
    assert extra[False] == 0.0


def test_g_update_moves_g_and_q_head_and_no_d_weight(fresh, real_batch):
    g = fresh
    trunk, dh, qh, gen = (snapshot(m.weights) for m in (g.trunk, g.d_head, g.q_head, g.generator))
    g.apply_update(g.generator_loss, g.g_variables, g.g_optimizer, real_batch, None)
    trainable = {id(v) for v in g.generator.trainable_variables}
    assert all(m for m, v in zip(moved(gen, g.generator.weights), g.generator.weights)
               if id(v) in trainable), "every trainable G weight should move"
    # Q head: kernels and BN scales/offsets (the bias of the Dense feeding a BatchNorm has a
    # zero gradient by construction, so it is not checked).
    assert all(m for m, v in zip(moved(qh, g.q_head.weights), g.q_head.weights)
               if v.name in ("kernel", "gamma", "beta")), "every Q-head weight should move"
    assert not any(moved(dh, g.d_head.weights)), "a G update moved a D-head weight"
    trunk_trainable = [id(v) in {id(t) for t in g.trunk.trainable_variables} for v in g.trunk.weights]
    assert not any(m for m, t in zip(moved(trunk, g.trunk.weights), trunk_trainable) if t), \
        "a G update moved a trainable trunk weight"


def test_train_step_reports_all_losses(fresh, real_batch):
    logs = fresh.train_step(real_batch)
    assert set(logs) == {"d_loss", "g_loss", "q_cat_loss", "q_cont_loss", "ms_loss", "z_rec_loss",
                         "aug_loss"}
    assert all(np.isfinite(float(v)) for v in logs.values())
    assert float(logs["q_cat_loss"]) > 1.5  # an untrained Q is near log(10) = 2.3


def test_schedules_cover_every_mode():
    for mode in config.MODES:
        s = config.select(infogan.SCHEDULES, mode, verbose=False)
        assert s["steps"] % s["log_every"] == 0
    assert infogan.SCHEDULES["full"]["steps"] == 100 * 937  # the tutorial's 100 epochs
    assert infogan.recipe(infogan.SCHEDULES["full"]) == infogan.SEED_RECIPE
    assert infogan.recipe(infogan.SCHEDULES["class"]) == infogan.CLASS_RECIPE


def test_code_scale_multiplies_only_the_one_hot_code(tmp_path):
    keras.mixed_precision.set_global_policy("float32")
    g = infogan.build_generator(code_scale=8.0, seed=0)
    plain = infogan.build_generator(seed=0)
    assert g.count_params() == plain.count_params()  # a fixed scale, nothing to learn
    x = infogan.latent_inputs(np.ones((2, 62)), [3, 7], [[0.5, -0.5]] * 2)
    scaled = np.asarray(g.layers[0](x))
    expected = x.copy()
    expected[:, 62:72] *= 8.0
    np.testing.assert_allclose(scaled, expected)
    g.save(tmp_path / "g.keras")  # the notebook saves its generator: the scale must survive
    again = keras.models.load_model(tmp_path / "g.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), g.predict(x, verbose=0), atol=1e-6)


def test_cont_scale_multiplies_only_the_continuous_codes_and_lambda_cont_reaches_the_model():
    keras.mixed_precision.set_global_policy("float32")
    g = infogan.build_generator(code_scale=8.0, cont_scale=3.0, seed=0)
    x = infogan.latent_inputs(np.ones((2, 62)), [3, 7], [[0.5, -0.5]] * 2)
    expected = x.copy()
    expected[:, 62:72] *= 8.0
    expected[:, 72:] *= 3.0
    np.testing.assert_allclose(np.asarray(g.layers[0](x)), expected)
    assert not any(isinstance(layer, keras.layers.Rescaling)
                   for layer in infogan.build_generator(seed=0).layers)  # the tutorial's G
    only_cont = infogan.build_generator(cont_scale=2.0, seed=0)
    assert isinstance(only_cont.layers[0], keras.layers.Rescaling)
    gan = infogan.make_infogan(seed=0, **{**infogan.recipe(infogan.SCHEDULES["class"]),
                                          "lambda_cont": 2.5, "cont_scale": 3.0})
    assert gan.lambda_cont == 2.5
    q_out = np.full((2, 12), 0.1, np.float32)     # uniform class guess, means 0.1
    total, cat_loss, cont_loss = gan.info_loss(q_out, np.array([0, 1]), np.ones((2, 2), np.float32))
    np.testing.assert_allclose(float(cont_loss), 0.81, rtol=1e-5)
    np.testing.assert_allclose(float(total), gan.lambda_cat * float(cat_loss) + 2.5 * 0.81,
                               rtol=1e-5)


def test_class_recipe_sets_learning_rates():
    keras.mixed_precision.set_global_policy("float32")
    gan = infogan.make_infogan(seed=0, **infogan.CLASS_RECIPE)
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-3)
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(2e-4)


def test_short_training_run():
    keras.mixed_precision.set_global_policy("float32")
    x = np.random.default_rng(0).integers(0, 256, (128, 28, 28), dtype=np.uint8)
    g, hist = infogan.train(dict(steps=2, log_every=1, sample_every=1), images=x, seed=0)
    assert len(hist.history["q_cat_loss"]) == 2
    assert int(g.g_optimizer.iterations.numpy()) == 2
    images, cat, cont = g.generate_codes(6)
    assert images.shape == (6, 28, 28, 1) and cat.shape == (6,) and cont.shape == (6, 2)
    probs, means = g.predict_codes(images)
    assert probs.shape == (6, 10) and means.shape == (6, 2)


# ------------------------------------------------------------------ widget
@pytest.fixture
def explorer(model):
    from ganlib.widgets.infogan import CodeExplorer
    return CodeExplorer(model, n=4, seed=0)


def test_widget_draws_requested_codes(explorer, model):
    assert explorer.view.images is not None and explorer.view.images.shape == (4, 28, 28, 1)
    explorer.c2.value = 1.5
    explorer.c3.value = -0.5
    explorer.code.value = 7
    x = explorer.inputs()
    np.testing.assert_array_equal(x[:, 62:72].argmax(1), 7)
    np.testing.assert_allclose(x[:, 72:], [[1.5, -0.5]] * 4)
    expected = model.generate(inputs=x)
    np.testing.assert_allclose(explorer.view.images, expected, atol=1e-5)
    before = explorer.view.images.copy()
    explorer.c2.value = -1.5  # moving a slider redraws
    assert not np.allclose(explorer.view.images, before)
    assert explorer.message.value == ""


def test_widget_keeps_noise_fixed_across_codes(explorer):
    explorer.code.value = 1
    a = explorer.inputs()
    explorer.code.value = 2
    b = explorer.inputs()
    np.testing.assert_array_equal(a[:, :62], b[:, :62])


def test_widget_refuses_out_of_range_codes(explorer):
    before = explorer.view.images.copy()
    shown = explorer.view.images
    assert explorer.show(code=10) is False
    assert "0..9" in explorer.message.value and "10" in explorer.message.value
    assert explorer.view.images is shown  # nothing redrawn, nothing replaces the picture
    np.testing.assert_array_equal(explorer.view.images, before)
    assert explorer.message in explorer.widget.children, "shown with the controls"
    assert explorer.show(c2=5.0) is False
    assert "c2" in explorer.message.value and explorer.c2.value == 0.0
    assert explorer.show(code=3, c2=0.5) is True
    assert explorer.message.value == "" and explorer.code.value == 3
    assert explorer.show(code=12) is False
    explorer.code.value = 4                  # a click on a code button clears the refusal too
    assert explorer.message.value == ""


# ------------------------------------------------------------------ the mode-seeking term
def test_mode_seeking_loss_values():
    z_a, z_b = np.zeros((4, 3), "float32"), np.ones((4, 3), "float32")
    same = np.full((4, 2, 2, 1), 0.3, "float32")
    apart = same + 0.5
    assert float(losses.mode_seeking(same, apart, z_a, z_b)) == pytest.approx(1 / (0.5 + 1e-5))
    assert float(losses.mode_seeking(same, same, z_a, z_b)) == pytest.approx(1e5)  # collapsed


def test_mode_seeking_cap_stops_the_push_beyond_it():
    z_a, z_b = np.zeros((4, 3), "float32"), np.ones((4, 3), "float32")
    a = np.full((4, 2, 2, 1), 0.3, "float32")
    near, far = keras.Variable(a + 0.1), keras.Variable(a + 0.5)  # ratios 0.1 and 0.5
    for b, expected, pushed in ((near, 1 / (0.1 + 1e-5), True), (far, 1 / (0.2 + 1e-5), False)):
        with tf.GradientTape() as tape:
            loss = losses.mode_seeking(a, b, z_a, z_b, cap=0.2)
        assert float(loss) == pytest.approx(expected, rel=1e-5)
        grad = tape.gradient(loss, b)
        assert (grad is not None and float(np.abs(grad).max()) > 0) == pushed
    # without a cap, pairs far apart are still pushed apart
    with tf.GradientTape() as tape:
        loss = losses.mode_seeking(a, far, z_a, z_b)
    assert float(np.abs(tape.gradient(loss, far)).max()) > 0


def test_infogan_passes_the_mode_seeking_cap(real_batch):
    keras.mixed_precision.set_global_policy("float32")
    logs = {}
    for cap in (None, 1e-4):
        g = infogan.make_infogan(seed=4, lambda_ms=0.5, ms_cap=cap)
        logs[cap] = float(g.generator_loss(real_batch, None)[1]["ms_loss"])
    assert logs[1e-4] == pytest.approx(1 / (1e-4 + 1e-5), rel=1e-4)  # a random G is farther apart
    assert logs[None] < logs[1e-4]
    with pytest.raises(ValueError, match="ms_cap"):
        infogan.make_infogan(lambda_ms=0.1, ms_cap=0.0)


def test_mode_seeking_pairs_share_codes_and_only_then_count(real_batch):
    keras.mixed_precision.set_global_policy("float32")
    seen = {}
    for lam in (0.0, 0.5):
        g = infogan.make_infogan(seed=4, lambda_ms=lam)
        original = g.generator_inputs

        def spy(n, labels=None, codes=None):
            seen[lam] = [np.asarray(c) for c in codes]
            return original(n, labels, codes)

        g.generator_inputs = spy
        total, logs = g.generator_loss(real_batch, None)
        parts = float(logs["g_loss"] + logs["q_cat_loss"] + g.lambda_cont * logs["q_cont_loss"])
        assert float(total) == pytest.approx(parts + lam * float(logs["ms_loss"]), rel=1e-5)
        assert (float(logs["ms_loss"]) > 0) == (lam > 0)
    cat, cont = seen[0.5]
    h = len(cat) // 2
    np.testing.assert_array_equal(cat[:h], cat[h:])  # sample i and i + n/2: the same codes
    np.testing.assert_array_equal(cont[:h], cont[h:])
    assert not np.array_equal(seen[0.0][0][:h], seen[0.0][0][h:])  # off: independent codes


# ------------------------------------------------------------------ noise reconstruction
def test_noise_reconstruction_head_and_loss():
    keras.mixed_precision.set_global_policy("float32")
    g = infogan.make_infogan(seed=5, n_zrec=8, lambda_z=0.5)
    assert g.q_network.output_shape == (None, 10 + 2 + 8)
    probs, means = g.predict_codes(np.zeros((3, 28, 28, 1), "float32"))
    assert probs.shape == (3, 10) and means.shape == (3, 2)  # the z guesses stay internal
    inputs = np.asarray(g.generator_inputs(4))
    q_out = np.zeros((4, 20), "float32")
    q_out[:, 12:] = inputs[:, :8] + 0.5  # every guess off by 0.5
    assert float(g.noise_reconstruction_loss(q_out, inputs)) == pytest.approx(0.25, rel=1e-5)
    q_out[:, 12:] = inputs[:, :8]
    assert float(g.noise_reconstruction_loss(q_out, inputs)) == pytest.approx(0.0, abs=1e-7)


def test_noise_reconstruction_enters_g_loss_only_when_on(real_batch):
    keras.mixed_precision.set_global_policy("float32")
    for n_zrec, lam in ((0, 0.0), (8, 0.5)):
        g = infogan.make_infogan(seed=4, n_zrec=n_zrec, lambda_z=lam)
        total, logs = g.generator_loss(real_batch, None)
        parts = float(logs["g_loss"] + logs["q_cat_loss"] + g.lambda_cont * logs["q_cont_loss"])
        assert float(total) == pytest.approx(parts + lam * float(logs["z_rec_loss"]), rel=1e-5)
        assert (float(logs["z_rec_loss"]) > 0) == (n_zrec > 0)


def test_noise_reconstruction_rejects_bad_sizes():
    keras.mixed_precision.set_global_policy("float32")
    with pytest.raises(ValueError, match="n_zrec"):
        infogan.make_infogan(n_zrec=63)
    trunk, d_head, q_head = infogan.build_discriminator_and_q(n_zrec=4)
    with pytest.raises(ValueError, match="Q head has 16 outputs"):
        infogan.InfoGAN(infogan.build_generator(), trunk, d_head, q_head)


# ------------------------------------------------------------------ the code under small moves
def test_augmentation_moves_digits_and_keeps_the_background():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")  # float32 even then
    try:
        aug = infogan.build_augmentation(seed=0)
        blank = np.full((4, 28, 28, 1), -1.0, "float32")
        out = aug(blank, training=True)
        assert out.dtype == "float32"
        np.testing.assert_allclose(np.asarray(out), -1.0, atol=1e-5)  # uncovered pixels: background
        digit = blank.copy()
        digit[:, 8:20, 12:16] = 1.0  # a bar, a crude "1"
        moved = np.asarray(aug(digit, training=True))
        assert moved.shape == digit.shape
        assert np.abs(moved - digit).max() > 0.5  # really moved
        assert not np.allclose(moved[0], moved[1])  # each image its own move
        # inference: the images pass as they are
        np.testing.assert_array_equal(np.asarray(aug(digit, training=False)), digit)
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_augmentation_draws_turn_shift_and_zoom_independently():
    x = np.zeros((512, 28, 28, 1), "float32")
    for seed in (0, None):
        turn, shift, zoom = infogan.build_augmentation(seed=seed).layers
        angle = np.asarray(turn.get_random_transformation(x, training=True)["angle"]).ravel()
        moves = np.asarray(shift.get_random_transformation(x, training=True)["translations"])
        zooms = np.asarray(zoom.get_random_transformation(x, training=True)["height_zoom"]).ravel()
        for other in (moves[:, 0], moves[:, 1], zooms):
            assert abs(np.corrcoef(angle, other)[0, 1]) < 0.2, seed  # one shared seed gives 1.0


def test_moved_code_term_enters_the_g_step_and_trains_g_and_q(real_batch):
    keras.mixed_precision.set_global_policy("float32")
    g = infogan.make_infogan(seed=6, lambda_aug=2.0)
    total, logs = g.generator_loss(real_batch, None)
    parts = float(logs["g_loss"] + logs["q_cat_loss"] + g.lambda_cont * logs["q_cont_loss"])
    assert float(logs["aug_loss"]) > 1.5  # an untrained Q is near log(10) on moved fakes too
    assert float(total) == pytest.approx(parts + 2.0 * float(logs["aug_loss"]), rel=1e-5)
    codes = g.sample_codes(8)
    with tf.GradientTape() as tape:
        fake = g.generator(g.generator_inputs(8, codes=codes), training=True)
        loss = g.moved_code_loss(fake, codes[0])
    grads = tape.gradient(loss, g.g_variables)
    n_g = len(g.generator.trainable_variables)
    kernels = [gr for gr, v in zip(grads[:n_g], g.g_variables[:n_g]) if v.name == "kernel"]
    # through the move into G, and into Q's head
    assert all(gr is not None and float(np.abs(gr).max()) > 0 for gr in kernels)
    assert any(gr is not None and float(np.abs(gr).max()) > 0 for gr in grads[n_g:])
    off = infogan.make_infogan(seed=6)
    assert off.augment is None and float(off.generator_loss(real_batch, None)[1]["aug_loss"]) == 0.0


# ------------------------------------------------------------------ bad code inputs
def test_latent_inputs_refuse_fractional_and_out_of_range_categories():
    noise = np.zeros((3, 62), "float32")
    for bad, message in ((2.7, "whole numbers 0..9, got 2.7"), (-0.5, "whole numbers"),
                         ([1, 2.5, 3], "got 2.5"), (10, "out of range")):
        with pytest.raises(ValueError, match=message):
            infogan.latent_inputs(noise, bad, [0.0, 0.0])
    assert infogan.latent_inputs(noise, 2.0, [0.0, 0.0])[:, 62:72].argmax(1).tolist() == [2] * 3


def test_latent_inputs_refuse_wrong_length_or_nan_continuous_codes():
    noise = np.zeros((3, 62), "float32")
    with pytest.raises(ValueError, match="finite"):
        infogan.latent_inputs(noise, 1, [np.nan, 0.0])
    with pytest.raises(ValueError, match="one row per sample"):
        infogan.latent_inputs(noise, 1, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="this model has 2 .*got 3 value"):
        infogan.latent_inputs(noise, 1, [0.1, 0.2, 0.3], n_cont=2)
    with pytest.raises(ValueError, match="this model has 2 continuous codes: pass cont"):
        infogan.latent_inputs(noise, 1, None, n_cont=2)


def test_generate_refuses_inputs_of_the_wrong_width_or_with_nan(model):
    noise = np.zeros((3, 62), "float32")
    with pytest.raises(ValueError, match=r"inputs: expected shape \(n, 74\).*got \(3, 75\)"):
        model.generate(inputs=infogan.latent_inputs(noise, 3, [0.0, 0.0, 0.0]))
    x = infogan.latent_inputs(noise, 3, [0.0, 0.0])
    x[:, 72] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        model.generate(inputs=x)


def test_generator_inputs_check_numpy_codes(model):
    ok = model.generator_inputs(3, codes=(np.array([3, 0, 9]), np.zeros((3, 2))))
    np.testing.assert_array_equal(np.asarray(ok)[:, 62:72].argmax(1), [3, 0, 9])
    for cat, cont, message in (([2.7] * 3, np.zeros((3, 2)), "whole numbers"),
                               ([10] * 3, np.zeros((3, 2)), "out of range"),
                               ([1] * 3, np.zeros((3, 3)), "this model has 2"),
                               ([1] * 3, np.full((3, 2), np.nan), "finite"),
                               ([1] * 2, np.zeros((3, 2)), "one value for all 3 samples")):
        with pytest.raises(ValueError, match=message):
            model.generator_inputs(3, codes=(np.array(cat), cont))
