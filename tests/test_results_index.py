"""benchmarks/results/README.md is the results page: every table at its top level is listed
there (recipe experiments go to experiments/), and every table it lists exists."""
import os
import re

RESULTS = os.path.join(os.path.dirname(__file__), "..", "benchmarks", "results")


def _index():
    with open(os.path.join(RESULTS, "README.md"), encoding="utf-8") as f:
        return f.read()


def _stem(name):
    return name.split(".", 1)[0]


def test_every_result_file_is_listed_on_the_results_page():
    text = _index()
    names = set(re.findall(r"`([\w.-]+?)(?:\.\w+)?`", text))
    missing = sorted(f for f in os.listdir(RESULTS)
                     if os.path.isfile(os.path.join(RESULTS, f)) and f != "README.md"
                     and _stem(f) not in names)
    assert not missing, (f"benchmarks/results/README.md does not list {missing}: add a line "
                         "saying what each is, or move recipe experiments to experiments/")


def test_every_table_the_results_page_lists_exists():
    stems = {_stem(f) for f in os.listdir(RESULTS)}
    listed = set(re.findall(r"`((?:quality|loss_comparison|speed|toy|eval|ganlab|lsgan|"
                            r"infogan|resume)_[\w-]+?)(?:\.\w+)?`", _index()))
    assert not sorted(listed - stems), f"listed but missing: {sorted(listed - stems)}"
