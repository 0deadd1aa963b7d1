"""warmup-theory schedules: CSV columns, divergence reporting, tuned selection and verdict, bad arguments."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from warmup_theory.cli import main
from warmup_theory.numerics.schedule_study import (
    RUN_COLUMNS,
    SUMMARY_COLUMNS,
    ScheduleSpec,
    StudyResult,
    default_settings,
    run_study,
)
from warmup_theory.numerics.schedule_study.study import StudyRuns

pytest.importorskip("sklearn")


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    lines = [ln for ln in path.read_text().splitlines() if not ln.startswith("#")]
    reader = csv.DictReader(lines)
    return list(reader.fieldnames or []), list(reader)


def test_cli_writes_documented_columns_and_reports_divergence_without_nan(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["schedules", "--task", "digits", "--optimizer", "sgd", "--steps", "6", "--seeds", "2",
                 "--peak-lrs", "0.05,1e4", "--linear-fractions", "0.5", "--C-grid", "1", "--no-fit",
                 "--no-plots", "--quiet", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    cols, runs = _rows(tmp_path / "runs.csv")
    assert tuple(cols) == RUN_COLUMNS
    scols, summary = _rows(tmp_path / "summary.csv")
    assert tuple(scols) == SUMMARY_COLUMNS
    assert len(runs) == 2 * 2 * 3  # peaks × seeds × (none, linear W=3, adaptive C=1); no untuned rule for SGD
    big = [r for r in runs if float(r["peak_lr"]) == 1e4 and r["family"] == "none"]
    assert big and all(r["status"] == "diverged" and r["final_val_loss"] == "" for r in big)
    small = [r for r in runs if float(r["peak_lr"]) == 0.05]
    assert all(r["status"] == "completed" and math.isfinite(float(r["final_val_loss"])) for r in small)
    for text in ((tmp_path / "runs.csv").read_text(), (tmp_path / "summary.csv").read_text(), out):
        assert "nan" not in text.lower()
    assert "diverged" in out and max(len(line) for line in out.splitlines()) <= 120


@pytest.mark.parametrize(("argv", "match"), [
    (["--task", "vision"], "task must be one of"),
    (["--optimizer", "adam"], "optimizer must be one of"),
    (["--peak-lrs", "a,b"], "--peak-lrs must be a comma list"),
    (["--peak-lrs", "-1"], "peak_lrs must be finite numbers > 0"),
    (["--seeds", "0"], "--seeds must be an integer >= 1"),
    (["--decay", "step"], "--decay must be one of"),
    (["--C-grid", "-1"], "C_grid must be"),
    (["--model", "vit"], "--model must be one of tiny"),
])
def test_bad_arguments_exit_2_with_one_line(argv: list[str], match: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedules", *argv, "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and match in err[0]


def _synthetic(vals: dict[tuple[str, float | None, float], list[float]]) -> StudyResult:
    specs, peaks, seeds, val, div = [], [], [], [], []
    for (fam, param, peak), vs in vals.items():
        for s, v in enumerate(vs):
            specs.append(ScheduleSpec(fam, param))
            peaks.append(peak)
            seeds.append(s)
            val.append(v)
            div.append(None if math.isfinite(v) else 1)
    n, steps = len(specs), 4
    smoothed = np.tile(np.linspace(3.0, 2.0, steps), (n, 1))
    runs = StudyRuns(specs, peaks, seeds, np.full((n, steps), 0.1), smoothed.copy(), smoothed, np.array(val), div,
                     0.0, {"C": None, "reason": "test"})
    st = default_settings("digits", "adamw", peak_lrs=(0.1, 1.0), seeds=2, steps=steps)
    return StudyResult(st, runs, {})


def test_tuned_selection_and_verdict_by_hand() -> None:
    nan = float("nan")
    res = _synthetic({
        ("none", None, 0.1): [1.00, 1.02], ("none", None, 1.0): [nan, 0.9],
        ("linear", 2.0, 0.1): [0.80, 0.82], ("linear", 5.0, 0.1): [0.70, 0.74],
        ("linear", 2.0, 1.0): [nan, 0.50], ("linear", 5.0, 1.0): [0.75, 0.77],
        ("adaptive", 1.0, 0.1): [0.71, 0.73], ("adaptive", 1.0, 1.0): [0.60, 0.62],
    })
    fam = res.families()
    assert [r["schedule"] for r in fam["linear"]] == ["linear W=5", "linear W=5"]  # fewest divergences first
    best = res.best()
    assert best["linear"]["val_mean"] == pytest.approx(0.72) and best["linear"]["peak_lr"] == 0.1
    assert best["none"]["largest_stable_peak"] == 0.1 and best["adaptive"]["largest_stable_peak"] == 1.0
    v = res.verdict()
    assert v["adaptive_minus_linear"] == pytest.approx(0.61 - 0.72)
    assert v["adaptive_matches_linear"] is False  # 0.11 > the larger sd (0.028)
    assert v["adaptive_minus_none"] == pytest.approx(0.61 - 1.01) and v["adaptive_beats_none"] is True
    assert all(len(line) <= 120 for line in res.verdict_lines())


def test_lm_study_with_the_probe_fit_runs_end_to_end() -> None:
    res = run_study(task="lm", steps=3, seeds=1, peak_lrs=(1e-3,), linear_fractions=(0.5,), C_grid=(1.0,),
                    fit_steps=4, fit_every=2)
    fit = res.runs.fit
    assert fit["records"] == 2 and fit["status"] == "completed"
    assert (fit["C"] is None) == ("adaptive-fit" not in {s.family for s in res.runs.specs})
    assert fit["C"] is None or fit["C"] > 0
    assert res.fingerprint["files"] > 100 and res.fingerprint["context"] == 64
    labels = [s.label for s in res.runs.specs]
    assert labels[:4] == ["none", "linear W=2", "untuned", "adaptive C=1"]
    lr = res.runs.lr
    assert lr[0, 0] == 1e-3 and lr[1, 0] == pytest.approx(0.5e-3) and lr[3, 0] == 0.0  # no loss yet: lr 0


def test_linear_warmup_equals_pytorch_warmup_inside_the_study() -> None:
    pytest.importorskip("pytorch_warmup")
    from warmup_theory.numerics.schedule_study.study import external_reference

    ext = external_reference(default_settings("lm", "adamw", steps=200))
    assert ext["installed"] and set(ext["linear"]) == {"10", "20", "50"}
    assert all(v == 0.0 for v in ext["linear"].values())
    assert ext["untuned_steps"] == {"toolkit": 40, "pytorch_warmup": 39}  # it truncates 39.99999999999996
    assert ext["untuned"] == pytest.approx(1 - 39 / 40)  # largest at step 38: 39/39 vs 39/40
