"""Where an ACGAN `full` step spends its time: oneDNN's own timings, per primitive.

    python benchmarks/profile_acgan.py [--steps 20] [--precision auto] [--top 15]

Runs `speed_acgan.ganlib_runner` (the tutorial's 384/192 generator, batch 64, `fit()`) in a
child process with ONEDNN_VERBOSE=1, skips the warm-up steps, and sums the milliseconds oneDNN
reports for each primitive (kind, kernel, pass, shape) over the timed steps.  It prints the
wall-clock step time next to the oneDNN sum: TensorFlow runs independent ops side by side on the
two cores, so the sum can exceed the step, and the verbose printing itself slows the run (about
10 %).  The shapes are oneDNN's view: a Conv2DTranspose's forward pass is a convolution's
`backward_data`, its input gradient a `forward_training`, its kernel gradient `backward_weights`.

`--alternatives` then times that ConvT's three passes alone (batch 64, bfloat16), with the kernel
gradient computed two ways: TensorFlow's Conv2DBackpropFilter (what training uses) and the same
sum written as image patches times a matrix (`tf.image.extract_patches` + one matmul).
"""
import argparse
import collections
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = "PROFILE_START"

CHILD = f"""
import os, sys, time
sys.path.insert(0, {os.path.dirname(HERE)!r}); sys.path.insert(0, {HERE!r})
import ganlib  # noqa: F401
from ganlib import data
from speed_acgan import ganlib_runner
(x, y), _ = data.load_fashion_mnist(verbose=False)[0]
run = ganlib_runner(x, y, 1, sys.argv[2])
run(3)
sys.stdout.flush(); print({MARK!r}, flush=True)
t = time.perf_counter(); run(int(sys.argv[1])); dt = time.perf_counter() - t
sys.stdout.flush(); print("STEP_MS", 1000 * dt / int(sys.argv[1]), flush=True)
"""


def aggregate(lines, steps):
    """Sum oneDNN's per-call milliseconds by (primitive, kernel, pass, shape) after the mark."""
    total, calls, step_ms, started = collections.Counter(), collections.Counter(), None, False
    for line in lines:
        if line.startswith(MARK):
            started = True
        elif line.startswith("STEP_MS"):
            step_ms = float(line.split()[1])
        elif started and line.startswith("onednn_verbose") and ",exec," in line:
            f = line.strip().split(",")
            key = (f[5], f[6], f[7], f[-2])
            total[key] += float(f[-1]) / steps
            calls[key] += 1 / steps
    return total, calls, step_ms


def alternatives(repeats=20):
    """Milliseconds per call of the 384->192 ConvT's passes, and of two ways to its kernel gradient."""
    import time
    import tensorflow as tf
    n, bf = 64, tf.bfloat16
    x = tf.cast(tf.random.normal((n, 7, 7, 384)), bf)           # the ConvT's input
    w = tf.cast(0.02 * tf.random.normal((5, 5, 192, 384)), bf)   # its kernel (h, w, out, in)
    dy = tf.cast(tf.random.normal((n, 14, 14, 192)), bf)         # gradient at its output
    strides = [1, 2, 2, 1]
    fns = {
        "forward (conv2d_transpose)": lambda: tf.nn.conv2d_transpose(x, w, (n, 14, 14, 192), 2),
        "input gradient (conv2d)": lambda: tf.nn.conv2d(dy, w, 2, "SAME"),
        "kernel gradient, Conv2DBackpropFilter": lambda: tf.raw_ops.Conv2DBackpropFilter(
            input=dy, filter_sizes=[5, 5, 192, 384], out_backprop=x, strides=strides,
            padding="SAME"),
        "kernel gradient, patches x matmul": lambda: tf.reshape(tf.matmul(
            tf.reshape(tf.image.extract_patches(dy, [1, 5, 5, 1], strides, [1, 1, 1, 1], "SAME"),
                       (-1, 25 * 192)),
            tf.reshape(x, (-1, 384)), transpose_a=True), (5, 5, 192, 384)),
    }
    a, b = (tf.cast(fns[k](), tf.float32) for k in list(fns)[2:])
    err = float(tf.reduce_max(tf.abs(a - b)) / tf.reduce_max(tf.abs(a)))
    print(f"the 384->192 5x5 ConvT alone, batch {n}, bfloat16 (two rounds):")
    for _ in range(2):
        for name, fn in fns.items():
            f = tf.function(fn)
            f()
            t = time.perf_counter()
            for _ in range(repeats):
                f()
            print(f"  {name:40s} {1000 * (time.perf_counter() - t) / repeats:6.1f} ms")
    print(f"  (the two kernel gradients agree to {err:.1e} of the largest entry, bfloat16 rounding)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--precision", default="auto")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--alternatives", action="store_true",
                    help="also time the big ConvT's passes alone, two ways to its kernel gradient")
    args = ap.parse_args()
    env = dict(os.environ, ONEDNN_VERBOSE="1", TF_CPP_MIN_LOG_LEVEL="2")
    out = subprocess.run([sys.executable, "-c", CHILD, str(args.steps), args.precision], env=env,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    total, calls, step_ms = aggregate(out, args.steps)
    print(f"ACGAN full recipe, ganlib fit() step, precision {args.precision}, {os.cpu_count()} "
          f"cores, {args.steps} steps under ONEDNN_VERBOSE")
    print(f"wall clock {step_ms:.1f} ms/step; oneDNN primitives {sum(total.values()):.1f} ms/step")
    for key, ms in total.most_common(args.top):
        print(f"{ms:7.2f} ms {calls[key]:4.1f}x  {key[0]:12s} {key[1][:32]:32s} {key[2]:17s} {key[3]}")
    if args.alternatives:
        sys.path.insert(0, os.path.dirname(HERE))
        import ganlib  # noqa: F401  (quiet TensorFlow import)
        alternatives()


if __name__ == "__main__":
    main()
