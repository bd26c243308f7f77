"""DCGAN training speed: ganlib's `fit()` step against the tutorial's loop, side by side.

The tutorial loop (pyimagesearch, ported to Keras 3 as in ../shared/bench/seed_style_dcgan.py):
per step `gen.predict(noise)`, a shuffled concat of 128 real + 128 fake through
`disc.train_on_batch`, then `gan.train_on_batch(noise, ones)` with D frozen.
ganlib: `GAN.fit()` on a `tf.data` pipeline, the traced `train_step` (one G forward
shared by the D and G updates, `GAN.reused_fakes_step`, as `dcgan.make_dcgan` builds it) run
`steps_per_execution` times per call (the `class` schedule's value, as the notebook
trains), with the same Adam update and the same batch norm computed by TensorFlow's fused
kernels (`ganlib.optim.FusedAdam`, `ganlib.norm.FusedBatchNormalization`).  The other
variants take one of those away at a time to show what each adds.

Same architecture, data, batch (128) and optimizers; each variant runs in a fresh
process, variants alternate in rounds, and the ratio is taken within each round.

    python benchmarks/speed_dcgan.py [--steps 200] [--rounds 3]
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ganlib  # noqa: E402  (quiet TensorFlow import)
import keras  # noqa: E402
import numpy as np  # noqa: E402

from ganlib import config, data, dcgan  # noqa: E402

BATCH = 128


def tutorial_loop(images_u8, steps, warmup=5):
    """The tutorial's predict() + train_on_batch loop (float32, as the tutorial runs)."""
    keras.mixed_precision.set_global_policy("float32")
    gen, disc = dcgan.build_generator(), dcgan.build_discriminator()
    disc.compile(loss="binary_crossentropy", optimizer=dcgan.tutorial_optimizer(fused=False))
    z = keras.Input((dcgan.LATENT_DIM,))
    combined = keras.Model(z, disc(gen(z)))
    combined.compile(loss="binary_crossentropy", optimizer=dcgan.tutorial_optimizer(fused=False))
    x = (images_u8[..., None].astype("float32") - 127.5) / 127.5
    per_epoch = len(x) // BATCH
    y = np.array([1] * BATCH + [0] * BATCH)

    def step(i):
        i %= per_epoch
        real = x[i * BATCH:(i + 1) * BATCH]
        fake = gen.predict(np.random.uniform(-1, 1, (BATCH, 100)), verbose=0)
        p = np.random.permutation(2 * BATCH)
        disc.trainable = True   # Keras 3 reads the flag when each train function is traced
        disc.train_on_batch(np.concatenate([real, fake])[p], y[p])
        disc.trainable = False
        combined.train_on_batch(np.random.uniform(-1, 1, (BATCH, 100)), np.ones(BATCH))

    for i in range(warmup):
        step(i)
    t = time.perf_counter()
    for i in range(steps):
        step(warmup + i)
    return steps / (time.perf_counter() - t)


def ganlib_fit(images_u8, steps, precision, steps_per_execution=1, reuse_fakes=True, fused=True,
               fused_bn=True, warmup=5):
    """ganlib's DCGAN through `fit()`, as the notebook trains it."""
    config.set_precision(precision, verbose=False)
    if not fused_bn:  # build G with Keras' own BatchNormalization
        dcgan.FusedBatchNormalization = keras.layers.BatchNormalization
    gan = dcgan.make_dcgan(reuse_fakes=reuse_fakes, seed=0)
    gan.compile(d_optimizer=dcgan.tutorial_optimizer(fused=fused),
                g_optimizer=dcgan.tutorial_optimizer(fused=fused),
                steps_per_execution=steps_per_execution)
    ds = data.make_dataset(images_u8, batch_size=BATCH, seed=0)
    gan.fit(ds, epochs=1, steps_per_epoch=max(warmup, steps_per_execution), verbose=0)
    t = time.perf_counter()
    gan.fit(ds, epochs=1, steps_per_epoch=steps, verbose=0)
    rate = steps / (time.perf_counter() - t)
    keras.mixed_precision.set_global_policy("float32")
    return rate


SPE = dcgan.SCHEDULES["class"]["steps_per_execution"]
VARIANTS = {
    "tutorial": "tutorial loop (predict + train_on_batch), float32",
    "shipped": f"ganlib fit() as shipped: mixed_bfloat16, spe={SPE}",
    "fp32": "  same in float32",
    "spe1": "  same, one step per execution",
    "keras_adam": "  same, Keras' own Adam update",
    "keras_bn": "  same, Keras' own BatchNormalization",
    "alternating": "  same, fresh fakes for the G update (alternating_step)",
}


def run_variant(name, steps):
    (xtr, _), (xte, _) = data.load_fashion_mnist(verbose=False)[0]
    images = np.concatenate([xtr, xte])
    if name == "tutorial":
        return tutorial_loop(images, steps)
    return ganlib_fit(images, steps, "float32" if name == "fp32" else "mixed_bfloat16",
                      1 if name == "spe1" else SPE, reuse_fakes=name != "alternating",
                      fused=name != "keras_adam", fused_bn=name != "keras_bn")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
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
    base = np.array(results[names[0]])
    print(f"\nsummary (median over rounds; ratio = same-round steps/s over {names[0]!r})")
    for n in names:
        v = np.array(results[n])
        print(f"  {VARIANTS[n]:<60} {np.median(v):6.2f} steps/s   x{np.median(v / base):.2f}")


if __name__ == "__main__":
    main()
