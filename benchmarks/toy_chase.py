"""Chapter 0's chase around the ring, over seeds: the default toy GAN against the collapsing
setting (`toy2d.COLLAPSE`: G learns 50× faster than D), in one run mode, measured by
`toy2d.ModeCounts` over the second half of training.

    python benchmarks/toy_chase.py [--mode class] [--seeds 1,2,3,4,5]

Per run: modes covered at the end (`modes_covered`), hops (changes of the sector holding the
most points), modes that led, fair modes (sectors with at least half of an eighth, on average),
and the fullest sector's mean share; then the median and range of each over the seeds.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ganlib  # noqa: E402,F401  (quiet TensorFlow import)
import numpy as np  # noqa: E402

from ganlib import config, toy2d  # noqa: E402

SETTINGS = {"default": {}, "G 50x faster": toy2d.COLLAPSE}
MEASURES = ("covered", "hops", "modes_that_led", "fair_modes", "largest_share")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mode", default="class", choices=config.RUN_MODES)
    p.add_argument("--seeds", default="1,2,3,4,5")
    a = p.parse_args(argv)
    schedule = config.select(toy2d.SCHEDULES, a.mode, verbose=False)
    seeds = [int(s) for s in a.seeds.split(",")]
    print(f"toy GAN, {a.mode} mode ({schedule['steps']} generator steps), seeds {seeds}")
    print(f"{'setting':<14} {'seed':>4} " + " ".join(f"{m:>14}" for m in MEASURES) + "  train s")
    rows = {name: [] for name in SETTINGS}
    for name, settings in SETTINGS.items():
        for seed in seeds:
            counter = toy2d.ModeCounts()
            t = time.perf_counter()
            _, _, snaps = toy2d.train("bce", schedule, seed=seed, callbacks=[counter], **settings)
            r = dict(counter.summary(), covered=toy2d.modes_covered(snaps[max(snaps)])[0])
            rows[name].append(r)
            print(f"{name:<14} {seed:>4} " + " ".join(f"{r[m]:>14.3g}" for m in MEASURES) +
                  f"  {time.perf_counter() - t:6.1f}", flush=True)
    print("\nmedian [min - max] over the seeds")
    for name, rs in rows.items():
        cells = []
        for m in MEASURES:
            v = np.array([r[m] for r in rs], float)
            cells.append(f"{m} {np.median(v):.3g} [{v.min():.3g}-{v.max():.3g}]")
        print(f"{name:<14} " + ", ".join(cells))


if __name__ == "__main__":
    main()
