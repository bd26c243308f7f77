"""ganlib: the reusable code behind the GAN teaching notebooks.

One module per concern: `data` (loading and pipelines), `gan` (the shared trainer), `runs`
(run folders: backup, resume, final generator), `losses`, one small module per family
(`dcgan`, ...), `viz`, `config` (run modes, precision, seeds) and `show` (display library
source in a notebook).
"""
import os
import sys

__version__ = "0.1.0"


def _import_tensorflow_quietly():
    """Import TensorFlow with its C++ start-up log lines (oneDNN, CUDA stubs) silenced.

    TF 2.21 writes them through absl before any log level is read, so environment
    variables cannot turn them off; they would land in every notebook's first output.
    Only file descriptor 2 during the import is muted: Python errors still surface.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" in sys.modules:
        return
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr (some embedded kernels): nothing to mute
        import tensorflow  # noqa: F401
        return
    try:
        with open(os.devnull, "w") as devnull:
            sys.stderr.flush()
            os.dup2(devnull.fileno(), 2)
            import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_import_tensorflow_quietly()
