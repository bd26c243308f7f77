import io
import os

import keras
import numpy as np
import pytest
from PIL import Image

from ganlib import maps_data, pix2pix
from ganlib.data import DataError
from ganlib.widgets.pix2pix import TranslationDemo


@pytest.fixture(autouse=True)
def float32_policy():
    keras.mixed_precision.set_global_policy("float32")


def weights(model):
    return [v.numpy().copy() for v in model.weights]


def moved(before, model):
    return [not np.array_equal(a, v.numpy()) for a, v in zip(before, model.weights)]


# --------------------------------------------------------------------------- builders
@pytest.mark.parametrize("size,levels", [(32, 4), (64, 5)])
def test_generator_depth_follows_size(size, levels):
    g = pix2pix.build_generator((size, size, 3))
    assert g.output_shape == (None, size, size, 3)
    assert len([l for l in g.layers if l.name.startswith("enc") and l.name.endswith("_conv")]) == levels
    assert g.get_layer("bottleneck_conv").output.shape[1:3] == (1, 1)
    assert len([l for l in g.layers if isinstance(l, keras.layers.Dropout)]) == 3
    # stock Keras layers only: a saved generator loads without ganlib
    assert all(type(l).__module__.startswith("keras.") for l in g.layers)
    assert g.layers[-1].dtype_policy.name == "float32"


def test_shapes_at_256_match_the_tutorial():
    g = pix2pix.build_generator((256, 256, 3))
    assert g.output_shape == (None, 256, 256, 3)
    enc = [g.get_layer(f"enc{i}_conv").filters for i in range(1, 8)]
    assert enc == [64, 128, 256, 512, 512, 512, 512]
    d = pix2pix.build_discriminator((256, 256, 3))
    assert d.output_shape == (None, 30, 30, 1)   # 70×70 patches
    assert pix2pix.receptive_field() == 70
    assert d.layers[-1].dtype_policy.name == "float32"


def test_patchgan_output_at_small_sizes():
    assert pix2pix.build_discriminator((64, 64, 3)).output_shape == (None, 6, 6, 1)
    assert pix2pix.build_discriminator((32, 32, 3)).output_shape == (None, 2, 2, 1)


@pytest.mark.parametrize("shape", [(48, 48, 3), (16, 16, 3), (512, 512, 3), (64, 32, 3),
                                   (64, 64, 2), (64, 64)])
def test_bad_sizes_are_refused(shape):
    with pytest.raises(ValueError):
        pix2pix.build_generator(shape)
    with pytest.raises(ValueError):
        pix2pix.build_discriminator(shape)


def test_dropout_stays_on_when_called_and_norms_use_each_images_statistics():
    g = pix2pix.build_generator((32, 32, 3), seed=0)
    x = np.random.default_rng(0).uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    w0 = weights(g)
    a, b = g(x).numpy(), g(x).numpy()
    assert not np.allclose(a, b), "dropout should stay active when G is called, as in the tutorial"
    assert not any(moved(w0, g)), "a call changed a generator variable"
    # no dropout: an image's translation does not depend on the rest of its batch
    no_drop = g(x, training=False).numpy()
    alone = g(x[:1], training=False).numpy()
    np.testing.assert_allclose(no_drop[:1], alone, atol=1e-5)
    gan = pix2pix.Pix2Pix(g, pix2pix.build_discriminator((32, 32, 3), seed=0))
    t1, t2 = gan.translate(x), gan.translate(x)
    assert not np.allclose(t1, t2), "translate() must keep the dropout on"


# --------------------------------------------------------------------------- updates
@pytest.fixture
def tiny():
    gan = pix2pix.make_pix2pix(32, seed=1)
    rng = np.random.default_rng(0)
    src = keras.ops.convert_to_tensor(rng.uniform(-1, 1, (2, 32, 32, 3)).astype("float32"))
    tgt = keras.ops.convert_to_tensor(rng.uniform(-1, 1, (2, 32, 32, 3)).astype("float32"))
    return gan, tgt, src


def test_d_update_moves_only_d_weights(tiny):
    gan, real, source = tiny
    g0, d0 = weights(gan.generator), weights(gan.discriminator)
    gan.apply_update(gan.discriminator_loss, gan.d_variables, gan.d_optimizer, real, source)
    assert all(m for m, v in zip(moved(d0, gan.discriminator), gan.discriminator.weights)
               if v.trainable), "every trainable D weight should move"
    assert not any(moved(g0, gan.generator)), "a D update moved a G weight"


def test_g_update_moves_only_g_weights(tiny):
    gan, real, source = tiny
    g0, d0 = weights(gan.generator), weights(gan.discriminator)
    logs = gan.apply_update(gan.generator_loss, gan.g_variables, gan.g_optimizer, real, source)
    assert all(m for m, v in zip(moved(g0, gan.generator), gan.generator.weights) if v.trainable)
    assert not any(moved(d0, gan.discriminator)), "a G update moved a D weight"
    assert np.isclose(float(logs["g_loss"]), float(logs["g_adv"]) + 100 * float(logs["g_l1"]),
                      rtol=1e-5)


def test_l1_only_generator_ignores_the_discriminator():
    """adv_weight=0: G's loss is 100·L1 alone, so G's update is the same whatever D says."""
    rng = np.random.default_rng(0)
    src = keras.ops.convert_to_tensor(rng.uniform(-1, 1, (2, 32, 32, 3)).astype("float32"))
    tgt = keras.ops.convert_to_tensor(rng.uniform(-1, 1, (2, 32, 32, 3)).astype("float32"))
    grads = []
    for d_seed in (1, 2):                       # two different discriminators
        gan = pix2pix.make_pix2pix(32, seed=1, adv_weight=0.0)
        gan.discriminator.set_weights(pix2pix.make_pix2pix(32, seed=d_seed).discriminator
                                      .get_weights())
        import tensorflow as tf
        with tf.GradientTape() as tape:
            loss, logs = gan.generator_loss(tgt, src)
        assert np.isclose(float(loss), 100 * float(logs["g_l1"]), rtol=1e-6)
        grads.append([g.numpy() for g in tape.gradient(loss, gan.g_variables)])
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-7)


def test_edge_sharpness_sees_blur():
    from scipy.ndimage import gaussian_filter
    from ganlib import metrics
    rng = np.random.default_rng(0)
    sharp = np.where(rng.uniform(size=(4, 32, 32, 3)) > 0.5, 1.0, -1.0).repeat(2, 1).repeat(2, 2)
    blurred = gaussian_filter(sharp, sigma=(0, 1.5, 1.5, 0))
    assert metrics.edge_sharpness(sharp, sharp) == pytest.approx(1.0)
    assert metrics.edge_sharpness(blurred, sharp) < 0.6
    assert metrics.edge_energy(np.zeros((1, 8, 8, 3))) == 0.0


def test_fit_logs_losses_on_pairs():
    rng = np.random.default_rng(0)
    s = rng.integers(0, 256, (8, 32, 32, 3), dtype=np.uint8)
    t = rng.integers(0, 256, (8, 32, 32, 3), dtype=np.uint8)
    gan = pix2pix.make_pix2pix(32, seed=0)
    h = gan.fit(pix2pix.pair_dataset(s, t, batch_size=2), epochs=1, steps_per_epoch=2, verbose=0)
    assert {"d_loss", "g_loss", "g_l1", "g_adv"} <= set(h.history)
    assert int(gan.d_optimizer.iterations.numpy()) == 2 == int(gan.g_optimizer.iterations.numpy())
    out = gan.translate(s[:3])
    assert out.shape == (3, 32, 32, 3) and out.min() >= -1 and out.max() <= 1


def test_direction_swaps_pairs():
    sat, mp = np.zeros((1, 4, 4, 3), np.uint8), np.ones((1, 4, 4, 3), np.uint8)
    assert pix2pix.split_direction((sat, mp), "sat2map")[0] is sat
    assert pix2pix.split_direction((sat, mp), "map2sat")[0] is mp
    with pytest.raises(ValueError, match="direction"):
        pix2pix.split_direction((sat, mp), "sideways")


# --------------------------------------------------------------------------- data
def write_pairs(d, n=3, size=16, seed=0):
    """Side-by-side JPEGs: left half red-ish, right half blue-ish, plus the index as a bar."""
    os.makedirs(d, exist_ok=True)
    for i in range(1, n + 1):
        img = np.zeros((size, 2 * size, 3), np.uint8)
        img[:, :size] = (200, 30, 30)
        img[:, size:] = (30, 30, 200)
        Image.fromarray(img).save(os.path.join(d, f"{i}.jpg"), quality=95)
    return d


def test_loader_splits_left_satellite_right_map_and_resizes(tmp_path):
    d = write_pairs(str(tmp_path / "maps" / "train"), n=3, size=40)
    sat, mp = maps_data.load_pairs(d, size=16)
    assert sat.shape == mp.shape == (3, 16, 16, 3) and sat.dtype == np.uint8
    assert sat[..., 0].mean() > 150 and sat[..., 2].mean() < 80
    assert mp[..., 2].mean() > 150 and mp[..., 0].mean() < 80


def test_loader_orders_numerically_and_limits(tmp_path):
    d = str(tmp_path / "train")
    write_pairs(d, n=11, size=8)
    assert maps_data.list_images(d)[:3] == ["1.jpg", "2.jpg", "3.jpg"]
    assert maps_data.list_images(d)[-2:] == ["10.jpg", "11.jpg"]
    assert len(maps_data.load_pairs(d, size=8, limit=5)[0]) == 5


def test_cache_is_reused_and_refreshed(tmp_path, monkeypatch):
    d = write_pairs(str(tmp_path / "train"), n=2, size=16)
    a = maps_data.load_pairs(d, size=16)
    assert os.path.exists(maps_data.cache_path(d, 16))

    def boom(*args):
        raise AssertionError("decoded the JPEGs again instead of using the cache")

    monkeypatch.setattr(maps_data, "decode_folder", boom)
    b = maps_data.load_pairs(d, size=16)
    np.testing.assert_array_equal(a[0], b[0])
    monkeypatch.undo()
    write_pairs(d, n=3, size=16)           # a new file: the cache is stale
    assert len(maps_data.load_pairs(d, size=16)[0]) == 3


def test_corrupt_jpeg_is_a_clear_error(tmp_path):
    d = write_pairs(str(tmp_path / "train"), n=2, size=16)
    with open(os.path.join(d, "2.jpg"), "r+b") as f:
        raw = f.read()
        f.seek(0)
        f.write(raw[:len(raw) // 3])
        f.truncate()
    with pytest.raises(DataError, match="2.jpg"):
        maps_data.load_pairs(d, size=16, cache=False)
    with open(os.path.join(d, "1.jpg"), "wb") as f:
        f.write(b"not a jpeg at all")
    with pytest.raises(DataError, match="1.jpg.*not a readable JPEG"):
        maps_data.load_pairs(d, size=16, cache=False)


def test_wrong_aspect_and_missing_dir(tmp_path):
    with pytest.raises(DataError, match="no such directory"):
        maps_data.load_pairs(str(tmp_path / "nope"), size=16)
    os.makedirs(tmp_path / "empty")
    with pytest.raises(DataError, match="no .jpg"):
        maps_data.load_pairs(str(tmp_path / "empty"), size=16)
    d = tmp_path / "square"
    os.makedirs(d)
    Image.fromarray(np.zeros((16, 16, 3), np.uint8)).save(d / "1.jpg")
    with pytest.raises(DataError, match="twice as wide"):
        maps_data.load_pairs(str(d), size=16)


def test_synthetic_set_is_deterministic_per_seed_and_loadable(tmp_path):
    a = maps_data.make_synthetic_maps(str(tmp_path / "a"), 3, 1, size=32, seed=5, verbose=False)
    b = maps_data.make_synthetic_maps(str(tmp_path / "b"), 3, 1, size=32, seed=5, verbose=False)
    c = maps_data.make_synthetic_maps(str(tmp_path / "c"), 3, 1, size=32, seed=6, verbose=False)
    read = lambda r: open(os.path.join(r, "train", "2.jpg"), "rb").read()  # noqa: E731
    assert read(a) == read(b) and read(a) != read(c)
    sat, mp = maps_data.load_pairs(os.path.join(a, "train"), size=32)
    assert sat.shape == (3, 32, 32, 3)
    assert not np.array_equal(sat, mp)
    # the map half uses (JPEG-blurred) flat colours, the satellite half is textured
    assert mp.std(axis=(1, 2)).mean() > 0 and sat.std() > 10


def test_render_scene_contains_map_classes():
    sat, mp = maps_data.render_scene(np.random.default_rng(0), 128)
    assert sat.shape == mp.shape == (128, 128, 3)
    colours = {tuple(c) for c in mp.reshape(-1, 3)}
    assert colours <= {tuple(c) for c in maps_data.MAP_COLOURS}
    assert tuple(maps_data.MAP_COLOURS[maps_data.ROAD]) in colours


def test_load_maps_offline_falls_back_to_synthetic(tmp_path, monkeypatch):
    def offline(*a, **k):
        raise maps_data.DownloadError("cannot download: offline")

    monkeypatch.setattr(maps_data, "download_maps", offline)
    data = maps_data.load_maps(size=32, root=str(tmp_path), synthetic_train=4, synthetic_val=2,
                               verbose=False)
    assert data.synthetic and "SYNTHETIC" in data.source and "offline" in data.source
    assert data.train[0].shape == (4, 32, 32, 3) and data.val[1].shape == (2, 32, 32, 3)


def test_load_maps_prefers_real_layout(tmp_path):
    write_pairs(str(tmp_path / "maps" / "train"), n=2, size=32)
    write_pairs(str(tmp_path / "maps" / "val"), n=1, size=32)
    data = maps_data.load_maps(size=32, root=str(tmp_path), allow_download=False, verbose=False)
    assert not data.synthetic and "REAL" in data.source and len(data.val[0]) == 1


# --------------------------------------------------------------------------- download
def test_download_from_file_url_verifies_checksum(tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(os.urandom(5000))
    url = src.as_uri()
    dest = str(tmp_path / "out" / "file.bin")
    maps_data.download(url, dest, sha256=maps_data.sha256_of(str(src)), verbose=False)
    assert open(dest, "rb").read() == src.read_bytes()
    bad = str(tmp_path / "out" / "bad.bin")
    with pytest.raises(maps_data.DownloadError, match="checksum mismatch"):
        maps_data.download(url, bad, sha256="0" * 64, verbose=False)
    assert not os.path.exists(bad) and not os.path.exists(bad + ".part")


class FakeResponse(io.BytesIO):
    def __init__(self, payload, status):
        super().__init__(payload)
        self.status = status


def test_download_resumes_with_range(tmp_path):
    payload = os.urandom(3000)
    calls = []

    def opener(req, timeout):
        rng = req.get_header("Range")
        calls.append(rng)
        if len(calls) == 1:               # first attempt: the connection drops after 1000 bytes
            class Drop(FakeResponse):
                def read(self, n=-1):
                    if self.tell() >= 1000:
                        raise ConnectionResetError("connection reset")
                    return super().read(min(n, 1000 - self.tell()))
            return Drop(payload, 200)
        start = int(rng.split("=")[1].rstrip("-"))
        return FakeResponse(payload[start:], 206)

    dest = str(tmp_path / "x.bin")
    maps_data.download("http://example.invalid/x", dest, opener=opener, verbose=False,
                       sha256=__import__("hashlib").sha256(payload).hexdigest())
    assert calls == [None, "bytes=1000-"]
    assert open(dest, "rb").read() == payload


def test_download_offline_fails_fast(tmp_path):
    import urllib.error

    def opener(req, timeout):
        raise urllib.error.URLError("Name or service not known")

    dest = str(tmp_path / "x.bin")
    with pytest.raises(maps_data.DownloadError, match="offline"):
        maps_data.download("http://example.invalid/x", dest, opener=opener)
    assert not os.path.exists(dest) and not os.path.exists(dest + ".part")


# --------------------------------------------------------------------------- widget
def test_widget_shows_three_panels_and_refuses_bad_index():
    rng = np.random.default_rng(0)
    sat = rng.integers(0, 256, (4, 32, 32, 3), dtype=np.uint8)
    mp = rng.integers(0, 256, (4, 32, 32, 3), dtype=np.uint8)
    fake = lambda x: np.zeros(np.shape(x), np.float32)  # noqa: E731  (mid-grey output)
    demo = TranslationDemo({"sat2map": fake, "map2sat": fake},
                           {"sat2map": (sat, mp), "map2sat": (mp, sat)})
    demo.index.value = 2
    imgs = demo.view.images
    assert imgs.shape == (3, 32, 32, 3)
    np.testing.assert_array_equal(imgs[0], sat[2])
    np.testing.assert_array_equal(imgs[2], mp[2])
    demo.direction.value = "map2sat"
    np.testing.assert_array_equal(demo.view.images[0], mp[2])
    np.testing.assert_array_equal(demo.view.images[2], sat[2])
    shown = demo.view.images
    demo.index.value = 9
    assert "out of range" in demo.message.value and "0 to 3" in demo.message.value
    assert demo.message in demo.widget.children[0].children, "shown next to the pair box"
    assert demo.view.images is shown, "the picture stays"
    demo.index.value = 1
    assert demo.message.value == "" and np.array_equal(demo.view.images[0], mp[1])


def test_train_with_the_smoke_schedule_both_directions():
    rng = np.random.default_rng(0)
    pair = (rng.integers(0, 256, (6, 32, 32, 3), dtype=np.uint8),
            rng.integers(0, 256, (6, 32, 32, 3), dtype=np.uint8))
    data = maps_data.MapsData(pair, pair, "test pairs", True)
    schedule = dict(pix2pix.SCHEDULES["smoke"])
    for direction in pix2pix.DIRECTIONS:
        gan, hist = pix2pix.train(schedule, direction=direction, seed=0, data=data)
        assert len(hist.history["g_l1"]) == schedule["steps"] // schedule["log_every"]
        assert int(gan.g_optimizer.iterations.numpy()) == schedule["steps"]
    with pytest.raises(ValueError, match="direction"):
        pix2pix.train(schedule, direction="up", data=data)


def test_download_maps_unpacks_the_archive_layout(tmp_path):
    import tarfile
    staging = tmp_path / "staging"
    write_pairs(str(staging / "maps" / "train"), n=2, size=32)
    write_pairs(str(staging / "maps" / "val"), n=1, size=32)
    archive = tmp_path / "maps.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(staging / "maps", arcname="maps")
    root = tmp_path / "root"
    os.makedirs(root)
    maps_data.download_maps(str(root), url=archive.as_uri(),
                            sha256=maps_data.sha256_of(str(archive)), verbose=False)
    data = maps_data.load_maps(size=32, root=str(root), allow_download=False, verbose=False)
    assert not data.synthetic and data.train[0].shape == (2, 32, 32, 3)


# --------------------------------------------------------------------------- bad inputs
@pytest.fixture(scope="module")
def tiny32():
    keras.mixed_precision.set_global_policy("float32")
    return pix2pix.make_pix2pix(32, width=0.25, seed=0)


def test_translate_refuses_float_images_in_0_255(tiny32):
    x = np.random.default_rng(0).integers(0, 256, (2, 32, 32, 3)).astype(np.float32)
    with pytest.raises(ValueError, match=r"(?s)sources: float images must lie in \[-1, 1\].*uint8"):
        tiny32.translate(x)
    with pytest.raises(ValueError, match="NaN"):
        tiny32.translate(np.full((1, 32, 32, 3), np.nan, np.float32))
    assert tiny32.translate(x.astype(np.uint8)).shape == (2, 32, 32, 3)      # uint8 is fine
    assert tiny32.translate(x / 127.5 - 1.0).shape == (2, 32, 32, 3)         # so is [-1, 1]


@pytest.mark.parametrize("shape", [(1, 64, 64, 3), (1, 32, 32, 1), (32, 32, 3)])
def test_translate_refuses_images_of_another_size_or_channel_count(tiny32, shape):
    with pytest.raises(ValueError, match=r"sources: this generator translates images of shape "
                                         r"\(N, 32, 32, 3\)"):
        tiny32.translate(np.zeros(shape, np.uint8))


def test_pairs_of_3_and_1_channel_images_are_refused():
    s = np.zeros((4, 32, 32, 3), np.uint8)
    t = np.zeros((4, 32, 32, 1), np.uint8)
    with pytest.raises(ValueError, match="sources have 3 channel.*targets 1"):
        pix2pix.pair_dataset(s, t)
    with pytest.raises(ValueError, match="satellite have 3 channel.*map 1"):
        pix2pix.split_direction((s, t), "sat2map")


def test_translation_demo_refuses_float_pairs_and_wrong_sizes(tiny32):
    rng = np.random.default_rng(0)
    sat = rng.integers(0, 256, (2, 32, 32, 3), dtype=np.uint8)
    mp = rng.integers(0, 256, (2, 32, 32, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match=r"pairs\['sat2map'\]: sources must be uint8"):
        TranslationDemo({"sat2map": tiny32}, {"sat2map": (sat.astype(np.float32), mp)})
    big = np.zeros((2, 64, 64, 3), np.uint8)
    with pytest.raises(ValueError, match=r"sat2map model translates \(32, 32, 3\)"):
        TranslationDemo({"sat2map": tiny32}, {"sat2map": (big, big)})
    demo = TranslationDemo({"sat2map": tiny32}, {"sat2map": (sat, mp)})
    assert demo.view.images.shape == (3, 32, 32, 3)


def test_truncated_pairs_cache_is_rebuilt_not_a_zip_error(tmp_path):
    d = write_pairs(str(tmp_path / "train"), n=2, size=16)
    a = maps_data.load_pairs(d, size=16)
    cache = maps_data.cache_path(d, 16)
    raw = open(cache, "rb").read()
    with open(cache, "wb") as f:
        f.write(raw[:len(raw) // 2])                  # an interrupted write
    b = maps_data.load_pairs(d, size=16)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_recipe_carries_a_schedules_size_widths_and_loss_weights():
    schedule = dict(pix2pix.SCHEDULES["smoke"], adv_weight=0.5, width=0.25, d_width=0.5,
                    l1_weight=10.0)
    assert pix2pix.recipe(schedule) == dict(image_size=schedule["image_size"], width=0.25,
                                            adv_weight=0.5, d_width=0.5, l1_weight=10.0)
    gan = pix2pix.make_pix2pix(seed=0, **pix2pix.recipe(schedule))
    assert gan.adv_weight == 0.5 and gan.l1_weight == 10.0
    assert gan.discriminator.get_layer("c512").filters == 256
    assert gan.generator.input_shape[1:] == (schedule["image_size"],) * 2 + (3,)


# --------------------------------------------------------------------------- unpinned download
def _maps_archive(tmp_path, n_train, n_val, size=32, extra=None):
    import tarfile
    staging = tmp_path / "staging"
    write_pairs(str(staging / "maps" / "train"), n=n_train, size=size)
    write_pairs(str(staging / "maps" / "val"), n=n_val, size=size)
    if extra:
        (staging / "maps" / extra).write_text("not an image")
    archive = tmp_path / "maps.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(staging / "maps", arcname="maps")
    root = tmp_path / "root"
    os.makedirs(root)
    return archive, root


def test_the_maps_checksum_is_not_pinned_and_the_code_says_why():
    assert maps_data.MAPS_SHA256 is None
    import inspect
    source = inspect.getsource(maps_data)
    assert "NOT pinned" in source and "publishes no checksum" in source


@pytest.mark.parametrize("n_train,extra,word", [
    (3, None, "3 training images, not the real set's 2"),
    (2, "run.sh", "entries outside maps/train"),
])
def test_an_unverified_archive_of_another_layout_is_refused(tmp_path, monkeypatch, n_train,
                                                             extra, word):
    monkeypatch.setattr(maps_data, "MAPS_TRAIN_PAIRS", 2)
    archive, root = _maps_archive(tmp_path, n_train, 1, extra=extra)
    with pytest.raises(maps_data.DataError, match=word):
        maps_data.download_maps(str(root), url=archive.as_uri(), sha256=None, verbose=False)
    assert not os.path.exists(root / "maps")          # nothing unpacked


def test_an_unverified_archive_is_unpacked_only_with_the_real_image_size(tmp_path, monkeypatch):
    monkeypatch.setattr(maps_data, "MAPS_TRAIN_PAIRS", 2)
    archive, root = _maps_archive(tmp_path, 2, 1, size=32)
    monkeypatch.setattr(maps_data, "MAPS_IMAGE_SIZE", (48, 24))
    with pytest.raises(maps_data.DataError, match="not a 48×24 JPEG"):
        maps_data.download_maps(str(root), url=archive.as_uri(), sha256=None, verbose=False)
    assert not os.path.exists(root / "maps")
    monkeypatch.setattr(maps_data, "MAPS_IMAGE_SIZE", (64, 32))
    assert maps_data.download_maps(str(root), url=archive.as_uri(), sha256=None,
                                   verbose=False) == os.path.join(str(root), "maps")
    assert len(maps_data.list_images(str(root / "maps" / "train"))) == 2


def test_patchgan_width_scales_its_filters_and_keeps_its_patches():
    full = pix2pix.build_discriminator((32, 32, 1), seed=1)
    quarter = pix2pix.build_discriminator((32, 32, 1), seed=1, width=0.25)
    assert quarter.output_shape == full.output_shape
    assert [quarter.get_layer(n).filters for n in ("c64", "c128", "c256", "c512")] == \
        [16, 32, 64, 128]
    assert full.get_layer("c512").filters == 512
    gan = pix2pix.make_pix2pix(image_size=32, channels=1, width=0.25, d_width=0.25, seed=1)
    assert gan.discriminator.count_params() == quarter.count_params()
    with pytest.raises(ValueError, match="width"):
        pix2pix.build_discriminator((32, 32, 1), width=0)


def test_l1_alone_trains_the_same_generator_whatever_the_discriminators_width():
    """adv_weight=0: G's update never reads D, so a narrower PatchGAN (the class recipe's
    d_width) leaves the L1-only baseline bit for bit as it was."""
    weights = []
    for d_width in (1.0, 0.5):
        schedule = dict(pix2pix.SCHEDULES["smoke"], adv_weight=0.0, d_width=d_width)
        gan, _ = pix2pix.train(schedule, "sat2map", seed=3)
        weights.append([w.numpy() for w in gan.generator.weights])
    assert all(np.array_equal(a, b) for a, b in zip(*weights))
