"""Training on more than one device with `tf.distribute`, through the same `fit()`.

    strategy = distribute.strategy("mirrored")      # all GPUs of this machine
    with strategy.scope():
        gan = dcgan.make_dcgan(seed=0)               # variables mirrored on every device
    gan.fit(dataset, ...)                            # each global batch split between them

or ``python -m ganlib train 01_dcgan --strategy mirrored``.  The recipe's batch stays the
*global* batch: with 2 devices each computes half of it.  The GAN trainer divides each
replica's gradients by the number of replicas (`gan.per_replica`), so their sum is the
gradient of the global batch, and gives each replica its own rows of the noise
(`GAN.replica_rows`).  BatchNorm layers normalise with their replica's statistics, as in
any Keras model under `MirroredStrategy`.

Several machines: ``--strategy multiworker`` (`tf.distribute.MultiWorkerMirroredStrategy`);
start the same command on every machine, each with a ``TF_CONFIG`` environment variable
naming all workers and its own index, e.g. on the first of two:

    TF_CONFIG='{"cluster": {"worker": ["host1:12345", "host2:12345"]},
                "task": {"type": "worker", "index": 0}}'

and give each worker its own ``--run-dir`` (only the chief's is the run's record).

On a CPU-only machine, ``GANLIB_CPU_DEVICES=2`` (read before TensorFlow starts) splits the
CPU into 2 logical devices, so `mirrored` can be tried - and is tested - without GPUs.
"""
import json
import numbers
import os

STRATEGIES = ("none", "mirrored", "multiworker")


def _device_count(n, what):
    """`n` (a number, or the text of an environment variable) as a whole number from 1."""
    text = n.strip() if isinstance(n, str) else n
    if isinstance(text, str) and text.isdigit():
        text = int(text)
    if isinstance(text, bool) or not isinstance(text, numbers.Integral) or text < 1:
        raise ValueError(f"{what}={n!r} is not a number of devices: give a whole number, at "
                         "least 1, e.g. GANLIB_CPU_DEVICES=2 (the CPU as 2 logical devices)")
    return int(text)


def cpu_devices():
    """``GANLIB_CPU_DEVICES`` as a number of logical CPU devices, or None when it is unset."""
    raw = os.environ.get("GANLIB_CPU_DEVICES", "")
    return _device_count(raw, "GANLIB_CPU_DEVICES") if raw.strip() else None


def split_cpu(n):
    """Present the CPU as `n` logical devices; must run before TensorFlow sets up its devices.
    `n` may be the text of ``GANLIB_CPU_DEVICES``."""
    import tensorflow as tf
    n = _device_count(n, "GANLIB_CPU_DEVICES" if isinstance(n, str) else "split_cpu: n")
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n)])
    except RuntimeError as e:
        raise RuntimeError(f"cannot split the CPU into {n} devices once TensorFlow has started: "
                           "set GANLIB_CPU_DEVICES before anything runs on TensorFlow") from e


TF_CONFIG_EXAMPLE = ('{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
                     '"task": {"type": "worker", "index": 0}}')


def tf_config():
    """``TF_CONFIG`` (what `MultiWorkerMirroredStrategy` reads) as a dict, checked: a JSON
    object whose ``cluster`` maps each job to a list of "host:port" addresses and whose
    ``task`` names one of those jobs and an index within it.  Refused, naming the problem,
    when missing or malformed (TensorFlow itself would fail later with a parser error)."""
    raw = os.environ.get("TF_CONFIG", "")
    fix = f"set it on each machine like TF_CONFIG='{TF_CONFIG_EXAMPLE}' (see ganlib/distribute.py)"
    if not raw.strip():
        raise ValueError(f"--strategy multiworker needs TF_CONFIG naming the workers: {fix}")
    try:
        cfg = json.loads(raw)
    except ValueError as e:
        raise ValueError(f"TF_CONFIG={raw[:80]!r} is not JSON ({e}): {fix}") from None
    cluster = cfg.get("cluster") if isinstance(cfg, dict) else None
    task = cfg.get("task") if isinstance(cfg, dict) else None
    if not isinstance(cluster, dict) or not cluster or not all(
            isinstance(v, list) and v and all(isinstance(a, str) and ":" in a for a in v)
            for v in cluster.values()):
        raise ValueError(f"TF_CONFIG={raw[:80]!r}: its \"cluster\" must map each job (e.g. "
                         f"\"worker\") to a list of \"host:port\" addresses: {fix}")
    if not isinstance(task, dict) or task.get("type") not in cluster:
        raise ValueError(f"TF_CONFIG={raw[:80]!r}: its \"task\" must name this machine's job, "
                         f"one of {sorted(cluster)}, as \"type\": {fix}")
    index = task.get("index")
    if isinstance(index, bool) or not isinstance(index, int) \
            or not 0 <= index < len(cluster[task["type"]]):
        raise ValueError(f"TF_CONFIG={raw[:80]!r}: \"task\" \"index\" must be this machine's "
                         f"position in cluster[{task['type']!r}], 0 to "
                         f"{len(cluster[task['type']]) - 1}, got {index!r}")
    return cfg


def strategy(name="none"):
    """A `tf.distribute` strategy by name: ``none`` (one device, TensorFlow's default),
    ``mirrored`` (every GPU here, else every logical CPU device) or ``multiworker``."""
    import tensorflow as tf
    if name not in STRATEGIES:
        raise ValueError(f"unknown strategy {name!r}; choose one of {', '.join(STRATEGIES)}")
    if name == "none":
        return tf.distribute.get_strategy()
    if name == "multiworker":
        tf_config()
        return tf.distribute.MultiWorkerMirroredStrategy()
    gpus = tf.config.list_logical_devices("GPU")
    devices = [d.name for d in gpus] or [d.name for d in tf.config.list_logical_devices("CPU")]
    return tf.distribute.MirroredStrategy(devices)
