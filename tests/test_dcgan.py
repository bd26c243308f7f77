"""dcgan.train's model hook (an exercise trains the chapter's model with other optimisers)."""
import numpy as np

from ganlib import dcgan


def test_train_builds_the_model_through_make_when_given():
    calls = []

    def make(**kw):
        calls.append(kw)
        return dcgan.make_dcgan(**kw)

    gan, history = dcgan.train(dict(steps=2, log_every=1, sample_every=1, steps_per_execution=1,
                                    batch_size=8),
                               images=np.zeros((64, 28, 28), np.uint8), seed=0, make=make)
    assert calls == [dict(steps_per_execution=1, seed=0)] and len(history.history["d_loss"]) == 2
