"""The loss comparison of chapters 5-6 (`ganlib.compare`): runs, saves, loads, plots."""
import json

import matplotlib
import numpy as np
import pytest

from ganlib import compare

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def smoke_result():
    return compare.run("smoke", seed=0, n=200, history_points=2, names=["LSGAN", "WGAN"])


def test_runs_have_equal_generator_budgets_and_fd_curves(smoke_result):
    runs = smoke_result["runs"]
    assert [r["name"] for r in runs] == ["LSGAN", "WGAN"]
    steps = compare.SCHEDULES["smoke"]["steps"]
    assert all(r["steps"] == steps for r in runs)
    assert [r["d_steps"] for r in runs] == [1, 5]
    for r in runs:
        assert r["fd_steps"][0] == 0 and r["fd_steps"][-1] == steps
        assert len(r["fd_values"]) == len(r["fd_steps"])
        assert r["fd"] > smoke_result["real_fd"] > 0  # a few steps are far from real digits
        assert 1.0 <= r["classifier_score"] <= 10.0


def test_save_load_table_plot_round_trip(smoke_result, tmp_path):
    path = compare.save(smoke_result, str(tmp_path / "cmp.json"))
    loaded = compare.load(path=path)
    assert loaded == json.loads(json.dumps(smoke_result))
    text = compare.table(loaded)
    assert "LSGAN" in text and "WGAN" in text and "real digits" in text
    ax = compare.plot(loaded)
    assert len(ax.get_lines()) == 3  # two runs + the real-data floor


def test_other_seeds_save_beside_the_notebooks_comparison_not_over_it(smoke_result, tmp_path):
    """Seed 0 is the run notebooks 05 and 06 plot; a seed table's other seeds get files of
    their own, so measuring them leaves that run as it is."""
    d = str(tmp_path)
    assert compare.results_path("class", d) == compare.results_path("class", d, seed=0) \
        == str(tmp_path / "loss_comparison_class.json")
    assert compare.results_path("class", d, seed=2) == str(tmp_path / "loss_comparison_class_s2.json")
    mine = tmp_path / "loss_comparison_smoke.json"
    mine.write_text("{}")
    other = dict(smoke_result, seed=3)
    compare.RESULTS_DIR, saved_dir = d, compare.RESULTS_DIR
    try:
        path = compare.save(other)
    finally:
        compare.RESULTS_DIR = saved_dir
    assert path == str(tmp_path / "loss_comparison_smoke_s3.json")
    assert mine.read_text() == "{}" and compare.load(path=path)["seed"] == 3


def test_missing_or_empty_results_say_how_to_make_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="quality.py --chapters losses"):
        compare.load(path=str(tmp_path / "none.json"))
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"runs": []}))
    with pytest.raises(ValueError, match="no runs"):
        compare.load(path=str(empty))


def test_seed_summary_gives_median_and_spread_per_chapter_and_measure(tmp_path):
    rows = [dict(chapter="wgan-gp", seed=s, seconds=10.0 * s,
                 metrics={"FD": fd, "note": "text is skipped", "ok": True})
            for s, fd in ((1, 90.0), (2, 120.0), (3, 100.0))]
    rows.append(dict(chapter="  lsgan", seed=1, metrics={"FD": 111.0}))
    summary = compare.seed_summary(rows)
    assert summary["wgan-gp"]["FD"] == (100.0, 90.0, 120.0, 3)
    assert summary["wgan-gp"]["train s"] == (20.0, 10.0, 30.0, 3)
    assert set(summary["wgan-gp"]) == {"FD", "train s"} and summary["lsgan"]["FD"][3] == 1
    (tmp_path / "quality_class_seeds_x.json").write_text(json.dumps(rows))
    assert compare.load_seeds("x", results_dir=str(tmp_path)) == summary
    with pytest.raises(FileNotFoundError, match="quality.py --mode class --seeds"):
        compare.load_seeds("missing", results_dir=str(tmp_path))


def test_quality_table_merges_files_and_files_an_experiment_under_the_recipe(tmp_path):
    """`quality.py --table A B --rename OLD=NEW --json OUT`: one seed table from several runs,
    an experiment's rows counted with the recipe's own, its old name kept."""
    import importlib.util
    import os
    spec = importlib.util.spec_from_file_location(
        "quality", os.path.join(os.path.dirname(__file__), "..", "benchmarks", "quality.py"))
    quality = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(quality)
    a, b, out = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "out.json"
    a.write_text(json.dumps([dict(chapter="wgan-gp steps=500 lr=0.0002", seed=1,
                                  metrics={"FD": 70.0})]))
    b.write_text(json.dumps([dict(chapter="wgan-gp", seed=s, metrics={"FD": fd})
                             for s, fd in ((2, 80.0), (3, 90.0))]))
    quality.main(["--table", str(a), str(b), "--rename", "wgan-gp steps=500 lr=0.0002=wgan-gp",
                  "--json", str(out)])
    rows = json.loads(out.read_text())
    assert compare.seed_summary(rows)["wgan-gp"]["FD"] == (80.0, 70.0, 90.0, 3)
    assert rows[0]["experiment"] == "wgan-gp steps=500 lr=0.0002"


def load_quality_script():
    import importlib.util
    import os
    spec = importlib.util.spec_from_file_location(
        "quality", os.path.join(os.path.dirname(__file__), "..", "benchmarks", "quality.py"))
    quality = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(quality)
    return quality


def test_quality_keep_trains_through_the_cli_into_a_run_folder_it_can_sample(tmp_path):
    """`quality.py --keep ROOT`: each measured run is a `python -m ganlib train` run folder,
    ROOT/<cli chapter>_seed<seed>, with the --set entries recorded; a chapter without a CLI
    twin is refused before anything trains."""
    from ganlib import chapters
    quality = load_quality_script()
    out = tmp_path / "rows.json"
    quality.main(["--mode", "smoke", "--chapters", "acgan-noaux", "--seeds", "2", "--n", "40",
                  "--keep", str(tmp_path / "keep"), "--set", "lambda_ms=0.5",
                  "--json", str(out)])
    run = tmp_path / "keep" / "02_acgan_noaux_seed2"
    chapter, mode, seed, _, sets = chapters.run_info(str(run))
    assert (chapter.name, mode, seed, sets) == ("02_acgan_noaux", "smoke", 2, {"lambda_ms": 0.5})
    assert chapters.sample(str(run), n=10)[0].dtype == np.uint8
    rows = json.loads(out.read_text())
    assert rows[0]["seed"] == 2 and 0 <= rows[0]["metrics"]["class acc"] <= 1
    with pytest.raises(SystemExit, match="no `python -m ganlib` chapter"):
        quality.main(["--mode", "smoke", "--chapters", "wgan", "--keep", str(tmp_path / "k2")])
    assert not (tmp_path / "k2").exists()


def test_quality_set_reaches_the_schedule_or_the_model_builder_and_rejects_the_rest():
    """`--set KEY=VALUE`: a schedule key overrides the schedule; an argument of the family's
    make_ function that its train() passes on (InfoGAN's latent_dim) reaches the model, and
    a smoke run trains a model of that size; any other key stops before training."""
    from ganlib import infogan
    quality = load_quality_script()
    spec = quality.CHAPTERS["infogan"]
    schedule = dict(infogan.SCHEDULES["smoke"])
    assert quality.split_overrides(infogan, spec, "infogan", "smoke", schedule,
                                   {"lambda_cont": 4.0, "latent_dim": 16}) == \
        ({"lambda_cont": 4.0}, {"latent_dim": 16})
    with pytest.raises(SystemExit, match=r"\['latent_dims'\].*nor an argument of make_infogan"):
        quality.split_overrides(infogan, spec, "infogan", "smoke", schedule, {"latent_dims": 16})
    seen = {}
    real_train = infogan.train

    def spy(schedule=None, **kw):
        gan, history = real_train(dict(schedule, steps=2, log_every=1), **kw)
        seen["latent_dim"], seen["lambda_cont"] = gan.latent_dim, gan.lambda_cont
        return gan, history
    spy.__signature__ = __import__("inspect").signature(real_train)
    infogan.train = spy
    try:
        quality.run_chapter("infogan", "smoke", seed=0, n=40, history_points=1,
                            overrides={"latent_dim": 16, "lambda_cont": 4.0})
    finally:
        infogan.train = real_train
    assert seen == {"latent_dim": 16, "lambda_cont": 4.0}


def test_seed_lines_print_median_and_spread_per_run_ranked_and_name_missing_rows():
    rows = [dict(chapter=name, seed=s, metrics={"FD": fd, "classifier score": cs})
            for name, runs in (("losses: LSGAN", ((1, 150.0, 5.5), (2, 170.0, 5.0), (3, 160.0, 6.0))),
                               ("losses: WGAN-GP", ((1, 110.0, 7.0), (2, 90.0, 6.5), (3, 100.0, 7.5))))
            for s, fd, cs in runs]
    rows.append(dict(chapter="  losses: real train vs test", seed=1, metrics={"FD": 3.0}))
    seeds = compare.seed_summary(rows)
    text = compare.seed_lines(seeds, ranked_by="FD")
    first, second = text.splitlines()                     # the reference row is left out
    assert first.split()[:7] == ["losses:", "WGAN-GP", "FD", "100.0", "[90.0-110.0]",
                                 "classifier", "score"]
    assert first.split()[7:] == ["7.00", "[6.50-7.50]", "(3", "seeds)"]
    assert second.startswith("losses: LSGAN ") and "FD 160.0 [150.0-170.0]" in second
    assert compare.seed_lines(seeds, ["losses: LSGAN"], measures=("FD",)).endswith("(3 seeds)")
    with pytest.raises(KeyError, match="no rows \\['losses: DCGAN'\\]"):
        compare.seed_lines(seeds, ["losses: DCGAN"])


def test_side_by_side_puts_each_measure_on_a_row_and_each_run_in_a_column():
    text = compare.side_by_side({"this run": {"FD": 29.81234, "class accuracy": "95.0 %"},
                                 "reference run": {"FD": 21.0, "steps": 12000}})
    head, fd, acc, steps = text.splitlines()
    assert head.split() == ["this", "run", "reference", "run"]
    assert fd.split() == ["FD", "29.812", "21.000"]
    assert acc.split() == ["class", "accuracy", "95.0", "%"]        # blank where a run lacks it
    assert steps.split() == ["steps", "12000"] and steps.rstrip().endswith("12000")
    assert len({len(line.rstrip()) for line in (head, fd)}) == 1     # columns line up
    with pytest.raises(ValueError, match="at least one run"):
        compare.side_by_side({})


def test_duel_pairs_seeds_and_knows_which_way_is_better():
    rows = [dict(chapter="gan", seed=s, metrics={"ssim": v, "FD": f, "edge sharpness": e})
            for s, v, f, e in ((1, 0.8, 10.0, 1.3), (2, 0.7, 12.0, 1.1), (3, 0.9, 9.0, 0.95))]
    rows += [dict(chapter="l1", seed=s, metrics={"ssim": v, "FD": f, "edge sharpness": e})
             for s, v, f, e in ((1, 0.75, 11.0, 0.8), (2, 0.72, 11.0, 0.8), (3, 0.6, 20.0, 0.9),
                                (4, 0.99, 1.0, 1.0))]          # seed 4: no partner, left out
    d = compare.duel(rows, "gan", "l1", ["ssim", "FD", "edge sharpness"])
    assert d["ssim"]["seeds"] == 3 and d["ssim"]["a_wins"] == 2 and d["ssim"]["median"] == 1
    assert d["ssim"]["a"] == (0.8, 0.7, 0.9)
    assert d["FD"]["a_wins"] == 2 and d["FD"]["median"] == 1          # lower is better
    # nearer 1: 1.3 vs 0.8 (worse), 1.1 vs 0.8 (better), 0.95 vs 0.9 (better)
    assert d["edge sharpness"]["a_wins"] == 2
    text = compare.duel_lines(d, "gan", "l1")
    assert "on the medians gan better" in text and "2 of 3 seeds" in text
    assert compare.better_of("l1", 0.1, 0.2) == 1 and compare.better_of("l1", 0.2, 0.2) == 0
    with pytest.raises(KeyError, match="no direction"):
        compare.better_of("mystery", 1, 2)
    with pytest.raises(KeyError, match="no rows"):
        compare.duel(rows, "gan", "nope", ["ssim"])
