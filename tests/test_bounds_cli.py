"""``warmup-theory bounds``: values, expressions, --json / --latex / --printed, errors (exit 2)."""

from __future__ import annotations

import json
import math

import pytest

from warmup_theory.cli import main
from warmup_theory.cli.bounds import THEOREMS, evaluate

PL = ["--H0", "1", "--H1", "1", "--mu", "0.5", "--gap0", "10", "--eps", "1e-3"]


def test_pl_adaptive_text(capsys):
    assert main(["bounds", "pl-adaptive", *PL]) == 0
    out = capsys.readouterr().out
    assert "value: 1009" in out and "expression: " in out and "ceiling" in out


def test_json_and_latex(capsys):
    assert main(["bounds", "pl-adaptive", *PL, "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["value"] == 1009.0 and rec["inputs"]["mu"] == 0.5 and "lceil" in rec["latex"]
    assert main(["bounds", "aiming-adaptive", "--H0", "1", "--H1", "1", "--theta", "1", "--dist0", "1",
                 "--eps", "1e-2", "--latex"]) == 0
    assert capsys.readouterr().out.strip().startswith(r"\left\lceil")


def test_printed(capsys):
    assert main(["bounds", "pl-adaptive", "--H0", "1", "--H1", "1", "--mu", "0.5", "--gap0", "0.1",
                 "--eps", "10", "--printed", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["printed"] and rec["value"] == pytest.approx(8 + 40 * math.log(1 / 20)) and rec["value"] < 0
    assert main(["bounds", "pl-fixed", *PL, "--printed"]) == 2
    assert "--printed is not available" in capsys.readouterr().err


def test_missing_and_bad_parameters(capsys):
    assert main(["bounds", "pl-adaptive", "--H0", "1", "--H1", "1", "--gap0", "1", "--eps", "1"]) == 2
    assert "missing required parameter(s) --mu" in capsys.readouterr().err
    assert main(["bounds", "pl-adaptive", *PL[:-1], "0"]) == 2
    assert "eps must be in (0, inf)" in capsys.readouterr().err
    assert main(["bounds", "aiming-adaptive", "--H0", "1", "--H1", "1", "--theta", "0.05", "--dist0", "1",
                 "--eps", "1e-2"]) == 2
    assert "theta" in capsys.readouterr().err


@pytest.mark.parametrize("value,shown", [("-1e-3", "-0.001"), ("-2", "-2.0"), ("-.5", "-0.5"),
                                         ("-1E+2", "-100.0"), ("-inf", "finite and in (0, inf), got -inf")])
def test_negative_values_reach_the_range_check(capsys, value, shown):
    # argparse used to reject "--eps -1e-3" with "expected one argument" (exit 2 without the range)
    assert main(["bounds", "pl-adaptive", *PL[:-1], value]) == 2
    err = capsys.readouterr().err
    msg = shown if shown.startswith("finite") else f"in (0, inf), got {shown}"
    assert f"eps must be {msg}" in err and "expected one argument" not in err
    assert main(["bounds", "pl-adaptive", "--H0", "-1e-3", *PL[2:]]) == 2
    assert "H0" in capsys.readouterr().err


def test_option_names_are_still_options(capsys):
    # the wider negative-number pattern must not turn a following option into a value
    with pytest.raises(SystemExit) as exc:
        main(["bounds", "pl-adaptive", *PL[:-1], "--json"])
    assert exc.value.code == 2 and "expected one argument" in capsys.readouterr().err
    assert main(["bounds", "pl-adaptive", "--eps=-1e-3", *PL[:-2]]) == 2
    assert "eps must be in (0, inf), got -0.001" in capsys.readouterr().err


@pytest.mark.parametrize("theorem", list(THEOREMS))
def test_every_theorem_runs(theorem):
    vals = {"H0": 1.0, "H1": 1.0, "mu": 0.5, "theta": 1.0, "gap0": 10.0, "dist0": 1.0, "eps": 1e-3}
    rec = evaluate(theorem, vals)
    assert rec["value"] >= 0 and math.isfinite(rec["value"])
    assert set(rec["inputs"]) == set(THEOREMS[theorem][1])


def test_help_lists_theorems(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["bounds", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for name in THEOREMS:
        assert name in out
