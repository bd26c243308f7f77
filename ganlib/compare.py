"""The loss comparison of chapters 5 and 6: four losses, the same networks, the same budget.

DCGAN loss, LSGAN, WGAN (clipping) and WGAN-GP all train Atienza's MNIST networks
(`ganlib.atienza`) for the same number of generator steps, each with its own book
settings (optimizers, n_critic); the Fréchet distance to held-out digits is measured
along the way.  `benchmarks/quality.py --chapters losses` runs it and saves the result
as JSON in ``benchmarks/results/``; the notebooks load and plot that file:

    python benchmarks/quality.py --chapters losses --mode class

Equal budget means equal *generator* steps (the x-axis of the WGAN paper's figures):
a WGAN step also takes five critic updates, so the table reports wall time as well.
"""
import json
import os
import time

import numpy as np

from . import atienza, config, data, lsgan, metrics, wgan

# name → (family module, train() keyword arguments)
RUNS = {
    "DCGAN loss": (lsgan, dict(loss="dcgan")),
    "LSGAN": (lsgan, dict(loss="lsgan")),
    "WGAN": (wgan, dict(variant="wgan")),
    "WGAN-GP": (wgan, dict(variant="wgan-gp")),
}
# The four losses on the book's networks in every mode (chapter 5 §9, its tables in
# benchmarks/results/), whatever widths the chapters' own class runs use.
SCHEDULES = {
    "smoke": dict(steps=6, log_every=3, sample_every=1, batch_size=16, **atienza.WIDTHS),
    "class": dict(steps=500, log_every=25, sample_every=4, **atienza.WIDTHS),
    "full": dict(steps=40000, log_every=500, sample_every=1, **atienza.WIDTHS),
}
RESULTS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "benchmarks", "results")


class Stopwatch:
    """Wraps a measurement and adds up its time, so training time can exclude it."""

    def __init__(self, fn):
        self.fn, self.seconds = fn, 0.0

    def __call__(self, *args):
        t0 = time.perf_counter()
        try:
            return self.fn(*args)
        finally:
            self.seconds += time.perf_counter() - t0


def results_path(mode="class", results_dir=None, seed=0):
    """Where a comparison is saved: ``loss_comparison_MODE.json`` for seed 0, the run the
    notebooks plot; ``loss_comparison_MODE_sN.json`` for the other seeds of a seed table, so
    that measuring them never overwrites the notebooks' run."""
    suffix = f"_s{seed}" if seed else ""
    return os.path.join(results_dir or RESULTS_DIR, f"loss_comparison_{mode}{suffix}.json")


def numeric_metrics(row):
    """The numeric measures of one `benchmarks/quality.py` row."""
    return {k: float(v) for k, v in row.get("metrics", {}).items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)}


def seed_summary(rows):
    """{chapter row: {measure: (median, min, max, n seeds)}} over quality rows of several seeds."""
    by = {}
    for r in rows:
        for k, v in numeric_metrics(r).items():
            by.setdefault(r["chapter"].strip(), {}).setdefault(k, []).append(v)
        if "seconds" in r:
            by.setdefault(r["chapter"].strip(), {}).setdefault("train s", []).append(r["seconds"])
    return {c: {k: (float(np.median(v)), float(np.min(v)), float(np.max(v)), len(v))
                for k, v in ms.items()} for c, ms in by.items()}


def load_seeds(name, mode="class", results_dir=None):
    """`seed_summary` of ``benchmarks/results/quality_<mode>_seeds_<name>.json``, the rows
    ``benchmarks/quality.py --seeds ... --json`` wrote; a clear error when it is missing."""
    return seed_summary(load_seed_rows(name, mode, results_dir))


# Which way is better, per measure: "lower", "higher", or "nearer 1" (edge sharpness: the
# real images' own edge contrast is 1, below is blurred, above is extra texture or noise).
BETTER = {"FD": "lower", "l1": "lower", "psnr": "higher", "ssim": "higher",
          "edge sharpness": "nearer 1", "edges": "nearer 1", "class accuracy": "higher",
          "worst class": "higher", "within-class variety": "higher", "purity": "higher",
          "classifier score": "higher", "precision": "higher", "recall": "higher",
          "density": "nearer 1", "coverage": "higher",
          # the names benchmarks/quality.py gives them in its seed tables
          "class acc": "higher", "worst class acc": "higher", "variety min": "higher",
          "variety median": "higher", "code purity": "higher", "best |r|": "higher",
          "lowest class accuracy": "higher", "lowest variety": "higher"}


def against(measure, a, b):
    """One run's value `a` of `measure` set against another's `b`, as a line: lower, higher or
    equal, and (better) or (worse) where `BETTER` knows the measure's direction."""
    text = f"{measure} {a:.3g} against {b:.3g}: " + ("lower" if a < b else "higher" if a > b
                                                     else "equal")
    if measure in BETTER and a != b:
        text += " (better)" if better_of(measure, a, b) > 0 else " (worse)"
    return text


def better_of(measure, a, b, way=None):
    """+1 when value `a` is better than `b` on `measure`, -1 when worse, 0 on a tie."""
    way = way or BETTER.get(measure)
    if way not in ("lower", "higher", "nearer 1"):
        raise KeyError(f"no direction known for {measure!r}: pass way='lower', 'higher' or "
                       "'nearer 1'")
    if way == "nearer 1":
        a, b, way = abs(a - 1.0), abs(b - 1.0), "lower"
    if a == b:
        return 0
    return 1 if (a < b) == (way == "lower") else -1


def load_seed_rows(name, mode="class", results_dir=None):
    """The raw rows (one per run and seed) of ``quality_<mode>_seeds_<name>.json``."""
    path = os.path.join(results_dir or RESULTS_DIR, f"quality_{mode}_seeds_{name}.json")
    if not os.path.exists(path):
        raise FileNotFoundError(f"no multi-seed measurement at {path}: run `python "
                                f"benchmarks/quality.py --mode {mode} --seeds 1,2,3 --json "
                                f"{os.path.relpath(path)}` from the repository root")
    with open(path) as f:
        return json.load(f)


def duel(rows, a, b, measures):
    """Run `a` against run `b` over the seeds both have, from `load_seed_rows` rows: per
    measure, the medians [min-max], which is better on the medians, and on how many seeds
    `a` beats `b`.  Returns {measure: dict(a=(med, lo, hi), b=..., median=+1/0/-1,
    a_wins=k, seeds=n)}."""
    by = {}
    for r in rows:
        if "seed" in r:
            by.setdefault(r["chapter"].strip(), {})[r["seed"]] = numeric_metrics(r)
    for name in (a, b):
        if name not in by:
            raise KeyError(f"no rows {name!r} in this seed table; it has {sorted(by)}")
    seeds = sorted(set(by[a]) & set(by[b]))
    out = {}
    for m in measures:
        va = np.array([by[a][s][m] for s in seeds], float)
        vb = np.array([by[b][s][m] for s in seeds], float)
        out[m] = dict(a=(float(np.median(va)), float(va.min()), float(va.max())),
                      b=(float(np.median(vb)), float(vb.min()), float(vb.max())),
                      median=better_of(m, float(np.median(va)), float(np.median(vb))),
                      a_wins=sum(better_of(m, x, y) > 0 for x, y in zip(va, vb)),
                      seeds=len(seeds))
    return out


def duel_lines(result, a, b, digits=4):
    """`duel`'s result as one sentence per measure, saying which run is better."""
    lines = []
    for m, r in result.items():
        fa, fb = (f"{v[0]:.{digits}g} [{v[1]:.{digits}g}-{v[2]:.{digits}g}]"
                  for v in (r["a"], r["b"]))
        way = BETTER.get(m, "")
        verdict = {1: f"{a} better", -1: f"{b} better", 0: "a tie"}[r["median"]]
        lines.append(f"{m} ({way} is better): {a} {fa}, {b} {fb} -> on the medians {verdict}; "
                     f"{a} better on {r['a_wins']} of {r['seeds']} seeds")
    return "\n".join(lines)


def seed_lines(seeds, names=None, measures=("FD", "classifier score"), ranked_by=None):
    """One line per run of a `load_seeds` summary: each measure's median [min-max] over the
    seeds.  `names` picks and orders the rows (default: all but reference rows such as
    ``untrained G``); `ranked_by` a measure to sort them by, lowest median first."""
    names = list(names or [c for c in seeds if not c.endswith(("untrained G", "real train vs test"))])
    missing = [n for n in names if n not in seeds]
    if missing:
        raise KeyError(f"no rows {missing} in this seed table; it has {sorted(seeds)}")
    if ranked_by:
        names.sort(key=lambda n: seeds[n][ranked_by][0])
    width = max(len(n) for n in names)
    lines = []
    for name in names:
        parts = []
        for m in measures:
            if m in seeds[name]:
                med, lo, hi, _ = seeds[name][m]
                digits = 1 if med >= 20 else 2
                parts.append(f"{m} {med:.{digits}f} [{lo:.{digits}f}-{hi:.{digits}f}]")
        n = max(v[3] for v in seeds[name].values())
        lines.append(f"{name:<{width}}  " + "   ".join(parts) + f"   ({n} seeds)")
    return "\n".join(lines)


def run(mode="class", seed=0, n=2000, history_points=10, names=None, verbose=0):
    """Train every run of `RUNS` (or `names`) and return the comparison as a dict.

    FD (the generator's `n` samples against `n` held-out MNIST digits, reference MNIST
    classifier) is recorded at the start and `history_points` times during training.
    """
    schedule = dict(SCHEDULES[mode])
    ((x_train, _), (x_test, _)), source = data.load_mnist(verbose=False)
    rng = np.random.default_rng(seed)
    real = x_test[rng.permutation(len(x_test))[:n]]
    real_stats = metrics.feature_stats(real, "mnist")
    z = rng.uniform(-1, 1, (n, lsgan.LATENT_DIM)).astype("float32")

    def fd(gan):
        fake = gan.generate(inputs=z)
        return metrics.frechet_distance_from_stats(
            *metrics.feature_stats(fake, "mnist", scale="sigmoid"), *real_stats)

    intervals = max(1, schedule["steps"] // schedule["log_every"])
    out = dict(mode=mode, seed=seed, n=n, schedule=schedule, data=str(source), runs=[])
    out["real_fd"] = metrics.frechet_distance(x_train[rng.permutation(len(x_train))[:n]], real,
                                              "mnist")
    for name in names or RUNS:
        module, kwargs = RUNS[name]
        config.set_seed(seed)
        timer = Stopwatch(fd)
        hist = metrics.MetricHistory(timer, every=max(1, intervals // history_points),
                                     at_start=True, name="FD")
        t0 = time.perf_counter()
        gan, history = module.train(schedule, seed=seed, images=x_train, callbacks=[hist],
                                    verbose=verbose, **kwargs)
        wall = time.perf_counter() - t0 - timer.seconds  # training time only
        final = fd(gan)
        steps = int(gan.g_optimizer.iterations.numpy())
        if hist.steps[-1] != steps:  # the curve ends at the final generator
            hist.steps.append(steps)
            hist.values.append(final)
        score = metrics.classifier_score(gan.generate(inputs=z), "mnist", scale="sigmoid")
        out["runs"].append(dict(name=name, steps=steps,
                                d_steps=gan.d_steps, seconds=wall, fd=final,
                                classifier_score=score, fd_steps=hist.steps, fd_values=hist.values,
                                d_loss=[float(v) for v in history.history["d_loss"]]))
    return out


def save(result, path=None):
    path = path or results_path(result["mode"], seed=result.get("seed", 0))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
    return path


def load(mode="class", path=None):
    """The saved comparison; a clear error says how to make it when it is missing."""
    path = path or results_path(mode)
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"no loss comparison at {path}: run `python benchmarks/quality.py --chapters losses "
            f"--mode {mode}` from the repository root to measure it")
    with open(path) as f:
        result = json.load(f)
    if not result.get("runs"):
        raise ValueError(f"{path} holds no runs")
    return result


def table(result):
    """The comparison as text: one row per loss."""
    lines = [f"{'loss':<11} {'G steps':>7} {'D steps/G':>9} {'train s':>8} {'FD':>8} "
             f"{'score':>6}",
             f"{'real digits':<11} {'':>7} {'':>9} {'':>8} {result['real_fd']:>8.2f} {'':>6}"]
    for r in result["runs"]:
        lines.append(f"{r['name']:<11} {r['steps']:>7} {r['d_steps']:>9} {r['seconds']:>8.0f} "
                     f"{r['fd']:>8.2f} {r['classifier_score']:>6.2f}")
    return "\n".join(lines)


def plot(result, ax=None):
    """FD against generator steps, one line per loss, the real-data floor dashed."""
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for r in result["runs"]:
        ax.plot(r["fd_steps"], r["fd_values"], marker="o", label=f"{r['name']} ({r['seconds']:.0f} s)")
    ax.axhline(result["real_fd"], color="grey", ls="--", label="real vs real")
    ax.set_yscale("log")
    ax.set_xlabel("generator steps")
    ax.set_ylabel("Fréchet distance (log scale)")
    ax.set_title(f"Same networks, same budget ({result['mode']} mode, seed {result['seed']})")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return ax


def side_by_side(columns):
    """Several runs' measures as text, one row per measure and one column per run, e.g.
    ``{"this run": {"FD": 29.8, ...}, "reference run": {"FD": 21.0, ...}}``.  A float prints
    with 3 decimals, anything else as it is; a measure a run lacks is left blank."""
    names = list(columns)
    measures = list(dict.fromkeys(m for col in columns.values() for m in col))
    if not names or not measures:
        raise ValueError("side_by_side: give at least one run with at least one measure")
    first = max(len(m) for m in measures) + 2
    width = max(12, *(len(n) + 2 for n in names))
    cell = lambda v: f"{v:>{width}.3f}" if isinstance(v, float) else f"{str(v):>{width}}"  # noqa: E731
    lines = [" " * first + "".join(f"{n:>{width}}" for n in names)]
    lines += [f"{m:<{first}}" + "".join(cell(columns[n].get(m, "")) for n in names)
              for m in measures]
    return "\n".join(lines)


def with_references(models, references, real_train, real_test, grid_noise, dataset="mnist",
                    scale="sigmoid", n=1000):
    """"What more training gives" for the unconditional chapters (5, 6): `models` is
    ``{label: this notebook's model}``, `references` ``{label: shipped reference run name}``.
    Each reference run is loaded into a fresh model (`chapters.load_reference`; nothing is
    trained) and says how it was made; all are scored on one scale (`metrics.score_generators`:
    the same `n` noise vectors and test images), labelled with their generator steps; then
    `grid_noise` is drawn through each reference generator, side by side.
    Returns ``(scores, figure)``."""
    import matplotlib.pyplot as plt
    from . import chapters, viz
    loaded = {label: chapters.load_reference(name) for label, name in references.items()}
    for label, name in references.items():
        print(f"reference run {name}: {loaded[label][1]['made']}")
    scoring = {f"{label} ({model.generator_steps})": model for label, model in models.items()}
    scoring.update({f"{label} ({about['steps']})": model
                    for label, (model, about) in loaded.items()})
    scores = metrics.score_generators(scoring, real_train, real_test, dataset, scale=scale, n=n)
    fig, axes = plt.subplots(1, len(loaded), figsize=(6 * len(loaded), 6), squeeze=False)
    for ax, (label, (model, about)) in zip(axes[0], loaded.items()):
        viz.show_grid(model.generate(inputs=grid_noise), ncols=10, scale=scale, ax=ax,
                      title=f"{label}, reference run, {about['steps']} steps")
    return scores, fig
