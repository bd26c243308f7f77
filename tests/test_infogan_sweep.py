import importlib.util
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "infogan_sweep", os.path.join(HERE, "..", "benchmarks", "infogan_sweep.py"))
sweep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sweep)


def test_parse_variant_reads_python_literals():
    assert sweep.parse_variant("base=") == ("base", {})
    name, kw = sweep.parse_variant("L=g_filters=(256,64,32) lambda_ms=0.0 n_zrec=8")
    assert name == "L" and kw == {"g_filters": (256, 64, 32), "lambda_ms": 0.0, "n_zrec": 8}


@pytest.mark.parametrize("bad", ["base", "=code_scale=4.0", "x=code_scale", "x=code_scale=four"])
def test_parse_variant_rejects_malformed_text(bad):
    with pytest.raises(ValueError, match="variant"):
        sweep.parse_variant(bad)
