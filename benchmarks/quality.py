"""Measured quality of every chapter: train it as its notebook does, then score the images.

    python benchmarks/quality.py [--mode class] [--chapters dcgan,acgan,...] [--seeds 1,2,3]
                                 [--json rows.json]
    python benchmarks/quality.py --table a.json b.json ...   # median and spread over seeds

Several seeds (``--seeds``) train every chapter once per seed and end with a second table:
each measure's median over the seeds and its spread (min to max).  ``--table`` prints that
table again from the JSON files of one or more earlier invocations (chapters trained in
separate runs, or in the background one at a time).

Each chapter's family module (``ganlib.<chapter>``) is trained through its
``train(schedule, seed=...)`` with the run mode's schedule (``SCHEDULES[mode]``);
chapters whose module does not exist yet are skipped.  Then one table:

    chapter | dataset | steps | train s | steps/s | metrics

Metrics are computed with the reference classifiers of `ganlib.metrics` on
``--n`` (2,000) generated images against as many held-out real ones:

* dcgan        Fréchet distance (FD), also during training, with two reference rows:
               the untrained generator (step 0) and real train vs real test images;
* acgan        class accuracy of the requested labels + FD (Fashion-MNIST);
* infogan      code purity of the categorical code + FD (MNIST);
* losses       chapters 5 and 6: DCGAN loss, LSGAN, WGAN and WGAN-GP on the same networks
               for the same number of generator steps (`ganlib.compare`): FD against
               steps + classifier score; saved to benchmarks/results/loss_comparison_<mode>.json
               and .png, which the WGAN and LSGAN notebooks plot;
* pix2pix      L1 / PSNR / SSIM on the held-out (val) sat2map pairs against the
               copy-input and mean-colour baselines;
* wgan-gp,     chapter 5's two runs (WGAN-GP with its own `GP_SCHEDULES`, the clipped WGAN)
  wgan         as the notebook trains them: FD, classifier score, and how well the critic's
               Wasserstein estimate tracks FD over training (Pearson r, Spearman rho);
* lsgan,       chapter 6's two runs as the notebook trains them (LSGAN, and the same networks
  dcgan-loss   with the DCGAN loss): FD and classifier score.

DCGAN is trained on the 60,000 Fashion-MNIST training images only (the notebook pools
train and test, as the tutorial does), so its test images really are held out.
ACGAN gets the requested classes through ``gan.generator_inputs(n, labels)``; InfoGAN's
codes come from ``gan.generate_codes(n, seed)``.  Add a chapter with `@chapter(...)`.
"""
import argparse
import ast
import importlib
import inspect
import json
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ganlib  # noqa: E402,F401  (quiet TensorFlow import)
import numpy as np  # noqa: E402

from ganlib import chapters as CLI_CHAPTERS  # noqa: E402
from ganlib import config, data, metrics  # noqa: E402
from ganlib.compare import Stopwatch, seed_summary  # noqa: E402

CHAPTERS = {}


def chapter(name, dataset, history=None, pass_train_images=False, scale="tanh", module=None,
            schedules="SCHEDULES", train_kwargs=None, recipe=None, cli=None):
    """Register `fn(gan, module, ctx) -> {metric: value}` as the measure of chapter `name`.

    `history(ctx) -> fn(gan)`, if given, is recorded during training (MetricHistory).
    The family module is ``ganlib.<module or name>``, trained through its
    ``train(schedule, **train_kwargs)`` with the mode's schedule from ``module.<schedules>``
    (one module can hold several runs: WGAN's clipped critic and its gradient penalty),
    changed by `recipe` (the schedule entries of a CLI chapter's ``recipe``, e.g. plain
    InfoGAN's).  `cli` names the ``python -m ganlib`` chapter that trains the same run: with
    ``--keep ROOT`` the run is trained through it into ``ROOT/<cli>_seed<seed>``, a run folder
    the CLI can sample, evaluate and export (no FD history is then recorded during training).
    """
    def register(fn):
        CHAPTERS[name] = dict(measure=fn, dataset=dataset, history=history,
                              pass_train_images=pass_train_images, scale=scale,
                              module=module or name, schedules=schedules,
                              train_kwargs=dict(train_kwargs or {}), recipe=dict(recipe or {}),
                              cli=cli)
        return fn
    return register


# --------------------------------------------------------------------------- helpers
class Context:
    """Held-out real images of one dataset, loaded once, and the evaluation size."""

    def __init__(self, dataset, n, seed):
        loader = data.load_mnist if dataset == "mnist" else data.load_fashion_mnist
        ((self.x_train, self.y_train), (self.x_test, self.y_test)), self.source = \
            loader(verbose=False)
        self.dataset, self.n, self.seed = dataset, n, seed
        rng = np.random.default_rng(seed)
        pick = rng.permutation(len(self.x_test))[:n]
        self.real, self.y_real = self.x_test[pick], self.y_test[pick]
        self.real_train = self.x_train[rng.permutation(len(self.x_train))[:n]]
        self._real_stats = None

    @property
    def real_stats(self):
        if self._real_stats is None:
            self._real_stats = metrics.feature_stats(self.real, self.dataset)
        return self._real_stats

    def fd(self, images, scale="tanh"):
        return metrics.frechet_distance_from_stats(
            *metrics.feature_stats(images, self.dataset, scale), *self.real_stats)


_default_scale = {}


def scale_of(module):
    """The generator's output range: the module's OUTPUT_SCALE, else the chapter's default."""
    name = module.__name__.rsplit(".", 1)[-1]
    return getattr(module, "OUTPUT_SCALE", _default_scale.get(name, "tanh"))


def generate(gan, n, labels=None):
    """n images from the generator; conditional families get `labels` via generator_inputs."""
    if labels is None:
        return gan.generate(n)
    inputs = gan.generator_inputs(n, np.asarray(labels, np.int32))
    return gan.generate(inputs=inputs)


def balanced_labels(n, k=10):
    return np.arange(n) % k


def fd_of_generator(ctx, module):
    return lambda gan: ctx.fd(generate(gan, ctx.n), scale_of(module))


def conditional_fd(ctx, module):
    return lambda gan: ctx.fd(generate(gan, ctx.n, balanced_labels(ctx.n)), scale_of(module))


# --------------------------------------------------------------------------- chapters
@chapter("dcgan", "fashion_mnist", history=fd_of_generator, pass_train_images=True)
def measure_dcgan(gan, module, ctx):
    return {"FD": ctx.fd(generate(gan, ctx.n), scale_of(module))}


@chapter("acgan", "fashion_mnist", history=conditional_fd, cli="02_acgan")
def measure_acgan(gan, module, ctx):
    labels = balanced_labels(ctx.n)
    images = generate(gan, ctx.n, labels)
    acc = metrics.class_accuracy(images, labels, ctx.dataset, scale_of(module))
    variety = metrics.diversity_ratio(images, labels, ctx.real, ctx.y_real, ctx.dataset,
                                      scale_fake=scale_of(module), scale_real="tanh")
    return {"class acc": acc["overall"], "worst class acc": float(np.nanmin(acc["per_class"])),
            "variety min": variety["min"], "variety median": variety["median"],
            "FD": ctx.fd(images, scale_of(module))}


@chapter("infogan", "mnist", history=fd_of_generator, cli="03_infogan")
def measure_infogan(gan, module, ctx):
    images, codes, cont = gan.generate_codes(ctx.n, seed=ctx.seed)
    purity, mapping = metrics.code_purity(codes, images, ctx.dataset, scale_of(module))
    out = {"code purity": purity, "FD": ctx.fd(images, scale_of(module))}
    if cont is not None:   # |r| of c2, c3 with slant and stroke mass, within each digit code
        r = metrics.code_factor_correlations(cont, images, scale_of(module), within=codes)
        out.update({f"c{k + 2} r {name}": v for (k, name), v in r.items()})
        out["best |r|"] = max(abs(v) for v in r.values())
    out["code->class"] = " ".join(f"{c}:{k}" for c, k in sorted(mapping.items()))
    return out


def _to_scale(x, scale):
    x = np.asarray(x)
    if x.dtype == np.uint8:
        x = x.astype(np.float32) / 255.0
        return x * 2.0 - 1.0 if scale == "tanh" else x
    return x.astype(np.float32)


def held_out_pairs(module, n, schedule=None, seed=0, direction=None):
    """(sources, targets) the pix2pix model never trained on, from the module's own loaders
    (`direction`: the module's first where None)."""
    if hasattr(module, "held_out_pairs"):
        return module.held_out_pairs(n)
    if hasattr(module, "load_data") and hasattr(module, "split_direction"):
        maps = module.load_data(schedule, seed=seed, verbose=False)  # MapsData(train, val, ...)
        src, tgt = module.split_direction(maps.val, direction or module.DIRECTIONS[0])
        return src[:n], tgt[:n]
    for name in ("load_pairs", "load_data"):
        if hasattr(module, name):
            loaded = getattr(module, name)()
            if isinstance(loaded, tuple) and len(loaded) == 2 and isinstance(loaded[1], tuple):
                src, tgt = loaded[1][:2]  # ((train sources, targets), (test sources, targets))
                return src[:n], tgt[:n]
    raise LookupError("ganlib.pix2pix exposes no held-out pairs (expected held_out_pairs(n) "
                      "or load_pairs() -> ((src, tgt), (src_test, tgt_test)))")


@chapter("pix2pix", "maps")
def measure_pix2pix(gan, module, ctx):
    scale = scale_of(module)
    src, tgt = held_out_pairs(module, ctx.n, ctx.schedule, ctx.seed,
                              ctx.train_kwargs.get("direction"))
    src, tgt = _to_scale(src, scale), _to_scale(tgt, scale)
    if hasattr(gan, "translate"):
        pred = np.asarray(gan.translate(src), np.float32)
    else:
        pred = np.asarray(gan.generator.predict(src, batch_size=16, verbose=0), np.float32)
    pred = np.clip(pred, -1 if scale == "tanh" else 0, 1)
    out = dict(metrics.image_metrics(pred, tgt, scale))
    out["edge sharpness"] = metrics.edge_sharpness(pred, tgt, scale)
    for base, vals in metrics.baselines(src, tgt, scale).items():
        out.update({f"{k} ({base})": v for k, v in vals.items()})
    return out


# the same U-Net on L1 alone (chapter 4's baseline), and map -> satellite, where the target is
# uncertain (#35): pix2pix against its U-Net on L1 alone
chapter("pix2pix-l1only", "maps", module="pix2pix",
        recipe=CLI_CHAPTERS.get("04_pix2pix_l1only").recipe)(measure_pix2pix)
chapter("pix2pix-map2sat", "maps", train_kwargs=dict(direction="map2sat"), module="pix2pix")(
    measure_pix2pix)
chapter("pix2pix-map2sat-l1only", "maps", train_kwargs=dict(direction="map2sat"),
        module="pix2pix", recipe=CLI_CHAPTERS.get("04_pix2pix_map2sat_l1only").recipe)(
    measure_pix2pix)


# chapter 2's comparison (#35): what the auxiliary classifier adds.  The conditional GAN
# (label into D) and the ACGAN recipe without the class term in G's loss, both on the chapter's
# networks and schedule; measured as ACGAN is.
chapter("cgan", "fashion_mnist", history=conditional_fd, cli="02_cgan")(measure_acgan)
chapter("acgan-noaux", "fashion_mnist", history=conditional_fd, module="acgan",
        cli="02_acgan_noaux",
        recipe=CLI_CHAPTERS.get("02_acgan_noaux").recipe)(measure_acgan)
# chapter 3's: plain InfoGAN (the paper's losses and lambda) on the chapter's networks
chapter("infogan-plain", "mnist", history=fd_of_generator, module="infogan",
        cli="03_infogan_plain",
        recipe=CLI_CHAPTERS.get("03_infogan_plain").recipe)(measure_infogan)


# chapter 4's real paired task: edges -> garments, pix2pix against the same U-Net on L1 alone
@chapter("edges", "fashion_mnist")
def measure_edges(gan, module, ctx):
    data = module.load_data(ctx.schedule, seed=ctx.seed)
    return module.evaluate(gan, data.val[0][:ctx.n], data.val[1][:ctx.n])


chapter("edges-l1only", "fashion_mnist", module="edges",
        recipe=CLI_CHAPTERS.get("04_pix2pix_edges_l1only").recipe)(measure_edges)


def atienza_scores(gan, module, ctx):
    """FD and classifier score of Atienza's MNIST generators (chapters 5 and 6)."""
    images = generate(gan, ctx.n)
    return {"FD": ctx.fd(images, "sigmoid"),
            "classifier score": metrics.classifier_score(images, ctx.dataset, scale="sigmoid")}


def critic_tracks_fd(gan, module, ctx):
    """Chapter 5's claim in numbers: the critic's estimate (w_dist) against FD over training."""
    out = atienza_scores(gan, module, ctx)
    track = metrics.correlation_over_training(ctx.fit_history, "w_dist", ctx.record,
                                              ctx.schedule["log_every"])
    out.update({"r(w_dist, FD)": track["r"], "rho(w_dist, FD)": track["rho"],
                "FD points": track["n"]})
    return out


chapter("wgan-gp", "mnist", history=fd_of_generator, pass_train_images=True, scale="sigmoid",
        module="wgan", schedules="GP_SCHEDULES", train_kwargs=dict(variant="wgan-gp"))(
    critic_tracks_fd)
chapter("wgan", "mnist", history=fd_of_generator, pass_train_images=True, scale="sigmoid",
        train_kwargs=dict(variant="wgan"))(critic_tracks_fd)
chapter("lsgan", "mnist", history=fd_of_generator, pass_train_images=True, scale="sigmoid")(
    atienza_scores)
# chapter 6's comparison run: the same networks and schedule with the DCGAN loss
chapter("dcgan-loss", "mnist", history=fd_of_generator, pass_train_images=True, scale="sigmoid",
        module="lsgan", train_kwargs=dict(loss="dcgan"))(atienza_scores)


# --------------------------------------------------------------------------- running
def import_family(name):
    try:
        return importlib.import_module(f"ganlib.{name}")
    except ModuleNotFoundError as e:
        if e.name == f"ganlib.{name}":
            return None
        raise


def split_overrides(module, spec, name, mode, schedule, overrides):
    """`--set` entries as (schedule entries, model keyword arguments).

    A key of the run mode's schedule overrides it; any other key must be an argument of the
    family's model builder (``make_<family>``) that its ``train()`` passes on (``**model_kw``),
    e.g. InfoGAN's ``latent_dim``; anything else stops the run before it trains.
    """
    model_set = {k: v for k, v in overrides.items() if k not in schedule}
    if model_set:
        make = getattr(module, f"make_{spec['module']}", None)
        make_params = inspect.signature(make).parameters if make else {}
        passes_on = any(p.kind is p.VAR_KEYWORD
                        for p in inspect.signature(module.train).parameters.values())
        unknown = sorted(k for k in model_set if not (passes_on and k in make_params))
        if unknown:
            raise SystemExit(f"--set {unknown}: not in {name}'s {mode} schedule {sorted(schedule)}"
                             + (f" nor an argument of make_{spec['module']}" if make else ""))
    return {k: v for k, v in overrides.items() if k in schedule}, model_set


def run_chapter(name, mode, seed, n, history_points, verbose=0, overrides=None, keep=None):
    spec = CHAPTERS[name]
    if keep and not spec["cli"]:
        raise SystemExit(f"--keep: {name} has no `python -m ganlib` chapter to train it through")
    module = import_family(spec["module"])
    if module is None:
        print(f"[{name}] skipped: ganlib/{spec['module']}.py does not exist yet")
        return None
    dataset = getattr(module, "DATASET", spec["dataset"])
    ctx = Context(dataset, n, seed) if dataset in metrics.DATASETS else \
        type("Ctx", (), dict(n=n, dataset=dataset, seed=seed))()
    schedule = dict(getattr(module, spec["schedules"])[mode], **spec["recipe"])
    schedule_set, model_set = split_overrides(module, spec, name, mode, schedule, overrides or {})
    schedule.update(schedule_set)
    ctx.schedule = schedule
    ctx.train_kwargs = spec["train_kwargs"]
    _default_scale[spec["module"]] = spec["scale"]
    intervals = max(1, schedule["steps"] // schedule["log_every"])
    params = inspect.signature(module.train).parameters
    kwargs = dict(seed=seed, **spec["train_kwargs"], **model_set)
    hist = timer = None
    if spec["history"] and "callbacks" in params and not keep:
        timer = Stopwatch(spec["history"](ctx, module))
        hist = metrics.MetricHistory(timer, every=max(1, intervals // history_points),
                                     at_start=True, name="FD")
        kwargs["callbacks"] = [hist]
    if spec["pass_train_images"] and "images" in params:
        kwargs["images"] = ctx.x_train
    if "verbose" in params:
        kwargs["verbose"] = verbose
    print(f"[{name}] training {schedule['steps']} steps ({mode} mode) on {dataset} ...", flush=True)
    t0 = time.perf_counter()
    if keep:
        import keras
        precision = keras.mixed_precision.global_policy().name
        run_dir = os.path.join(keep, f"{spec['cli']}_seed{seed}")
        print(f"[{name}] run folder {run_dir} (python -m ganlib train {spec['cli']})", flush=True)
        gan, ctx.fit_history = CLI_CHAPTERS.train(spec["cli"], mode, run_dir, seed, verbose=verbose,
                                                  precision=precision, overrides=schedule_set)
    else:
        gan, ctx.fit_history = module.train(schedule, **kwargs)
    ctx.record = hist
    wall = time.perf_counter() - t0 - (timer.seconds if timer else 0.0)
    opt = getattr(gan, "g_optimizer", None)
    steps = int(opt.iterations.numpy()) if opt is not None else schedule["steps"]
    try:
        values = spec["measure"](gan, module, ctx)
    except Exception as e:  # a family API this script does not know yet: report, go on
        traceback.print_exc()
        values = {"error": f"{type(e).__name__}: {e}"}
    row = dict(chapter=name + "".join(f" {k}={v}" for k, v in (overrides or {}).items()),
               dataset=dataset, steps=steps, seconds=wall,
               steps_per_s=steps / wall if wall > 0 else float("nan"), metrics=values)
    refs = []
    if hist is not None and hist.steps:
        row["history"] = list(zip(hist.steps, hist.values))
        if hist.steps[0] == 0:
            if isinstance(values.get("FD"), float) and hist.values[0] > 0:
                values["FD / untrained FD"] = values["FD"] / hist.values[0]
            refs.append(dict(chapter=f"  {name}: untrained G", dataset=dataset,
                             metrics={"FD": hist.values[0]}))
    if name == "dcgan" or spec["history"] is not None and dataset in metrics.DATASETS:
        refs.append(dict(chapter=f"  {name}: real train vs test", dataset=dataset,
                         metrics={"FD": metrics.frechet_distance(ctx.real_train, ctx.real, dataset)}))
    return row, refs


def fmt(v):
    if isinstance(v, str):
        return v
    if isinstance(v, float):
        return "inf" if np.isinf(v) else f"{v:.4g}"
    return str(v)


def print_table(rows, n, mode):
    head = f"{'chapter':<28} {'dataset':<14} {'steps':>7} {'train s':>8} {'steps/s':>8}  metrics"
    print(f"\nQuality, {mode} mode ({n} generated vs {n} held-out real images per measure)")
    print(head)
    print("-" * len(head))
    for r in rows:
        m = ", ".join(f"{k} {fmt(v)}" for k, v in r["metrics"].items())
        steps = str(r.get("steps", "-"))
        secs = f"{r['seconds']:.1f}" if "seconds" in r else "-"
        sps = f"{r['steps_per_s']:.2f}" if "steps_per_s" in r else "-"
        name = r["chapter"] + (f" s{r['seed']}" if "seed" in r else "")
        print(f"{name:<28} {r['dataset']:<14} {steps:>7} {secs:>8} {sps:>8}  {m}")
    for r in rows:
        if r.get("history"):
            pts = ", ".join(f"{s}: {fmt(v)}" for s, v in r["history"])
            print(f"{r['chapter']} FD during training (generator step: FD): {pts}")


def run_losses(mode, seed, n, history_points, verbose=0):
    """Chapters 5-6: the four losses at equal budget; rows for the table, JSON + PNG saved."""
    from ganlib import compare
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    print(f"[losses] {', '.join(compare.RUNS)}: {compare.SCHEDULES[mode]['steps']} generator "
          f"steps each ({mode} mode) on mnist ...", flush=True)
    result = compare.run(mode, seed=seed, n=n, history_points=history_points, verbose=verbose)
    path = compare.save(result)
    fig, ax = plt.subplots(figsize=(7, 4))
    compare.plot(result, ax=ax)
    fig.tight_layout()
    fig.savefig(path[:-5] + ".png", dpi=100)
    print(f"[losses] saved {path} and {os.path.basename(path[:-5])}.png")
    rows = [dict(chapter=f"losses: {r['name']}", dataset="mnist", steps=r["steps"],
                 seconds=r["seconds"], steps_per_s=r["steps"] / r["seconds"],
                 metrics={"FD": r["fd"], "classifier score": r["classifier_score"]},
                 history=list(zip(r["fd_steps"], r["fd_values"]))) for r in result["runs"]]
    rows.append(dict(chapter="  losses: real train vs test", dataset="mnist",
                     metrics={"FD": result["real_fd"]}))
    return rows


def print_seed_table(rows, title=""):
    seeds = sorted({r["seed"] for r in rows if "seed" in r})
    print(f"\nMedian [min - max] over seeds {', '.join(map(str, seeds))}{title}")
    head = f"{'chapter':<28} {'measure':<24} {'median':>9} {'min':>9} {'max':>9} {'seeds':>5}"
    print(head)
    print("-" * len(head))
    for c, ms in seed_summary(rows).items():
        for k, (med, lo, hi, n) in ms.items():
            print(f"{c:<28} {k:<24} {fmt(med):>9} {fmt(lo):>9} {fmt(hi):>9} {n:>5}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mode", default=os.environ.get("GANLIB_MODE", "class"), choices=config.MODES)
    p.add_argument("--chapters", default=",".join(list(CHAPTERS) + ["losses"]),
                   help=f"comma-separated, from {', '.join(CHAPTERS)}, losses")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--seeds", help="comma-separated seeds: train every chapter once per seed "
                   "and print the median and spread (overrides --seed)")
    p.add_argument("--table", nargs="+", metavar="JSON",
                   help="print the median/spread table of earlier --json files and exit")
    p.add_argument("--n", type=int, default=2000, help="images per set for each measure")
    p.add_argument("--history-points", type=int, default=6,
                   help="how many times to measure FD during training")
    p.add_argument("--precision", default=None, help="float32, mixed_bfloat16 or auto")
    p.add_argument("--json", help="also write the rows to this JSON file")
    p.add_argument("--keep", metavar="ROOT", help="train each run through `python -m ganlib "
                   "train` into ROOT/<chapter>_seed<seed> (kept: sample, evaluate or export it)")
    p.add_argument("--threads", type=int, default=None,
                   help="CPU threads for TensorFlow (e.g. 1 to run two measurements side by "
                   "side on 2 cores; their 'train s' then is single-threaded time)")
    p.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                   help="with --table: file rows of chapter OLD under NEW (e.g. a --set "
                   "experiment whose settings became the recipe), keeping OLD as 'experiment'")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a schedule entry (a recipe experiment), e.g. --set lambda_ms=1, or set "
                        "an argument of the family's make_ function, e.g. --set latent_dim=16")
    args = p.parse_args(argv)
    if args.table:
        rows = []
        for path in args.table:
            with open(path) as f:
                rows.extend(json.load(f))
        renames = dict(item.rsplit("=", 1) for item in args.rename if "=" in item)
        bad = [item for item in args.rename if "=" not in item]
        if bad:
            p.error(f"--rename {bad}: write OLD=NEW")
        for r in rows:
            old = r["chapter"].strip()
            if old in renames:
                r["experiment"], r["chapter"] = old, renames[old]
        print_seed_table(rows, f" ({', '.join(map(os.path.basename, args.table))})")
        if args.json:
            write_json(args.json, rows)
        return rows
    try:
        seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else [args.seed]
    except ValueError:
        p.error(f"--seeds must be comma-separated integers, got {args.seeds!r}")
    overrides = {}
    for item in args.set:
        key, eq, value = item.partition("=")
        if not eq:
            p.error(f"--set {item!r}: write KEY=VALUE")
        try:
            overrides[key.strip()] = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            p.error(f"--set {item!r}: {value!r} is not a Python literal")
    names = [c.strip() for c in args.chapters.split(",") if c.strip()]
    unknown = [c for c in names if c not in CHAPTERS and c != "losses"]
    if unknown:
        p.error(f"unknown chapter(s) {unknown}; known: {sorted(CHAPTERS)}")
    if args.threads:
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    config.set_precision(args.precision)
    rows = []
    for seed in seeds:
        for name in names:
            config.set_seed(seed)
            if name == "losses":
                new = run_losses(args.mode, seed, args.n, args.history_points)
            else:
                result = run_chapter(name, args.mode, seed, args.n, args.history_points,
                                     overrides=overrides, keep=args.keep)
                new = [result[0]] + result[1] if result else []
            for r in new:
                r["seed"] = seed
            rows.extend(new)
            if args.json:   # after every chapter, so a long sweep keeps what it finished
                write_json(args.json, rows)
    print_table(rows, args.n, args.mode)
    if len(seeds) > 1:
        print_seed_table(rows)
    return rows


def write_json(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(rows, f, indent=1, default=lambda o: o.tolist() if hasattr(o, "tolist")
                  else float(o))
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
