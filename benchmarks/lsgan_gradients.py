"""Where least squares helps, measured on the 2-D toy (chapter 6's argument, Mao et al. Fig. 1).

    python benchmarks/lsgan_gradients.py [--seeds 1,2,3,4,5] [--steps 500] [--png out.png]

For each loss (sigmoid cross-entropy with the non-saturating G loss, and least squares) and
each seed, D learns to tell the 8-Gaussian ring from a blob of early fakes at the centre
(`toy2d.far_side_experiment`, G held still); then G's loss is differentiated with respect to a
fake's position at every grid point D puts on the real side although it lies ≥ 0.5 from any
real point, and at the fakes themselves.  Printed: per seed, the median ‖∇ₓ L_G‖ at both and
the share of far points whose gradient has vanished (< 1e-3); then median and spread over the
seeds.  `--png` also saves the two surfaces of the first seed side by side.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ganlib  # noqa: E402,F401  (quiet TensorFlow import)
import numpy as np  # noqa: E402

from ganlib import config, toy2d  # noqa: E402

NAMES = {"bce": "sigmoid cross-entropy", "lsgan": "least squares"}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", default="1,2,3,4,5")
    p.add_argument("--steps", type=int, default=500, help="D updates per experiment")
    p.add_argument("--png", help="save the first seed's two surfaces here")
    args = p.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    config.set_precision("float32", verbose=False)
    rows, first = {k: [] for k in NAMES}, {}
    print(f"{'loss':<22} {'seed':>4} {'far pts':>7} {'far median':>11} {'vanished':>8} "
          f"{'at fakes':>9} {'s':>5}")
    for seed in seeds:
        for loss in NAMES:
            t = time.perf_counter()
            r = toy2d.far_side_experiment(loss, seed=seed, steps=args.steps)
            rows[loss].append(r)
            first.setdefault(loss, r)
            print(f"{NAMES[loss]:<22} {seed:>4} {len(r['far']):>7} {r['far_median']:>11.3g} "
                  f"{r['vanishing']:>8.0%} {r['fake_median']:>9.3g} "
                  f"{time.perf_counter() - t:>5.1f}", flush=True)
    print(f"\nmedian [min - max] over seeds {args.seeds}")
    for loss, rs in rows.items():
        parts = []
        for key, what in (("far_median", "‖∇ₓ L_G‖ far on the real side"),
                          ("vanishing", "share vanished"), ("fake_median", "‖∇ₓ L_G‖ at fakes")):
            v = np.array([r[key] for r in rs])
            parts.append(f"{what} {np.median(v):.3g} [{v.min():.3g} - {v.max():.3g}]")
        print(f"{NAMES[loss]:<22} " + "; ".join(parts))
    if args.png:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, 2, figsize=(10, 4.3))
        for ax, loss in zip(axes, NAMES):
            r = first[loss]
            toy2d.plot_far_side(r, ax=ax, title=f"{NAMES[loss]}\nmedian ‖∇ₓ L_G‖ far on the "
                                f"real side: {r['far_median']:.2g}")
        fig.tight_layout()
        fig.savefig(args.png, dpi=90)
        print(f"saved {args.png}")
    return rows


if __name__ == "__main__":
    main()
