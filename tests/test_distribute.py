"""tf.distribute: MirroredStrategy on 2 logical CPU devices trains exactly as one device does
(tests/distribute_check.py runs in its own process: the CPU is split before TensorFlow starts)."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from ganlib import distribute

HERE = os.path.dirname(os.path.abspath(__file__))
DCGAN_TOLERANCE = 0.05   # batch norm uses each replica's half-batch statistics: close, not equal


@pytest.fixture(scope="module")
def measured():
    out = subprocess.run([sys.executable, os.path.join(HERE, "distribute_check.py")],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_two_replicas_make_the_single_device_update(measured):
    """Same losses and weights after 6 SGD steps: per-replica loss scaling and per-replica noise."""
    assert measured["replicas"] == 2
    assert measured["small_loss_diff"] < 1e-5 and measured["small_weight_diff"] < 1e-5, measured


def test_a_wrong_reduction_is_caught(measured):
    """Without dividing each replica's loss the summed gradients are doubled: far off."""
    assert measured["wrong_loss_diff"] > 1e-2 and measured["wrong_weight_diff"] > 1e-2, measured


def test_dcgan_loss_trajectory_matches_within_tolerance(measured):
    one, two = measured["dcgan_one"], measured["dcgan_two"]
    assert set(one) == set(two) == {"d_loss", "g_loss"}
    for k in one:
        assert len(one[k]) == len(two[k]) == 4
        assert np.max(np.abs(np.subtract(one[k], two[k]))) < DCGAN_TOLERANCE, (k, one[k], two[k])


def test_multi_step_execution_under_mirrored_is_refused_clearly(measured):
    assert "compile with steps_per_execution=1" in measured["multi_step_refused"]


def test_unknown_strategy_and_bad_splits_are_refused():
    with pytest.raises(ValueError, match="unknown strategy"):
        distribute.strategy("parallel")
    with pytest.raises(ValueError, match="at least 1"):
        distribute.split_cpu(0)
