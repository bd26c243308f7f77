"""Bad input at the public entry points: a clear error naming the problem and the fix (not a
TensorFlow or numpy traceback), and never a silently wrong answer (#33).

Environment variables, every family's ``train()`` (partial schedules, seeding, pretrained
mode), the sampling functions and widgets the notebooks call, picture conversion, and the
reference classifiers.  Each case here failed (or gave a plausible wrong answer) before.
"""
import os
import shutil

import keras
import numpy as np
import pytest

from ganlib import acgan, config, data, dcgan, distribute, infogan, lsgan, metrics, pix2pix, \
    viz, wgan

DIGITS = np.random.default_rng(0).integers(0, 256, (64, 28, 28), dtype=np.uint8)
LABELS = np.arange(64) % 10


@pytest.fixture(autouse=True)
def float32_policy():
    keras.mixed_precision.set_global_policy("float32")


def final_losses(history):
    return {k: v[-1] for k, v in history.history.items()}


# ----------------------------------------------------------------------------- environment
@pytest.mark.parametrize("var,value,accepted", [
    ("GANLIB_PRECISION", "bogus", "float32, mixed_bfloat16, auto"),
    ("GANLIB_MODE", "bogus", "pretrained"),
    ("GANLIB_OFFLINE", "yes", "GANLIB_OFFLINE=1"),
    ("GANLIB_CPU_DEVICES", "abc", "whole number"),
])
def test_train_refuses_an_unknown_value_of_a_variable_it_reads(monkeypatch, var, value, accepted):
    monkeypatch.setenv(var, value)
    with pytest.raises(ValueError) as e:
        dcgan.train(images=DIGITS)
    assert f"{var}={value!r}" in str(e.value) and accepted in str(e.value)


def test_every_reader_of_a_variable_refuses_what_it_does_not_understand(monkeypatch):
    monkeypatch.setenv("GANLIB_OFFLINE", "true")
    with pytest.raises(ValueError, match="GANLIB_OFFLINE='true'"):
        data.load_mnist(verbose=False)
    from ganlib import maps_data
    with pytest.raises(ValueError, match="GANLIB_OFFLINE='true'"):
        maps_data.load_maps(size=32, root="/nonexistent", verbose=False)
    monkeypatch.setenv("GANLIB_OFFLINE", "1")
    assert config.offline()
    monkeypatch.setenv("GANLIB_OFFLINE", "0")
    assert not config.offline()
    monkeypatch.setenv("GANLIB_PRECISION", "fp8")
    with pytest.raises(ValueError, match="GANLIB_PRECISION='fp8'.*auto"):
        config.set_precision(verbose=False)
    with pytest.raises(ValueError, match="GANLIB_CPU_DEVICES='abc'"):
        distribute.split_cpu("abc")
    with pytest.raises(ValueError, match="GANLIB_CPU_DEVICES='2.5'"):
        distribute.split_cpu("2.5")
    monkeypatch.setenv("GANLIB_CPU_DEVICES", "0")
    with pytest.raises(ValueError, match="GANLIB_CPU_DEVICES='0'.*at least 1"):
        distribute.cpu_devices()


@pytest.mark.parametrize("value,word", [
    ("garbage", "is not JSON"),
    ("[]", '"cluster"'),
    ('{"cluster": {"worker": ["host1:1"]}}', '"task"'),
    ('{"cluster": {"worker": ["host1:1"]}, "task": {"type": "worker", "index": 3}}', "0 to 0"),
    ('{"cluster": {"worker": "host1:1"}, "task": {"type": "worker", "index": 0}}', "host:port"),
])
def test_a_malformed_tf_config_is_refused_naming_the_variable(monkeypatch, value, word):
    monkeypatch.setenv("TF_CONFIG", value)
    with pytest.raises(ValueError) as e:
        distribute.strategy("multiworker")
    assert "TF_CONFIG" in str(e.value) and word in str(e.value)


def test_a_well_formed_tf_config_is_read():
    os.environ.pop("TF_CONFIG", None)
    with pytest.raises(ValueError, match="needs TF_CONFIG"):
        distribute.tf_config()
    cfg = '{"cluster": {"worker": ["h1:1", "h2:1"]}, "task": {"type": "worker", "index": 1}}'
    os.environ["TF_CONFIG"] = cfg
    try:
        assert distribute.tf_config()["task"]["index"] == 1
    finally:
        os.environ.pop("TF_CONFIG")


# ----------------------------------------------------------------------------- train()
TRAINS = [  # every family's train(), with data small enough that nothing loads
    ("dcgan", lambda s, **kw: dcgan.train(s, images=DIGITS, **kw)),
    ("acgan", lambda s, **kw: acgan.train(s, images=DIGITS, labels=LABELS, **kw)),
    ("infogan", lambda s, **kw: infogan.train(s, images=DIGITS, **kw)),
    ("wgan", lambda s, **kw: wgan.train(s, images=DIGITS, **kw)),
    ("wgan-gp", lambda s, **kw: wgan.train(s, variant="wgan-gp", images=DIGITS, **kw)),
    ("lsgan", lambda s, **kw: lsgan.train(s, images=DIGITS, **kw)),
    ("pix2pix", lambda s, **kw: pix2pix.train(s, data=None, **kw)),
]


@pytest.mark.parametrize("name,call", TRAINS, ids=[t[0] for t in TRAINS])
def test_every_train_refuses_pretrained_mode_without_a_run_folder(monkeypatch, name, call):
    """GANLIB_MODE=pretrained trains nothing: with no run folder to load, train() must not
    fall back to training the class schedule."""
    monkeypatch.setenv("GANLIB_MODE", "pretrained")
    with pytest.raises(ValueError, match="(?s)pretrained trains nothing.*run_dir=runs.run_dir"):
        call(None)


@pytest.mark.parametrize("name,call", TRAINS, ids=[t[0] for t in TRAINS])
def test_every_train_refuses_schedule_entries_that_mean_nothing(name, call):
    with pytest.raises(ValueError, match="stepz mean nothing here; choose among.*steps"):
        call(dict(stepz=20))
    with pytest.raises(ValueError, match="sample_every=0 must be at least 1"):
        call(dict(sample_every=0))
    with pytest.raises(ValueError, match="steps must be a whole number, got '20'"):
        call(dict(steps="20"))
    with pytest.raises(ValueError, match="seed=-1"):
        call(None, seed=-1)


def test_a_partial_schedule_takes_the_rest_from_the_run_mode():
    """``dcgan.train(dict(steps=...))`` used to fail with KeyError 'steps_per_execution'."""
    images = np.concatenate([DIGITS] * 3)            # the recipe's batch of 128 (no smoke batch)
    gan, history = dcgan.train(dict(steps=10), images=images, seed=1)
    assert int(gan.g_optimizer.iterations.numpy()) == 10
    assert len(history.history["d_loss"]) == 10 // dcgan.SCHEDULES["smoke"]["log_every"]
    with pytest.raises(ValueError, match="steps=25 must be a positive multiple of log_every=10.*"
                                         "log_every from the smoke schedule: give it too"):
        dcgan.train(dict(steps=25), images=DIGITS)


def test_two_same_seed_trainings_in_one_process_are_the_same_run():
    """train(seed=...) seeds everything itself: whatever drew random numbers in between."""
    schedule = dict(dcgan.SCHEDULES["smoke"], steps=10)
    gan1, h1 = dcgan.train(schedule, images=DIGITS, seed=3)
    np.random.default_rng().random(5)
    keras.random.normal((3,))                       # the global Keras seed moves on
    np.random.rand(7)
    gan2, h2 = dcgan.train(schedule, images=DIGITS, seed=3)
    assert final_losses(h1) == final_losses(h2)
    for a, b in zip(gan1.generator.get_weights(), gan2.generator.get_weights()):
        np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- models, sampling
@pytest.fixture(scope="module")
def small_infogan():
    keras.mixed_precision.set_global_policy("float32")
    return infogan.make_infogan(seed=0, **infogan.recipe(infogan.SCHEDULES["smoke"]))


@pytest.fixture(scope="module")
def small_acgan():
    keras.mixed_precision.set_global_policy("float32")
    return acgan.make_acgan(seed=0, **acgan.recipe(acgan.SCHEDULES["smoke"]))


@pytest.mark.parametrize("n", [0, -1, 2.5, "3", None])
def test_generate_codes_refuses_a_count_that_is_not_a_positive_whole_number(small_infogan, n):
    with pytest.raises(ValueError, match=f"generate_codes: n={n!r}: expected a whole number"):
        small_infogan.generate_codes(n)


def test_infogan_inputs_refuse_empty_and_nan_requests(small_infogan):
    with pytest.raises(ValueError, match="seed=-1"):
        small_infogan.generate_codes(2, seed=-1)
    with pytest.raises(ValueError, match="n_per_code=0"):
        infogan.code_grid_inputs(0)
    with pytest.raises(ValueError, match="values must be a non-empty list"):
        infogan.sweep_inputs(0, 0, [])
    with pytest.raises(ValueError, match="values: 1 of its 2 values are NaN"):
        infogan.sweep_inputs(0, 0, [np.nan, 1.0])
    with pytest.raises(ValueError, match="with n >= 1"):
        infogan.latent_inputs(np.zeros((0, 62)), 0, [0.0, 0.0], 10, 2)
    width = small_infogan.latent_dim + small_infogan.n_cat + small_infogan.n_cont
    with pytest.raises(ValueError, match="n >= 1"):
        small_infogan.generate(inputs=np.zeros((0, width), np.float32))


@pytest.mark.parametrize("make,kwargs,word", [
    (acgan.make_acgan, dict(num_classes=0), "num_classes.*at least 2"),
    (acgan.make_acgan, dict(num_classes=-1), "num_classes.*at least 2"),
    (acgan.make_acgan, dict(latent_dim=0), "latent_dim=0"),
    (acgan.make_acgan, dict(lr=float("nan")), "lr=nan"),
    (dcgan.make_dcgan, dict(latent_dim=0), "latent_dim=0"),
    (infogan.make_infogan, dict(latent_dim=-4), "latent_dim=-4"),
    (infogan.make_infogan, dict(g_lr=0.0), "g_lr=0.0.*more than 0"),
    (wgan.make_wgan, dict(latent_dim=0), "latent_dim=0"),
    (wgan.make_wgan, dict(n_critic=0), "n_critic=0"),
    (wgan.make_wgan_gp, dict(n_critic=0), "n_critic=0"),
    (wgan.make_wgan_gp, dict(beta_1=1.0), "beta_1=1.0"),
    (lsgan.make_gan, dict(latent_dim=0), "latent_dim=0"),
    (pix2pix.make_pix2pix, dict(image_size=32, l1_weight=-1.0), "l1_weight=-1.0"),
    (pix2pix.make_pix2pix, dict(image_size=32, width=0), "width=0"),
])
def test_model_builders_refuse_settings_that_mean_nothing(make, kwargs, word):
    with pytest.raises(ValueError, match=word):
        make(**kwargs)


def test_nan_noise_is_refused_not_drawn(small_acgan):
    with pytest.raises(ValueError, match="noise: 200 of its 200 values are NaN"):
        small_acgan.generate(labels=[0, 1], noise=np.full((2, small_acgan.latent_dim), np.nan))
    gan = dcgan.make_dcgan(seed=0)
    with pytest.raises(ValueError, match="inputs: 100 of its 100 values are NaN"):
        gan.generate(inputs=np.full((1, 100), np.nan, np.float32))
    with pytest.raises(ValueError, match=r"inputs: expected shape \(n, 100\) with n >= 1, got "
                                         r"\(2, 7\)"):
        gan.generate(inputs=np.zeros((2, 7), np.float32))


# ----------------------------------------------------------------------------- pictures
def test_to_uint8_refuses_nan_and_an_unknown_scale():
    with pytest.raises(ValueError, match="1 of 2 values are NaN or infinite"):
        data.to_uint8(np.array([np.nan, 0.5]))
    with pytest.raises(ValueError, match="NaN or infinite"):
        data.to_uint8(np.array([np.inf, 0.5]), scale="sigmoid")
    with pytest.raises(ValueError, match="scale must be 'tanh'.*'relu'"):
        data.to_uint8(np.array([0.5]), scale="relu")
    assert list(data.to_uint8(np.array([-1.0, 0.0, 1.0]))) == [0, 128, 255]


def test_tile_and_show_grid_refuse_nan_and_empty_images():
    with pytest.raises(ValueError, match="NaN"):
        viz.tile(np.full((2, 4, 4, 1), np.nan))
    with pytest.raises(ValueError, match="no images"):
        viz.tile(np.zeros((0, 4, 4, 1)))
    with pytest.raises(ValueError, match="no images"):
        viz.show_grid(np.zeros((0, 4, 4)))
    with pytest.raises(ValueError, match="ncols=0"):
        viz.tile(np.zeros((2, 4, 4, 1)), ncols=0)


# ----------------------------------------------------------------------------- widgets
def test_code_explorer_refuses_bad_construction(small_infogan):
    from ganlib.widgets.infogan import CodeExplorer
    with pytest.raises(ValueError, match="n \\(samples per row\\)=0"):
        CodeExplorer(small_infogan, n=0)
    with pytest.raises(ValueError, match="needs the trained InfoGAN itself.*Sequential"):
        CodeExplorer(small_infogan.generator)
    with pytest.raises(ValueError, match="limit.*=nan"):
        CodeExplorer(small_infogan, limit=float("nan"))


def test_a_nan_slider_value_is_answered_and_the_picture_stays(small_infogan):
    from ganlib.widgets.infogan import CodeExplorer
    explorer = CodeExplorer(small_infogan, n=2)
    before = explorer.view.images.copy()
    explorer.c2.value = float("nan")                 # what a front end could send
    assert "c2 = nan is not a number" in explorer.message.value
    np.testing.assert_array_equal(explorer.view.images, before)
    explorer.c2.value = 0.5                          # a good value redraws and clears it
    assert explorer.message.value == ""
    assert not np.array_equal(explorer.view.images, before)


def test_acgan_demo_refuses_an_unconditional_gan_and_bad_settings(small_acgan):
    from ganlib.widgets.acgan import ACGANDemo
    names = data.class_names("mnist")
    with pytest.raises(ValueError, match="class-conditional generator.*takes 1 input"):
        ACGANDemo(dcgan.make_dcgan(seed=0), names)
    for kwargs, word in ((dict(count=0), "count=0"), (dict(max_count=0), "max_count=0"),
                         (dict(count=80), "count=80 is more than max_count=64"),
                         (dict(rows=0), "rows=0"), (dict(seed=-1), "seed=-1"),
                         (dict(scale="relu"), "scale")):
        with pytest.raises(ValueError, match=word):
            ACGANDemo(small_acgan, names, **kwargs)
    demo = ACGANDemo(small_acgan.generator, names)   # a bare generator: its noise length is read
    assert demo.latent_dim == small_acgan.latent_dim


def test_acgan_demo_refuses_a_nan_interpolation_and_keeps_the_picture(small_acgan):
    from ganlib.widgets.acgan import ACGANDemo
    demo = ACGANDemo(small_acgan, data.class_names("mnist"), count=2, rows=1)
    before = demo.interp_view.images.copy()
    demo.t.value = float("nan")
    assert "t = nan refused" in demo.t_message.value
    np.testing.assert_array_equal(demo.interp_view.images, before)
    demo.t.value = 0.25
    assert demo.t_message.value == "" and not np.array_equal(demo.interp_view.images, before)
    with pytest.raises(ValueError, match="NaN"):
        demo.sample(np.full((1, demo.latent_dim), np.nan), [0])


def test_translation_demo_refuses_a_bare_generator():
    from ganlib.widgets.pix2pix import TranslationDemo
    keras.mixed_precision.set_global_policy("float32")
    gan = pix2pix.make_pix2pix(32, width=0.25, seed=0)
    pairs = {"sat2map": (np.zeros((2, 32, 32, 3), np.uint8),) * 2}
    with pytest.raises(ValueError, match="pass the trained Pix2Pix itself"):
        TranslationDemo({"sat2map": gan.generator}, pairs)
    with pytest.raises(ValueError, match="needs \\{direction: trained Pix2Pix\\}"):
        TranslationDemo([gan], pairs)
    assert TranslationDemo({"sat2map": gan}, pairs).view.images.shape[0] == 3


# ----------------------------------------------------------------------------- classifiers
def test_a_classifier_of_the_other_dataset_is_refused(tmp_path):
    """The Fashion-MNIST classifier file in the MNIST classifier's place used to load and
    score digits with clothes' labels."""
    wrong = tmp_path / "classifier_mnist.keras"
    shutil.copy(metrics.classifier_path("fashion_mnist"), wrong)
    with pytest.raises(metrics.ClassifierError,
                       match="(?s)not a mnist classifier.*it is fashion_mnist's classifier"):
        metrics.load_classifier("mnist", path=str(wrong))
    assert metrics.load_classifier("mnist") is metrics.load_classifier("mnist")   # the real one


# ----------------------------------------------------------------------------- the rest of the probe
@pytest.mark.parametrize("call,word", [
    (lambda: config.select(dcgan.SCHEDULES, mode="bogus"), "mode 'bogus' is not a run mode"),
    (lambda: config.select({"smoke": 1, "class": 2, "full": 3}, mode="smoke"),
     "expected \\{mode: schedule dict\\}"),
    (lambda: pix2pix.recipe(None), "a schedule is a dict"),
    (lambda: acgan.recipe([]), "a schedule is a dict"),
    (lambda: viz.plot_history(None), "expected a fit\\(\\) History"),
    (lambda: viz.plot_history({"d_loss": [1.0]}, keys=["x"]), "no 'x' in this history"),
    (lambda: viz.plot_history({"d_loss": [1.0]}, steps_per_epoch=0), "steps_per_epoch=0"),
    (lambda: viz.SampleGrid(np.zeros((4, 100)), every=0), "every.*=0"),
    (lambda: viz.SampleGrid(np.full((4, 100), np.nan)), "inputs: 400 of its 400 values are NaN"),
    (lambda: viz.SampleGrid(np.zeros((4, 100)), scale="relu"), "scale"),
    (lambda: data.make_dataset(np.zeros((4, 28, 28), np.uint8), batch_size=2, seed=-1),
     "seed.*=-1"),
    (lambda: pix2pix.split_direction((np.zeros((2, 8, 8, 3), np.uint8),), "sat2map"),
     "expected \\(satellite, map\\) arrays.*tuple of 1"),
    (lambda: pix2pix.load_data(None), "load_data needs a pix2pix schedule"),
    (lambda: pix2pix.load_data(dict(pix2pix.SCHEDULES["smoke"], n_train=0)), "n_train.*=0"),
    (lambda: dcgan.tutorial_optimizer(epochs=0), "epochs=0"),
    (lambda: dcgan.tutorial_optimizer(lr=0), "lr=0"),
    (lambda: dcgan.make_dcgan(steps_per_execution=0), "steps_per_execution=0"),
    (lambda: infogan.make_infogan(code_scale=float("nan")), "code_scale=nan"),
    (lambda: acgan.make_acgan(class_weight=float("nan")), "class_weight=nan"),
    (lambda: acgan.make_acgan(base_filters=0), "base_filters=0"),
])
def test_other_public_functions_refuse_what_they_cannot_use(call, word):
    """Each of these gave a KeyError/TypeError/ZeroDivisionError traceback, or silently did
    something else (n_train=0 loaded every pair, every=0 meant 1, NaN weights trained NaN)."""
    with pytest.raises(ValueError, match=word):
        call()


def test_predict_codes_scales_uint8_and_refuses_empty_nan_or_0_255_floats(small_infogan):
    images = np.full((2, 28, 28, 1), 255, np.uint8)
    probs, _ = small_infogan.predict_codes(images)
    same, _ = small_infogan.predict_codes(np.ones((2, 28, 28, 1), np.float32))
    np.testing.assert_allclose(probs, same, atol=1e-6)     # uint8 255 is G's +1
    for bad, word in ((np.zeros((0, 28, 28, 1), np.float32), "n >= 1"),
                      (np.full((1, 28, 28, 1), np.nan, np.float32), "NaN"),
                      (np.full((1, 28, 28, 1), 255.0, np.float32), "must lie in \\[-1, 1\\]")):
        with pytest.raises(ValueError, match=word):
            small_infogan.predict_codes(bad)


@pytest.mark.parametrize("seed", [-1, 2.5, "3", True, float("nan")])
def test_a_gan_built_with_a_bad_seed_is_refused_by_name(seed):
    from ganlib import dcgan
    with pytest.raises(ValueError, match="seed"):
        dcgan.make_dcgan(seed=seed)
