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
    assert (tmp_path / "sgd_table.md").read_text().startswith("| instance |")
    assert all(len(line) <= 120 for line in out.splitlines() if not line.startswith("|"))


def test_checks_flag_a_wrong_bound_with_a_p_value() -> None:
    tau = np.full(200, 100.0)
    assert ST._checks(tau, 200, 150.0, 150.0, 0, None) == []
    msgs = ST._checks(tau, 200, 10.0, 50.0, 3, None)      # bounds 10x too small, and distance increases
    assert len(msgs) == 3 and all(m.startswith("!") for m in msgs) and "p = " in msgs[0]
    late = np.full(50, 1e-6) + np.linspace(0, 1e-7, 50)
    assert ST._checks(tau, 1000, math.nan, math.nan, 0, (1e-3, late))[0].startswith("! mean late gap")
