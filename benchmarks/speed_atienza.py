"""Chapters 5 and 6 (Atienza's MNIST networks): seconds per generator step of each family for
several network widths (`g_width`, `d_width`; 1 is the book's), in one process, in
alternating blocks so that a shared machine's drift hits every setting alike.

    python benchmarks/speed_atienza.py [--pairs 3] [--block 3] [--widths 1:1,0.5:0.5]
                                       [--families wgan,wgan-gp,lsgan,dcgan]

Each entry of --widths is G_WIDTH:D_WIDTH.  One generator step is the family's whole
`train_step` on its class schedule's batch: WGAN and WGAN-GP make five critic updates (each on
fresh fakes) before G's, LSGAN and the DCGAN loss one D update on a joint real + fake batch.
The last column multiplies by the class schedule's generator steps.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ganlib  # noqa: E402,F401  (quiet TensorFlow import)
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from ganlib import atienza, config, lsgan, wgan  # noqa: E402
from speedlib import cpu_name, seconds_per_step  # noqa: E402


def family(name):
    """(schedule, make(schedule)) of one of the chapters' four families."""
    if name in wgan.VARIANTS:
        per_mode = wgan.GP_SCHEDULES if name == "wgan-gp" else wgan.SCHEDULES
        return per_mode["class"], lambda s: wgan.make(name, s, seed=1)
    return lsgan.SCHEDULES["class"], lambda s: lsgan.make_gan(name, seed=1, **atienza.widths(s))


def runner(name, g_width, d_width):
    schedule, make = family(name)
    gan = make(dict(schedule, g_width=g_width, d_width=d_width))
    x = tf.constant(np.random.default_rng(1).uniform(0, 1, (gan.d_steps * atienza.BATCH_SIZE,
                                                             28, 28, 1)), tf.float32)
    step = tf.function(gan.train_step)
    step(x)                                                   # trace

    def run(k):
        for _ in range(k):
            step(x)
    return run, schedule["steps"]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pairs", type=int, default=3)
    p.add_argument("--block", type=int, default=3)
    p.add_argument("--widths", default="1:1,0.5:0.5")
    p.add_argument("--families", default="wgan,wgan-gp,lsgan,dcgan")
    a = p.parse_args(argv)
    config.set_precision(None, verbose=False)
    import keras
    widths = [tuple(float(v) for v in w.split(":")) for w in a.widths.split(",")]
    settings = [(f, *w) for f in a.families.split(",") for w in widths]
    runs = {s: runner(*s) for s in settings}
    times = seconds_per_step({s: r[0] for s, r in runs.items()}, a.pairs, a.block,
                             f"chapters 5 and 6: {cpu_name()}, {os.cpu_count()} cores, "
                             f"{keras.mixed_precision.global_policy().name}")
    print(f"{'family':>8} {'g_width':>7} {'d_width':>7} {'s/G step':>8} {'x book':>6}  class run")
    for s in settings:
        t, book = times[s], times.get((s[0], 1.0, 1.0), float("nan"))
        print(f"{s[0]:>8} {s[1]:7.3g} {s[2]:7.3g} {t:8.3f} {book / t:6.2f}  "
              f"{runs[s][1]} steps: {t * runs[s][1] / 60:5.1f} min", flush=True)


if __name__ == "__main__":
    main()
