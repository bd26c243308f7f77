"""The chapters as runnable units: what ``python -m ganlib`` trains, samples and evaluates.

Each chapter names a family module and the options its ``train()`` takes; training goes
through that same ``train()`` (the notebook's code path) into a run folder (`runs`), and
`load` rebuilds the chapter's model around the run folder's ``generator.keras``.
"""
import importlib
import json
import math
import numbers
import os
from dataclasses import dataclass, field

import numpy as np

from . import config, runs


class ChapterError(ValueError):
    """A chapter name, run folder or flag that cannot be used; the message says what to do."""


@dataclass(frozen=True)
class Chapter:
    name: str
    family: str
    title: str
    options: dict = field(default_factory=dict)
    dataset: str = None          # the reference classifier's dataset (None: pix2pix)
    schedules: str = "SCHEDULES"
    recipe: dict = field(default_factory=dict)   # schedule entries this chapter changes

    @property
    def module(self):
        return importlib.import_module(f"ganlib.{self.family}")

    def schedule(self, mode, overrides=None):
        """The mode's schedule (``pretrained``: the shipped reference runs' networks), with
        this chapter's recipe entries and `overrides` (``--set``; see `apply_set`)."""
        if mode not in config.RUN_MODES:
            raise ChapterError(f"mode {mode!r} is not a run mode; choose one of {config.RUN_MODES}")
        schedule = config.select(getattr(self.module, self.schedules), mode, verbose=False)
        schedule.update(self.recipe)
        return apply_set(self, schedule, overrides or {}, mode)


CHAPTERS = {c.name: c for c in (
    Chapter("01_dcgan", "dcgan", "DCGAN on Fashion-MNIST", dataset="fashion_mnist"),
    Chapter("02_acgan", "acgan", "ACGAN on Fashion-MNIST", {"dataset": "fashion_mnist"},
            "fashion_mnist"),
    Chapter("02_acgan_mnist", "acgan", "ACGAN on MNIST", {"dataset": "mnist"}, "mnist"),
    Chapter("02_cgan", "cgan", "conditional GAN (label into D by projection) with chapter 2's "
            "generator and schedule, on Fashion-MNIST", {"dataset": "fashion_mnist"},
            "fashion_mnist"),
    Chapter("02_acgan_noaux", "acgan", "chapter 2's ACGAN recipe without the auxiliary class "
            "term in G's loss, on Fashion-MNIST", {"dataset": "fashion_mnist"}, "fashion_mnist",
            recipe={"class_weight": 0.0}),
    Chapter("03_infogan", "infogan", "InfoGAN on MNIST", dataset="mnist"),
    Chapter("03_infogan_plain", "infogan", "plain InfoGAN: the tutorial's losses and lambdas "
            "(no code scaling, no mode-seeking or moved-copy term) on chapter 3's networks",
            dataset="mnist", recipe=dict(code_scale=1.0, cont_scale=1.0, lambda_cat=1.0,
                                         lambda_cont=0.5, lambda_ms=0.0, lambda_aug=0.0)),
    Chapter("04_pix2pix", "pix2pix", "pix2pix, satellite → map", {"direction": "sat2map"}),
    Chapter("04_pix2pix_map2sat", "pix2pix", "pix2pix, map → satellite", {"direction": "map2sat"}),
    Chapter("04_pix2pix_l1only", "pix2pix", "the pix2pix chapter's U-Net on L1 alone (no "
            "adversarial term), satellite → map", {"direction": "sat2map"},
            recipe={"adv_weight": 0.0}),
    Chapter("04_pix2pix_map2sat_l1only", "pix2pix", "the pix2pix chapter's U-Net on L1 alone, "
            "map → satellite", {"direction": "map2sat"}, recipe={"adv_weight": 0.0}),
    Chapter("04_pix2pix_edges", "edges", "pix2pix, edges → garments (Fashion-MNIST)",
            {"direction": "edges2garments"}, "fashion_mnist"),
    Chapter("04_pix2pix_edges_l1only", "edges", "the same U-Net on L1 alone, edges → garments",
            {"direction": "edges2garments"}, "fashion_mnist", recipe={"adv_weight": 0.0}),
    Chapter("05_wgan", "wgan", "WGAN (weight clipping) on MNIST", {"variant": "wgan"}, "mnist"),
    Chapter("05_wgan_gp", "wgan", "WGAN-GP on MNIST", {"variant": "wgan-gp"}, "mnist",
            "GP_SCHEDULES"),
    Chapter("06_lsgan", "lsgan", "LSGAN on MNIST", {"loss": "lsgan"}, "mnist"),
    Chapter("06_dcgan", "lsgan", "the LSGAN chapter's networks with the DCGAN loss, on MNIST",
            {"loss": "dcgan"}, "mnist"),
)}
ALIASES = {"dcgan": "01_dcgan", "acgan": "02_acgan", "infogan": "03_infogan",
           "pix2pix": "04_pix2pix", "wgan": "05_wgan", "wgan-gp": "05_wgan_gp",
           "lsgan": "06_lsgan"}
for _name in CHAPTERS:                  # "01" ... "06": the chapter's first (main) run
    ALIASES.setdefault(_name[:2], _name)


def get(name):
    """A chapter by name ("01_dcgan"), number ("01") or family ("dcgan")."""
    key = str(name).strip().lower()
    key = ALIASES.get(key, key)
    if key not in CHAPTERS:
        raise ChapterError(f"unknown chapter {name!r}; choose one of {', '.join(CHAPTERS)} "
                           f"(or {', '.join(sorted(ALIASES))})")
    return CHAPTERS[key]


def parse_set(items):
    """``["width=0.25", "steps=2000"]`` (the CLI's ``--set``) as ``{"width": 0.25, ...}``:
    numbers, booleans and ``None`` are read as such, anything else stays a string."""
    out = {}
    for item in items or ():
        key, eq, text = str(item).partition("=")
        if not eq or not key.strip():
            raise ChapterError(f"--set {item!r}: write KEY=VALUE, e.g. --set width=0.25")
        try:
            value = json.loads({"True": "true", "False": "false", "None": "null"}.get(
                text.strip(), text.strip()))
        except ValueError:
            value = text.strip()
        out[key.strip()] = value
    return out


def apply_set(chapter, schedule, overrides, mode="class"):
    """`schedule` with `overrides` applied; a key the schedule does not have, or a value of
    another kind than the chapter's schedules give it (`check_set_value`), is refused, and so
    is a schedule that would not train whole logging intervals (`config.intervals`)."""
    if not isinstance(overrides, dict):
        raise ChapterError(f"--set entries must be KEY=VALUE pairs (a dict), got {overrides!r}")
    unknown = sorted(k for k in overrides if k not in schedule)
    if unknown:
        raise ChapterError(f"--set {', '.join(unknown)}: not an entry of {chapter.name}'s {mode} "
                           f"schedule; choose among {', '.join(sorted(schedule))}")
    per_mode = getattr(chapter.module, chapter.schedules)
    for key, value in overrides.items():
        defaults = [s[key] for s in per_mode.values() if key in s] + \
            ([chapter.recipe[key]] if key in chapter.recipe else [])
        check_set_value(f"--set {key}={_text(value)}", value, defaults or [schedule[key]])
    schedule.update(overrides)
    if "steps" in schedule:
        try:
            config.intervals(schedule)
        except ValueError as e:
            raise ChapterError(f"--set {_set_text(overrides)}: {e}") from None
    return schedule


def _kind(value):
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, numbers.Integral):
        return "a whole number"
    if isinstance(value, numbers.Real):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "text" if isinstance(value, str) else type(value).__name__


def _text(value):
    return json.dumps(value) if isinstance(value, (list, tuple, bool)) or value is None \
        else str(value)


def check_set_value(what, value, defaults):
    """Refuse a ``--set`` value that is not of a kind the schedules give the entry
    (`defaults`: its values in every run mode): a whole number where they hold whole numbers
    (at least 1 where they are all counts: steps, log_every, sample_every, ...), a finite
    number where they hold numbers (not negative where none is), a list of positive whole
    numbers as long as theirs, true/false, or None where a schedule says None."""
    kinds = {_kind(d) for d in defaults}
    kind = _kind(value)
    if kind == "a whole number" and "a number" in kinds:
        kind = "a number"
    if kind in ("a whole number", "a number") and kinds <= {"None"}:
        kinds = kinds | {kind}                        # e.g. ms_cap: None (no cap) or a number
    if kind not in kinds:
        example = next((d for d in defaults if d is not None), defaults[0])
        raise ChapterError(f"{what}: must be {' or '.join(sorted(kinds))} (e.g. "
                           f"{_text(example)}), not {kind}")
    numbers_ = [d for d in defaults if _kind(d) in ("a whole number", "a number")]
    if kind in ("a whole number", "a number"):
        if not math.isfinite(value):
            raise ChapterError(f"{what}: must be a finite number")
        least = 1 if kind == "a whole number" and all(d >= 1 for d in numbers_) else 0
        if value < least and (not numbers_ or min(numbers_) >= 0):
            raise ChapterError(f"{what}: must be at least {least}")
    if kind == "a list":
        length = {len(d) for d in defaults if isinstance(d, (list, tuple))}
        ok = all(_kind(x) == "a whole number" and x >= 1 for x in value)
        if not ok or len(value) not in length:
            raise ChapterError(f"{what}: must be a list of {' or '.join(map(str, length))} "
                               "whole numbers of at least 1 (e.g. "
                               f"{_text(next(d for d in defaults if isinstance(d, (list, tuple))))})")


# ----------------------------------------------------------------------------- training
def claim_run_folder(chapter, run_dir, overrides=None):
    """Create or check `run_dir` for `chapter` (and its ``--set`` entries): a run folder of
    another chapter, or of the same chapter with other ``--set`` entries, is refused.  Takes
    the folder's lock (`runs.open_run_folder`): release it with `runs.release_run_folder`."""
    overrides = dict(overrides or {})
    info = runs.open_run_folder(run_dir)
    try:
        return _claim(chapter, run_dir, overrides, info)
    except BaseException:
        runs.release_run_folder(run_dir)
        raise


def _claim(chapter, run_dir, overrides, info):
    have = info.get("chapter")
    if have is None and info.get("identity"):
        raise ChapterError(f"{run_dir} holds a run that `python -m ganlib train` did not start "
                           "(a notebook's?): pass a new --run-dir")
    if have not in (None, chapter.name):
        raise ChapterError(f"{run_dir} is the run folder of chapter {have}, not {chapter.name}: "
                           f"train {have} there, or pass another --run-dir")
    if have is not None and info.get("set", {}) != overrides and info.get("identity") is None:
        have = None                 # claimed, never trained (its run stopped before step 1)
    if have is not None and info.get("set", {}) != overrides:
        raise ChapterError(f"{run_dir} was trained with --set {_set_text(info.get('set'))}, "
                           f"this run asks for --set {_set_text(overrides)}: repeat the run's "
                           "own --set to resume it, or pass another --run-dir")
    if have is None:
        info["chapter"] = chapter.name
        info.pop("set", None)
        if overrides:
            info["set"] = overrides
        runs._write_json(os.path.join(os.path.abspath(run_dir), runs.MARKER), info)
    return info


def _set_text(overrides):
    return " ".join(f"{k}={v}" for k, v in (overrides or {}).items()) or "(nothing)"


def train(chapter, mode, run_dir, seed=0, precision=None, strategy="none", verbose=1,
          steps=None, overrides=None):
    """Train `chapter` in run mode `mode` into `run_dir` through its family's ``train()``;
    an interrupted run resumes.  `steps` lengthens (or shortens) the mode's schedule, e.g. for
    a reference run of the class recipe; `overrides` changes other schedule entries (the CLI's
    ``--set``, e.g. ``{"width": 0.25}``), recorded in the run folder.  Returns (gan, history)."""
    from . import distribute
    chapter = get(chapter)
    if mode not in config.MODES:
        raise ChapterError(f"--mode {mode}: train one of {config.MODES}")
    overrides = dict(overrides or {})
    schedule = chapter.schedule(mode, overrides)
    if steps is not None:
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
            raise ChapterError(f"--steps {steps!r}: a whole number of generator steps")
        schedule["steps"] = int(steps)
        try:
            config.intervals(schedule)
        except ValueError as e:
            raise ChapterError(f"--steps {steps}: {e}") from None
    check_seed(seed, "--seed")
    if strategy not in distribute.STRATEGIES:
        raise ChapterError(f"--strategy {strategy!r}: choose one of "
                           f"{', '.join(distribute.STRATEGIES)}")
    try:
        config.resolve_precision(precision)
    except ValueError as e:
        raise ChapterError(f"--precision: {e}") from None
    os.environ["GANLIB_MODE"] = mode          # what the run folder records as its mode
    config.set_precision(precision, verbose=bool(verbose))
    if overrides:                             # the changed schedule must build its networks
        try:
            build(chapter, schedule, seed)
        except Exception as e:
            raise ChapterError(f"--set {_set_text(overrides)}: {chapter.name}'s model cannot be "
                               f"built with it ({type(e).__name__}: {e})") from None
    claim_run_folder(chapter, run_dir, overrides)   # nothing is written before this point
    try:
        return _train(chapter, schedule, run_dir, seed, strategy, verbose)
    finally:
        runs.release_run_folder(run_dir)


def check_seed(seed, what="seed"):
    """A seed NumPy and TensorFlow accept: a whole number from 0 to 2**32 - 1."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or \
            not 0 <= seed < 2**32:
        raise ChapterError(f"{what} {seed!r}: a seed is a whole number from 0 to 4294967295")
    return int(seed)


def _train(chapter, schedule, run_dir, seed, strategy, verbose):
    from . import distribute
    config.set_seed(seed)
    strat = distribute.strategy(strategy)
    if strategy != "none" and verbose is not None:
        print(f"strategy: {type(strat).__name__} with {strat.num_replicas_in_sync} replicas "
              f"({', '.join(d.split('/')[-1] for d in strat.extended.worker_devices)}); "
              "each global batch is split between them", flush=True)
    if strat.num_replicas_in_sync > 1 and schedule.get("steps_per_execution", 1) > 1:
        schedule["steps_per_execution"] = 1   # (see GAN.fit)
    with strat.scope():
        return chapter.module.train(schedule, seed=seed, run_dir=run_dir, verbose=verbose,
                                    **chapter.options)


# ----------------------------------------------------------------------------- a finished run
def run_info(run_dir):
    """(chapter, mode, seed, identity, --set entries) of a finished run folder, from its
    ganlib-run.json."""
    marker = os.path.join(str(run_dir), runs.MARKER)
    if not os.path.isfile(marker):
        raise ChapterError(f"{run_dir} is not a ganlib run folder (no {runs.MARKER}); pass the "
                           "--run-dir a `python -m ganlib train` wrote")
    fix = ("It was edited or damaged; ganlib cannot tell which run the folder holds: train "
           "the run again into a new --run-dir.")
    try:
        info = runs._read_json(marker, str(run_dir), fix)
    except runs.RunFolderError as e:
        raise ChapterError(str(e)) from None
    if not isinstance(info, dict):
        raise ChapterError(f"{marker} is not a run marker (it holds a {type(info).__name__}, "
                           f"not a JSON object). {fix}")
    if not info.get("chapter") or not info.get("identity"):
        raise ChapterError(f"{run_dir} was not trained by `python -m ganlib train` (or has not "
                           "finished an interval yet)")
    ident, sets = info["identity"], info.get("set") or {}
    seed = ident.get("settings", {}).get("seed") if isinstance(ident, dict) and \
        isinstance(ident.get("settings"), dict) else None
    if not (isinstance(info["chapter"], str) and isinstance(ident, dict)
            and ident.get("mode") in config.RUN_MODES and isinstance(sets, dict)
            and (seed is None or (isinstance(seed, int) and not isinstance(seed, bool)))):
        raise ChapterError(f"{marker} does not say which chapter, mode, seed and --set entries "
                           f"the run has. {fix}")
    if not os.path.isfile(os.path.join(str(run_dir), runs.GENERATOR)):
        raise ChapterError(f"{run_dir} has no {runs.GENERATOR} yet: the run saves it when "
                           "training ends (run `train` again to finish or resume it)")
    return get(info["chapter"]), ident["mode"], seed or 0, ident, sets


def with_generator(chapter, mode, seed, generator, what, schedule=None):
    """The chapter's model for run mode `mode` (or for `schedule`), its generator's weights
    taken from `generator` (a saved model); `what` names it in the error raised when it does
    not fit."""
    gan = build(chapter, schedule or chapter.schedule(mode), seed)
    try:
        runs.fit_generator(gan.generator, generator, what, f"chapter {chapter.name}'s {mode} "
                           "model")
    except runs.RunFolderError as e:
        raise ChapterError(str(e)) from None
    return gan


def load(run_dir):
    """(chapter, gan, mode): the chapter's model with the run folder's final generator."""
    return _load(run_dir)[:3]


def _load(run_dir):
    """`load`, and the schedule the run was trained with (its mode's, with its ``--set``)."""
    import keras
    chapter, mode, seed, _, overrides = run_info(run_dir)
    schedule = chapter.schedule(mode, overrides)
    keras.mixed_precision.set_global_policy("float32")
    path = os.path.join(str(run_dir), runs.GENERATOR)
    try:
        saved = runs.load_generator(path, "Train the run again (python -m ganlib train ... "
                                    f"--run-dir NEW_FOLDER); {run_dir}'s backup cannot "
                                    "remake it.")
    except runs.RunFolderError as e:
        raise ChapterError(str(e)) from None
    gan = with_generator(chapter, mode, seed, saved, path, schedule)
    return chapter, gan, mode, schedule


def load_reference(name):
    """(model, about) for a notebook's "what more training gives": the chapter's model, built
    as ``GANLIB_MODE=pretrained`` builds it (the class networks, or the family's own
    ``pretrained`` schedule), with the generator of the reference run `name` shipped in
    ``data/pretrained`` (`runs.load_shipped`: safe mode) and its ``about.json``.  The model's
    own sampling methods (`generate`, `generate_codes`, ...) then draw from the reference run,
    so a notebook measures it with the very code it measured its own run with."""
    try:
        generator, about = runs.load_shipped(name)
    except runs.RunFolderError as e:
        raise ChapterError(str(e)) from None
    ident = about.get("identity") if isinstance(about.get("identity"), dict) else {}
    seed = (ident.get("settings") or {}).get("seed") if isinstance(ident.get("settings"),
                                                                   dict) else None
    gan = with_generator(get(about.get("chapter") or name), config.PRETRAINED,
                         seed if isinstance(seed, int) else 0, generator,
                         f"the reference run {name!r}")
    return gan, about


CONDITIONAL = ("acgan", "cgan")    # a class label in, as G's second input
PAIRED = ("pix2pix", "edges")      # image-to-image translation of held-out pairs


def build(chapter, schedule, seed):
    """The chapter's untrained model for a schedule, as its ``train()`` builds it."""
    m, o = chapter.module, chapter.options
    if chapter.family == "dcgan":
        return m.make_dcgan(steps_per_execution=schedule["steps_per_execution"], seed=seed)
    if chapter.family in CONDITIONAL + ("infogan",) + PAIRED:
        make = getattr(m, "make_pix2pix" if chapter.family in PAIRED
                       else f"make_{chapter.family}")
        return make(seed=seed, **m.recipe(schedule))
    if chapter.family == "wgan":
        return m.make(o["variant"], schedule, seed=seed)
    from .atienza import widths
    return m.make_gan(o["loss"], seed=seed, **widths(schedule))


def _scale(gan):
    from .runlog import output_scale
    return output_scale(gan.generator)


def held_out_pairs(chapter, schedule, n, seed=0):
    """(sources, targets) pix2pix never trained on: the validation pairs, uint8."""
    m = chapter.module
    maps = m.load_data(schedule, seed=seed, verbose=False)
    src, tgt = m.split_direction(maps.val, chapter.options["direction"])
    return src[:n], tgt[:n]


def sample(run_dir, n=64, seed=0):
    """(uint8 grid, columns) of `n` images from a finished run: classes / codes by column for
    ACGAN / InfoGAN; source | translation | target rows for pix2pix."""
    from . import viz
    n = count(n, "--n (images)", least=1, most=10000)
    seed = check_seed(seed, "--seed")
    chapter, gan, mode, schedule = _load(run_dir)
    if chapter.family in PAIRED:
        src, tgt = held_out_pairs(chapter, schedule, max(1, n // 3), seed)
        gen = gan.translate(src)
        from .pix2pix import triplets
        return viz.tile(triplets(src, gen, tgt), 3, "tanh"), 3
    cols = getattr(gan, "preview_columns", 8)
    noise = gan.preview_noise(n, seed=seed)
    if chapter.family in CONDITIONAL:
        images = gan.generate(labels=np.arange(n) % gan.num_classes, noise=noise)
    elif chapter.family == "infogan":
        from .infogan import latent_inputs
        x = latent_inputs(noise, np.arange(n) % gan.n_cat,
                          np.zeros(gan.n_cont) if gan.n_cont else None, gan.n_cat, gan.n_cont)
        images = gan.generate(inputs=x)
    else:
        images = gan.generate(inputs=noise)
    _finite(images, run_dir)
    return viz.tile(images, cols, _scale(gan)), cols


def count(n, what, least=1, most=None):
    """`n` as a whole number from `least` to `most`; a `ChapterError` naming `what` else."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < least or \
            (most is not None and n > most):
        top = f" to {most}" if most is not None else " or more"
        raise ChapterError(f"{what} {n!r}: pass a whole number from {least}{top}")
    return int(n)


def _finite(images, run_dir):
    if not np.isfinite(np.asarray(images, np.float32)).all():
        raise ChapterError(f"the generator of {run_dir} draws NaN or infinite pixels: its "
                           "images would be blank. Train the run again into a new --run-dir.")


def evaluate(run_dir, n=1000, seed=0):
    """The chapter's measures on a finished run, as a dict (see `ganlib.metrics`)."""
    from . import data, metrics
    n = count(n, "--n (images per set)", least=2)
    seed = check_seed(seed, "--seed")
    chapter, gan, mode, schedule = _load(run_dir)
    out = {"chapter": chapter.name, "mode": mode, "n": n}
    if chapter.family in PAIRED:
        src, tgt = held_out_pairs(chapter, schedule, n, seed)
        out["n"] = len(src)                       # the held-out pairs there are, at most n
        pred = gan.translate(src)
        _finite(pred, run_dir)
        if hasattr(chapter.module, "evaluate"):   # the task's own measures (edges: FD, ...)
            out.update(chapter.module.evaluate(gan, src, tgt))
        src, tgt = (x.astype(np.float32) / 127.5 - 1.0 for x in (src, tgt))   # to [-1, 1]
        out.update(metrics.image_metrics(pred, tgt))
        for base, vals in metrics.baselines(src, tgt).items():
            out.update({f"{k} ({base})": v for k, v in vals.items()})
        return out
    ((_, _), (x_test, _)), _ = data.load_dataset(chapter.dataset, verbose=False)
    rng = np.random.default_rng(seed)
    real = x_test[rng.permutation(len(x_test))[:n]]
    n = out["n"] = len(real)                      # the test images there are, at most n
    scale = _scale(gan)
    labels = np.arange(n) % 10
    if chapter.family in CONDITIONAL:
        images = gan.generate(labels=labels)
    elif chapter.family == "infogan":
        images, codes, _ = gan.generate_codes(n, seed=seed)
    else:
        images = gan.generate(n)
    _finite(images, run_dir)
    if chapter.family in CONDITIONAL:
        acc = metrics.class_accuracy(images, labels, chapter.dataset, scale)
        out.update({"class accuracy": acc["overall"],
                    "worst class accuracy": float(np.nanmin(acc["per_class"]))})
    elif chapter.family == "infogan":
        out["code purity"] = metrics.code_purity(codes, images, chapter.dataset, scale)[0]
    else:
        out["classifier score"] = metrics.classifier_score(images, chapter.dataset, scale)
    out["FD"] = metrics.frechet_distance(images, real, chapter.dataset, scale_a=scale,
                                         scale_b="tanh")
    real_f = metrics.feature_array(real, chapter.dataset)     # quality and diversity apart
    fake_f = metrics.feature_array(images, chapter.dataset, scale)
    out.update(metrics.precision_recall(real_f, fake_f))
    out.update(metrics.density_coverage(real_f, fake_f))
    return {k: (float(v) if isinstance(v, (np.floating, float)) else v) for k, v in out.items()}


def export(run_dir, name=None, made="", n=1000):
    """Ship a finished run as ``data/pretrained/<name>`` (`runs.export_run`), with its measures
    (`evaluate`) in ``about.json``; `name` defaults to the chapter's.  Returns the folder."""
    chapter, mode, seed, ident, overrides = run_info(run_dir)
    name = name or chapter.name
    if not name or os.sep in name or name in (".", ".."):
        raise ChapterError(f"--name {name!r} must be a plain folder name such as 01_dcgan")
    dest = os.path.join(runs.pretrained_root(), name)
    try:
        runs.check_exportable(run_dir, dest)      # before the measures take their time
    except runs.RunFolderError as e:
        raise ChapterError(str(e)) from None
    scores = evaluate(run_dir, n=n)
    sets = "".join(f" --set {k}={v}" for k, v in overrides.items())
    made = made or (f"python -m ganlib train {chapter.name} --mode {mode}{sets} --seed {seed} "
                    f"({ident.get('intervals', 0) * ident.get('steps_per_interval', 0)} steps, "
                    f"{ident.get('precision')})")
    try:
        return runs.export_run(run_dir, dest, made, scores)
    except runs.RunFolderError as e:
        raise ChapterError(str(e)) from None
