"""DCGAN training speed: ganlib's `fit()` step against the tutorial's loop, side by side.

The tutorial loop (pyimagesearch, ported to Keras 3 as in ../shared/bench/seed_style_dcgan.py):
per step `gen.predict(noise)`, a shuffled concat of 128 real + 128 fake through
`disc.train_on_batch`, then `gan.train_on_batch(noise, ones)` with D frozen.
ganlib: `GAN.fit()` on a `tf.data` pipeline, the traced `train_step` (one G forward
shared by the D and G updates, `GAN.reused_fakes_step`, as `dcgan.make_dcgan` builds it) run
`steps_per_execution` times per call (the `class` schedule's value, as the notebook
trains), with the same Keras layers and Adam.  The other variants take one of those
choices away at a time to show what each adds.

Same architecture, data, batch (128) and optimizers.  Two measurements:
1. every variant in a fresh process, variants alternating in rounds, the ratio taken
   within each round;
2. head to head: the tutorial loop and the shipped ganlib step built in one process and
   run in alternating blocks, one ratio per neighbouring pair (this shared 2-core machine
   changes speed by 20 % from minute to minute; neighbours see the same machine).

    python benchmarks/speed_dcgan.py [--steps 200] [--rounds 2] [--pairs 10] [--block 40]
"""
import argparse
import itertools
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ganlib  # noqa: E402  (quiet TensorFlow import)
import keras  # noqa: E402
import numpy as np  # noqa: E402

from ganlib import config, data, dcgan  # noqa: E402
from speedlib import rate  # noqa: E402
import speedlib  # noqa: E402

BATCH = 128


def tutorial_runner(images_u8, warmup=5):
    """The tutorial's predict() + train_on_batch loop (float32, as the tutorial runs).

    Returns ``run(k)``, which trains k more steps."""
    keras.mixed_precision.set_global_policy("float32")
    gen, disc = dcgan.build_generator(), dcgan.build_discriminator()
    disc.compile(loss="binary_crossentropy", optimizer=dcgan.tutorial_optimizer())
    z = keras.Input((dcgan.LATENT_DIM,))
    combined = keras.Model(z, disc(gen(z)))
    combined.compile(loss="binary_crossentropy", optimizer=dcgan.tutorial_optimizer())
    x = (images_u8[..., None].astype("float32") - 127.5) / 127.5
    per_epoch = len(x) // BATCH
    y = np.array([1] * BATCH + [0] * BATCH)
    batches = itertools.count()

    def step(i):
        i %= per_epoch
        real = x[i * BATCH:(i + 1) * BATCH]
        fake = gen.predict(np.random.uniform(-1, 1, (BATCH, 100)), verbose=0)
        p = np.random.permutation(2 * BATCH)
        disc.trainable = True   # Keras 3 reads the flag when each train function is traced
        disc.train_on_batch(np.concatenate([real, fake])[p], y[p])
        disc.trainable = False
        combined.train_on_batch(np.random.uniform(-1, 1, (BATCH, 100)), np.ones(BATCH))

    def run(k):
        for _ in range(k):
            step(next(batches))

    run(warmup)
    return run


def ganlib_runner(images_u8, precision, steps_per_execution=1, reuse_fakes=True, warmup=5):
    """ganlib's DCGAN through `fit()`, as the notebook trains it; returns ``run(k)``."""
    config.set_precision(precision, verbose=False)
    gan = dcgan.make_dcgan(reuse_fakes=reuse_fakes, steps_per_execution=steps_per_execution,
                           seed=0)
    keras.mixed_precision.set_global_policy("float32")  # (the models keep their own policy)
    ds = data.make_dataset(images_u8, batch_size=BATCH, seed=0)

    def run(k):
        gan.fit(ds, epochs=1, steps_per_epoch=k, verbose=0)

    run(max(warmup, steps_per_execution))
    return run


def head_to_head(images_u8, pairs, steps):
    """Tutorial loop and shipped ganlib in one process, alternating blocks of about the same
    length in seconds (`steps` tutorial steps, 3 × `steps` ganlib steps rounded up to whole
    executions).  (Each ganlib block is a separate `fit()` call, whose set-up counts against it.)"""
    ganlib_steps = -(-3 * steps // SPE) * SPE  # whole executions of SPE steps
    return speedlib.head_to_head(tutorial_runner(images_u8),
                                 ganlib_runner(images_u8, "mixed_bfloat16", SPE), pairs, steps,
                                 ganlib_steps)


SPE = dcgan.SCHEDULES["class"]["steps_per_execution"]
VARIANTS = {
    "tutorial": "tutorial loop (predict + train_on_batch), float32",
    "shipped": f"ganlib fit() as shipped: mixed_bfloat16, spe={SPE}",
    "fp32": "  same in float32",
    "spe1": "  same, one step per execution",
    "alternating": "  same, fresh fakes for the G update (alternating_step)",
}


def run_variant(name, steps):
    (xtr, _), (xte, _) = data.load_fashion_mnist(verbose=False)[0]
    images = np.concatenate([xtr, xte])
    if name == "tutorial":
        return rate(tutorial_runner(images), steps)
    return rate(ganlib_runner(images, "float32" if name == "fp32" else "mixed_bfloat16",
                              1 if name == "spe1" else SPE, reuse_fakes=name != "alternating"),
                steps)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--pairs", type=int, default=10, help="head-to-head block pairs (0: skip)")
    ap.add_argument("--block", type=int, default=40, help="steps per head-to-head block")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--only", help=argparse.SUPPRESS)  # internal: run one variant, print its rate
    args = ap.parse_args()
    if args.only:
        print(f"steps_per_s={run_variant(args.only, args.steps):.4f}")
        return
    names = args.variants.split(",")
    print(f"DCGAN Fashion-MNIST, batch {BATCH}, {args.steps} timed steps per run, each run in a "
          f"fresh process, {os.cpu_count()} CPU cores, auto precision here = "
          f"{config.resolve_precision('auto')}", flush=True)
    _, source = data.load_fashion_mnist(verbose=False)
    print(f"data: {source}", flush=True)
    results = {n: [] for n in names}
    for r in range(args.rounds):
        for n in names:
            out = subprocess.run([sys.executable, __file__, "--only", n, "--steps", str(args.steps)],
                                 capture_output=True, text=True)
            line = [ln for ln in out.stdout.splitlines() if ln.startswith("steps_per_s=")]
            if out.returncode or not line:
                raise SystemExit(f"variant {n} failed:\n{out.stdout}\n{out.stderr[-3000:]}")
            results[n].append(float(line[-1].split("=")[1]))
            print(f"round {r + 1}  {VARIANTS[n]:<60} {results[n][-1]:6.2f} steps/s", flush=True)
    if args.rounds:
        base = np.array(results[names[0]])
        print(f"\nsummary (median over rounds; ratio = same-round steps/s over {names[0]!r})")
        for n in names:
            v = np.array(results[n])
            print(f"  {VARIANTS[n]:<60} {np.median(v):6.2f} steps/s   x{np.median(v / base):.2f}")
    if args.pairs:
        print(f"\nhead to head in one process: tutorial loop vs ganlib as shipped, alternating "
              f"blocks of {args.block} and about {3 * args.block} steps", flush=True)
        (xtr, _), (xte, _) = data.load_fashion_mnist(verbose=False)[0]
        ratios = head_to_head(np.concatenate([xtr, xte]), args.pairs, args.block)
        print(speedlib.summary(ratios))


if __name__ == "__main__":
    main()
