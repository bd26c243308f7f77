"""`python -m ganlib`: train, sample and evaluate a chapter in smoke mode, and clear errors."""
import json
import os
import shutil
import subprocess
import sys

import pytest
import numpy as np
from PIL import Image

from ganlib import chapters, runlog, runs
from ganlib.__main__ import main


def train(chapter, run_dir, *extra):
    return main(["train", chapter, "--mode", "smoke", "--run-dir", str(run_dir),
                 "--precision", "float32", "--quiet", *extra])


@pytest.mark.parametrize("chapter", ["01_dcgan", "02_acgan", "03_infogan", "04_pix2pix",
                                     "05_wgan_gp", "06_lsgan"])
def test_train_sample_evaluate(chapter, tmp_path, capsys):
    run = tmp_path / "run"
    assert train(chapter, run) == 0
    for name in (runs.GENERATOR, runs.HISTORY, runlog.STRIP, runlog.GIF):
        assert (run / name).is_file(), name
    assert json.loads((run / runs.MARKER).read_text())["chapter"] == chapter
    out = tmp_path / "grid.png"
    assert main(["sample", str(run), "--n", "12", "--out", str(out)]) == 0
    assert Image.open(out).size[0] > 28
    scores = tmp_path / "scores.json"
    assert main(["evaluate", str(run), "--n", "40", "--json", str(scores)]) == 0
    got = json.loads(scores.read_text())
    assert got["chapter"] == chapter and got["mode"] == "smoke"
    want = {"02_acgan": "class accuracy", "03_infogan": "code purity", "04_pix2pix": "ssim"}
    assert want.get(chapter, "FD") in got, got
    # running it again resumes the finished run: no step trained, nothing rewritten
    before = (run / runs.GENERATOR).stat().st_mtime_ns
    capsys.readouterr()
    assert train(chapter, run) == 0
    assert "nothing left to train" in capsys.readouterr().out
    assert (run / runs.GENERATOR).stat().st_mtime_ns == before


def test_clear_errors(tmp_path, capsys):
    with pytest.raises(SystemExit):                       # argparse: bad flag value
        main(["train", "dcgan", "--mode", "fast", "--run-dir", str(tmp_path / "a")])
    assert "invalid choice: 'fast'" in capsys.readouterr().err
    assert train("dcgan3", tmp_path / "a") == 2
    assert "unknown chapter 'dcgan3'" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()
    run = tmp_path / "dc"
    assert train("01", run) == 0
    assert train("lsgan", run) == 2
    assert "run folder of chapter 01_dcgan, not 06_lsgan" in capsys.readouterr().err
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    assert train("dcgan", mine) == 2
    assert "did not write" in capsys.readouterr().err
    assert (mine / "notes.txt").read_text() == "mine"
    existing = tmp_path / "grid.png"
    existing.write_bytes(b"keep")
    with pytest.raises(SystemExit):
        main(["sample", str(run), "--out", str(existing)])
    assert "does not overwrite" in capsys.readouterr().err and existing.read_bytes() == b"keep"
    with pytest.raises(SystemExit):
        main(["sample", str(run), "--n", "0", "--out", str(tmp_path / "x.png")])
    assert main(["evaluate", str(tmp_path / "nowhere")]) == 2
    assert "not a ganlib run folder" in capsys.readouterr().err


def test_chapter_names_and_aliases():
    assert chapters.get("dcgan").name == chapters.get("01").name == "01_dcgan"
    assert chapters.get("WGAN-GP").name == "05_wgan_gp"
    with pytest.raises(chapters.ChapterError, match="unknown chapter"):
        chapters.get("07")


def test_mirrored_strategy_from_the_command_line(tmp_path):
    env = dict(os.environ, GANLIB_CPU_DEVICES="2")
    out = subprocess.run([sys.executable, "-m", "ganlib", "train", "dcgan", "--mode", "smoke",
                          "--run-dir", str(tmp_path / "run"), "--strategy", "mirrored",
                          "--precision", "float32", "--quiet"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "done:" in out.stdout and (tmp_path / "run" / runs.GENERATOR).is_file()
    assert "strategy: MirroredStrategy with 2 replicas (device:CPU:0, device:CPU:1)" in out.stdout


def test_chapter_numbers_name_the_main_run_and_06_dcgan_is_the_dcgan_loss():
    """"06" is the LSGAN chapter's own run; 06_dcgan (the notebook's comparison run, shipped for
    GANLIB_MODE=pretrained) builds the same networks with a sigmoid D and cross-entropy."""
    assert {n: chapters.get(n).name for n in ("01", "05", "06")} == {
        "01": "01_dcgan", "05": "05_wgan", "06": "06_lsgan"}
    dc, ls = (chapters.get(n) for n in ("06_dcgan", "06_lsgan"))
    gan_dc = chapters.build(dc, dc.schedule("smoke"), seed=0)
    gan_ls = chapters.build(ls, ls.schedule("smoke"), seed=0)
    assert (gan_dc.name, gan_ls.name) == ("dcgan", "lsgan")
    assert gan_dc.discriminator.layers[-1].get_config().get("activation") == "sigmoid"
    assert gan_ls.discriminator.layers[-1].get_config().get("activation") in (None, "linear")
    assert gan_dc.generator.count_params() == gan_ls.generator.count_params()


def test_the_l1_only_chapter_is_pix2pixs_unet_without_the_adversarial_term(tmp_path):
    """04_pix2pix_l1only (notebook 04's comparison run, shipped for GANLIB_MODE=pretrained)
    trains the chapter's U-Net on L1 alone; the chapter's own run keeps its adversarial term."""
    main_run, l1 = chapters.get("04"), chapters.get("04_pix2pix_l1only")
    assert main_run.name == "04_pix2pix"
    for mode in ("smoke", "class", "full"):
        assert l1.schedule(mode)["adv_weight"] == 0.0
        assert main_run.schedule(mode)["adv_weight"] > 0
        assert {k: v for k, v in l1.schedule(mode).items() if k != "adv_weight"} == \
            {k: v for k, v in main_run.schedule(mode).items() if k != "adv_weight"}
    gan = chapters.build(l1, l1.schedule("smoke"), seed=0)
    assert gan.adv_weight == 0.0
    assert gan.generator.count_params() == \
        chapters.build(main_run, main_run.schedule("smoke"), seed=0).generator.count_params()
    run = tmp_path / "run"
    assert train("04_pix2pix_l1only", run) == 0
    chapter, loaded, mode = chapters.load(run)
    assert (chapter.name, mode, loaded.adv_weight) == ("04_pix2pix_l1only", "smoke", 0.0)


def test_set_changes_the_schedule_is_recorded_and_must_match_to_resume(tmp_path, capsys):
    """``--set width=0.125`` trains a narrower U-Net; sample/evaluate/resume rebuild it from
    the run folder; another --set on the same folder, or an unknown key, is refused."""
    run = tmp_path / "narrow"
    assert train("04_pix2pix", run, "--set", "width=0.125") == 0
    assert json.loads((run / runs.MARKER).read_text())["set"] == {"width": 0.125}
    _, gan, _ = chapters.load(run)
    wide = chapters.build(chapters.get("04"), chapters.get("04").schedule("smoke"), seed=0)
    assert gan.generator.count_params() < wide.generator.count_params() / 2
    assert main(["sample", str(run), "--n", "6", "--out", str(tmp_path / "g.png")]) == 0
    capsys.readouterr()
    assert train("04_pix2pix", run, "--set", "width=0.125") == 0        # resumes: finished
    assert "nothing left to train" in capsys.readouterr().out
    assert train("04_pix2pix", run) == 2
    assert "was trained with --set width=0.125" in capsys.readouterr().err
    assert train("04_pix2pix", tmp_path / "b", "--set", "widht=0.5") == 2
    err = capsys.readouterr().err
    assert "--set widht: not an entry" in err and "width" in err
    assert train("04_pix2pix", tmp_path / "c", "--set", "width") == 2
    assert "write KEY=VALUE" in capsys.readouterr().err
    assert not (tmp_path / "b").exists() and not (tmp_path / "c").exists()
    assert chapters.parse_set(["a=1", "b=0.5", "c=true", "d=None", "e=x"]) == \
        {"a": 1, "b": 0.5, "c": True, "d": None, "e": "x"}


def test_pretrained_mode_builds_pix2pixs_reference_networks():
    """pix2pix ships quarter-width reference runs (the class U-Net is over 5 MB in float16):
    GANLIB_MODE=pretrained's schedule builds them; every other family builds its class nets."""
    from ganlib import config, dcgan, pix2pix
    # the shipped references were trained with the tutorial's full-width PatchGAN
    assert config.select(pix2pix.SCHEDULES, "pretrained", verbose=False) == \
        dict(pix2pix.SCHEDULES["class"], width=pix2pix.REFERENCE_WIDTH, d_width=1.0)
    assert pix2pix.REFERENCE_WIDTH < pix2pix.SCHEDULES["class"]["width"]
    assert config.select(dcgan.SCHEDULES, "pretrained", verbose=False) == dcgan.SCHEDULES["class"]
    ref = chapters.get("04").schedule("pretrained")
    gen = pix2pix.build_generator((ref["image_size"],) * 2 + (3,), width=ref["width"])
    assert gen.count_params() * 2 <= 5 * 2**20        # float16 weights within data/'s 5 MB



# ----------------------------------------------------------------------------- #33
def test_bad_set_values_are_refused_before_the_folder_is_made(tmp_path, capsys):
    """A --set value that cannot train (a count of 0 or below, steps that are not whole
    logging intervals, a value of the wrong kind, a network that cannot be built) is refused
    before the run folder is made or marked; the same folder then trains with good values."""
    run = tmp_path / "run"
    for bad, says in [("steps=25", "multiple of log_every=10"), ("steps=0", "at least 1"),
                      ("steps=-10", "at least 1"), ("sample_every=0", "at least 1"),
                      ("sample_every=-1", "at least 1"), ("log_every=0", "at least 1"),
                      ("sample_every=1.5", "must be a whole number"),
                      ("steps_per_execution=3", "must divide log_every=10"),
                      ("batch_size=true", "must be a whole number"),
                      ("steps=nan", "must be a whole number")]:
        assert train("01_dcgan", run, "--set", bad) == 2, bad
        err = capsys.readouterr().err
        assert f"--set {bad.split('=')[0]}" in err and says in err, (bad, err)
        assert "Traceback" not in err and not run.exists(), bad
    pix = tmp_path / "pix"
    for bad, says in [("width=-0.5", "at least 0"), ("width=0", "cannot be built"),
                      ("n_train=0", "at least 1"), ("image_size=[32]", "must be a whole number")]:
        assert train("04_pix2pix", pix, "--set", bad) == 2, bad
        err = capsys.readouterr().err
        assert says in err and not pix.exists(), (bad, err)
    with pytest.raises(chapters.ChapterError, match="multiple of log_every"):
        chapters.train("01_dcgan", "smoke", run, overrides={"steps": 25}, verbose=0)
    with pytest.raises(chapters.ChapterError, match="seed"):
        chapters.train("01_dcgan", "smoke", run, seed=-1, verbose=0)
    assert not run.exists()
    assert train("01_dcgan", run, "--set", "steps=30") == 0
    assert json.loads((run / runs.MARKER).read_text())["set"] == {"steps": 30}
    assert runs.load_history(run)["steps"] == 30


KILLER = r"""
import os, sys
import keras
from ganlib.__main__ import main
saves = []
save_weights, replace = keras.Model.save_weights, os.replace
def counted_save(self, path, *a, **k):
    save_weights(self, path, *a, **k)
    saves.append(path)
def killing_replace(src, dst):
    replace(src, dst)
    if len(saves) == 3:    # the backup after interval 3: its weights are written and the next
        os._exit(9)        # file put in place, then the process is killed on the spot
keras.Model.save_weights, os.replace = counted_save, killing_replace
main(sys.argv[1:])
"""


def test_a_run_killed_while_saving_resumes_to_exactly_its_steps(tmp_path):
    """#33's case: `train 01_dcgan --mode smoke --steps 60`, killed (os._exit, no clean-up)
    right after a backup's weights are put in place (before the layout of one unit: replaced,
    with the interval not yet written), then run again: it ends at 60 generator steps with 6
    logged intervals, and its resume line agrees with itself (it trained 70 and said "after
    30 generator steps (2 of 6 intervals)" before backups were one unit)."""
    run = tmp_path / "run"
    args = ["train", "01_dcgan", "--mode", "smoke", "--steps", "60", "--run-dir", str(run),
            "--precision", "float32", "--quiet"]
    out = subprocess.run([sys.executable, "-c", KILLER, *args], capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 9, out.stderr[-3000:]
    assert not (run / runs.GENERATOR).exists()
    out = subprocess.run([sys.executable, "-m", "ganlib", *args], capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "backup after 20 generator steps (2 of 6 intervals); resuming" in out.stdout
    history = runs.load_history(run)
    assert history["steps"] == 60 and [len(v) for v in history["history"].values()] == [6, 6]
    info = json.loads((run / runs.MARKER).read_text())
    assert info["steps"] == 60 and info["intervals_done"] == 6 and info["complete"]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished smoke run of chapter 01, copied for each test that damages it."""
    run = tmp_path_factory.mktemp("finished") / "run"
    assert train("01_dcgan", run) == 0
    return run


def damaged(finished, tmp_path, name, content):
    run = tmp_path / "run"
    shutil.copytree(finished, run)
    (run / name).write_bytes(content(run / name) if callable(content) else content)
    return run


def one_line_error(capsys, *must):
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, err
    for text in must:
        assert text in err, (text, err)
    return err


@pytest.mark.parametrize("case", ["json", "list", "nested", "no-identity-mode"])
def test_a_damaged_marker_gives_a_one_line_error(case, finished, tmp_path, capsys):
    content = {"json": b'{"made_by": "ganlib", ', "list": b"[]",
               "nested": b"[" * 100000 + b"]" * 100000,
               "no-identity-mode": lambda p: json.dumps(dict(
                   json.loads(p.read_text()), identity={"settings": 3})).encode()}[case]
    run = damaged(finished, tmp_path, runs.MARKER, content)
    for command in (["sample", str(run), "--out", str(tmp_path / "g.png")],
                    ["evaluate", str(run), "--n", "20"]):
        assert main(command) == 2, command
        one_line_error(capsys, str(run / runs.MARKER), "train the run again")
        assert not (tmp_path / "g.png").exists()
    with pytest.raises(chapters.ChapterError, match=runs.MARKER):
        chapters.sample(run)


def test_a_truncated_or_nan_generator_gives_a_one_line_error(finished, tmp_path, capsys):
    """A truncated generator.keras (Keras said "file not found" about a file that exists)
    and one with NaN weights (sample wrote a black PNG and exited 0) are refused by name."""
    run = damaged(finished, tmp_path, runs.GENERATOR, lambda p: p.read_bytes()[:5000])
    out = tmp_path / "g.png"
    assert main(["sample", str(run), "--out", str(out)]) == 2
    one_line_error(capsys, f"cannot read {run / runs.GENERATOR}", "not a whole .keras")
    assert not out.exists()
    import keras
    shutil.rmtree(run)
    run = damaged(finished, tmp_path, runs.HISTORY, lambda p: p.read_bytes())
    g = keras.saving.load_model(run / runs.GENERATOR, safe_mode=True)
    g.set_weights([w * np.nan if i == 0 else w for i, w in enumerate(g.get_weights())])
    os.remove(run / runs.GENERATOR)
    g.save(run / runs.GENERATOR)
    assert main(["sample", str(run), "--out", str(out)]) == 2
    one_line_error(capsys, str(run / runs.GENERATOR), "non-finite weights")
    assert not out.exists()
    assert main(["evaluate", str(run), "--n", "20"]) == 2
    one_line_error(capsys, "non-finite weights")
    with pytest.raises(chapters.ChapterError, match="non-finite"):
        chapters.load(run)


def test_bad_sample_and_evaluate_arguments_give_clear_errors(finished, tmp_path, capsys):
    out = str(tmp_path / "g.png")
    for argv, says in [(["sample", str(finished), "--seed", "-1", "--out", out], "--seed"),
                       (["sample", str(finished), "--n", "0", "--out", out], "--n"),
                       (["sample", str(finished), "--n", "-4", "--out", out], "--n"),
                       (["evaluate", str(finished), "--n", "1"], "--n"),
                       (["evaluate", str(finished), "--n", "-5"], "--n"),
                       (["evaluate", str(finished), "--seed", "-2"], "--seed")]:
        with pytest.raises(SystemExit) as e:
            main(argv)
        assert e.value.code == 2
        err = capsys.readouterr().err
        assert says in err and "Traceback" not in err, (argv, err)
    for call, says in [(lambda: chapters.sample(finished, n=0), "--n"),
                       (lambda: chapters.sample(finished, seed=-1), "--seed"),
                       (lambda: chapters.sample(finished, n=2.5), "--n"),
                       (lambda: chapters.evaluate(finished, n=1), "--n"),
                       (lambda: chapters.evaluate(finished, n="10"), "--n"),
                       (lambda: chapters.evaluate(finished, seed=2**40), "--seed")]:
        with pytest.raises(ValueError, match=says):
            call()
    assert not os.path.exists(out)
    from ganlib import data
    ((_, _), (x_test, _)), _ = data.load_dataset("fashion_mnist", verbose=False)
    scores = chapters.evaluate(finished, n=len(x_test) + 1)   # more than there are: says so
    assert scores["n"] == len(x_test)


@pytest.mark.parametrize("name,value", [("GANLIB_CPU_DEVICES", "abc"), ("GANLIB_MODE", "bogus"),
                                        ("GANLIB_PRECISION", "half")])
def test_an_unknown_environment_value_is_one_line_naming_it(name, value, tmp_path):
    env = dict(os.environ, **{name: value})
    out = subprocess.run([sys.executable, "-m", "ganlib", "train", "01_dcgan", "--mode", "smoke",
                          "--run-dir", str(tmp_path / "r")], capture_output=True, text=True,
                         env=env, cwd=str(tmp_path))
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert name in out.stderr and value in out.stderr
    assert not (tmp_path / "r").exists()
