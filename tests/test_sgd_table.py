"""``warmup-theory table --stochastic``: files, rows, invariants, and that a wrong bound is flagged."""

from __future__ import annotations

import json
import math

import numpy as np

from warmup_theory.cli import main
from warmup_theory.numerics.table import stochastic as ST


def test_cli_writes_the_stochastic_table(tmp_path, capsys) -> None:
    rc = main(["table", "--stochastic", "--quick", "--out", str(tmp_path), "--no-plots"])
    out = capsys.readouterr().out
    assert rc == 0, out
    data = json.loads((tmp_path / "sgd_table.json").read_text())
    rows = data["rows"]
    assert len(rows) == 2 * len(ST.INSTANCES) and all(r["invariants"] == "ok" for r in rows)
    assert all(r["seeds"] == 200 for r in rows)
    interp = [r for r in rows if "no_interpolation" not in r["instance"]]
    assert all(r["reached"] == 1.0 and r["mean"] <= r["E_bound"] for r in interp if not math.isnan(r["E_bound"]))
    wit = [r for r in rows if "no_interpolation" in r["instance"]]
    assert all(r["reached"] == 0.0 and r["late_gap"] >= r["floor"] for r in wit)
    md = (tmp_path / "sgd_table.md").read_text()
    assert md.startswith("| instance |") and md.splitlines()[0].endswith("| invariants | gap_bound |")
    assert out.splitlines() and all(len(line) <= 120 for line in out.splitlines())   # the compact screen form
    assert not any(line.startswith("|") for line in out.splitlines())
    header = (tmp_path / "sgd_table.csv").read_text().splitlines()[0].split(",")
    assert header[:12] == ["instance", "schedule", "seeds", "eps", "median", "p90", "reached", "mean", "ci95",
                           "E_bound", "delta_bound", "invariants"] and header[-1] == "gap_bound"
    assert all(r["gap_bound"] >= 1 for r in interp if not math.isnan(r["E_bound"]))


def test_checks_flag_a_wrong_bound_with_a_p_value() -> None:
    tau = np.full(200, 100.0)
    assert ST._checks(tau, 200, 150.0, 150.0, 0, None) == []
    msgs = ST._checks(tau, 200, 10.0, 50.0, 3, None)      # bounds 10x too small, and distance increases
    assert len(msgs) == 3 and all(m.startswith("!") for m in msgs) and "p = " in msgs[0]
    late = np.full(50, 1e-6) + np.linspace(0, 1e-7, 50)
    assert ST._checks(tau, 1000, math.nan, math.nan, 0, (1e-3, late))[0].startswith("! mean late gap")


def test_verbose_prints_the_full_markdown(tmp_path, capsys) -> None:
    rc = main(["table", "--stochastic", "--quick", "--out", str(tmp_path), "--no-plots", "--verbose"])
    out = capsys.readouterr().out
    assert rc == 0 and out == (tmp_path / "sgd_table.md").read_text()


def test_screen_rows_mark_a_broken_invariant_below_the_table() -> None:
    row = dict(instance="least_squares(n=16,d=4,seed=0)", schedule="warmup", median=3.0, p90=4.0, reached=1.0,
               mean=3.2, ci95=0.1, E_bound=1.0, delta_bound=9.0, gap_bound=5.0, invariants="! mean tau " + "x" * 200)
    lines = ST.to_screen([row]).splitlines()
    assert lines[2].endswith("!") and lines[3].startswith("least_squares") and all(len(x) <= 120 for x in lines)
