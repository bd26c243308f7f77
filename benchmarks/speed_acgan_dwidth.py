"""Chapter 2's class recipe: seconds per generator step for several discriminator widths
(`d_width`: 1 is the tutorial's 32-64-128-256 filters), ACGAN and the conditional GAN, in one
process, in alternating blocks so that a shared machine's drift hits every setting alike.

    python benchmarks/speed_acgan_dwidth.py [--pairs 3] [--block 20] [--widths 1,0.5,0.25]

Each model trains through `fit()` on Fashion-MNIST with the class schedule's batch (32 real and
32 fake images for D, 64 fakes for G, the mode-seeking term included).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ganlib  # noqa: E402,F401  (quiet TensorFlow import)

from ganlib import acgan, cgan, config, data  # noqa: E402
from speedlib import cpu_name, seconds_per_step  # noqa: E402

FAMILIES = {"acgan": (acgan, acgan.make_acgan), "cgan": (cgan, cgan.make_cgan)}


def runner(family, d_width, x, y, seed=1):
    module, make = FAMILIES[family]
    gan = make(seed=seed, **module.recipe(dict(module.SCHEDULES["class"], d_width=d_width)))
    ds = data.make_dataset(x, y, batch_size=acgan.BATCH_SIZE // 2, scale="tanh", seed=seed)

    def run(k):
        gan.fit(ds, epochs=1, steps_per_epoch=k, verbose=0)
    run(3)                                                   # trace
    return run, gan


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pairs", type=int, default=3)
    p.add_argument("--block", type=int, default=20)
    p.add_argument("--widths", default="1,0.5,0.25")
    p.add_argument("--families", default="acgan,cgan")
    a = p.parse_args(argv)
    config.set_precision(None, verbose=False)
    import keras
    (x, y), _ = data.load_fashion_mnist(verbose=False)[0]
    settings = [(f, float(w)) for f in a.families.split(",") for w in a.widths.split(",")]
    runs = {s: runner(*s, x, y) for s in settings}
    steps = acgan.SCHEDULES["class"]["steps"]
    times = seconds_per_step({s: r[0] for s, r in runs.items()}, a.pairs, a.block,
                             f"chapter 2 class recipe: {cpu_name()}, {os.cpu_count()} cores, "
                             f"{keras.mixed_precision.global_policy().name}")
    print(f"{'family':>6} {'d_width':>7} {'D params':>9} {'s/step':>7}  {steps} steps")
    for s in settings:
        t = times[s]
        mark = "  <- class recipe" if s[1] == acgan.SCHEDULES["class"]["d_width"] else ""
        print(f"{s[0]:>6} {s[1]:7.3g} {runs[s][1].discriminator.count_params():9d} {t:7.3f}  "
              f"{t * steps / 60:5.1f} min{mark}", flush=True)


if __name__ == "__main__":
    main()
