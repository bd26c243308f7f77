"""The chapters as runnable units: what ``python -m ganlib`` trains, samples and evaluates.

Each chapter names a family module and the options its ``train()`` takes; training goes
through that same ``train()`` (the notebook's code path) into a run folder (`runs`), and
`load` rebuilds the chapter's model around the run folder's ``generator.keras``.
"""
import importlib
import json
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
    Chapter("03_infogan", "infogan", "InfoGAN on MNIST", dataset="mnist"),
    Chapter("04_pix2pix", "pix2pix", "pix2pix, satellite → map", {"direction": "sat2map"}),
    Chapter("04_pix2pix_map2sat", "pix2pix", "pix2pix, map → satellite", {"direction": "map2sat"}),
    Chapter("04_pix2pix_l1only", "pix2pix", "the pix2pix chapter's U-Net on L1 alone (no "
            "adversarial term), satellite → map", {"direction": "sat2map"},
            recipe={"adv_weight": 0.0}),
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
    """`schedule` with `overrides` applied; a key the schedule does not have is refused."""
    unknown = sorted(k for k in overrides if k not in schedule)
    if unknown:
        raise ChapterError(f"--set {', '.join(unknown)}: not an entry of {chapter.name}'s {mode} "
                           f"schedule; choose among {', '.join(sorted(schedule))}")
    schedule.update(overrides)
    return schedule


# ----------------------------------------------------------------------------- training
def claim_run_folder(chapter, run_dir, overrides=None):
    """Create or check `run_dir` for `chapter` (and its ``--set`` entries): a run folder of
    another chapter, or of the same chapter with other ``--set`` entries, is refused."""
    overrides = dict(overrides or {})
    info = runs.open_run_folder(run_dir)
    have = info.get("chapter")
    if have is None and info.get("identity"):
        raise ChapterError(f"{run_dir} holds a run that `python -m ganlib train` did not start "
                           "(a notebook's?): pass a new --run-dir")
    if have not in (None, chapter.name):
        raise ChapterError(f"{run_dir} is the run folder of chapter {have}, not {chapter.name}: "
                           f"train {have} there, or pass another --run-dir")
    if have is not None and info.get("set", {}) != overrides:
        raise ChapterError(f"{run_dir} was trained with --set {_set_text(info.get('set'))}, "
                           f"this run asks for --set {_set_text(overrides)}: repeat the run's "
                           "own --set to resume it, or pass another --run-dir")
    if have is None:
        info["chapter"] = chapter.name
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
    schedule = chapter.schedule(mode, overrides)
    if steps is not None:
        schedule["steps"] = int(steps)
        try:
            config.intervals(schedule)
        except ValueError as e:
            raise ChapterError(f"--steps {steps}: {e}") from None
    os.environ["GANLIB_MODE"] = mode          # what the run folder records as its mode
    config.set_precision(precision, verbose=bool(verbose))
    claim_run_folder(chapter, run_dir, overrides)
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
    with open(marker) as f:
        info = json.load(f)
    if not info.get("chapter") or not info.get("identity"):
        raise ChapterError(f"{run_dir} was not trained by `python -m ganlib train` (or has not "
                           "finished an interval yet)")
    if not os.path.isfile(os.path.join(str(run_dir), runs.GENERATOR)):
        raise ChapterError(f"{run_dir} has no {runs.GENERATOR} yet: the run saves it when "
                           "training ends (run `train` again to finish or resume it)")
    ident = info["identity"]
    return (get(info["chapter"]), ident["mode"], ident["settings"].get("seed") or 0, ident,
            info.get("set") or {})


def with_generator(chapter, mode, seed, generator, what, schedule=None):
    """The chapter's model for run mode `mode` (or for `schedule`), its generator's weights
    taken from `generator` (a saved model); `what` names it in the error raised when it does
    not fit."""
    gan = build(chapter, schedule or chapter.schedule(mode), seed)
    try:
        gan.generator.set_weights(generator.get_weights())
    except ValueError as e:
        raise ChapterError(f"{what} does not fit chapter {chapter.name}'s {mode} model "
                           f"({e})") from None
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
    saved = keras.saving.load_model(os.path.join(str(run_dir), runs.GENERATOR))
    gan = with_generator(chapter, mode, seed, saved, f"{run_dir}/{runs.GENERATOR}", schedule)
    return chapter, gan, mode, schedule


def load_reference(name):
    """(model, about) for a notebook's "what more training gives": the chapter's model, built
    as ``GANLIB_MODE=pretrained`` builds it (the class networks, or the family's own
    ``pretrained`` schedule), with the generator of the reference run `name` shipped in
    ``data/pretrained`` (`runs.load_shipped`: safe mode) and its ``about.json``.  The model's
    own sampling methods (`generate`, `generate_codes`, ...) then draw from the reference run,
    so a notebook measures it with the very code it measured its own run with."""
    generator, about = runs.load_shipped(name)
    ident = about.get("identity") or {}
    gan = with_generator(get(about.get("chapter") or name), config.PRETRAINED,
                         (ident.get("settings") or {}).get("seed") or 0, generator,
                         f"the reference run {name!r}")
    return gan, about


def build(chapter, schedule, seed):
    """The chapter's untrained model for a schedule, as its ``train()`` builds it."""
    m, o = chapter.module, chapter.options
    if chapter.family == "dcgan":
        return m.make_dcgan(steps_per_execution=schedule["steps_per_execution"], seed=seed)
    if chapter.family in ("acgan", "infogan"):
        make = m.make_acgan if chapter.family == "acgan" else m.make_infogan
        return make(seed=seed, **m.recipe(schedule))
    if chapter.family == "pix2pix":
        return m.make_pix2pix(seed=seed, **m.recipe(schedule))
    if chapter.family == "wgan":
        return m.make(o["variant"], schedule, seed=seed)
    return m.make_gan(o["loss"], seed=seed)


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
    chapter, gan, mode, schedule = _load(run_dir)
    if chapter.family == "pix2pix":
        src, tgt = held_out_pairs(chapter, schedule, max(1, n // 3), seed)
        gen = gan.translate(src)
        from .pix2pix import triplets
        return viz.tile(triplets(src, gen, tgt), 3, "tanh"), 3
    cols = getattr(gan, "preview_columns", 8)
    noise = gan.preview_noise(n, seed=seed)
    if chapter.family == "acgan":
        images = gan.generate(labels=np.arange(n) % gan.num_classes, noise=noise)
    elif chapter.family == "infogan":
        from .infogan import latent_inputs
        x = latent_inputs(noise, np.arange(n) % gan.n_cat,
                          np.zeros(gan.n_cont) if gan.n_cont else None, gan.n_cat, gan.n_cont)
        images = gan.generate(inputs=x)
    else:
        images = gan.generate(inputs=noise)
    return viz.tile(images, cols, _scale(gan)), cols


def evaluate(run_dir, n=1000, seed=0):
    """The chapter's measures on a finished run, as a dict (see `ganlib.metrics`)."""
    from . import data, metrics
    chapter, gan, mode, schedule = _load(run_dir)
    out = {"chapter": chapter.name, "mode": mode, "n": int(n)}
    if chapter.family == "pix2pix":
        src, tgt = held_out_pairs(chapter, schedule, n, seed)
        pred = gan.translate(src)
        src, tgt = (x.astype(np.float32) / 127.5 - 1.0 for x in (src, tgt))   # to [-1, 1]
        out.update(metrics.image_metrics(pred, tgt))
        for base, vals in metrics.baselines(src, tgt).items():
            out.update({f"{k} ({base})": v for k, v in vals.items()})
        return out
    ((_, _), (x_test, _)), _ = data.load_dataset(chapter.dataset, verbose=False)
    rng = np.random.default_rng(seed)
    real = x_test[rng.permutation(len(x_test))[:n]]
    scale = _scale(gan)
    labels = np.arange(n) % 10
    if chapter.family == "acgan":
        images = gan.generate(labels=labels)
        acc = metrics.class_accuracy(images, labels, chapter.dataset, scale)
        out.update({"class accuracy": acc["overall"],
                    "worst class accuracy": float(np.nanmin(acc["per_class"]))})
    elif chapter.family == "infogan":
        images, codes, _ = gan.generate_codes(n, seed=seed)
        out["code purity"] = metrics.code_purity(codes, images, chapter.dataset, scale)[0]
    else:
        images = gan.generate(n)
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
    scores = evaluate(run_dir, n=n)
    sets = "".join(f" --set {k}={v}" for k, v in overrides.items())
    made = made or (f"python -m ganlib train {chapter.name} --mode {mode}{sets} --seed {seed} "
                    f"({ident.get('intervals', 0) * ident.get('steps_per_interval', 0)} steps, "
                    f"{ident.get('precision')})")
    try:
        return runs.export_run(run_dir, os.path.join(runs.pretrained_root(), name), made, scores)
    except runs.RunFolderError as e:
        raise ChapterError(str(e)) from None
