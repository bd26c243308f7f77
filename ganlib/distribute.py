"""Training on more than one device with `tf.distribute`, through the same `fit()`.

    strategy = distribute.strategy("mirrored")      # all GPUs of this machine
    with strategy.scope():
        gan = dcgan.make_dcgan(seed=0)               # variables mirrored on every device
    gan.fit(dataset, ...)                            # each global batch split between them

or ``python -m ganlib train 01_dcgan --strategy mirrored``.  The recipe's batch stays the
*global* batch: with 2 devices each computes half of it.  The GAN trainer divides each
replica's loss by the number of replicas (`gan.per_replica`), so the summed gradients are
those of the global batch, and gives each replica its own rows of the noise
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
import os

STRATEGIES = ("none", "mirrored", "multiworker")


def split_cpu(n):
    """Present the CPU as `n` logical devices; must run before TensorFlow sets up its devices."""
    import tensorflow as tf
    n = int(n)
    if n < 1:
        raise ValueError(f"GANLIB_CPU_DEVICES / split_cpu: need at least 1 device, got {n}")
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n)])
    except RuntimeError as e:
        raise RuntimeError(f"cannot split the CPU into {n} devices once TensorFlow has started: "
                           "set GANLIB_CPU_DEVICES before anything runs on TensorFlow") from e


def strategy(name="none"):
    """A `tf.distribute` strategy by name: ``none`` (one device, TensorFlow's default),
    ``mirrored`` (every GPU here, else every logical CPU device) or ``multiworker``."""
    import tensorflow as tf
    if name not in STRATEGIES:
        raise ValueError(f"unknown strategy {name!r}; choose one of {', '.join(STRATEGIES)}")
    if name == "none":
        return tf.distribute.get_strategy()
    if name == "multiworker":
        if "TF_CONFIG" not in os.environ:
            raise ValueError("--strategy multiworker needs TF_CONFIG naming the workers (see "
                             "ganlib/distribute.py)")
        return tf.distribute.MultiWorkerMirroredStrategy()
    gpus = tf.config.list_logical_devices("GPU")
    devices = [d.name for d in gpus] or [d.name for d in tf.config.list_logical_devices("CPU")]
    return tf.distribute.MirroredStrategy(devices)
