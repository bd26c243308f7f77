"""Edges -> garments, chapter 4's real paired task: the pairs, training, the measures."""
import keras
import numpy as np
import pytest

from ganlib import config, edges


@pytest.fixture(autouse=True)
def float32():
    keras.mixed_precision.set_global_policy("float32")


def square(n=4, size=28):
    x = np.zeros((n, size, size), np.uint8)
    x[:, 8:20, 8:20] = 200
    return x


def test_edge_map_marks_the_outline_and_not_the_flat_inside_or_background():
    e = edges.edge_map(square())
    assert e.dtype == np.uint8 and set(np.unique(e)) <= {0, 255}
    assert e[0, 14, 8] == 255 and e[0, 8, 14] == 255          # the square's sides
    assert e[0, 14, 14] == 0 and e[0, 2, 2] == 0               # its flat inside, the background
    # each image's edges are its own: a blank image next to the square has none
    mixed = square(3)
    mixed[1] = 0
    assert edges.edge_map(mixed)[1].max() == 0 and edges.edge_map(mixed)[0].max() == 255
    with pytest.raises(ValueError, match="uint8 grayscale"):
        edges.edge_map(square().astype(np.float32))
    with pytest.raises(ValueError, match="threshold"):
        edges.edge_map(square(), threshold=1.5)


def test_pairs_are_padded_to_32_and_crop_gives_back_the_garment():
    g = square()
    src, tgt = edges.make_pairs(g)
    assert src.shape == tgt.shape == (4, 32, 32, 1)
    assert np.array_equal(edges.crop(tgt)[..., 0], g)
    assert np.array_equal(edges.crop(src)[..., 0], edges.edge_map(g))


def test_load_data_takes_training_pairs_from_train_and_held_out_pairs_from_test():
    data = edges.load_data(dict(n_train=32, n_val=8), seed=0)
    assert data.train[0].shape == (32, 32, 32, 1) and data.val[1].shape == (8, 32, 32, 1)
    again = edges.load_data(dict(n_train=32, n_val=8), seed=0)
    assert np.array_equal(data.val[1], again.val[1])


def test_smoke_training_and_the_measures():
    config.set_seed(0)
    sched = dict(edges.SCHEDULES["smoke"])
    gan, history = edges.train(sched, seed=0)
    assert gan.generator.input_shape[1:] == (32, 32, 1)
    assert len(history.history["d_loss"]) == 2
    data = edges.load_data(sched, seed=0)
    out = edges.evaluate(gan, *data.val)
    assert set(out) == {"FD", "edge sharpness", "l1"}
    assert all(np.isfinite(v) for v in out.values())
    with pytest.raises(ValueError, match="direction"):
        edges.train(sched, direction="sat2map")
