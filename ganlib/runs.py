"""Run folders: where a training run keeps its backup, its final generator and its history.

A run folder belongs to ganlib: ganlib creates it, marks it with ``ganlib-run.json`` and writes
only inside it.  A folder that exists, holds files and has no such mark is somebody else's, and
ganlib refuses to use it rather than write into it.  ganlib deletes nothing of a run but its own
superseded backups; files are replaced atomically (written beside, then renamed), and a backup
is one unit, switched to in one step, so a run killed at any moment keeps a whole backup.

    runs/class/01_dcgan/
        ganlib-run.json        what the run is (family, settings, schedule, seed, mode) and how far it got
        ganlib-run.lock        held by the one process training into the folder (pid, host)
        backup/                the full training state after the last finished logging interval
            current.json           names the backup unit below that is whole (replaced atomically)
            interval-NNNNNN-XXXX/  one backup unit, written in full before current.json names it:
                latest.weights.h5      weights, optimizer slots and the noise seed
                training_metadata.json the interval and the generator step it belongs to
                state.json             the loss history and the states of callbacks such as MetricHistory
        generator.keras        the final generator (also after a stop on a non-finite loss)
        history.json           the loss history and recorded metrics of the whole run

Running the same training again with the same folder **resumes** it: after an interruption it
carries on from the last finished interval; after a finished run it loads the result and
trains no further step.  A backup made by a different run (another family, other settings,
schedule, seed or run mode) is never resumed: `RunFolderError` says what differs.  One process
trains into a folder at a time: a second one is refused before it writes anything.

Test runs never see a classroom run: `run_dir` gives ``runs/<mode>/<name>`` for the ``class``
and ``full`` modes and a new temporary folder for ``smoke`` runs (CI, pytest, nbval).

``GANLIB_MODE=pretrained``: `run_dir` gives the folder of a reference run shipped with the
project, ``data/pretrained/<name>`` (or ``$GANLIB_PRETRAINED_DIR/<name>``), and the training
callbacks are a single `ShippedGenerator`, which loads its generator and history instead of
training and writes nothing.  `export_run` makes such a folder from a finished run folder, with
the sha256 of every file it ships in ``about.json``; loading checks them, and checks that the
generator's weights are finite and that it fits the model it is loaded into.
"""
import atexit
import datetime
import hashlib
import inspect
import json
import os
import shutil
import socket
import tempfile
import uuid

try:
    import fcntl
except ImportError:        # Windows: msvcrt's byte-range lock instead (see _os_lock)
    fcntl = None

import keras
import numpy as np

from . import config

MARKER = "ganlib-run.json"
BACKUP = "backup"
STATE = "state.json"
WEIGHTS = "latest.weights.h5"
METADATA = "training_metadata.json"
CURRENT = "current.json"       # in backup/: names the backup unit that is whole
UNIT = "interval-"             # backup/interval-NNNNNN-XXXXXXXX/: one backup unit
LOCK = "ganlib-run.lock"
GENERATOR = "generator.keras"
HISTORY = "history.json"


class RunFolderError(RuntimeError):
    """A run folder that cannot be used as asked; the message says why and what to do."""


def run_dir(name, mode=None, root="runs"):
    """The run folder of a notebook or chapter `name` in run mode `mode` (default: the current one).

    ``class``/``full``: ``root/<mode>/<name>`` (kept; running again resumes it).  ``smoke``: a
    fresh temporary folder, so tests never read or write a classroom run; it is removed when
    the Python process (the notebook's kernel, the test run) ends.
    """
    mode = mode or config.run_mode()
    if mode not in config.RUN_MODES:
        raise ValueError(f"mode {mode!r} is not a run mode; choose one of {config.RUN_MODES}")
    if not name or os.sep in str(name) or str(name) in (".", ".."):
        raise ValueError(f"run name must be a plain folder name like '01_dcgan', got {name!r}")
    if mode == config.PRETRAINED:
        return os.path.join(pretrained_root(), str(name))
    if mode == "smoke":  # made here, so removed here: when the process ends, or after
        _sweep_smoke_folders()
        path = tempfile.mkdtemp(prefix=f"{SMOKE_PREFIX}{os.getpid()}-{name}-")
        atexit.register(shutil.rmtree, path, ignore_errors=True)
        return path
    return os.path.join(root, mode, str(name))


SMOKE_PREFIX = "ganlib-smoke-"
ABOUT = "about.json"


def pretrained_root():
    """Where shipped reference runs live: ``$GANLIB_PRETRAINED_DIR``, else ``data/pretrained``."""
    return os.environ.get("GANLIB_PRETRAINED_DIR") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "pretrained")


def shipped_runs(root=None):
    """The names of the reference runs shipped in `root` (default `pretrained_root()`)."""
    root = root or pretrained_root()
    return sorted(n for n in (os.listdir(root) if os.path.isdir(root) else [])
                  if os.path.isfile(os.path.join(root, n, GENERATOR)))


def load_shipped(name):
    """(generator, about) of the reference run `name` shipped in `pretrained_root()`: its
    ``generator.keras`` (safe mode; float16 weights, a float32 output) and ``about.json`` (how
    it was made, its steps and measures).  For a notebook's "what more training gives".
    The files' checksums (about.json's ``sha256``) and the weights' finiteness are checked
    (`read_about`, `load_generator`): a damaged or swapped file is refused by name."""
    folder = os.path.join(pretrained_root(), name)
    path = os.path.join(folder, GENERATOR)
    fix = shipped_fix(folder)
    about = read_about(folder, fix)              # ({} without one; names a missing file)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no reference run {name!r} is shipped (no {path}); shipped: "
                                f"{', '.join(shipped_runs()) or 'none'}")
    saved = load_generator(path, fix)
    inputs = [keras.Input(t.shape[1:], dtype=t.dtype) for t in saved.inputs]
    outputs = saved(inputs if len(inputs) > 1 else inputs[0])
    generator = keras.Model(inputs if len(inputs) > 1 else inputs[0],
                            keras.ops.cast(outputs, "float32"), name=saved.name)
    return generator, about


# ----------------------------------------------------------------------------- saved files
def shipped_fix(folder):
    """What to do about a damaged file of the shipped folder `folder`."""
    return (f"Restore the files of {folder} as shipped (in a git checkout: git checkout -- "
            f"{folder}), or export the run again (python -m ganlib export RUN_DIR --name "
            f"{os.path.basename(os.path.normpath(folder))}).")


def sha256_file(path):
    """The sha256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_about(folder, fix=None):
    """A shipped folder's ``about.json`` (``{}`` where it has none), after checking that every
    file its ``sha256`` entry lists is there with those very bytes."""
    path = os.path.join(folder, ABOUT)
    if not os.path.isfile(path):
        return {}
    fix = fix or shipped_fix(folder)
    about = _read_json(path, folder, fix)
    if not isinstance(about, dict):
        raise RunFolderError(f"{path} is not a JSON object (it holds a {type(about).__name__}). "
                             f"{fix}")
    sums = about.get("sha256", {})
    if not isinstance(sums, dict):
        raise RunFolderError(f"{path}: its sha256 entry is not a table of file names. {fix}")
    for name, want in sums.items():
        file = os.path.join(folder, str(name))
        if os.path.basename(str(name)) != name:
            raise RunFolderError(f"{path}: sha256 names {name!r}, not a file of the folder. {fix}")
        if not os.path.isfile(file):
            raise RunFolderError(f"{file} is missing (about.json lists it). {fix}")
        got = sha256_file(file)
        if got != want:
            raise RunFolderError(
                f"{file} is not the file that was shipped: its sha256 is {got[:16]}..., "
                f"about.json says {str(want)[:16]}... (damaged, or copied from another run). "
                f"{fix}")
    return about


def load_generator(path, fix):
    """The saved generator at `path` (Keras safe mode: no code from the file runs; not
    compiled).  A file Keras cannot read, or one with NaN or infinite weights (it would draw
    NaN or blank images), gives a `RunFolderError` naming the file, ending with `fix`."""
    if not os.path.isfile(path):
        raise RunFolderError(f"{path} is missing. {fix}")
    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as e:  # a truncated zip is reported by Keras as "File not found"
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise RunFolderError(
            f"cannot read {path}: it is not a whole .keras model file of plain Keras layers "
            f"({type(e).__name__}: {first[:200]}). {fix}") from None
    bad = [w.path for w in model.weights if not np.isfinite(np.asarray(w.numpy())).all()]
    if bad:
        raise RunFolderError(
            f"{path} holds non-finite weights (NaN or infinity) in {len(bad)} of its "
            f"{len(model.weights)} weight arrays (e.g. {bad[0]}): it would draw NaN or blank "
            f"images. {fix}")
    return model


def _io_shapes(model):
    try:
        return ([tuple(t.shape[1:]) for t in model.inputs],
                [tuple(t.shape[1:]) for t in model.outputs])
    except (AttributeError, ValueError):   # a model never called: nothing to compare
        return None


def fit_generator(generator, saved, what, target, fix="", assign=True):
    """Copy the weights of `saved` (a loaded generator) into `generator` after checking that
    it takes the same inputs, makes the same images and has weights of the same shapes; a
    `RunFolderError` saying that `what` does not fit `target` otherwise (and `generator`
    untouched).  ``assign=False``: check only."""
    mine, theirs = _io_shapes(generator), _io_shapes(saved)
    if mine and theirs and mine != theirs:
        raise RunFolderError(
            f"{what} does not fit {target} (it takes inputs {theirs[0]} and makes {theirs[1]}; "
            f"{target} takes {mine[0]} and makes {mine[1]}). {fix}".rstrip())
    try:
        have = [tuple(w.shape) for w in generator.weights]
    except AttributeError:
        raise RunFolderError(f"{what} does not fit {target}: it has no generator. "
                             f"{fix}".rstrip()) from None
    want = [tuple(w.shape) for w in saved.weights]
    if have != want:
        first = next((i for i, (a, b) in enumerate(zip(have, want)) if a != b),
                     min(len(have), len(want)))
        raise RunFolderError(
            f"{what} does not fit {target} ({len(want)} weight arrays against {len(have)}; the "
            f"first that differs, #{first}: {want[first] if first < len(want) else 'none'} "
            f"against {have[first] if first < len(have) else 'none'}). {fix}".rstrip())
    if assign:
        generator.set_weights(saved.get_weights())


def check_history(record, path, fix):
    """`record` (a loaded ``history.json``) if it is one: losses as lists of numbers, a
    whole number of generator steps; a `RunFolderError` naming `path` otherwise."""
    ok = (isinstance(record, dict) and isinstance(record.get("history"), dict)
          and all(isinstance(v, list) and all(isinstance(x, (int, float)) and not
                                              isinstance(x, bool) for x in v)
                  for v in record["history"].values())
          and isinstance(record.get("steps"), int) and not isinstance(record["steps"], bool)
          and record["steps"] >= 0 and isinstance(record.get("callbacks", {}), dict))
    if not ok:
        raise RunFolderError(f"{path} is not a run's history (losses as lists of numbers and "
                             f"its generator steps). {fix}")
    return record


def _sweep_smoke_folders():
    """Remove the smoke-run folders of processes that have ended without removing their own
    (a notebook kernel that was killed, not shut down).  Only folders this module names and
    only when their process is gone."""
    root = tempfile.gettempdir()
    for entry in os.listdir(root):
        if not entry.startswith(SMOKE_PREFIX):
            continue
        pid = entry[len(SMOKE_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(os.path.join(root, entry), ignore_errors=True)
        except OSError:
            pass  # alive, under another user


# ----------------------------------------------------------------------------- small helpers
def _now():
    return datetime.datetime.now().isoformat(timespec="seconds")


def _write_json(path, obj):
    """Write JSON atomically: a crash leaves the old file or the new one, never half of one."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1, default=_jsonable)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _fsync(path):
    """Flush a file (or a folder's entries) to disk, where the system allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _jsonable(x):
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    return str(x)


def _damaged(path, error, folder):
    return RunFolderError(
        f"cannot read {path}: {type(error).__name__}: {error}. The backup is damaged (for example "
        f"the run was killed while writing it). Delete the folder {folder} to start this run "
        "over, or pass another run folder.")


def _read_json(path, folder, fix=None):
    """A JSON file of a run folder; a `RunFolderError` naming it when it cannot be read (`fix`
    says what to do; default: the damaged-backup advice)."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError, RecursionError) as e:
        if isinstance(e, RecursionError):
            e = ValueError("nested too deeply to be a ganlib file")
        if fix is None:
            raise _damaged(path, e, folder) from None
        raise RunFolderError(f"cannot read {path}: {type(e).__name__}: {e}. {fix}") from None


def _strip_names(obj):
    """A config without layer names, which Keras numbers by how many layers a session made:
    each name becomes its order of appearance, in `name` fields and in the references of a
    functional model's graph (``keras_history``) alike, so rebuilding the same model in the
    same kernel gives the same config."""
    names = {}

    def collect(o):
        if isinstance(o, dict):
            if isinstance(o.get("name"), str):
                names.setdefault(o["name"], f"#{len(names)}")
            for v in o.values():
                collect(v)
        elif isinstance(o, (list, tuple)):
            for v in o:
                collect(v)

    def rename(o):
        if isinstance(o, dict):
            return {k: rename(v) for k, v in o.items() if k != "name"}
        if isinstance(o, (list, tuple)):
            return [rename(v) for v in o]
        return names.get(o, o) if isinstance(o, str) else o

    collect(obj)
    return rename(obj)


def _digest(obj):
    text = json.dumps(_strip_names(obj), sort_keys=True, default=_jsonable)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def model_settings(model):
    """The plain-valued constructor arguments a model keeps as attributes (seed, weights, ...)."""
    out = {}
    for cls in type(model).__mro__:
        if cls in (keras.Model, keras.layers.Layer) or "__init__" not in vars(cls):
            continue
        for name in inspect.signature(cls.__init__).parameters:
            value = getattr(model, name, None)
            if name not in out and isinstance(value, (bool, int, float, str, type(None))):
                out[name] = value
    return out


def _code_digest(fn):
    """A digest of a loss function's code (its source where Python has it), so that a backup
    made with other loss maths (say a ½ removed) is not resumed as the same run."""
    try:
        text = inspect.getsource(fn)
    except (OSError, TypeError):
        text = getattr(fn, "__qualname__", repr(fn))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run_identity(model, params, spec=None):
    """What a run is: the backup of one run is resumed only by a run with the same identity."""
    ident = {"family": type(model).__name__,
             "settings": model_settings(model),
             "mode": config.run_mode(),
             "precision": keras.mixed_precision.global_policy().name,
             "intervals": params.get("epochs"),
             "steps_per_interval": params.get("steps")}
    for part in ("generator", "discriminator"):
        sub = getattr(model, part, None)
        if sub is not None:
            ident[part] = _digest(sub.get_config())
    for part in ("d_optimizer", "g_optimizer", "optimizer"):
        opt = getattr(model, part, None)
        if opt is not None:
            ident[part] = _digest(opt.get_config())
    for part in ("d_loss_fn", "g_loss_fn"):
        fn = getattr(model, part, None)
        if fn is not None:
            ident[part] = _code_digest(fn)
    ident.update(spec or {})
    return json.loads(json.dumps(ident, default=_jsonable))


def _differences(found, wanted):
    keys = sorted(set(found) | set(wanted))
    return [f"{k}: backup has {found.get(k)!r}, this run has {wanted.get(k)!r}"
            for k in keys if found.get(k) != wanted.get(k)]


def state_variables(model):
    """Every variable a training run changes: weights, optimizer slots, noise seed."""
    seen, out = set(), []
    groups = [model.variables] + [getattr(getattr(model, o, None), "variables", [])
                                  for o in ("d_optimizer", "g_optimizer", "optimizer")]
    for group in groups:
        for v in group or []:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
    return out


def generator_steps(model):
    opt = getattr(model, "g_optimizer", None) or getattr(model, "optimizer", None)
    return int(opt.iterations.numpy()) if opt is not None else 0


# ----------------------------------------------------------------------------- the folder
_HELD = {}   # run folder (real path) -> [its open lock file, holders in this process]


def _os_lock(f):
    if fcntl is not None:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover (Windows)
        import msvcrt
        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)


def _os_unlock(f):
    if fcntl is not None:
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)
    else:  # pragma: no cover (Windows)
        import msvcrt
        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)


def _holder(text):
    try:
        who = json.loads(text)
        pid, host, since = int(who["pid"]), str(who["host"]), str(who.get("since", "?"))
    except (ValueError, KeyError, TypeError):
        return "another process"
    text = f"pid {pid} on host {host}, since {since}"
    if host == socket.gethostname():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            text += (f"; pid {pid} has ended, but a process it started still holds the lock: "
                     "end that one")
        except OSError:
            pass
    return text


def lock_run_folder(path):
    """Take the run folder's lock, ``ganlib-run.lock`` (an OS file lock, with the holder's pid
    and host written in it), for this process; another process that holds it gives a
    `RunFolderError` naming that process.  Re-entrant within a process: every call is matched
    by one `release_run_folder`.  The system drops the lock of a process that ends, killed or
    not, so a dead run never blocks its folder (whatever its lock file still says)."""
    real = os.path.realpath(str(path))
    if real in _HELD:
        _HELD[real][1] += 1
        return
    f = open(os.path.join(real, LOCK), "a+")
    try:
        _os_lock(f)
    except OSError as e:
        held = fcntl is None or isinstance(e, BlockingIOError)
        if not held:   # a file system without locks (some network mounts): go on without
            import warnings
            warnings.warn(f"cannot lock {os.path.join(real, LOCK)} ({e}); two runs started "
                          "into this folder at once would not be stopped")
            _HELD[real] = [f, 1]
            return
        try:
            f.seek(0)
            who = _holder(f.read())
        except OSError:
            who = "another process"
        f.close()
        raise RunFolderError(
            f"{real} is in use: another training run ({who}) is writing into it, and two runs "
            "in one folder would overwrite each other's backup. Wait for that run to end (or "
            "stop it), or pass another run folder.") from None
    f.seek(0)
    f.truncate()
    f.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": _now()}))
    f.flush()
    _HELD[real] = [f, 1]


def release_run_folder(path):
    """Give back one hold of `lock_run_folder` on `path` (the lock goes with the last one)."""
    real = os.path.realpath(str(path))
    held = _HELD.get(real)
    if held is None:
        return
    held[1] -= 1
    if held[1] <= 0:
        del _HELD[real]
        try:
            _os_unlock(held[0])
        except OSError:
            pass
        held[0].close()


def _marker(path, folder):
    info = _read_json(path, folder)
    if not isinstance(info, dict) or info.get("made_by") != "ganlib":
        raise _damaged(path, ValueError(f"not a ganlib run marker: {str(info)[:80]!r}"), folder)
    return info


def open_run_folder(path):
    """Create `path` as a run folder, or check that an existing one is ganlib's, and take its
    lock (`lock_run_folder`; the caller releases it with `release_run_folder`) before writing
    anything; returns its marker."""
    path = os.path.abspath(str(path))
    marker = os.path.join(path, MARKER)
    if os.path.exists(path) and not os.path.isdir(path):
        raise RunFolderError(f"run folder {path} is a file, not a folder; pass another run folder")

    def foreign():
        if os.path.isdir(path) and not os.path.isfile(marker) and set(os.listdir(path)) - {LOCK, MARKER + ".tmp"}:
            raise RunFolderError(
                f"{path} already holds files that ganlib did not write (it has no {MARKER}). "
                "ganlib writes only into run folders of its own and never into yours: pass a new "
                f"folder name, for example {os.path.join(path, 'run')}")
    foreign()
    os.makedirs(path, exist_ok=True)
    lock_run_folder(path)
    try:
        foreign()                                   # again, now that the folder is ours alone
        if os.path.isfile(marker):
            return _marker(marker, path)
        info = {"made_by": "ganlib", "created": _now(), "identity": None, "steps": 0,
                "complete": False}
        _write_json(marker, info)
        return info
    except BaseException:
        release_run_folder(path)
        raise


def load_history(path):
    """The loss history and recorded metrics a finished (or stopped) run saved in its folder."""
    file = os.path.join(str(path), HISTORY)
    return check_history(_read_json(file, str(path)), file,
                         "Run the training again with this folder to write it anew.")


def current_backup(run_dir):
    """The folder of `run_dir`'s backup unit, the one a resume reads (``backup/current.json``
    names it; ``backup`` itself for a backup of the layout before units), or None."""
    folder = os.path.abspath(str(run_dir))
    backup = os.path.join(folder, BACKUP)
    pointer = os.path.join(backup, CURRENT)
    if os.path.isfile(pointer):
        cur = _read_json(pointer, folder)
        name = cur.get("unit") if isinstance(cur, dict) else None
        if not (isinstance(name, str) and name.startswith(UNIT)
                and os.path.basename(name) == name):
            raise _damaged(pointer, ValueError(f"it names no backup unit: {str(cur)[:80]!r}"),
                           folder)
        unit = os.path.join(backup, name)
        if not os.path.isdir(unit):
            raise _damaged(unit, FileNotFoundError("the backup unit is missing"), folder)
        return unit
    if any(os.path.exists(os.path.join(backup, n)) for n in (WEIGHTS, METADATA)):
        return backup
    return None


def _sweep_backups(backup, keep):
    """Remove ganlib's own superseded backups from `backup`: units other than `keep`, units
    left half-written by a killed run, and the files of the layout before units."""
    for entry in os.listdir(backup):
        path = os.path.join(backup, entry)
        if entry == keep or entry == CURRENT:
            continue
        if entry.startswith(UNIT) and os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        elif entry in (WEIGHTS, METADATA, STATE, "saving.weights.h5") or entry.endswith(".tmp"):
            os.remove(path)


class RunBackup(keras.callbacks.BackupAndRestore):
    """Keras' `BackupAndRestore`, confined to ``run_dir/backup`` and told what it belongs to.

    Differences from the stock callback: a backup is one unit (weights, optimizer slots,
    interval, loss history, callback states), written into a new folder and switched to in
    one atomic step, so a run killed at any moment resumes from a whole backup and ends at
    exactly its scheduled steps; it deletes nothing but its own superseded units (the stock
    one removes its whole folder when `fit()` ends); it does not save an interval whose
    losses are not finite; it resumes only a backup of the same run (`run_identity`); it
    holds the run folder's lock from the start of `fit()` to its end (one run per folder);
    a damaged backup gives a `RunFolderError` naming the file; and at the end it saves the
    final generator and the whole history into the run folder.

    `GAN.fit` hands it the other callbacks, so that those with ``get_state``/``set_state``
    (e.g. `metrics.MetricHistory`) resume with their records, and merges the history of the
    intervals run before an interruption into the History `fit()` returns.
    """

    def __init__(self, run_dir, spec=None, verbose=True):
        if not run_dir:
            raise ValueError("run_dir is empty: pass a folder name, e.g. runs.run_dir('01_dcgan')")
        self.run_dir = os.path.abspath(str(run_dir))
        super().__init__(os.path.join(self.run_dir, BACKUP), delete_checkpoint=False)
        self.spec, self.verbose = dict(spec or {}), verbose
        self.peers = []
        self.history = {}
        self.identity = None
        self._locked = False

    # -- paths
    def _path(self, name):
        return os.path.join(self.run_dir, name)

    def release(self):
        """Give back the run folder's lock (`GAN.fit` calls it however `fit()` ends)."""
        if self._locked:
            self._locked = False
            release_run_folder(self.run_dir)

    # -- resume
    def on_train_begin(self, logs=None):
        info = open_run_folder(self.run_dir)
        self._locked = True
        try:
            self._begin(info)
        except BaseException:
            self.release()
            raise

    def _begin(self, info):
        self.identity = run_identity(self.model, self.params or {}, self.spec)
        unit = current_backup(self.run_dir)
        if unit is not None and info.get("identity") is not None and \
                info["identity"] != self.identity:
            diff = "\n  ".join(_differences(info["identity"], self.identity))
            raise RunFolderError(
                f"{self.run_dir} holds the backup of a different run, so it is not resumed:\n  "
                f"{diff}\nTo keep that run, pass another run folder for this one; to start over, "
                f"delete {self.run_dir}.")
        self.history, start = {}, 0
        if unit is not None:
            start = self._restore(unit)
            if self.verbose:
                total = (self.params or {}).get("epochs")
                done = "the run is complete: nothing left to train" if start >= (total or 0) \
                    else "resuming"
                print(f"Run folder {self.run_dir}: backup after {generator_steps(self.model)} "
                      f"generator steps ({start} of {total} intervals); {done}. Delete the "
                      "folder to start over.")
        if info.get("identity") != self.identity:
            info.update(identity=self.identity, updated=_now())
            _write_json(self._path(MARKER), info)
        if unit is not None:
            self._record_progress(start)      # a run killed before it updated the marker
            if unit != self.backup_dir:       # units a run killed while saving left behind
                _sweep_backups(self.backup_dir, keep=os.path.basename(unit))
        self._start_steps = generator_steps(self.model)
        self._pending = False

    def _restore(self, unit):
        """Load the backup unit `unit` into the model and the callbacks; returns its interval."""
        paths = {n: os.path.join(unit, n) for n in (WEIGHTS, METADATA, STATE)}
        for path in paths.values():
            if not os.path.exists(path):
                raise _damaged(path, FileNotFoundError("missing"), self.run_dir)
        meta = _read_json(paths[METADATA], self.run_dir)
        if not isinstance(meta, dict) or not isinstance(meta.get("epoch"), int) \
                or isinstance(meta["epoch"], bool) or meta["epoch"] < 0:
            raise _damaged(paths[METADATA], ValueError(f"no interval in {str(meta)[:80]!r}"),
                           self.run_dir)
        state = _read_json(paths[STATE], self.run_dir)
        if not isinstance(state, dict) or not isinstance(state.get("history", {}), dict) \
                or not isinstance(state.get("callbacks", {}), dict):
            raise _damaged(paths[STATE], ValueError("not a loss history"), self.run_dir)
        try:
            self.model.load_weights(paths[WEIGHTS])
        except Exception as e:  # h5py's OSError, or weights that do not fit the model
            raise _damaged(paths[WEIGHTS], e, self.run_dir) from None
        epoch, steps = meta["epoch"], generator_steps(self.model)
        every = (self.params or {}).get("steps")
        want = meta.get("steps", epoch * every if every else steps)
        if steps != want or (every and steps != epoch * every):
            raise _damaged(paths[WEIGHTS], ValueError(
                f"its weights are at generator step {steps}, but the backup belongs to interval "
                f"{epoch} of {every} steps (written by a run killed while saving)"), self.run_dir)
        self.model._initial_epoch = epoch
        self._current_epoch = epoch
        self.history = {k: list(v) for k, v in state.get("history", {}).items()}
        for cb in self.peers:
            key = self._peer_key(cb)
            if key in state.get("callbacks", {}) and hasattr(cb, "set_state"):
                cb.set_state(state["callbacks"][key])
        return epoch

    def _record_progress(self, epoch):
        """The marker's account of how far the run got (written only when it changes)."""
        info = _marker(self._path(MARKER), self.run_dir)
        total = (self.params or {}).get("epochs")
        now = dict(steps=generator_steps(self.model), intervals_done=epoch,
                   complete=bool(total) and epoch >= total)
        if any(info.get(k) != v for k, v in now.items()):
            info.update(now, updated=_now())
            _write_json(self._path(MARKER), info)

    def _peer_key(self, cb):
        same = [c for c in self.peers if type(c) is type(cb)]
        return f"{type(cb).__name__}:{same.index(cb)}"

    # -- save
    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        for k, v in logs.items():
            self.history.setdefault(k, []).append(float(v))
        self._current_epoch = epoch + 1
        finite = all(np.isfinite(float(v)) for v in logs.values())
        # Saved at the start of the next interval (or at the end): by then every other
        # callback has recorded this interval too (e.g. MetricHistory's FD).
        self._pending = finite and not getattr(self.model, "_ganlib_nonfinite", False)

    def on_epoch_begin(self, epoch, logs=None):
        if getattr(self, "_pending", False):
            self._save_model()
            self._pending = False

    def on_train_batch_end(self, batch, logs=None):
        pass  # saves once per logging interval only

    def _callback_states(self):
        return {self._peer_key(cb): cb.get_state() for cb in self.peers
                if hasattr(cb, "get_state")}

    def _save_model(self):
        """Write the backup of the interval just finished as one unit: every file into a new
        folder, then ``current.json`` switched to it (`os.replace`), then the old unit
        removed and the marker told.  Killed before the switch, the previous unit stands."""
        os.makedirs(self.backup_dir, exist_ok=True)
        epoch, steps = self._current_epoch, generator_steps(self.model)
        unit = os.path.join(self.backup_dir, f"{UNIT}{epoch:06d}-{uuid.uuid4().hex[:8]}")
        os.mkdir(unit)
        self.model.save_weights(os.path.join(unit, WEIGHTS))
        _fsync(os.path.join(unit, WEIGHTS))
        _write_json(os.path.join(unit, STATE), {"history": self.history,
                                                "callbacks": self._callback_states()})
        _write_json(os.path.join(unit, METADATA), {"epoch": epoch, "batch": 0, "steps": steps})
        _fsync(unit)
        _write_json(os.path.join(self.backup_dir, CURRENT),
                    {"unit": os.path.basename(unit), "epoch": epoch, "steps": steps,
                     "saved": _now()})
        _fsync(self.backup_dir)
        _sweep_backups(self.backup_dir, keep=os.path.basename(unit))
        self._record_progress(epoch)

    def _saved_steps(self):
        """The generator steps of the run folder's ``history.json`` (None: none, or damaged)."""
        try:
            with open(self._path(HISTORY)) as f:
                steps = json.load(f).get("steps")
        except (OSError, ValueError, RecursionError, AttributeError):
            return None
        return steps if isinstance(steps, int) else None

    def on_train_end(self, logs=None):
        """Save the final generator and the history (the history last: it says which step
        the pair belongs to, so a run killed between the two writes them again)."""
        self.on_epoch_begin(None)
        steps = generator_steps(self.model)
        stale = self._saved_steps() != steps
        gen = getattr(self.model, "generator", None)
        if gen is not None and (stale or not os.path.exists(self._path(GENERATOR))):
            tmp = self._path("saving.keras")
            gen.save(tmp)
            _fsync(tmp)
            os.replace(tmp, self._path(GENERATOR))
            stale = True
        if stale:
            _write_json(self._path(HISTORY), {"history": self.history, "steps": steps,
                                              "callbacks": self._callback_states()})
        self.release()


# ----------------------------------------------------------------------------- shipped runs
class ShippedGenerator(RunBackup):
    """``GANLIB_MODE=pretrained``: load a shipped reference run's generator instead of training.

    In `fit()` it takes the place of `RunBackup`: it loads ``generator.keras`` (Keras' safe
    mode) into the model's generator, the run's loss history and the records of callbacks such
    as `metrics.MetricHistory` from ``history.json``, sets the optimizers' step counters to the
    reference run's generator steps (so pictures are labelled with them), and tells `fit()` that
    no interval is left: not one step is trained, and nothing is written into the folder.
    """

    def on_train_begin(self, logs=None):
        path = self._path(GENERATOR)
        name = os.path.basename(self.run_dir)
        fix = (shipped_fix(self.run_dir)[:-1] + "; or train this run yourself: set "
               "GANLIB_MODE=class (or unset it) and run the cell again.")
        about = read_about(self.run_dir, fix)    # ({} without one; names a missing file)
        if not os.path.isfile(path):
            have = shipped_runs(os.path.dirname(self.run_dir))
            raise RunFolderError(
                f"GANLIB_MODE=pretrained, but no generator is shipped for the run {name!r} "
                f"(no {path}). Shipped: {', '.join(have) or 'none'}. To train this run instead, "
                "set GANLIB_MODE=class (or unset it) and run the cell again.")
        saved = load_generator(path, fix)
        generator = getattr(self.model, "generator", None)
        fit_generator(generator, saved, path, "this model's generator", fix, assign=False)
        made = (about.get("identity") or {}) if isinstance(about.get("identity"), dict) else {}
        made = {"family": made.get("family"), "name": (made.get("settings") or {}).get("name")}
        here = {"family": type(self.model).__name__, "name": getattr(self.model, "name", None)}
        if made["family"] is not None and made != here:
            raise RunFolderError(
                f"{self.run_dir} ships a {made['family']} run named {made['name']!r} "
                f"(about.json), but this model is a {here['family']} named {here['name']!r}: "
                f"the shipped folder is of another run than this one. {fix}")
        if not os.path.isfile(self._path(HISTORY)):
            raise RunFolderError(f"{self._path(HISTORY)} is missing, so the shipped run's steps "
                                 f"and losses are unknown. {fix}")
        record = check_history(_read_json(self._path(HISTORY), self.run_dir, fix),
                               self._path(HISTORY), fix)
        generator.set_weights(saved.get_weights())    # every check passed: load it
        self.history = {k: list(v) for k, v in record["history"].items()}
        for cb in self.peers:
            key = self._peer_key(cb)
            if key in record.get("callbacks", {}) and hasattr(cb, "set_state"):
                cb.set_state(record["callbacks"][key])
        steps = record["steps"]
        for part in ("g_optimizer", "d_optimizer"):
            opt = getattr(self.model, part, None)
            if opt is not None:
                opt.iterations.assign(steps)
        self.model._initial_epoch = int((self.params or {}).get("epochs") or 0)
        self._start_steps = steps
        if self.verbose:
            made = f": {about['made']}" if about.get("made") else ""
            print(f"GANLIB_MODE=pretrained: loaded the generator shipped in {self.run_dir} "
                  f"({steps} generator steps{made}); nothing is trained. Unset GANLIB_MODE (or "
                  "set it to class) to train it yourself.")

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass   # a shipped folder is read, never written


def half_precision_copy(model):
    """`model` with float16 variables (the same layers and weights, rounded): half the file.

    What ships in ``data/pretrained``: it loads with plain `keras.saving.load_model`, and
    `ShippedGenerator` casts its weights back into the float32 model a notebook builds."""
    def half(layer):
        cfg = layer.get_config()
        cfg["dtype"] = "float16"
        return layer.__class__.from_config(cfg)
    copy = keras.models.clone_model(model, clone_function=half)
    copy.set_weights([np.asarray(w).astype(np.float16) for w in model.get_weights()])
    return copy


def check_exportable(run_dir, dest):
    """(folder, marker, fix) of a run folder that `export_run` can ship to `dest`: finished,
    its ``history.json`` whole and of the marker's step; `dest` must not exist."""
    src = os.path.abspath(str(run_dir))
    for need in (MARKER, GENERATOR, HISTORY):
        if not os.path.isfile(os.path.join(src, need)):
            raise RunFolderError(f"{src} has no {need}: export a finished run folder")
    if os.path.exists(dest):
        raise RunFolderError(f"{dest} exists; ganlib does not overwrite it: remove it yourself "
                             "or pass another destination")
    fix = f"Train the run again (python -m ganlib train ... --run-dir {src}) to write it anew."
    info = _marker(os.path.join(src, MARKER), src)
    history = check_history(_read_json(os.path.join(src, HISTORY), src, fix),
                            os.path.join(src, HISTORY), fix)
    if history["steps"] != info.get("steps"):
        raise RunFolderError(
            f"{os.path.join(src, HISTORY)} is of generator step {history['steps']}, its "
            f"{MARKER} says {info.get('steps')}: the run has not finished saving. {fix}")
    return src, info, fix


def export_run(run_dir, dest, made, metrics=None, float16=True):
    """Copy a finished run's generator, history and strip into `dest` (a new folder), with an
    ``about.json`` saying how it was made (`made`, one line), what it measured (`metrics`)
    and the sha256 of every file shipped (checked when the folder is loaded).  The generator
    is stored with float16 weights (`half_precision_copy`) unless `float16` is False.  A run
    whose generator or history is damaged is refused; `dest` appears whole or not at all."""
    src, info, fix = check_exportable(run_dir, dest)
    generator = load_generator(os.path.join(src, GENERATOR), fix)
    parent = os.path.dirname(os.path.abspath(dest))
    os.makedirs(parent, exist_ok=True)
    tmp = os.path.join(parent, f".{os.path.basename(dest)}.exporting-{uuid.uuid4().hex[:8]}")
    os.mkdir(tmp)
    try:
        for name in (HISTORY, "strip.png") + (() if float16 else (GENERATOR,)):
            if os.path.isfile(os.path.join(src, name)):
                shutil.copy2(os.path.join(src, name), os.path.join(tmp, name))
        if float16:
            half_precision_copy(generator).save(os.path.join(tmp, GENERATOR))
        shipped = sorted(os.listdir(tmp))
        _write_json(os.path.join(tmp, ABOUT), {
            "made": made, "identity": info.get("identity"), "steps": info.get("steps"),
            "chapter": info.get("chapter"), "metrics": metrics or {},
            "stored_as": "float16" if float16 else "as trained",
            "generator_bytes": os.path.getsize(os.path.join(tmp, GENERATOR)),
            "sha256": {n: sha256_file(os.path.join(tmp, n)) for n in shipped},
            "exported": _now()})
        os.rename(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest
