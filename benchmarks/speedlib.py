"""Shared by the speed benchmarks: rates of `run(k)` callables, and a head-to-head of two of
them in one process, alternating blocks so that a shared machine's drifts cancel out."""
import platform
import time

import numpy as np


def cpu_name():
    """The processor's model name (from /proc/cpuinfo), for a benchmark's header."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def rate(run, steps):
    t = time.perf_counter()
    run(steps)
    return steps / (time.perf_counter() - t)


def seconds_per_step(runs, pairs, block, header=""):
    """{setting: median seconds per step} of `runs` ({setting: run(k)}), timed in `pairs`
    rounds of alternating `block`-step blocks so that a shared machine's drift hits every
    setting alike; prints `header` (the machine, say) first."""
    if header:
        print(header, flush=True)
    times = {s: [] for s in runs}
    for _ in range(pairs):
        for s, run in runs.items():
            times[s].append(1.0 / rate(run, block))
    return {s: float(np.median(t)) for s, t in times.items()}


def head_to_head(tutorial, shipped, pairs, steps, shipped_steps, label="ganlib"):
    """Alternate `tutorial` (`steps` steps) and `shipped` (`shipped_steps`) blocks; returns the
    ratios shipped/tutorial of neighbouring blocks, printing each pair."""
    ratios = []
    for k in range(pairs):
        a, b = rate(tutorial, steps), rate(shipped, shipped_steps)
        ratios.append(b / a)
        print(f"pair {k + 1:2d}  tutorial {a:6.2f}  {label} {b:6.2f} steps/s   x{b / a:.2f}",
              flush=True)
    return np.array(ratios)


def summary(ratios, what="ganlib / tutorial"):
    return (f"ratio {what}: median x{np.median(ratios):.2f}, middle half "
            f"x{np.percentile(ratios, 25):.2f} to x{np.percentile(ratios, 75):.2f}")
