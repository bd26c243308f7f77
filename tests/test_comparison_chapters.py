"""The runs of the chapters' controlled comparisons (#35) are CLI chapters like the others:
trained into a run folder, sampled and evaluated through `ganlib.chapters`."""
import numpy as np
import pytest

from ganlib import chapters

NEW = {"02_cgan": "class accuracy", "02_acgan_noaux": "class accuracy",
       "03_infogan_plain": "code purity", "04_pix2pix_edges": "edge sharpness",
       "04_pix2pix_edges_l1only": "edge sharpness", "04_pix2pix_map2sat_l1only": "ssim"}


def test_the_comparison_runs_are_listed_with_the_recipe_they_change():
    assert set(NEW) <= set(chapters.CHAPTERS)
    assert chapters.get("02_acgan_noaux").schedule("class")["class_weight"] == 0.0
    assert chapters.get("02_acgan").schedule("class")["class_weight"] > 0
    plain = chapters.get("03_infogan_plain").schedule("class")
    recipe = chapters.get("03_infogan").schedule("class")
    assert (plain["lambda_ms"], plain["lambda_aug"], plain["code_scale"]) == (0.0, 0.0, 1.0)
    assert (recipe["lambda_ms"], recipe["lambda_aug"]) != (0.0, 0.0)
    assert plain["g_filters"] == recipe["g_filters"] and plain["steps"] == recipe["steps"]
    assert chapters.get("04_pix2pix_edges_l1only").schedule("class")["adv_weight"] == 0.0
    assert chapters.get("04_pix2pix_map2sat_l1only").schedule("class")["adv_weight"] == 0.0
    assert chapters.get("04_pix2pix_map2sat_l1only").options["direction"] == "map2sat"


@pytest.mark.parametrize("name", ["02_cgan", "02_acgan_noaux", "03_infogan_plain",
                                  "04_pix2pix_edges"])
def test_train_sample_and_evaluate_from_the_command_lines_api(name, tmp_path):
    run = tmp_path / name
    chapters.train(name, "smoke", str(run), seed=0, verbose=0)
    grid, cols = chapters.sample(str(run), n=12)
    assert grid.dtype == np.uint8 and grid.ndim == 3 and cols >= 3
    scores = chapters.evaluate(str(run), n=40)
    assert scores["chapter"] == name and NEW[name] in scores
    assert np.isfinite(scores.get("FD", 0.0))


def test_against_says_which_way_and_whether_better():
    from ganlib import compare
    assert compare.against("FD", 95.65, 54.34) == "FD 95.7 against 54.3: higher (worse)"
    assert compare.against("code purity", 0.773, 0.749) == "code purity 0.773 against 0.749: higher (better)"
    assert compare.against("lowest class accuracy", 0.01, 0.3) == \
        "lowest class accuracy 0.01 against 0.3: lower (worse)"
    assert compare.against("lowest variety", 0.62, 0.52) == \
        "lowest variety 0.62 against 0.52: higher (better)"
    assert compare.against("q_cont_loss (last interval)", 0.2, 0.069) == \
        "q_cont_loss (last interval) 0.2 against 0.069: higher"   # no known direction
    assert compare.against("FD", 1.0, 1.0) == "FD 1 against 1: equal"
