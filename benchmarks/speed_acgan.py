"""ACGAN training speed, `full` mode (the tutorial's 384/192 generator, batch 64): ganlib's
`fit()` step against the tutorial's `train_on_batch` loop, head to head in one process.

The tutorial loop (machinelearningmastery, ported to Keras 3 as in
../shared/bench/seed_style_acgan.py): per step `d.train_on_batch(32 real, [1, labels])`,
`g.predict([z, labels])`, `d.train_on_batch(32 fakes, [0, labels])`, then
`gan.train_on_batch([z, labels] of 64, [1, labels])` with D frozen (BatchNorm excepted).
ganlib: `acgan.make_acgan(**SEED_RECIPE)` trained by `GAN.fit()` on a `tf.data` pipeline of
32 real images a step, `steps_per_execution` steps per call.  Same layers, batch, optimizers.

    python benchmarks/speed_acgan.py [--pairs 8] [--block 20] [--runs auto:1,auto:8,float32:1]

Each entry of --runs is PRECISION:STEPS_PER_EXECUTION of a ganlib run (`auto` is bfloat16 on a
CPU with AMX-BF16/AVX512-BF16 units); the tutorial loop always runs in float32, as written.

Blocks alternate (tutorial, ganlib spe=a, ganlib spe=b, ...) and each ratio is taken
against the tutorial block just before it: this shared 2-core machine drifts by 20 %.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ganlib  # noqa: E402,F401  (quiet TensorFlow import)
import keras  # noqa: E402
import numpy as np  # noqa: E402

from ganlib import acgan, config, data  # noqa: E402
from speedlib import rate  # noqa: E402

HALF = acgan.BATCH_SIZE // 2


def tutorial_runner(x_u8, y, warmup=3):
    keras.mixed_precision.set_global_policy("float32")
    d = acgan.build_discriminator()
    g = acgan.build_generator(base_filters=384, up_filters=192)
    losses = ["binary_crossentropy", "sparse_categorical_crossentropy"]
    d.compile(loss=losses, optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))

    def freeze(frozen):  # the tutorial freezes every D layer but BatchNorm
        for layer in d.layers:
            if not isinstance(layer, keras.layers.BatchNormalization):
                layer.trainable = not frozen
    freeze(True)
    z_in, l_in = g.inputs
    combined = keras.Model([z_in, l_in], d(g([z_in, l_in])))
    combined.compile(loss=losses, optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    freeze(False)
    x = (x_u8[..., None].astype("float32") - 127.5) / 127.5
    rng = np.random.default_rng(0)

    def step():
        ix = rng.integers(0, len(x), HALF)
        freeze(False)   # Keras 3 reads the flags when each train function is traced
        d.train_on_batch(x[ix], [np.ones((HALF, 1)), y[ix]])
        labels = rng.integers(0, 10, HALF)
        fake = g.predict([rng.normal(size=(HALF, 100)), labels], verbose=0)
        d.train_on_batch(fake, [np.zeros((HALF, 1)), labels])
        labels = rng.integers(0, 10, 2 * HALF)
        freeze(True)
        combined.train_on_batch([rng.normal(size=(2 * HALF, 100)), labels],
                                [np.ones((2 * HALF, 1)), labels])

    def run(k):
        for _ in range(k):
            step()
    run(warmup)
    return run


def ganlib_runner(x_u8, y, spe, precision="auto", warmup=3):
    config.set_precision(precision, verbose=False)
    gan = acgan.make_acgan(seed=0, **acgan.SEED_RECIPE)
    gan.compile(d_optimizer=gan.d_optimizer, g_optimizer=gan.g_optimizer, steps_per_execution=spe)
    keras.mixed_precision.set_global_policy("float32")
    ds = data.make_dataset(x_u8, y, batch_size=HALF, seed=0)

    def run(k):
        gan.fit(ds, epochs=1, steps_per_epoch=k, verbose=0)
    run(max(warmup, spe))
    return run


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=8)
    ap.add_argument("--block", type=int, default=20, help="tutorial steps per block")
    ap.add_argument("--runs", default="auto:1,auto:8,float32:1",
                    help="ganlib runs to time, each PRECISION:STEPS_PER_EXECUTION")
    args = ap.parse_args()
    runs = [(p, int(s)) for p, s in (r.split(":") for r in args.runs.split(","))]
    (x, y), _ = data.load_fashion_mnist(verbose=False)[0]
    print(f"ACGAN full recipe (G 384/192, batch 64), Fashion-MNIST, {os.cpu_count()} CPU cores, "
          f"auto precision here = {config.resolve_precision('auto')}; tutorial loop float32",
          flush=True)
    tutorial = tutorial_runner(x, y)
    shipped = {(p, s): ganlib_runner(x, y, s, p) for p, s in runs}
    ratios = {r: [] for r in runs}
    for k in range(args.pairs):
        line = []
        for p, s in runs:
            a = rate(tutorial, args.block)
            steps = -(-2 * args.block // s) * s
            b = rate(shipped[p, s], steps)
            ratios[p, s].append(b / a)
            line.append(f"tutorial {a:5.2f} | ganlib {p} spe={s} {b:5.2f} steps/s x{b / a:.2f}")
        print(f"round {k + 1:2d}  " + "   ".join(line), flush=True)
    for p, s in runs:
        r = np.array(ratios[p, s])
        print(f"ganlib {p} spe={s} / tutorial: median x{np.median(r):.2f}, middle half "
              f"x{np.percentile(r, 25):.2f} to x{np.percentile(r, 75):.2f} ({len(r)} pairs)")


if __name__ == "__main__":
    main()
