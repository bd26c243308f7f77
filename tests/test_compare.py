"""The loss comparison of chapters 5-6 (`ganlib.compare`): runs, saves, loads, plots."""
import json

import matplotlib
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
