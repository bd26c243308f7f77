"""Chapter 4's pix2pix: seconds per training step for several widths of the U-Net (`width`)
and of the PatchGAN (`d_width`), measured in one process in alternating blocks so that a
shared machine's drift hits every setting alike; edges → garments (32×32, one channel, batch
16) or the maps (64×64, three channels, batch 4), each with its class recipe's batch and size.

    python benchmarks/speed_edges.py [--task edges|maps] [--pairs 3] [--block 20]
                                     [--widths 0.5:1,0.5:0.25,0.25:0.25]

Each entry of --widths is WIDTH:D_WIDTH.  The class recipes: `edges.SCHEDULES["class"]`,
`pix2pix.SCHEDULES["class"]`.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ganlib  # noqa: E402,F401  (quiet TensorFlow import)
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from ganlib import config, edges, pix2pix  # noqa: E402
from speedlib import cpu_name, seconds_per_step  # noqa: E402


TASKS = {"edges": edges, "maps": pix2pix}


def runner(module, width, d_width, batch, seed=1):
    schedule = dict(module.SCHEDULES["class"], width=width, d_width=d_width)
    kw = module.recipe(schedule)
    gan = module.make_pix2pix(seed=seed, **kw)
    size, channels = gan.generator.input_shape[1], gan.generator.input_shape[-1]
    rng = np.random.default_rng(seed)
    x = tf.constant(rng.uniform(-1, 1, (batch, size, size, channels)), tf.float32)
    y = tf.constant(rng.uniform(-1, 1, (batch, size, size, channels)), tf.float32)
    step = tf.function(gan.train_step)
    step((x, y))                                           # trace

    def run(k):
        for _ in range(k):
            step((x, y))
    return run, gan


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--task", default="edges", choices=sorted(TASKS))
    p.add_argument("--pairs", type=int, default=3)
    p.add_argument("--block", type=int, default=20)
    p.add_argument("--batch", type=int, default=None, help="the class recipe's where omitted")
    p.add_argument("--widths", default="0.5:1,0.5:0.25,0.25:1,0.25:0.25")
    a = p.parse_args(argv)
    module = TASKS[a.task]
    cls = module.SCHEDULES["class"]
    a.batch = a.batch or cls["batch_size"]
    config.set_precision(None, verbose=False)
    import keras
    settings = [tuple(float(v) for v in w.split(":")) for w in a.widths.split(",")]
    runs = {s: runner(module, *s, a.batch) for s in settings}
    times = seconds_per_step({s: r[0] for s, r in runs.items()}, a.pairs, a.block,
                             f"{a.task}: {cpu_name()}, {os.cpu_count()} cores, "
                             f"{keras.mixed_precision.global_policy().name}, batch {a.batch}")
    print(f"{'U-Net width':>11} {'PatchGAN width':>14} {'G params':>9} {'D params':>9} "
          f"{'s/step':>7}  {cls['steps']} steps")
    for s in settings:
        gan = runs[s][1]
        t = times[s]
        mark = "  <- class recipe" if s == (cls["width"], cls.get("d_width", 1.0)) else ""
        print(f"{s[0]:11.3g} {s[1]:14.3g} {gan.generator.count_params():9d} "
              f"{gan.discriminator.count_params():9d} {t:7.3f}  {t * cls['steps'] / 60:5.1f} min"
              f"{mark}", flush=True)


if __name__ == "__main__":
    main()
