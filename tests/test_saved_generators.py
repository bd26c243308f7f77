"""Every family's saved generator is plain Keras: it loads with `keras.saving.load_model`
(safe mode) in a fresh Python process that never imports ganlib, and draws the same images."""
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from ganlib import acgan, dcgan, infogan, lsgan, pix2pix, wgan


@pytest.fixture(autouse=True)
def float32_policy():
    keras.mixed_precision.set_global_policy("float32")


FAMILIES = {
    "dcgan": lambda: dcgan.make_dcgan(seed=0),
    "acgan": lambda: acgan.make_acgan(seed=0, **acgan.LIGHT_RECIPE),
    "infogan": lambda: infogan.make_infogan(seed=0, g_filters=(32, 16, 8), d_filters=(8, 16, 32)),
    "wgan": lambda: wgan.make_wgan(seed=0),
    "wgan_gp": lambda: wgan.make_wgan_gp(seed=0),
    "lsgan": lambda: lsgan.make_gan("lsgan", seed=0),
    "pix2pix": lambda: pix2pix.make_pix2pix(32, width=0.25, seed=0),
}


def fixed_inputs(model, n=4, seed=0):
    """Deterministic inputs for each of a generator's inputs (ints: class labels in 0..9)."""
    rng = np.random.default_rng(seed)
    out = []
    for spec in model.inputs:
        shape = (n,) + tuple(spec.shape[1:])
        if "int" in str(spec.dtype):
            out.append(rng.integers(0, 10, shape).astype(str(spec.dtype)))
        else:
            out.append(rng.uniform(-1, 1, shape).astype("float32"))
    return out


LOADER = textwrap.dedent("""
    import sys
    import numpy as np
    import keras
    for name in sys.argv[1:]:
        model = keras.saving.load_model(name + ".keras")   # safe_mode=True: no custom code
        inputs = dict(np.load(name + ".npz"))
        args = [inputs[f"in{i}"] for i in range(len(inputs))]
        keras.utils.set_random_seed(0)
        out = model(args if len(args) > 1 else args[0])      # called: pix2pix's dropout acts
        np.save(name + ".loaded.npy", np.asarray(out))
    assert "ganlib" not in sys.modules, "the loader imported ganlib"
    print("loaded", len(sys.argv) - 1, "generators without ganlib")
""")


def test_every_familys_saved_generator_loads_without_ganlib(tmp_path):
    names = []
    for family, make in FAMILIES.items():
        gan = make()
        base = str(tmp_path / family)
        gan.generator.save(base + ".keras")       # as runs.RunBackup saves generator.keras
        inputs = fixed_inputs(gan.generator)
        np.savez(base + ".npz", **{f"in{i}": a for i, a in enumerate(inputs)})
        keras.utils.set_random_seed(0)
        np.save(base + ".here.npy", np.asarray(gan.generator(inputs if len(inputs) > 1 else inputs[0])))
        names.append(base)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    script = tmp_path / "load.py"
    script.write_text(LOADER)
    out = subprocess.run([sys.executable, str(script), *names], cwd=str(tmp_path), env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert f"loaded {len(names)} generators without ganlib" in out.stdout
    for family, base in zip(FAMILIES, names):
        here, there = np.load(base + ".here.npy"), np.load(base + ".loaded.npy")
        assert here.shape == there.shape, family
        np.testing.assert_allclose(there, here, atol=1e-6, err_msg=family)


def test_every_model_load_in_ganlib_names_safe_mode():
    """#33: ganlib loads models with ``safe_mode=True`` written out wherever it loads one, not
    by relying on Keras' default (one call in chapters.py did)."""
    import ast
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ganlib")
    calls = []
    for root, _, files in os.walk(here):
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(root, name)
            for node in ast.walk(ast.parse(open(path).read())):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                        node.func, "id", None)) == "load_model":
                    safe = [k for k in node.keywords if k.arg == "safe_mode"]
                    calls.append((f"{name}:{node.lineno}", bool(safe) and isinstance(
                        safe[0].value, ast.Constant) and safe[0].value.value is True))
    assert len(calls) >= 2, calls
    assert all(ok for _, ok in calls), [where for where, ok in calls if not ok]


def test_a_generator_file_with_code_in_it_is_refused_by_name(tmp_path, capsys):
    """A run folder whose generator.keras holds a Lambda layer (code that loading would run)
    is refused by safe mode, with a one-line error naming the file, not a Keras traceback."""
    from ganlib import chapters, runs
    from ganlib.__main__ import main
    run = tmp_path / "run"
    assert main(["train", "06_lsgan", "--mode", "smoke", "--run-dir", str(run),
                 "--precision", "float32", "--quiet"]) == 0
    z = keras.Input(keras.saving.load_model(run / runs.GENERATOR, safe_mode=True).input_shape[1:])
    evil = keras.Model(z, keras.layers.Lambda(lambda t: t * 0 + 1)(z))
    os.remove(run / runs.GENERATOR)
    evil.save(run / runs.GENERATOR)
    out = tmp_path / "g.png"
    capsys.readouterr()
    assert main(["sample", str(run), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"cannot read {run / runs.GENERATOR}" in err and "Lambda" in err, err
    assert "\n" not in err.strip() and not out.exists()
    with pytest.raises(chapters.ChapterError, match="Lambda"):
        chapters.load(run)
