"""Run folders: where a training run keeps its backup, its final generator and its history.

A run folder belongs to ganlib: ganlib creates it, marks it with ``ganlib-run.json`` and writes
only inside it.  A folder that exists, holds files and has no such mark is somebody else's, and
ganlib refuses to use it rather than write into it.  Nothing in a run folder is ever deleted;
files are replaced atomically (written beside, then renamed), so a run killed while saving
keeps its previous backup.

    runs/class/01_dcgan/
        ganlib-run.json        what the run is (family, settings, schedule, seed, mode) and how far it got
        backup/                the full training state after the last finished logging interval
            latest.weights.h5      weights, optimizer slots and the noise seed (Keras' BackupAndRestore)
            training_metadata.json the interval it belongs to
            state.json             the loss history and the states of callbacks such as MetricHistory
        generator.keras        the final generator (also after a stop on a non-finite loss)
        history.json           the loss history and recorded metrics of the whole run

Running the same training again with the same folder **resumes** it: after an interruption it
carries on from the last finished interval; after a finished run it loads the result and
trains no further step.  A backup made by a different run (another family, other settings,
schedule, seed or run mode) is never resumed: `RunFolderError` says what differs.

Test runs never see a classroom run: `run_dir` gives ``runs/<mode>/<name>`` for the ``class``
and ``full`` modes and a new temporary folder for ``smoke`` runs (CI, pytest, nbval).

``GANLIB_MODE=pretrained``: `run_dir` gives the folder of a reference run shipped with the
project, ``data/pretrained/<name>`` (or ``$GANLIB_PRETRAINED_DIR/<name>``), and the training
callbacks are a single `ShippedGenerator`, which loads its generator and history instead of
training and writes nothing.  `export_run` makes such a folder from a finished run folder.
"""
import atexit
import datetime
import hashlib
import inspect
import json
import os
import shutil
import tempfile

import keras
import numpy as np

from . import config

MARKER = "ganlib-run.json"
BACKUP = "backup"
STATE = "state.json"
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


def load_shipped(name):
    """(generator, about) of the reference run `name` shipped in `pretrained_root()`: its
    ``generator.keras`` (safe mode; float16 weights, a float32 output) and ``about.json`` (how
    it was made, its steps and measures).  For a notebook's "what more training gives"."""
    folder = os.path.join(pretrained_root(), name)
    path = os.path.join(folder, GENERATOR)
    if not os.path.isfile(path):
        have = sorted(n for n in os.listdir(pretrained_root())
                      if os.path.isfile(os.path.join(pretrained_root(), n, GENERATOR))) \
            if os.path.isdir(pretrained_root()) else []
        raise FileNotFoundError(f"no reference run {name!r} is shipped (no {path}); shipped: "
                                f"{', '.join(have) or 'none'}")
    saved = keras.saving.load_model(path, compile=False, safe_mode=True)
    inputs = [keras.Input(t.shape[1:], dtype=t.dtype) for t in saved.inputs]
    outputs = saved(inputs if len(inputs) > 1 else inputs[0])
    generator = keras.Model(inputs if len(inputs) > 1 else inputs[0],
                            keras.ops.cast(outputs, "float32"), name=saved.name)
    about = _read_json(os.path.join(folder, ABOUT), folder) \
        if os.path.isfile(os.path.join(folder, ABOUT)) else {}
    return generator, about


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
    os.replace(tmp, path)


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


def _read_json(path, folder):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise _damaged(path, e, folder) from None


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
def open_run_folder(path):
    """Create `path` as a run folder, or check that an existing one is ganlib's; returns its marker."""
    path = os.path.abspath(str(path))
    marker = os.path.join(path, MARKER)
    if os.path.exists(path) and not os.path.isdir(path):
        raise RunFolderError(f"run folder {path} is a file, not a folder; pass another run folder")
    if os.path.isfile(marker):
        return _read_json(marker, path)
    if os.path.isdir(path) and os.listdir(path):
        raise RunFolderError(
            f"{path} already holds files that ganlib did not write (it has no {MARKER}). ganlib "
            "writes only into run folders of its own and never into yours: pass a new folder "
            f"name, for example {os.path.join(path, 'run')}")
    os.makedirs(path, exist_ok=True)
    info = {"made_by": "ganlib", "created": _now(), "identity": None, "steps": 0,
            "complete": False}
    _write_json(marker, info)
    return info


def load_history(path):
    """The loss history and recorded metrics a finished (or stopped) run saved in its folder."""
    return _read_json(os.path.join(str(path), HISTORY), str(path))


class RunBackup(keras.callbacks.BackupAndRestore):
    """Keras' `BackupAndRestore`, confined to ``run_dir/backup`` and told what it belongs to.

    Differences from the stock callback: it never deletes anything (the stock one removes its
    whole folder when `fit()` ends); it writes atomically; it does not save an interval whose
    losses are not finite; it resumes only a backup of the same run (`run_identity`); a
    damaged backup gives a `RunFolderError` naming the file; and at the end it saves the
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

    # -- paths
    def _path(self, name):
        return os.path.join(self.run_dir, name)

    @property
    def _state_path(self):
        return os.path.join(self.backup_dir, STATE)

    # -- resume
    def on_train_begin(self, logs=None):
        info = open_run_folder(self.run_dir)
        self.identity = run_identity(self.model, self.params or {}, self.spec)
        has_backup = os.path.exists(self._weights_path) or os.path.exists(self._training_metadata_path)
        if has_backup and info.get("identity") is not None and info["identity"] != self.identity:
            diff = "\n  ".join(_differences(info["identity"], self.identity))
            raise RunFolderError(
                f"{self.run_dir} holds the backup of a different run, so it is not resumed:\n  "
                f"{diff}\nTo keep that run, pass another run folder for this one; to start over, "
                f"delete {self.run_dir}.")
        self.history, start = {}, 0
        if has_backup:
            for path in (self._weights_path, self._training_metadata_path, self._state_path):
                if not os.path.exists(path):
                    raise _damaged(path, FileNotFoundError("missing"), self.run_dir)
            meta = _read_json(self._training_metadata_path, self.run_dir)
            if not isinstance(meta, dict) or not isinstance(meta.get("epoch"), int):
                raise _damaged(self._training_metadata_path, ValueError(f"no epoch in {meta!r}"),
                               self.run_dir)
            try:
                self._load_model()
            except Exception as e:  # h5py's OSError, or weights that do not fit the model
                raise _damaged(self._weights_path, e, self.run_dir) from None
            state = _read_json(self._state_path, self.run_dir)
            self.history = {k: list(v) for k, v in state.get("history", {}).items()}
            for cb in self.peers:
                key = self._peer_key(cb)
                if key in state.get("callbacks", {}) and hasattr(cb, "set_state"):
                    cb.set_state(state["callbacks"][key])
            start = int(self.model._initial_epoch or 0)
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
        self._start_steps = generator_steps(self.model)
        self._pending = False

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

    def _save_model(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        tmp = os.path.join(self.backup_dir, "saving.weights.h5")
        self.model.save_weights(tmp, overwrite=True)
        os.replace(tmp, self._weights_path)
        _write_json(self._state_path, {"history": self.history, "callbacks": {
            self._peer_key(cb): cb.get_state() for cb in self.peers if hasattr(cb, "get_state")}})
        _write_json(self._training_metadata_path, {"epoch": self._current_epoch, "batch": 0})
        info = _read_json(self._path(MARKER), self.run_dir)
        total = (self.params or {}).get("epochs")
        info.update(steps=generator_steps(self.model), intervals_done=self._current_epoch,
                    complete=bool(total) and self._current_epoch >= total, updated=_now())
        _write_json(self._path(MARKER), info)

    def on_train_end(self, logs=None):
        """Save the final generator and the history; never delete anything."""
        self.on_epoch_begin(None)
        trained = generator_steps(self.model) != self._start_steps
        gen = getattr(self.model, "generator", None)
        if gen is not None and (trained or not os.path.exists(self._path(GENERATOR))):
            tmp = self._path("saving.keras")
            gen.save(tmp)
            os.replace(tmp, self._path(GENERATOR))
        if trained or not os.path.exists(self._path(HISTORY)):
            _write_json(self._path(HISTORY), {
                "history": self.history, "steps": generator_steps(self.model),
                "callbacks": {self._peer_key(cb): cb.get_state()
                              for cb in self.peers if hasattr(cb, "get_state")}})


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
        if not os.path.isfile(path):
            root = os.path.dirname(self.run_dir)
            have = sorted(n for n in (os.listdir(root) if os.path.isdir(root) else [])
                          if os.path.isfile(os.path.join(root, n, GENERATOR)))
            raise RunFolderError(
                f"GANLIB_MODE=pretrained, but no generator is shipped for the run {name!r} "
                f"(no {path}). Shipped: {', '.join(have) or 'none'}. To train this run instead, "
                "set GANLIB_MODE=class (or unset it) and run the cell again.")
        saved = keras.saving.load_model(path, compile=False, safe_mode=True)
        generator = getattr(self.model, "generator", None)
        try:
            generator.set_weights(saved.get_weights())
        except (ValueError, AttributeError) as e:
            raise RunFolderError(
                f"{path} does not fit this model's generator ({e}): it was made for other "
                "settings. Train this run instead (GANLIB_MODE=class).") from None
        record = _read_json(self._path(HISTORY), self.run_dir) \
            if os.path.isfile(self._path(HISTORY)) else {}
        self.history = {k: list(v) for k, v in record.get("history", {}).items()}
        for cb in self.peers:
            key = self._peer_key(cb)
            if key in record.get("callbacks", {}) and hasattr(cb, "set_state"):
                cb.set_state(record["callbacks"][key])
        steps = int(record.get("steps", 0))
        for part in ("g_optimizer", "d_optimizer"):
            opt = getattr(self.model, part, None)
            if opt is not None:
                opt.iterations.assign(steps)
        self.model._initial_epoch = int((self.params or {}).get("epochs") or 0)
        self._start_steps = steps
        if self.verbose:
            about = _read_json(self._path(ABOUT), self.run_dir) \
                if os.path.isfile(self._path(ABOUT)) else {}
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


def export_run(run_dir, dest, made, metrics=None, float16=True):
    """Copy a finished run's generator, history and strip into `dest` (a new folder), with an
    ``about.json`` saying how it was made (`made`, one line) and what it measured (`metrics`).
    The generator is stored with float16 weights (`half_precision_copy`) unless `float16` is
    False."""
    src = os.path.abspath(str(run_dir))
    for need in (MARKER, GENERATOR, HISTORY):
        if not os.path.isfile(os.path.join(src, need)):
            raise RunFolderError(f"{src} has no {need}: export a finished run folder")
    if os.path.exists(dest):
        raise RunFolderError(f"{dest} exists; ganlib does not overwrite it: remove it yourself "
                             "or pass another destination")
    os.makedirs(dest)
    for name in (HISTORY, "strip.png") + (() if float16 else (GENERATOR,)):
        if os.path.isfile(os.path.join(src, name)):
            shutil.copy2(os.path.join(src, name), os.path.join(dest, name))
    if float16:
        generator = keras.saving.load_model(os.path.join(src, GENERATOR), compile=False)
        half_precision_copy(generator).save(os.path.join(dest, GENERATOR))
    info = _read_json(os.path.join(src, MARKER), src)
    _write_json(os.path.join(dest, ABOUT), {
        "made": made, "identity": info.get("identity"), "steps": info.get("steps"),
        "chapter": info.get("chapter"), "metrics": metrics or {},
        "stored_as": "float16" if float16 else "as trained",
        "generator_bytes": os.path.getsize(os.path.join(dest, GENERATOR)), "exported": _now()})
    return dest
