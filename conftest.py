"""Pytest set-up shared by the unit tests and `pytest --nbval notebooks/`.

Test runs use the `smoke` run mode (a handful of training steps), unless GANLIB_MODE is
already set; notebook kernels started by nbval inherit this environment.
"""
import os

os.environ.setdefault("GANLIB_MODE", "smoke")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# (No MPLBACKEND here: notebook kernels inherit this environment and must keep the
# inline backend, or their figures vanish from the outputs nbval compares.)
