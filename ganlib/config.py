"""Run modes, precision and seeding: the knobs every notebook shows at the top.

Run mode (environment variable ``GANLIB_MODE``):
  * ``smoke`` – a handful of steps, seconds per notebook (CI; pytest selects it);
  * ``class`` – the default: at most ~10 minutes on a 2-core CPU, recognisable samples;
  * ``full``  – the tutorial's own schedule (hours on a CPU; a GPU is advised);
  * ``pretrained`` – no training: the ``class``-mode networks are built (pix2pix: the narrower
    ones its shipped runs have, its ``SCHEDULES["pretrained"]``) and each training
    cell loads the generator of a longer reference run shipped in ``data/pretrained/``
    (`runs.ShippedGenerator`), so a teacher can go straight to the demos and the evaluation.

Precision (``GANLIB_PRECISION``): ``float32`` or ``mixed_bfloat16``.  ``auto`` (default)
picks bfloat16 where the hardware runs it fast (a GPU, or a CPU with AMX-BF16 or
AVX512-BF16 units),
float32 elsewhere.  Losses and BatchNorm statistics stay float32 either way.
"""
import numbers
import os
from collections.abc import Mapping

import numpy as np

MODES = ("smoke", "class", "full")              # the modes that have a training schedule
PRETRAINED = "pretrained"
RUN_MODES = MODES + (PRETRAINED,)               # what GANLIB_MODE may say
PRECISIONS = ("float32", "mixed_bfloat16")


def run_mode():
    mode = os.environ.get("GANLIB_MODE", "class").strip().lower()
    if mode not in RUN_MODES:
        raise ValueError(f"GANLIB_MODE={mode!r} is not a run mode; choose one of {RUN_MODES}")
    return mode


def use_mode(mode=None):
    """A notebook's run-mode switch: `mode` (e.g. ``"pretrained"``) for this kernel, or with
    ``None`` whatever ``GANLIB_MODE`` says (default ``class``).  Returns the run mode."""
    if mode is not None:
        name = str(mode).strip().lower()
        if name not in RUN_MODES:
            raise ValueError(f"MODE = {mode!r} is not a run mode; choose one of {RUN_MODES} "
                             "(or None to use GANLIB_MODE)")
        os.environ["GANLIB_MODE"] = name
    return run_mode()


def schedule_mode(mode=None):
    """The schedule a run mode builds its models with: ``pretrained`` uses ``class``'s (unless
    a family's schedules name a ``pretrained`` entry of their own; see `select`)."""
    mode = mode or run_mode()
    return "class" if mode == PRETRAINED else mode


def select(per_mode, mode=None, verbose=True):
    """Pick the schedule of the current run mode from ``{"smoke": {...}, "class": {...}, "full": {...}}``."""
    mode = mode or run_mode()
    if mode not in RUN_MODES:
        raise ValueError(f"mode {mode!r} is not a run mode; choose one of {RUN_MODES}")
    missing = [m for m in MODES if m not in per_mode]
    if missing:
        raise ValueError(f"schedule is missing run mode(s) {missing}")
    if not all(isinstance(per_mode[m], Mapping) for m in per_mode):
        raise ValueError("per_mode: expected {mode: schedule dict}, e.g. dcgan.SCHEDULES")
    # A family whose shipped reference runs have other networks than its class recipe (pix2pix:
    # the class U-Net is over data/'s 5 MB per file) names them in a "pretrained" entry.
    chosen = dict(per_mode[mode] if mode == PRETRAINED and PRETRAINED in per_mode
                  else per_mode[schedule_mode(mode)])
    if "steps" in chosen:
        intervals(chosen)
    if verbose:
        print(f"run mode: {mode}  (set GANLIB_MODE to one of {', '.join(RUN_MODES)})")
        if mode == PRETRAINED:
            nets = "the shipped runs' networks" if PRETRAINED in per_mode else \
                "the class-mode networks"
            print(f"  no training: {nets}, with the generators shipped in "
                  "data/pretrained loaded by each training cell")
        for k, v in chosen.items():
            print(f"  {k:<16} {v}")
    return chosen


def cpu_has_bf16():
    """True when the CPU has bfloat16 matrix units oneDNN uses (Intel AMX-BF16 or AVX512-BF16)."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line.split() for line in f if line.startswith("flags")), [])
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def precision_setting(name=None):
    """The precision asked for: `name`, else ``GANLIB_PRECISION`` (default ``auto``), checked
    to be one of `PRECISIONS` or ``auto``; not yet resolved (see `resolve_precision`)."""
    raw = os.environ.get("GANLIB_PRECISION", "auto") if name is None else name
    text = raw.strip().lower() if isinstance(raw, str) else raw
    if text not in PRECISIONS + ("auto",):
        what = "GANLIB_PRECISION=" if name is None else "precision "
        raise ValueError(f"{what}{raw!r} is not a precision; choose one of "
                         f"{', '.join(PRECISIONS + ('auto',))}")
    return text


def resolve_precision(name=None):
    name = precision_setting(name)
    if name == "auto":
        import tensorflow as tf
        fast_bf16 = bool(tf.config.list_physical_devices("GPU")) or cpu_has_bf16()
        return "mixed_bfloat16" if fast_bf16 else "float32"
    return name


def set_precision(name=None, verbose=True):
    """Set Keras' global dtype policy; returns the policy name.  Build models after this."""
    import keras
    name = resolve_precision(name)
    keras.mixed_precision.set_global_policy(name)
    if verbose:
        print(f"precision: {name}  (set GANLIB_PRECISION to float32, mixed_bfloat16 or auto)")
    return name


def describe_run(schedule, mode=None):
    """One line for the top of a training section: the run mode, the precision Keras computes
    in and the generator steps, and the two variables that change them."""
    import keras
    mode = mode or run_mode()
    policy = keras.mixed_precision.global_policy().name
    what = ("no training: the shipped run is loaded" if mode == PRETRAINED
            else f"{schedule['steps']:,} generator steps" if "steps" in schedule else "")
    line = f"{mode} mode, {policy}" + (f": {what}" if what else "")
    print(f"{line}   (GANLIB_MODE: smoke, class, full or pretrained; "
          f"GANLIB_PRECISION: float32, mixed_bfloat16 or auto)")
    return line


MAX_SEED = 2 ** 32 - 1        # NumPy's legacy seeding (which Keras seeds too) takes 0 .. 2³²-1


def check_seed(seed, what="seed"):
    """`seed` as an int: a whole number from 0 to `MAX_SEED` (not a bool, text or NaN)."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) \
            or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"{what}={seed!r}: a seed is a whole number from 0 to {MAX_SEED}")
    return int(seed)


def check_count(value, what, minimum=1):
    """`value` as an int: a whole number (not a bool, text or NaN) of at least `minimum`.
    `what` names it in the error, e.g. ``"generate_codes: n"``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral,
                                                                       float, np.floating)) \
            or not np.isfinite(value) or not float(value).is_integer() or value < minimum:
        raise ValueError(f"{what}={value!r}: expected a whole number, at least {minimum}")
    return int(value)


def check_number(value, what, minimum=None, above=None):
    """`value` as a float: a finite real number (not a bool or text), at least `minimum` or
    more than `above` where given (a learning rate: ``above=0``; a loss weight: ``minimum=0``)."""
    ok = not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Real) \
        and np.isfinite(value) and (minimum is None or value >= minimum) \
        and (above is None or value > above)
    if not ok:
        bound = (f", at least {minimum:g}" if minimum is not None else "") + \
            (f", more than {above:g}" if above is not None else "")
        raise ValueError(f"{what}={value!r}: expected a finite number{bound}")
    return float(value)


def check_finite(x, what):
    """`x` as a float32 array, refused when it holds NaN or infinite values (a NaN input
    would draw a flat or saturated image that looks like an answer)."""
    try:
        arr = np.asarray(x, np.float32)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: expected numbers, got {type(x).__name__}") from None
    if not np.isfinite(arr).all():
        bad = int((~np.isfinite(arr)).sum())
        raise ValueError(f"{what}: {bad} of its {arr.size} values are NaN or infinite; pass "
                         "finite numbers")
    return arr


def set_seed(seed):
    """Seed Python, NumPy and TensorFlow so a CPU run can be repeated exactly."""
    import keras
    keras.utils.set_random_seed(check_seed(seed))


def model_kwargs(schedule, recipe):
    """The model keyword arguments a run-mode schedule carries: its values for `recipe`'s keys."""
    if not isinstance(schedule, Mapping):
        raise ValueError(f"a schedule is a dict of settings (e.g. config.select(...)), got "
                         f"{type(schedule).__name__}")
    return {k: schedule[k] for k in recipe if k in schedule}


def batch_size(schedule, default):
    """The batch a run trains with: the schedule's ``batch_size`` where it names one, else the
    recipe's `default`.  ``smoke`` schedules use small batches, so that tests and CI spend
    seconds, not minutes, on their handful of steps; ``class`` and ``full`` keep the recipe's."""
    size = schedule.get("batch_size", default)
    if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
        raise ValueError(f"schedule: batch_size must be a positive whole number, got {size!r}")
    return int(size)


def _whole(schedule, key, default=None):
    """``schedule[key]`` as an int: a whole number (``2000`` or ``2000.0``, not ``"2000"``,
    ``20.5``, ``True`` or NaN); `default` when the schedule has no such entry."""
    if not isinstance(schedule, Mapping):
        raise ValueError(f"a schedule is a dict of settings (e.g. config.select(...)), got "
                         f"{type(schedule).__name__}")
    if key not in schedule and default is not None:
        return default
    value = schedule.get(key)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
            or not float(value).is_integer():
        got = "no entry" if key not in schedule else repr(value)
        raise ValueError(f"schedule: {key} must be a whole number, got {got}")
    return int(value)


# schedule entries counted in logging intervals or images: whole numbers from 1
COUNTS = ("sample_every", "purity_every", "batch_size", "n_critic")


def intervals(schedule):
    """``(epochs, steps_per_epoch)`` for `fit()` from a schedule's `steps` and `log_every`."""
    steps, every = _whole(schedule, "steps"), _whole(schedule, "log_every")
    if every < 1:
        raise ValueError(f"schedule: log_every={every} must be at least 1")
    if steps < every or steps % every:
        raise ValueError(
            f"schedule: steps={steps} must be a positive multiple of log_every={every} (training "
            f"runs whole logging intervals); e.g. steps={max(1, -(-steps // every)) * every}")
    spe = _whole(schedule, "steps_per_execution", 1)
    if spe < 1 or every % spe:
        raise ValueError(f"schedule: steps_per_execution={spe} must divide log_every={every}, or "
                         "fit() overshoots each logging interval")
    return steps // every, every


def check_schedule(schedule):
    """Refuse a schedule whose counts mean nothing: `intervals` (steps, log_every,
    steps_per_execution), and `COUNTS` entries (sample_every, batch_size, ...) that are not
    whole numbers from 1.  Returns `schedule`."""
    intervals(schedule)
    for key in COUNTS:
        if key in schedule and _whole(schedule, key) < 1:
            raise ValueError(f"schedule: {key}={schedule[key]!r} must be at least 1")
    return schedule


# ----------------------------------------------------------------------------- environment
OFFLINE_VALUES = ("1", "0", "")


def offline():
    """True when ``GANLIB_OFFLINE=1``: nothing is downloaded (``0`` or unset: downloads are
    tried where data is missing).  Any other value is refused, not read as "online"."""
    raw = os.environ.get("GANLIB_OFFLINE", "")
    if raw.strip() not in OFFLINE_VALUES:
        raise ValueError(f"GANLIB_OFFLINE={raw!r} is not understood; set GANLIB_OFFLINE=1 (never "
                         "download) or 0 (or unset it: download what is missing)")
    return raw.strip() == "1"


def check_environment():
    """Refuse an unknown value of any variable ganlib reads (``GANLIB_MODE``,
    ``GANLIB_PRECISION``, ``GANLIB_OFFLINE``, ``GANLIB_CPU_DEVICES``), naming the variable,
    its value and what it accepts, before anything is trained.  Returns the run mode."""
    from .distribute import cpu_devices
    mode = run_mode()
    precision_setting()
    offline()
    cpu_devices()
    return mode


def training_schedule(per_mode, schedule=None, run_dir=None, seed=0, keys=(), who="train()"):
    """What each family's ``train()`` does first: check the environment (`check_environment`),
    seed everything with `seed` (`set_seed`: two ``train(seed=s)`` calls in one process give
    the same run, whatever ran before), and return the schedule to train with.

    `schedule` may leave out entries: those every mode's schedule names (steps, log_every,
    ..., a recipe the modes share) are then taken from the current run mode's schedule in
    `per_mode` (``None``: that schedule as it is); optional ones (a smoke ``batch_size``) keep
    the recipe's default.  An entry no mode's schedule has (nor `keys`, the recipe's other
    settings) is refused, as are counts that mean nothing (`check_schedule`).
    ``GANLIB_MODE=pretrained`` trains nothing: it loads a shipped run into `run_dir`, so
    without a `run_dir` it is refused rather than trained.
    """
    mode = check_environment()
    if mode == PRETRAINED and not run_dir:
        from .runs import pretrained_root, shipped_runs
        root = pretrained_root()
        shipped = shipped_runs(root)
        raise ValueError(
            f"GANLIB_MODE=pretrained trains nothing: it loads the generator of a reference run "
            f"shipped in {root}, and {who} was given no run_dir to load. Pass "
            f"run_dir=runs.run_dir(NAME) with NAME one of {', '.join(shipped) or '(none shipped)'}"
            ", as the notebooks' training cells do, or set GANLIB_MODE=class (or smoke or full) "
            "to train.")
    set_seed(seed)
    defaults = select(per_mode, verbose=False)
    if schedule is None:
        return defaults
    if not isinstance(schedule, Mapping):
        raise ValueError(f"{who}: schedule must be a dict of settings (e.g. "
                         f"dict(steps=200, log_every=100)), got {type(schedule).__name__}")
    known = set(keys).union(*(per_mode[m] for m in per_mode))
    unknown = sorted(str(k) for k in schedule if k not in known)
    if unknown:
        raise ValueError(f"{who}: schedule entries {', '.join(unknown)} mean nothing here; "
                         f"choose among {', '.join(sorted(known))}")
    # what every mode's schedule names is what a run needs: missing ones come from this mode's;
    # optional entries (a smoke batch_size, WGAN-GP's class recipe) keep the recipe's default
    needed = set.intersection(*(set(per_mode[m]) for m in MODES))
    merged = {**{k: defaults[k] for k in needed if k in defaults}, **schedule}
    try:
        return check_schedule(merged)
    except ValueError as e:
        taken = [k for k in sorted(set(merged) - set(schedule)) if f"{k}=" in str(e)]
        raise ValueError(f"{who}: {e}" + (f" ({', '.join(taken)} from the {schedule_mode(mode)} "
                                           "schedule: give it too)" if taken else "")) from None
