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
    missing = [m for m in MODES if m not in per_mode]
    if missing:
        raise ValueError(f"schedule is missing run mode(s) {missing}")
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


def resolve_precision(name=None):
    name = (name or os.environ.get("GANLIB_PRECISION", "auto")).strip().lower()
    if name == "auto":
        import tensorflow as tf
        fast_bf16 = bool(tf.config.list_physical_devices("GPU")) or cpu_has_bf16()
        return "mixed_bfloat16" if fast_bf16 else "float32"
    if name not in PRECISIONS:
        raise ValueError(f"precision {name!r} is not one of {PRECISIONS + ('auto',)}")
    return name


def set_precision(name=None, verbose=True):
    """Set Keras' global dtype policy; returns the policy name.  Build models after this."""
    import keras
    name = resolve_precision(name)
    keras.mixed_precision.set_global_policy(name)
    if verbose:
        print(f"precision: {name}  (set GANLIB_PRECISION to float32, mixed_bfloat16 or auto)")
    return name


def set_seed(seed):
    """Seed Python, NumPy and TensorFlow so a CPU run can be repeated exactly."""
    import keras
    keras.utils.set_random_seed(int(seed))


def model_kwargs(schedule, recipe):
    """The model keyword arguments a run-mode schedule carries: its values for `recipe`'s keys."""
    return {k: schedule[k] for k in recipe if k in schedule}


def batch_size(schedule, default):
    """The batch a run trains with: the schedule's ``batch_size`` where it names one, else the
    recipe's `default`.  ``smoke`` schedules use small batches, so that tests and CI spend
    seconds, not minutes, on their handful of steps; ``class`` and ``full`` keep the recipe's."""
    size = schedule.get("batch_size", default)
    if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
        raise ValueError(f"schedule: batch_size must be a positive whole number, got {size!r}")
    return int(size)


def intervals(schedule):
    """``(epochs, steps_per_epoch)`` for `fit()` from a schedule's `steps` and `log_every`."""
    try:
        steps, every = int(schedule["steps"]), int(schedule["log_every"])
    except (KeyError, TypeError, ValueError):
        raise ValueError("a schedule needs integer 'steps' and 'log_every', got "
                         f"{schedule!r}") from None
    if every < 1:
        raise ValueError(f"schedule: log_every={every} must be at least 1")
    if steps < every or steps % every:
        raise ValueError(
            f"schedule: steps={steps} must be a positive multiple of log_every={every} (training "
            f"runs whole logging intervals); e.g. steps={max(1, -(-steps // every)) * every}")
    spe = int(schedule.get("steps_per_execution", 1))
    if spe < 1 or every % spe:
        raise ValueError(f"schedule: steps_per_execution={spe} must divide log_every={every}, or "
                         "fit() overshoots each logging interval")
    return steps // every, every
