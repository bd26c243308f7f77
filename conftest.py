"""Pytest set-up shared by the unit tests and `pytest --nbval notebooks/`.

Test runs use the `smoke` run mode (a handful of training steps), unless GANLIB_MODE is
already set; notebook kernels started by nbval inherit this environment.
"""
import os

os.environ.setdefault("GANLIB_MODE", "smoke")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# (No MPLBACKEND here: notebook kernels inherit this environment and must keep the
# inline backend, or their figures vanish from the outputs nbval compares.)


# The slowest tests (notebooks run whole, command-line subprocesses, a kill at every file
# operation): marked `slow`, so that CI's second Python (3.13) can run the rest (`-m "not
# slow"`) while its first runs everything.  Measured with `pytest --durations`; each takes
# several seconds to over a minute on 2 cores.
SLOW = (
    "tests/test_pretrained.py::test_a_notebook_whose_runs_all_ship_runs_whole_without_training",
    "tests/test_pretrained.py::test_notebook_01_goes_straight_to_the_demos",
    "tests/test_cli.py::test_bad_sample_and_evaluate_arguments_give_clear_errors",
    "tests/test_cli.py::test_a_run_killed_while_saving_resumes_to_exactly_its_steps",
    "tests/test_cli.py::test_train_sample_evaluate",
    "tests/test_cli.py::test_mirrored_strategy_from_the_command_line",
    "tests/test_cli.py::test_set_changes_the_schedule_is_recorded_and_must_match_to_resume",
    "tests/test_runs.py::test_a_kill_at_every_point_of_every_save_resumes_to_exactly_the_schedule",
    "tests/test_compare.py::test_runs_have_equal_generator_budgets_and_fd_curves",
    "tests/test_distribute.py::",
    "tests/test_comparison_chapters.py::test_train_sample_and_evaluate_from_the_command_lines_api",
)


def pytest_collection_modifyitems(config, items):
    import pytest
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
